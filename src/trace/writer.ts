/**
 * Writing traces: the header, then one event per line, values formatted as docs/trace-format.md
 * says (pointers and handles as 64-bit hex, statuses as unsigned hex). A live run is recorded by
 * wrapping the DDI surface (`recordDdis`), the engine's callbacks, edges and memory accesses
 * (`recordEngine`) and the fault hook (`recordFaults`). Handles that are objects in a live
 * run get stable synthetic 64-bit values, outside the range the simulated pool hands out.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Engine } from '../engine/engine.js';
import type { FaultHook } from '../engine/faults.js';
import { NdisObject } from '../engine/objects.js';
import { NetEventPortActivation, NetEventPortDeactivation } from '../ndis/constants.js';
import { CALLBACKS, DDIS, type Field, type Shape, type ValueType } from './ddis.js';
import type { EdgeEvent } from './events.js';
import { hex32, hex64 } from './hex.js';

/** Receives each line of the trace, without its newline. */
export type TraceSink = (line: string) => void;

/** What the header says besides the format and version. */
export interface WriterOptions {
  readonly producer?: string;
  readonly pointerSize?: 4 | 8;
  readonly driver?: Readonly<Record<string, unknown>>;
  readonly machine?: Readonly<Record<string, unknown>>;
}

/** 0xffffe00000000000: above the simulated kernel VA range (src/machine/virtual.ts). */
const SYNTHETIC_BASE = -0x200000000000;
const SYNTHETIC_STEP = 0x10;
const STRUCT_DEPTH = 4;
const FAILURE = 0xc0000001;
/** NDIS_PORT entries written for one activation list (a longer or looping list is cut there). */
const MAX_PORTS = 1024;

/**
 * Structure arguments a trace gives by their pointer: replay knows an OID request by its
 * NDIS_OID_REQUEST pointer (docs/trace-format.md, "OID requests"), not by its members.
 */
const BY_POINTER: ReadonlySet<string> = new Set(['OidRequest']);

/**
 * In/out structures: the argument NDIS writes back into and the members it writes, which the trace
 * gives in `result` (docs/trace-format.md, DDI notes), while `args` shows the structure as passed in.
 */
interface WrittenBack {
  readonly arg: number;
  readonly members: readonly string[];
}
const WRITTEN_BACK: ReadonlyMap<string, WrittenBack> = new Map([
  ['NdisMRegisterScatterGatherDma', { arg: 1, members: ['ScatterGatherListSize'] }],
  ['NdisMAllocatePort', { arg: 1, members: ['PortNumber'] }],
  ['NdisAllocateSharedMemory', { arg: 1, members: ['VirtualAddress', 'SharedMemoryHandle', 'SGListBuffer'] }],
]);

type Line = Record<string, unknown>;

/** Writes one trace. */
export class TraceWriter {
  private readonly ids = new WeakMap<object, number>();
  private readonly strings = new Map<string, number>();
  private nextId = SYNTHETIC_BASE;
  private readonly named = new WeakSet<object>();

  constructor(
    private readonly sink: TraceSink,
    options: WriterOptions = {},
  ) {
    const header: Line = {
      format: 'ndis-sim-trace',
      version: 1,
      producer: options.producer ?? 'ndis-sim',
      pointerSize: options.pointerSize ?? 8,
    };
    if (options.driver) header.driver = options.driver;
    if (options.machine) header.machine = options.machine;
    sink(JSON.stringify(header));
  }

  /** A pointer or handle as trace hex: objects (handles, functions, contexts) get stable synthetic values. */
  pointer(value: unknown): unknown {
    if (value === null || value === undefined) return '0x0';
    if (typeof value === 'number') return Number.isSafeInteger(value) ? hex64(value) : value;
    if (typeof value === 'bigint') return `0x${BigInt.asUintN(64, value).toString(16)}`;
    // A string where C passes a pointer (RegistryPath, a PUNICODE_STRING) is a pointer to it too.
    const strings = typeof value === 'string' ? this.strings : null;
    if (strings === null && typeof value !== 'object' && typeof value !== 'function') return value;
    let id = strings !== null ? strings.get(value as string) : this.ids.get(value as object);
    if (id === undefined) {
      id = this.nextId;
      this.nextId += SYNTHETIC_STEP;
      if (strings !== null) strings.set(value as string, id);
      else this.ids.set(value as object, id);
    }
    return hex64(id);
  }

  /** A DDI call: `args` positional (as the DDI was called) or by name; `returned` is what it returned. */
  call(
    ddi: string,
    args: ArrayLike<unknown> | Readonly<Record<string, unknown>>,
    returned?: unknown,
    irql?: number,
  ): void {
    const shape = DDIS.get(ddi);
    if (shape === undefined) throw new Error(`TraceWriter.call: unknown DDI ${ddi}`);
    const line: Line = { kind: 'call', ddi };
    if (irql !== undefined) line.irql = irql;
    line.args = this.values(shape.params, args, false);
    this.outcome(line, shape, returned);
    this.sink(JSON.stringify(line));
  }

  /** NDIS enters callback `callback` of `driver`/`adapter` at `irql`. */
  enter(
    callback: string,
    driver: unknown,
    adapter: unknown,
    irql: number,
    args?: Readonly<Record<string, unknown>>,
  ): void {
    const line: Line = {
      kind: 'enter',
      callback,
      driver: this.pointer(driver),
      adapter: this.pointer(adapter),
      irql,
    };
    this.name(line, 'driverName', driver);
    this.name(line, 'adapterName', adapter);
    if (args !== undefined) {
      const shape = CALLBACKS.get(callback);
      line.args = shape ? this.values(shape.params, args, true) : this.struct(args, 0);
    }
    this.sink(JSON.stringify(line));
  }

  /** The callback returned `returned` at `irql`. */
  exit(callback: string, driver: unknown, adapter: unknown, irql: number, returned?: unknown): void {
    const line: Line = {
      kind: 'exit',
      callback,
      driver: this.pointer(driver),
      adapter: this.pointer(adapter),
      irql,
    };
    const shape = CALLBACKS.get(callback);
    if (shape !== undefined && returned !== undefined) this.outcome(line, shape, returned);
    this.sink(JSON.stringify(line));
  }

  /** The driver read or wrote `size` bytes at `address` through `op`. */
  access(op: string, address: unknown, size: number, write: boolean): void {
    this.sink(
      `{"kind":"access","op":${JSON.stringify(op)},"address":${JSON.stringify(this.pointer(address))},"size":${size},"write":${write}}`,
    );
  }

  /** The IRQL changed to `irql` other than by a call or callback. */
  irql(irql: number): void {
    this.sink(`{"kind":"irql","irql":${irql}}`);
  }

  /** A lifecycle edge (write it where the host calls engine.lifecycleEdge). */
  edge(edge: EdgeEvent['edge'], driver: unknown, adapter: unknown): void {
    const line: Line = { kind: 'edge', edge, driver: this.pointer(driver) };
    if (adapter !== null && adapter !== undefined) line.adapter = this.pointer(adapter);
    this.sink(JSON.stringify(line));
  }

  /** An injected fault: allocating call `ordinal` of `ddi` fails. */
  fault(ddi: string, ordinal: number): void {
    this.sink(JSON.stringify({ kind: 'fault', ddi, ordinal }));
  }

  private name(line: Line, key: string, handle: unknown): void {
    if (handle instanceof NdisObject && !this.named.has(handle)) {
      this.named.add(handle);
      line[key] = handle.name;
    }
  }

  private values(
    list: readonly Field[],
    from: ArrayLike<unknown> | Readonly<Record<string, unknown>>,
    skipMissing: boolean,
  ): Line {
    const positional = isArrayLike(from);
    const out: Line = {};
    for (let i = 0; i < list.length; i++) {
      const f = list[i];
      const value = positional ? (from as ArrayLike<unknown>)[i] : (from as Record<string, unknown>)[f.name];
      if (value === undefined && skipMissing) continue;
      if (BY_POINTER.has(f.name)) out[f.name] = this.pointer(value);
      else if (f.name === 'NetPnPEventNotification' && typeof value === 'object' && value !== null)
        out[f.name] = this.notification(value as Record<string, unknown>);
      else out[f.name] = this.value(value, f.type);
    }
    return out;
  }

  /**
   * NET_PNP_EVENT_NOTIFICATION with the Buffer of a port event in the form replay reads: the
   * activation list as an array of NDIS_PORT objects (the `Next` chain would nest past the depth
   * written), the deactivation NDIS_PORT_NUMBER array (a Uint32Array too) as its numbers.
   */
  private notification(raw: Record<string, unknown>): unknown {
    const event = raw.NetPnPEvent;
    if (event === null || typeof event !== 'object') return this.struct(raw, 0);
    const e = event as Record<string, unknown>;
    const buffer = this.portBuffer(e.NetEvent, e.Buffer);
    if (buffer === undefined) return this.struct(raw, 0);
    const out = this.struct({ ...raw, NetPnPEvent: { ...e, Buffer: null } }, 0) as Line;
    (out.NetPnPEvent as Line).Buffer = buffer;
    return out;
  }

  /** A port event's Buffer as an array, or undefined to write it as any structure. */
  private portBuffer(code: unknown, buffer: unknown): unknown[] | undefined {
    if (buffer === null || typeof buffer !== 'object') return undefined;
    if (code === NetEventPortDeactivation && (Array.isArray(buffer) || ArrayBuffer.isView(buffer))) {
      if (buffer instanceof DataView) return undefined;
      return Array.from(buffer as ArrayLike<unknown>, (v) => this.field(v, 0));
    }
    if (code !== NetEventPortActivation || Array.isArray(buffer) || ArrayBuffer.isView(buffer))
      return undefined;
    const ports: unknown[] = [];
    const seen = new Set<object>();
    let node: unknown = buffer;
    while (typeof node === 'object' && node !== null && !seen.has(node) && ports.length < MAX_PORTS) {
      seen.add(node);
      const { Next, ...port } = node as Record<string, unknown>;
      ports.push(this.struct(port, 0));
      node = Next;
    }
    // A Next that is not an NDIS_PORT (a number, a loop) cannot be written as a list: as written.
    return node === null || node === undefined ? ports : undefined;
  }

  /** Status and out values from what the DDI or callback returned (on a throw: failure, no result). */
  private outcome(line: Line, shape: Shape, returned: unknown): void {
    // A DDI whose C return value is an out value (a work-item handle, InQueue) returns it as is.
    const record =
      typeof returned === 'object' &&
      returned !== null &&
      !(returned instanceof NdisObject) &&
      (shape.ret === null || shape.status)
        ? (returned as Record<string, unknown>)
        : null;
    if (shape.status) {
      const status = record !== null ? record.Status : returned;
      line.status = hex32(typeof status === 'number' ? status : FAILURE);
    }
    if (shape.out.length === 0 || (returned === undefined && shape.status)) return;
    if (record !== null) {
      line.result = this.values(shape.out, record, true);
    } else if (shape.ret !== null) {
      line.result = { [shape.ret]: this.value(returned, shape.out[0].type) };
    }
  }

  private value(value: unknown, type: ValueType): unknown {
    switch (type) {
      case 'handle':
      case 'pointer':
      case 'physical':
        return this.pointer(value);
      case 'status':
        return typeof value === 'number' ? hex32(value) : (value ?? null);
      case 'struct':
        return value === null || value === undefined || typeof value !== 'object'
          ? this.pointer(value)
          : this.struct(value, 0);
      case 'int64':
        if (typeof value === 'bigint')
          return Number.isSafeInteger(Number(value)) ? Number(value) : this.pointer(value);
        return value === undefined ? 0 : value;
      default:
        if (typeof value === 'function' || (typeof value === 'object' && value !== null))
          return this.pointer(value);
        // An optional numeric argument left out in TypeScript is 0 in C.
        return value === undefined ? 0 : value;
    }
  }

  /** A structure by its field names; pointers inside it (objects, functions, large numbers) as hex. */
  private struct(value: object, depth: number): unknown {
    if (depth >= STRUCT_DEPTH || value instanceof NdisObject || ArrayBuffer.isView(value))
      return this.pointer(value);
    if (Array.isArray(value)) return value.map((v) => this.field(v, depth));
    const out: Line = {};
    for (const key of Object.keys(value))
      out[key] = this.field((value as Record<string, unknown>)[key], depth);
    return out;
  }

  private field(v: unknown, depth: number): unknown {
    if (typeof v === 'number') return Number.isSafeInteger(v) && (v < 0 || v > 0xffffffff) ? hex64(v) : v;
    if (typeof v === 'function' || typeof v === 'bigint') return this.pointer(v);
    if (typeof v === 'object' && v !== null) return this.struct(v, depth + 1);
    return v ?? null;
  }
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || Object.prototype.toString.call(value) === '[object Arguments]';
}

/**
 * A copy of `api` (the DDI surface a driver is given) in which every DDI of the trace format records
 * its call — arguments, what it returned, and the IRQL it was called at — after it returns. A DDI
 * that throws (a bug check) is recorded as failed before the exception goes on.
 */
export function recordDdis<T extends object>(
  api: T,
  writer: TraceWriter,
  context: { readonly irql: number },
): T {
  const copy: Record<string, unknown> = { ...(api as Record<string, unknown>) };
  for (const name of Object.keys(copy)) {
    const fn = copy[name];
    if (typeof fn !== 'function' || !DDIS.has(name)) continue;
    const back = WRITTEN_BACK.get(name);
    copy[name] = function recorded(this: unknown, ...args: unknown[]): unknown {
      const irql = context.irql;
      // An in/out structure as passed in: NDIS writes its out members during the call.
      const given = back === undefined ? undefined : args[back.arg];
      const before = typeof given === 'object' && given !== null ? { ...given } : given;
      let returned: unknown;
      try {
        returned = fn.apply(this, args);
      } finally {
        if (back === undefined) writer.call(name, args, returned, irql);
        else {
          const logged = args.slice();
          logged[back.arg] = before;
          writer.call(name, logged, writtenBack(back, given, returned), irql);
        }
      }
      return returned;
    };
  }
  return copy as T;
}

/** What the DDI returned plus the members NDIS wrote into the structure (undefined if it threw). */
function writtenBack(back: WrittenBack, given: unknown, returned: unknown): unknown {
  if (returned === undefined) return undefined;
  const out: Record<string, unknown> =
    typeof returned === 'object' && returned !== null
      ? { ...(returned as Record<string, unknown>) }
      : { Status: returned };
  if (typeof given !== 'object' || given === null) return out;
  for (const member of back.members) {
    const value = (given as Record<string, unknown>)[member];
    out[member] = member === 'SGListBuffer' ? filledList(value) : value;
  }
  return out;
}

/** A SCATTER_GATHER_LIST NDIS filled: its NumberOfElements elements (the buffer may hold more slots). */
function filledList(list: unknown): unknown {
  if (typeof list !== 'object' || list === null) return list;
  const { NumberOfElements, Elements } = list as Record<string, unknown>;
  if (typeof NumberOfElements !== 'number' || !Array.isArray(Elements)) return list;
  return { NumberOfElements, Elements: Elements.slice(0, NumberOfElements) };
}

/** `fn` as run inside a callback, recording its enter and exit (what it returned, the exit IRQL). */
function recorded<T>(
  writer: TraceWriter,
  engine: Engine,
  callback: string,
  driver: Parameters<Engine['invoke']>[1],
  adapter: Parameters<Engine['invoke']>[2],
  irql: number,
  fn: () => T,
  args: Readonly<Record<string, unknown>> | undefined,
): () => T {
  return () => {
    writer.enter(callback, driver, adapter, irql, args);
    let returned: unknown;
    try {
      returned = fn();
      return returned as T;
    } finally {
      writer.exit(callback, driver, adapter, engine.context.irql, returned);
    }
  };
}

/** `engine.invoke`, recording the callback's enter and exit (with what it returned and the exit IRQL). */
export function recordInvoke<T>(
  writer: TraceWriter,
  engine: Engine,
  callback: string,
  driver: Parameters<Engine['invoke']>[1],
  adapter: Parameters<Engine['invoke']>[2],
  irql: number,
  fn: () => T,
  args?: Readonly<Record<string, unknown>>,
): T {
  return engine.invoke(
    callback,
    driver,
    adapter,
    irql,
    recorded(writer, engine, callback, driver, adapter, irql, fn, args),
  );
}

/**
 * Makes `engine` record to `writer` every callback it invokes, every lifecycle edge it announces and
 * every read and write of memory (before it is judged: a page fault stops the driver after it). With
 * `recordDdis` and `recordFaults`, the whole of a live run.
 */
export function recordEngine(writer: TraceWriter, engine: Engine): void {
  const invoke = engine.invoke.bind(engine);
  engine.invoke = (callback, driver, adapter, irql, fn, args) =>
    invoke(
      callback,
      driver,
      adapter,
      irql,
      recorded(writer, engine, callback, driver, adapter, irql, fn, args),
    );
  const edge = engine.lifecycleEdge.bind(engine);
  engine.lifecycleEdge = (name, driver, adapter) => {
    writer.edge(name, driver, adapter);
    edge(name, driver, adapter);
  };
  const access = engine.access;
  const resolve = access.resolve.bind(access);
  access.resolve = (ddi, address, size, write) => {
    // resolve judges anything but an address with a non-negative size as unmapped: so does the trace.
    const valid = typeof address === 'number' && Number.isSafeInteger(size) && size >= 0;
    writer.access(ddi, valid ? address : 0, valid ? size : 0, write);
    return resolve(ddi, address, size, write);
  };
}

/** A fault hook that records each fault `hook` injects. */
export function recordFaults(writer: TraceWriter, hook: FaultHook): FaultHook {
  return (request) => {
    const fail = hook(request);
    if (fail) writer.fault(request.ddi, request.ordinal);
    return fail;
  };
}

/** A sink writing to a file (gzip-compressed if the path ends in `.gz`), buffered; call `close`. */
export function traceFile(path: string): { readonly write: TraceSink; close(): void } {
  const fd = openSync(path, 'w');
  const gzip = path.endsWith('.gz');
  let buffer: string[] = [];
  let size = 0;
  const flush = () => {
    if (buffer.length === 0) return;
    const text = `${buffer.join('\n')}\n`;
    buffer = [];
    size = 0;
    // Each flush is one gzip member; a gzip reader reads concatenated members as one stream.
    if (gzip) writeSync(fd, gzipSync(text));
    else writeSync(fd, text);
  };
  return {
    write(line) {
      buffer.push(line);
      size += line.length;
      if (size >= 1 << 20) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
