/**
 * The trace front door: feeds trace events to an Engine with no driver code running, so the same
 * rules judge a recorded run. Handle values from the trace stand for engine objects; a callback
 * enter/exit is a context frame; a call goes through the REPLAY table, one entry per DDI, which
 * hands the engine the trace's arguments and takes the outcome (returned address, status) from the
 * trace. Memory grows with what is outstanding (live allocations, running callbacks), never with
 * the trace's length.
 */

import { Engine, type EngineOptions } from '../engine/engine.js';
import { MiniportAdapter, MiniportDriver, type NdisObject } from '../engine/objects.js';
import type { Frame } from '../machine/context.js';
import type { CallbackReturnEvent } from '../verifier/events.js';
import { BugCheck, type Violation } from '../verifier/violation.js';
import { type Compiled, DDI_DECODERS } from './decode.js';
import type { CallEvent, EdgeEvent, EnterEvent, ExitEvent, TraceEvent, TraceHeader } from './events.js';
import { TraceError } from './events.js';
import { hex64 } from './hex.js';
import { type LineOptions, readLines, type TraceInput } from './lines.js';
import { TraceReader } from './reader.js';
import { DMA_HOOKS, DMA_REPLAY } from './replay-dma.js';
import { LIFECYCLE_HOOKS, LIFECYCLE_REPLAY } from './replay-lifecycle.js';
import { PORTS_HOOKS, PORTS_REPLAY } from './replay-ports.js';
import { PROVIDER_HOOKS, PROVIDER_REPLAY } from './replay-provider.js';
import { SYNC_HOOKS, SYNC_REPLAY } from './replay-sync.js';

/** Replays one DDI call (the event is decoded: args and result hold numbers). */
export type ReplayEntry = (state: ReplayState, event: CallEvent) => void;

/** What a family does when a callback of its own is entered or exits (e.g. the state machine). */
export interface CallbackHooks {
  /**
   * What NDIS does before it calls the driver (the state machine's begin): runs before the
   * callback's frame is entered, with the driver and adapter the enter names.
   */
  readonly begin?: (
    state: ReplayState,
    event: EnterEvent,
    driver: MiniportDriver | null,
    adapter: MiniportAdapter | null,
  ) => void;
  readonly enter?: (state: ReplayState, event: EnterEvent) => void;
  readonly exit?: (state: ReplayState, event: ExitEvent) => void;
  /**
   * What NDIS does once the callback returned (the state machine's end, the lifecycle edges): runs
   * after its frame is left and its return was checked, with the driver and adapter of its enter.
   */
  readonly end?: (
    state: ReplayState,
    event: ExitEvent,
    driver: MiniportDriver | null,
    adapter: MiniportAdapter | null,
  ) => void;
}

type Args = Record<string, unknown>;

/**
 * The DDIs replayed by this version; each family adds one entry per DDI. An entry calls the same
 * engine method the DDI surface calls (src/ndis), with `state.handle(...)` for NDIS handles,
 * `state.objects` for the family's own handles (bind the trace's returned handle value to the engine
 * object), `decodeValue` for fields of structure arguments, and the trace's outcome where the engine
 * would otherwise decide it (as `replayed` does for pool allocations). A contradiction no rule covers
 * is `state.error(...)`; the docs/trace-format.md table marks the DDI replayed (a test checks it).
 */
const POOL_REPLAY: Readonly<Record<string, ReplayEntry>> = {
  // General memory (SPEC §3): as src/ndis/memory.ts, with the trace's returned address.
  NdisAllocateMemoryWithTagPriority(s, e) {
    const a = e.args;
    const address = (e.result as Args).VirtualAddress as number;
    if (address !== 0 && s.engine.virtual.get(address) !== undefined) {
      s.error(
        `NdisAllocateMemoryWithTagPriority returned ${hex64(address)}, which is still allocated: the trace contradicts itself; the call is ignored`,
      );
      return;
    }
    s.engine.memory.allocate(s.handle(a.NdisHandle as number), a.Length, a.Tag, a.Priority, address);
  },
  NdisFreeMemory(s, e) {
    const a = e.args;
    s.engine.memory.free('NdisFreeMemory', null, a.VirtualAddress, a.Length, a.MemoryFlags, 0, false, false);
  },
  NdisFreeMemoryWithTagPriority(s, e) {
    const a = e.args;
    const handle = s.handle(a.NdisHandle as number);
    s.engine.memory.free('NdisFreeMemoryWithTagPriority', handle, a.VirtualAddress, 0, 0, a.Tag, true, true);
  },
  NdisFreeMemoryWithTag(s, e) {
    const a = e.args;
    s.engine.memory.free('NdisFreeMemoryWithTag', null, a.VirtualAddress, 0, 0, a.Tag, true, false);
  },
};

/** Every replayed DDI: general memory here, each other family in its own replay-<family>.ts. */
export const REPLAY: Readonly<Record<string, ReplayEntry>> = {
  ...POOL_REPLAY,
  ...LIFECYCLE_REPLAY,
  ...DMA_REPLAY,
  ...SYNC_REPLAY,
  ...PROVIDER_REPLAY,
  ...PORTS_REPLAY,
};

/** Callback hooks by callback name (the lifecycle state machine, and any family's own). */
export const CALLBACK_HOOKS: Readonly<Record<string, CallbackHooks>> = {
  ...LIFECYCLE_HOOKS,
  ...DMA_HOOKS,
  ...SYNC_HOOKS,
  ...PROVIDER_HOOKS,
  ...PORTS_HOOKS,
};

/** Lines parsed ahead of their replay (bounded: the queue is replayed when full). */
const BATCH = 1024;

/** A callback the trace entered and has not exited yet. */
interface Running {
  readonly frame: Frame;
  readonly callback: string;
  readonly driver: MiniportDriver | null;
  readonly adapter: MiniportAdapter | null;
  readonly irql: number;
  readonly thread: number | string | undefined;
  readonly line: number;
}

export interface ReplayOptions {
  /** Stop at the first error (malformed line or contradiction). */
  readonly strict?: boolean;
  /** Errors kept in `errors` (all are counted in `errorCount`); default 1000. */
  readonly maxErrors?: number;
}

/** The replay of one trace into one engine. DDI entries use its handle look-ups and `error`. */
export class ReplayState {
  readonly reader: TraceReader;
  /** The line being replayed. */
  line = 0;
  /** Events read (the header and malformed lines excluded). */
  events = 0;
  readonly errors: TraceError[] = [];
  errorCount = 0;
  /** The line of the event that produced each violation (same order as the engine's violations). */
  readonly violationLines: number[] = [];
  /** The bug check that stopped the replay (policy 'bugcheck'). */
  bugCheck: BugCheck | null = null;
  /** Faults the trace says were injected. */
  faults = 0;
  /** Family objects (DMA handles, timers, ports, ...) by the handle value the trace gave them. */
  readonly objects = new Map<number, unknown>();
  private readonly ndisObjects = new Map<number, NdisObject>();
  private lastHandle = 0;
  private lastObject: NdisObject | null = null;
  private readonly running: Running[] = [];
  private implicitDriver: MiniportDriver | null = null;
  private drivers = 0;
  private readonly strict: boolean;
  private readonly maxErrors: number;
  private readonly returnEvent: CallbackReturnEvent;
  /** REPLAY by the reader's DDI index (no string-keyed look-up per call). */
  private readonly entries: (ReplayEntry | undefined)[] = [];
  /** Lines read and not replayed yet: the event or error, its DDI, its line. */
  private readonly queue: (TraceEvent | TraceError | undefined)[] = new Array(BATCH);
  private readonly queueCalled: (Compiled | null)[] = new Array(BATCH).fill(null);
  private readonly queueLine = new Float64Array(BATCH);
  private queued = 0;
  /** A bug check, or strict and an error: nothing more is replayed. */
  stopped = false;

  constructor(
    readonly engine: Engine,
    file: string,
    options: ReplayOptions = {},
  ) {
    this.reader = new TraceReader(file);
    this.strict = options.strict ?? false;
    this.maxErrors = options.maxErrors ?? 1000;
    this.returnEvent = { engine, callback: '', driver: null, adapter: null, entryIrql: 0, exitIrql: 0 };
    engine.verifier.listen(() => this.violationLines.push(this.line));
    for (const [ddi, compiled] of DDI_DECODERS) {
      this.entries[compiled.index] = Object.hasOwn(REPLAY, ddi) ? REPLAY[ddi] : undefined;
    }
  }

  /** The trace's header (null before the first line). */
  get header(): TraceHeader | null {
    return this.reader.header;
  }

  /**
   * Reads one line and queues it; every BATCH lines the queue is replayed. Parsing a batch and then
   * replaying it keeps each loop's code and data hot (about 7% faster than line by line). Returns
   * false when reading should stop: a bug check, an unreadable header, or strict and an error.
   */
  feed(text: string, line: number): boolean {
    const parsed = this.reader.parse(text, line);
    if (this.reader.notice !== null) {
      this.enqueue(this.reader.notice, null, -line);
      this.reader.notice = null;
    }
    // Events have a kind; errors and the header do not (checked first: the hot path).
    if ((parsed as TraceEvent).kind !== undefined) {
      this.enqueue(parsed as TraceEvent, this.reader.called, line);
    } else if (parsed instanceof TraceError) {
      this.enqueue(parsed, null, -line);
      if (this.reader.fatal || this.strict) return this.flush() && !this.reader.fatal;
    }
    return this.queued < BATCH || this.flush();
  }

  /** Replays what is queued, in line order; false once the replay has stopped. */
  flush(): boolean {
    const queue = this.queue;
    for (let i = 0; i < this.queued; i++) {
      const item = queue[i];
      queue[i] = undefined;
      const called = this.queueCalled[i];
      this.queueCalled[i] = null;
      const line = this.queueLine[i];
      if (this.stopped) continue;
      if (line < 0) {
        this.add(item as TraceError);
        if (this.strict) this.stopped = true;
        continue;
      }
      const before = this.errorCount;
      this.events++;
      this.line = line;
      try {
        this.replay(item as TraceEvent, called);
      } catch (error) {
        if (error instanceof BugCheck) {
          this.bugCheck = error;
          this.stopped = true;
          continue;
        }
        this.error(`replaying this event failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (this.strict && this.errorCount !== before) this.stopped = true;
    }
    this.queued = 0;
    return !this.stopped;
  }

  /** The end of the trace (after the last flush): callbacks still running are reported. */
  finish(lastLine: number): void {
    if (this.stopped) return;
    for (const r of this.running) {
      this.add(
        new TraceError(
          this.reader.file,
          lastLine,
          `the trace ends inside ${r.callback} (entered at line ${r.line})`,
        ),
      );
    }
  }

  /** Queues an event (line > 0) or an error (line < 0: -line). */
  private enqueue(item: TraceEvent | TraceError, called: Compiled | null, line: number): void {
    const at = this.queued++;
    this.queue[at] = item;
    this.queueCalled[at] = called;
    this.queueLine[at] = line;
  }

  /** Records an error about the current line (a contradiction the rules do not cover). */
  error(message: string): void {
    this.add(new TraceError(this.reader.file, this.line, message));
  }

  /**
   * The NDIS object a handle value stands for. A value the trace never introduced is returned as
   * itself (NULL as null): it is not a handle, so the DDI reports Ndis_InvalidHandle.
   */
  handle(value: number): NdisObject | number | null {
    if (value === 0) return null;
    // Calls pass the same adapter handle over and over: skip the look-up.
    if (value === this.lastHandle) return this.lastObject;
    const object = this.ndisObjects.get(value);
    if (object === undefined) return value;
    this.lastHandle = value;
    this.lastObject = object;
    return object;
  }

  /** The driver a handle value stands for, introduced on first sight; undefined if it is another kind. */
  driver(value: number, name?: string): MiniportDriver | undefined {
    const known = this.ndisObjects.get(value);
    if (known instanceof MiniportDriver) return known;
    if (known !== undefined) {
      this.error(`driver handle ${hex64(value)} was introduced as the handle of adapter ${known.name}`);
      return undefined;
    }
    const driver = this.engine.createDriver(name ?? this.driverName(value));
    this.ndisObjects.set(value, driver);
    return driver;
  }

  /** The adapter a handle value stands for, introduced on first sight as an adapter of `driver`. */
  adapter(value: number, driver: MiniportDriver | null, name?: string): MiniportAdapter | undefined {
    const known = this.ndisObjects.get(value);
    if (known instanceof MiniportAdapter) {
      if (driver === null || known.driver === driver) return known;
      this.error(
        `adapter ${known.name} (${hex64(value)}) belongs to driver ${known.driver.name}, not ${driver.name}`,
      );
      return undefined;
    }
    if (known !== undefined) {
      this.error(`adapter handle ${hex64(value)} was introduced as the handle of driver ${known.name}`);
      return undefined;
    }
    const owner = driver ?? this.defaultDriver();
    const adapter = this.engine.createAdapter(owner, name ?? hex64(value));
    this.ndisObjects.set(value, adapter);
    return adapter;
  }

  private driverName(value: number): string {
    const named = this.drivers++ === 0 ? this.reader.header?.driver?.name : undefined;
    return named ?? hex64(value);
  }

  /** The driver of adapters whose enter gave no driver handle. */
  private defaultDriver(): MiniportDriver {
    if (this.implicitDriver === null) {
      this.implicitDriver = this.engine.createDriver(this.reader.header?.driver?.name ?? 'driver');
    }
    return this.implicitDriver;
  }

  private add(error: TraceError): void {
    if (this.errorCount++ < this.maxErrors) this.errors.push(error);
  }

  private replay(e: TraceEvent, called: Compiled | null): void {
    switch (e.kind) {
      case 'call': {
        const entry = this.entries[(called as Compiled).index];
        if (entry === undefined) {
          this.error(`${e.ddi} is not replayed by this version of ndis-sim; the call is ignored`);
          return;
        }
        if (e.irql !== undefined) this.engine.context.irql = e.irql;
        entry(this, e);
        return;
      }
      case 'enter':
        this.enter(e);
        return;
      case 'exit':
        this.exit(e);
        return;
      case 'irql':
        this.engine.context.irql = e.irql;
        return;
      case 'edge':
        this.edge(e);
        return;
      case 'fault':
        this.faults++;
        return;
      case 'access':
        this.engine.access.check(e.op ?? 'access', e.address, e.size, e.write);
        return;
    }
  }

  private enter(e: EnterEvent): void {
    const driver = e.driver === 0 ? null : this.driver(e.driver, e.driverName);
    if (driver === undefined) return;
    const adapter = e.adapter === 0 ? null : this.adapter(e.adapter, driver, e.adapterName);
    if (adapter === undefined) return;
    const hooks = Object.hasOwn(CALLBACK_HOOKS, e.callback) ? CALLBACK_HOOKS[e.callback] : undefined;
    hooks?.begin?.(this, e, driver ?? adapter?.driver ?? null, adapter);
    const frame = this.engine.context.enter(e.callback, driver ?? adapter?.driver ?? null, adapter, e.irql);
    this.running.push({
      frame,
      callback: e.callback,
      driver: driver ?? adapter?.driver ?? null,
      adapter,
      irql: e.irql,
      thread: e.thread,
      line: this.line,
    });
    hooks?.enter?.(this, e);
  }

  private exit(e: ExitEvent): void {
    const running = this.running;
    let at = running.length - 1;
    while (at >= 0 && !(running[at].callback === e.callback && sameThread(running[at].thread, e.thread)))
      at--;
    if (at < 0) {
      this.error(`exit of ${e.callback} without a matching enter; ignored`);
      return;
    }
    const r = running[at];
    if (
      (e.driver !== undefined && e.driver !== 0 && this.ndisObjects.get(e.driver) !== r.driver) ||
      (e.adapter !== undefined && e.adapter !== 0 && this.ndisObjects.get(e.adapter) !== r.adapter)
    ) {
      this.error(`exit of ${e.callback} names another driver or adapter than its enter (line ${r.line})`);
    }
    // Callbacks entered after this one on other threads keep running; on the same thread they
    // should have exited first.
    const above = running.slice(at + 1);
    const kept = above.filter(
      (o) => o.thread !== undefined && e.thread !== undefined && o.thread !== e.thread,
    );
    for (const o of above) {
      if (!kept.includes(o))
        this.error(`exit of ${e.callback} while ${o.callback} (entered at line ${o.line}) has not exited`);
    }
    const context = this.engine.context;
    if (e.irql !== undefined) context.irql = e.irql;
    const hooks = Object.hasOwn(CALLBACK_HOOKS, e.callback) ? CALLBACK_HOOKS[e.callback] : undefined;
    hooks?.exit?.(this, e);
    const re = this.returnEvent;
    re.callback = r.callback;
    re.driver = r.driver;
    re.adapter = r.adapter;
    re.entryIrql = r.irql;
    re.exitIrql = context.irql;
    try {
      this.engine.verifier.on.callbackReturn(this.engine.verifier, re);
    } finally {
      context.leave(r.frame);
      running.length = at;
      for (const o of kept)
        running.push({ ...o, frame: context.enter(o.callback, o.driver, o.adapter, o.irql) });
    }
    hooks?.end?.(this, e, r.driver, r.adapter);
  }

  private edge(e: EdgeEvent): void {
    const driver = this.ndisObjects.get(e.driver);
    if (!(driver instanceof MiniportDriver)) {
      this.error(
        `the ${e.edge} edge names driver handle ${hex64(e.driver)}, which the trace never introduced; ignored`,
      );
      return;
    }
    let adapter: MiniportAdapter | null = null;
    if (e.edge !== 'driverUnload') {
      const known = this.ndisObjects.get(e.adapter);
      if (!(known instanceof MiniportAdapter) || known.driver !== driver) {
        this.error(
          `the ${e.edge} edge names adapter handle ${hex64(e.adapter)}, which the trace never introduced for this driver; ignored`,
        );
        return;
      }
      adapter = known;
    }
    // Announced once, whether the trace writes it, the state machine infers it, or both.
    this.engine.lifecycle.announceEdge(e.edge, driver, adapter);
  }
}

function sameThread(a: number | string | undefined, b: number | string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

export interface CheckOptions extends EngineOptions, ReplayOptions, LineOptions {
  /** How errors name the input (default: the path, `<stdin>` or `<input>`). */
  readonly file?: string;
}

export interface CheckResult {
  readonly violations: readonly Violation[];
  /** The trace line of each violation (same order). */
  readonly violationLines: readonly number[];
  /** Malformed lines and contradictions (the first `maxErrors`). */
  readonly errors: readonly TraceError[];
  readonly errorCount: number;
  readonly events: number;
  /** Input bytes read (compressed bytes for gzip). */
  readonly bytes: number;
  readonly lines: number;
  readonly header: TraceHeader | null;
  /** The bug check that stopped the check (policy 'bugcheck'). */
  readonly bugCheck: BugCheck | null;
  readonly engine: Engine;
}

/**
 * Checks a trace (a path, `-` for standard input, `.gz` or plain, or its bytes) with the same rules
 * as a live run. Never throws for the trace's content: malformed lines and contradictions are
 * `errors`, rule breaches are `violations`.
 */
export async function checkTrace(input: TraceInput, options: CheckOptions = {}): Promise<CheckResult> {
  // Stacks captured during a replay would show the replay's own code: off unless asked for.
  const engine = new Engine({ captureAllocationSites: false, captureSites: false, ...options });
  const file = options.file ?? (typeof input === 'string' ? (input === '-' ? '<stdin>' : input) : '<input>');
  const state = new ReplayState(engine, file, options);
  let lines = 0;
  let bytes = 0;
  try {
    const onProgress = options.onProgress;
    const read = await readLines(
      input,
      (text, line) => {
        lines = line;
        return state.feed(text, line);
      },
      {
        chunkSize: options.chunkSize,
        onProgress: (read) => {
          bytes = read;
          onProgress?.(read);
        },
      },
    );
    lines = read.lines;
    bytes = read.bytes;
    if (state.flush()) state.finish(read.lines);
  } catch (error) {
    state.flush();
    state.line = lines;
    state.error(`cannot read the trace: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    violations: engine.violations,
    violationLines: state.violationLines,
    errors: state.errors,
    errorCount: state.errorCount,
    events: state.events,
    bytes,
    lines,
    header: state.header,
    bugCheck: state.bugCheck,
    engine,
  };
}
