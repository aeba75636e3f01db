/**
 * The engine: one run's machine, object tables, DDI families and verifier. Both front doors (the
 * live DDI surface and the trace reader) call into it; it never guesses — each outcome is the
 * documented one or a decision recorded in docs/decisions.md.
 */
import { ExecutionContext } from '../machine/context.js';
import { PhysicalMemory } from '../machine/physical.js';
import { Scheduler } from '../machine/scheduler.js';
import { type Region, VirtualSpace } from '../machine/virtual.js';
import { CATALOGUE } from '../verifier/catalogue.js';
import type { CallbackReturnEvent, DdiEnterEvent, LifecycleEdgeEvent } from '../verifier/events.js';
import { IRQL_INDEX } from '../verifier/irql-table.js';
import type { RuleDef } from '../verifier/rule.js';
import { Verifier, type VerifierOptions } from '../verifier/verifier.js';
import type { Violation } from '../verifier/violation.js';
import { MemoryAccess } from './access.js';
import { Dma } from './dma.js';
import { type AllocationRequest, DEFAULT_POOL, type FaultHook, type PoolModel } from './faults.js';
import { Lifecycle } from './lifecycle.js';
import { MiniportAdapter, MiniportDriver, type NdisObject, type SimulatedDevice } from './objects.js';
import { OidRequests } from './oid.js';
import { GeneralMemory } from './pool.js';
import { Ports } from './ports.js';
import { Provider } from './provider.js';
import { Sync } from './sync.js';

export interface EngineOptions extends VerifierOptions {
  /** Seed of every random choice in the run (same seed, same run). Default 1. */
  readonly seed?: number;
  /** Simulated physical memory in bytes. Default 8 GiB. */
  readonly physicalMemorySize?: number;
  /** Nonpaged pool model (capacity and per-priority reserves). */
  readonly pool?: Partial<PoolModel>;
  /** Capture where each resource is allocated (about 2 µs per allocation). Default true. */
  readonly captureAllocationSites?: boolean;
  /** Fault-injection hook asked once per resource-allocating call. */
  readonly faults?: FaultHook | null;
  /** The rule catalogue (default: every rule). */
  readonly rules?: readonly RuleDef[];
}

/** Where a value thrown out of driver code came from: the innermost `invoke` it passed through. */
export interface ThrownFrom {
  readonly error: unknown;
  readonly callback: string;
  readonly driver: MiniportDriver | null;
  readonly adapter: MiniportAdapter | null;
  readonly irql: number;
}

/** One simulated run. */
export class Engine {
  readonly context = new ExecutionContext();
  readonly virtual = new VirtualSpace<Region>();
  readonly physical: PhysicalMemory;
  readonly scheduler: Scheduler;
  readonly verifier: Verifier;
  readonly poolModel: PoolModel;
  readonly captureAllocationSites: boolean;
  /** Fault-injection hook (see faults.ts); may be replaced between calls. */
  faults: FaultHook | null;
  /** The innermost callback the last value thrown by driver code came from (the host reads and clears it). */
  thrown: ThrownFrom | null = null;
  /** Resource-allocating calls made so far (the ordinal of the last one). */
  allocationCalls = 0;
  /** Reused request object handed to the fault hook. */
  readonly request: AllocationRequest = { ddi: '', ordinal: 0, length: 0, tag: 0, priority: -1, owner: null };
  readonly memory: GeneralMemory;
  readonly access: MemoryAccess;
  readonly lifecycle: Lifecycle;
  readonly dma: Dma;
  readonly sync: Sync;
  readonly provider: Provider;
  readonly ports: Ports;
  readonly oid: OidRequests;
  private objects = 0;
  private readonly enterEvent: DdiEnterEvent = {
    ddi: '',
    irql: 0,
    owner: null,
    entry: undefined,
    outOfRange: false,
    a0: undefined,
    a1: undefined,
    a2: undefined,
    a3: undefined,
    a4: undefined,
  };
  private readonly returnEvent: CallbackReturnEvent = {
    engine: this,
    callback: '',
    driver: null,
    adapter: null,
    entryIrql: 0,
    exitIrql: 0,
  };

  constructor(options: EngineOptions = {}) {
    this.physical = new PhysicalMemory({ size: options.physicalMemorySize });
    this.scheduler = new Scheduler({
      seed: options.seed ?? 1,
      run: (level, task) => {
        this.context.run(level === 2 ? 'DPC' : 'WorkItem', null, null, level, task);
      },
    });
    this.verifier = new Verifier(options.rules ?? CATALOGUE, this.context, () => this.scheduler.now, options);
    this.poolModel = Object.freeze({ ...DEFAULT_POOL, ...options.pool });
    this.captureAllocationSites = options.captureAllocationSites ?? true;
    this.faults = options.faults ?? null;
    this.memory = new GeneralMemory(this);
    this.access = new MemoryAccess(this);
    this.lifecycle = new Lifecycle(this);
    this.dma = new Dma(this);
    this.sync = new Sync(this);
    this.provider = new Provider(this);
    this.ports = new Ports(this);
    this.oid = new OidRequests(this);
  }

  /**
   * Calls driver code as callback `callback` of `driver`/`adapter` at `irql`. Every entry into the
   * driver goes through here, so rules see each callback return (locks still held, IRQL not
   * restored) and the context always unwinds, even when the driver throws. `args` are the
   * callback's documented arguments by name (docs/trace-format.md, Callbacks), for a recorder that
   * wraps invoke; invoke ignores them, and callers may reuse the object once `fn` has started.
   */
  invoke<T>(
    callback: string,
    driver: MiniportDriver | null,
    adapter: MiniportAdapter | null,
    irql: number,
    fn: () => T,
    _args?: Readonly<Record<string, unknown>>,
  ): T {
    const context = this.context;
    const frame = context.enter(callback, driver, adapter, irql);
    try {
      return fn();
    } catch (error) {
      // The first frame a thrown value passes is the innermost: the callback the host reports.
      if (this.thrown === null || this.thrown.error !== error) {
        this.thrown = { error, callback, driver, adapter, irql };
      }
      throw error;
    } finally {
      const e = this.returnEvent;
      e.callback = callback;
      e.driver = driver;
      e.adapter = adapter;
      e.entryIrql = irql;
      e.exitIrql = context.irql;
      try {
        this.verifier.on.callbackReturn(this.verifier, e);
      } finally {
        context.leave(frame);
      }
    }
  }

  /**
   * Counts one resource-allocating call (its ordinal numbers fail-the-nth plans) and, if `ask` (not
   * when a trace says how the call ended, or when it already failed another way), asks the fault hook
   * about it. Returns the ordinal, or -1 when the hook fails the call.
   */
  allocationCall(
    ddi: string,
    owner: NdisObject | null,
    length = 0,
    tag = 0,
    priority = -1,
    ask = true,
  ): number {
    const ordinal = ++this.allocationCalls;
    const hook = this.faults;
    if (hook === null || !ask) return ordinal;
    const request = this.request;
    request.ddi = ddi;
    request.ordinal = ordinal;
    request.length = length;
    request.tag = tag;
    request.priority = priority;
    request.owner = owner;
    return hook(request) ? -1 : ordinal;
  }

  /**
   * Tells the rules a DDI was entered (the IRQL rules check it against the IRQL table). Families
   * call it first thing in each DDI, with the raw arguments in documented order.
   */
  enterDdi(
    ddi: string,
    owner: NdisObject | null,
    a0?: unknown,
    a1?: unknown,
    a2?: unknown,
    a3?: unknown,
    a4?: unknown,
  ): void {
    const e = this.enterEvent;
    const irql = this.context.irql;
    const entry = IRQL_INDEX.get(ddi);
    e.ddi = ddi;
    e.irql = irql;
    e.owner = owner;
    e.entry = entry;
    e.outOfRange = entry !== undefined && (irql < entry.min || irql > entry.max);
    e.a0 = a0;
    e.a1 = a1;
    e.a2 = a2;
    e.a3 = a3;
    e.a4 = a4;
    this.verifier.on.ddiEnter(this.verifier, e);
  }

  /** Announces a lifecycle edge where everything must have been released (leak rules observe it). */
  lifecycleEdge(
    edge: LifecycleEdgeEvent['edge'],
    driver: MiniportDriver,
    adapter: MiniportAdapter | null,
  ): void {
    const e: LifecycleEdgeEvent = { engine: this, edge, driver, adapter };
    this.verifier.on.lifecycleEdge(this.verifier, e);
  }

  /** Findings so far. */
  get violations(): readonly Violation[] {
    return this.verifier.violations;
  }

  /** Creates a miniport driver object (what NdisMRegisterMiniportDriver hands out). */
  createDriver(name = `driver${++this.objects}`): MiniportDriver {
    return new MiniportDriver(this, name);
  }

  /** Creates a miniport adapter object of `driver` (what MiniportInitializeEx receives). */
  createAdapter(
    driver: MiniportDriver,
    name = `adapter${++this.objects}`,
    device?: SimulatedDevice,
  ): MiniportAdapter {
    return new MiniportAdapter(this, name, driver, device);
  }
}
