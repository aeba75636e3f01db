/**
 * NDIS I/O work items: NdisAllocateIoWorkItem, NdisQueueIoWorkItem, NdisFreeIoWorkItem. A queued
 * item's routine runs later, at PASSIVE_LEVEL, from the scheduler's passive queue, never inside the
 * queueing call. Queueing an item that is already queued is a bug check on Windows Vista and later
 * (0xE4 / 0x1); the engine reports it and the item runs once.
 */
import { type IoWorkItemEvent, IoWorkItemOutcome } from '../verifier/events/sync.js';
import { captureSite, type SiteCapture } from '../verifier/site.js';
import type { Engine } from './engine.js';
import { type MiniportAdapter, type MiniportDriver, type NdisObject, resolveHandle } from './objects.js';
import type { Sync } from './sync.js';
import { callbackParties } from './sync-owner.js';

/** Where a work item is in its life. */
export const WorkItemState = { Idle: 0, Queued: 1, Running: 2, Freed: 3 } as const;
export type WorkItemState = (typeof WorkItemState)[keyof typeof WorkItemState];

/** An NDIS_IO_WORKITEM: the NdisIoWorkItemHandle the driver holds. */
export class NdisIoWorkItem {
  state: WorkItemState = WorkItemState.Idle;
  routine: unknown = null;
  context: unknown = null;
  /** Scheduler tasks of this item not yet run (a task runs the item only if it is the last one). */
  tickets = 0;
  readonly driver: MiniportDriver | null;
  readonly adapter: MiniportAdapter | null;
  /** Runs the item when the scheduler reaches it (one closure per item, none per queueing). */
  readonly task: () => void;
  constructor(
    /** The engine that allocated it (an item of another run is foreign). */
    readonly engine: object,
    /** Serial number of the item in its run (names it in reports). */
    readonly serial: number,
    /** The NDIS object NdisObjectHandle named. */
    readonly owner: NdisObject,
    /** Allocated while MiniportInitializeEx ran (rule Init_NdisAllocateIoWorkItem). */
    readonly inInitialize: boolean,
    /** Ordinal of the allocating call in the run (see faults.ts). */
    readonly ordinal: number,
    readonly site: SiteCapture | null,
    run: (item: NdisIoWorkItem) => void,
  ) {
    [this.driver, this.adapter] = callbackParties(owner);
    this.task = () => run(this);
  }

  /** The item's name in reports (built when a report asks, not at every allocation). */
  get name(): string {
    return `IoWorkItem#${this.serial}`;
  }
}

const ALLOCATE_PARAMS: readonly string[] = ['NdisObjectHandle'];
const QUEUE_PARAMS: readonly string[] = ['NdisIoWorkItemHandle', 'Routine', 'WorkItemContext'];
const FREE_PARAMS: readonly string[] = ['NdisIoWorkItemHandle'];
const ITEM_EXPECTED = 'a work item from NdisAllocateIoWorkItem';
const OBJECT_EXPECTED = 'a live adapter or driver handle';

/** The I/O work items of one engine. */
export class IoWorkItems {
  /** Work items allocated and not freed. */
  readonly live = new Set<NdisIoWorkItem>();
  private count = 0;
  private readonly event: IoWorkItemEvent = {
    ddi: '',
    irql: 0,
    item: null as unknown as NdisIoWorkItem,
    Routine: undefined,
    WorkItemContext: undefined,
    outcome: IoWorkItemOutcome.Ok,
  };
  private readonly runItem = (item: NdisIoWorkItem): void => this.run(item);

  constructor(
    private readonly engine: Engine,
    private readonly sync: Sync,
  ) {}

  /**
   * NdisAllocateIoWorkItem: the work item's handle, or NULL. `replayed` is a trace's outcome (true:
   * it returned a handle, false: NULL), which takes the place of the fault hook.
   */
  allocate(NdisObjectHandle: unknown, replayed?: boolean): NdisIoWorkItem | null {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisObjectHandle);
    engine.enterDdi('NdisAllocateIoWorkItem', owner, NdisObjectHandle);
    if (owner === null) {
      this.sync.misuse({
        ddi: 'NdisAllocateIoWorkItem',
        kind: 'handle',
        params: ALLOCATE_PARAMS,
        index: 0,
        args: [NdisObjectHandle],
        expected: OBJECT_EXPECTED,
        outcome: 'returns NULL',
        owner: null,
      });
      return null;
    }
    const ordinal = engine.allocationCall('NdisAllocateIoWorkItem', owner, 0, 0, -1, replayed === undefined);
    if (replayed === false || ordinal < 0) return null;
    const site = engine.captureAllocationSites ? captureSite() : null;
    const inInitialize = engine.context.within('MiniportInitializeEx');
    const item = new NdisIoWorkItem(engine, ++this.count, owner, inInitialize, ordinal, site, this.runItem);
    this.live.add(item);
    return item;
  }

  /**
   * NdisQueueIoWorkItem: Routine(WorkItemContext, NdisIoWorkItemHandle) runs later at PASSIVE_LEVEL.
   * `schedule` false (a trace): nothing is queued on the scheduler; the trace shows the routine's runs
   * (see routineStarts).
   */
  queue(NdisIoWorkItemHandle: unknown, Routine: unknown, WorkItemContext: unknown, schedule = true): void {
    const engine = this.engine;
    const item = this.itemOf(NdisIoWorkItemHandle);
    engine.enterDdi(
      'NdisQueueIoWorkItem',
      item?.owner ?? null,
      NdisIoWorkItemHandle,
      Routine,
      WorkItemContext,
    );
    if (item === null || item.state === WorkItemState.Freed) {
      this.badItem(
        'NdisQueueIoWorkItem',
        QUEUE_PARAMS,
        [NdisIoWorkItemHandle, Routine, WorkItemContext],
        item,
        'queues nothing',
      );
      return;
    }
    if (typeof Routine !== 'function') {
      const args = [NdisIoWorkItemHandle, Routine, WorkItemContext];
      this.sync.misuse({
        ddi: 'NdisQueueIoWorkItem',
        kind: 'argument',
        params: QUEUE_PARAMS,
        index: 1,
        args,
        expected: 'a function (NDIS_IO_WORKITEM_FUNCTION)',
        outcome: 'queues nothing',
        owner: item.owner,
      });
      return;
    }
    const queued = item.state === WorkItemState.Queued;
    this.dispatch(
      'NdisQueueIoWorkItem',
      item,
      Routine,
      WorkItemContext,
      queued ? IoWorkItemOutcome.AlreadyQueued : IoWorkItemOutcome.Ok,
    );
    // A second queueing would corrupt the worker queue; the item stays queued once, as first queued.
    if (queued) return;
    item.state = WorkItemState.Queued;
    item.routine = Routine;
    item.context = WorkItemContext;
    if (!schedule) return;
    item.tickets++;
    engine.scheduler.queuePassive(item.task);
  }

  /**
   * A trace shows the routine of `item` starting (its NdisIoWorkItemFunction entered): the item is
   * no longer queued. False if it was not queued.
   */
  routineStarts(item: NdisIoWorkItem): boolean {
    if (item.state !== WorkItemState.Queued) return false;
    item.state = WorkItemState.Running;
    return true;
  }

  /** The routine returned: the item is idle unless the routine queued it again or freed it. */
  routineReturns(item: NdisIoWorkItem): void {
    if (item.state === WorkItemState.Running) item.state = WorkItemState.Idle;
  }

  /** NdisFreeIoWorkItem: frees the item (from its own routine too, as the docs allow). */
  free(NdisIoWorkItemHandle: unknown): void {
    const engine = this.engine;
    const item = this.itemOf(NdisIoWorkItemHandle);
    engine.enterDdi('NdisFreeIoWorkItem', item?.owner ?? null, NdisIoWorkItemHandle);
    if (item === null || item.state === WorkItemState.Freed) {
      this.badItem('NdisFreeIoWorkItem', FREE_PARAMS, [NdisIoWorkItemHandle], item, 'frees nothing');
      return;
    }
    const queued = item.state === WorkItemState.Queued;
    this.dispatch(
      'NdisFreeIoWorkItem',
      item,
      undefined,
      undefined,
      queued ? IoWorkItemOutcome.FreeQueued : IoWorkItemOutcome.Ok,
    );
    // A queued item that is freed is dropped from the queue: its routine never runs.
    this.retire(item);
  }

  /** Dequeues and forgets the work items charged to `owner` (see Sync.reclaim). */
  reclaim(owner: NdisObject): void {
    for (const item of [...this.live]) if (item.owner === owner) this.retire(item);
  }

  private retire(item: NdisIoWorkItem): void {
    item.state = WorkItemState.Freed;
    item.routine = null;
    item.context = null;
    this.live.delete(item);
  }

  /** An NdisIoWorkItemHandle that is not a live item of this run (Ndis_InvalidHandle); the call does nothing. */
  private badItem(
    ddi: string,
    params: readonly string[],
    args: readonly unknown[],
    item: NdisIoWorkItem | null,
    outcome: string,
  ): void {
    const owner = item?.owner ?? null;
    this.sync.misuse({
      ddi,
      kind: 'handle',
      params,
      index: 0,
      args,
      expected: ITEM_EXPECTED,
      outcome,
      owner,
      stale: item,
    });
  }

  private itemOf(handle: unknown): NdisIoWorkItem | null {
    return handle instanceof NdisIoWorkItem && handle.engine === this.engine ? handle : null;
  }

  /** A scheduler task reached the item: run its routine as the driver's work-item callback. */
  private run(item: NdisIoWorkItem): void {
    item.tickets--;
    if (item.tickets !== 0 || item.state !== WorkItemState.Queued) return;
    item.state = WorkItemState.Running;
    const routine = item.routine as (WorkItemContext: unknown, NdisIoWorkItemHandle: object) => void;
    const context = item.context;
    try {
      this.engine.invoke('NdisIoWorkItemFunction', item.driver, item.adapter, 0, () =>
        routine(context, item),
      );
    } finally {
      // The routine may have queued the item again or freed it; otherwise it is idle.
      if (item.state === WorkItemState.Running) item.state = WorkItemState.Idle;
    }
  }

  private dispatch(
    ddi: string,
    item: NdisIoWorkItem,
    Routine: unknown,
    WorkItemContext: unknown,
    outcome: IoWorkItemEvent['outcome'],
  ): void {
    const engine = this.engine;
    const e = this.event;
    e.ddi = ddi;
    e.irql = engine.context.irql;
    e.item = item;
    e.Routine = Routine;
    e.WorkItemContext = WorkItemContext;
    e.outcome = outcome;
    engine.verifier.on.ioWorkItem(engine.verifier, e);
    e.Routine = undefined;
    e.WorkItemContext = undefined;
  }
}
