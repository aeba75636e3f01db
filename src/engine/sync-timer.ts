/**
 * NDIS timer objects: NdisAllocateTimerObject, NdisSetTimerObject, NdisCancelTimerObject,
 * NdisFreeTimerObject, over the scheduler's simulated 100-ns time. A set timer fires at DISPATCH_LEVEL
 * through the driver's NdisTimerFunction; a periodic one is queued again one period later before its
 * function runs, as a periodic kernel timer is.
 */
import { DISPATCH } from '../machine/context.js';
import { TICKS_PER_MS } from '../machine/scheduler.js';
import {
  NDIS_STATUS_BAD_CHARACTERISTICS,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../ndis/constants.js';
import {
  type TimerCharacteristicsEvent,
  type TimerObjectEvent,
  TimerOutcome,
} from '../verifier/events/sync.js';
import { captureSite } from '../verifier/site.js';
import type { Engine } from './engine.js';
import { type NdisObject, resolveHandle } from './objects.js';
import type { Sync } from './sync.js';
import { NdisTimerObject, readCharacteristics } from './sync-timer-object.js';

const MAXLONG = 0x7fffffff;

/** The out-parameters of NdisAllocateTimerObject. */
export interface AllocateTimerResult {
  Status: number;
  TimerObject: NdisTimerObject | null;
}

const ALLOCATE_PARAMS: readonly string[] = ['NdisHandle', 'TimerCharacteristics'];
const SET_PARAMS: readonly string[] = ['TimerObject', 'DueTime', 'MillisecondsPeriod', 'FunctionContext'];
const TIMER_PARAMS: readonly string[] = ['TimerObject'];
const TIMER_EXPECTED = 'a timer object from NdisAllocateTimerObject';

/** The timer objects of one engine. */
export class Timers {
  /** Timer objects allocated and not freed. */
  readonly live = new Set<NdisTimerObject>();
  private count = 0;
  private readonly event: TimerObjectEvent = {
    ddi: '',
    irql: 0,
    timer: null as unknown as NdisTimerObject,
    DueTime: undefined,
    MillisecondsPeriod: undefined,
    FunctionContext: undefined,
    outcome: TimerOutcome.Ok,
  };
  private readonly characteristicsEvent: TimerCharacteristicsEvent = {
    ddi: 'NdisAllocateTimerObject',
    irql: 0,
    NdisHandle: undefined,
    TimerCharacteristics: undefined,
    owner: null,
    problem: '',
    header: false,
    fails: false,
  };
  private readonly fireTimer = (timer: NdisTimerObject): void => this.fire(timer);

  constructor(
    private readonly engine: Engine,
    private readonly sync: Sync,
  ) {}

  /**
   * NdisAllocateTimerObject: `{ Status, TimerObject }` (TimerObject NULL unless SUCCESS).
   * `replayedStatus` is a trace's outcome: a failure it gives for valid characteristics takes the
   * place of the fault hook.
   */
  allocate(NdisHandle: unknown, TimerCharacteristics: unknown, replayedStatus?: number): AllocateTimerResult {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisHandle);
    engine.enterDdi('NdisAllocateTimerObject', owner, NdisHandle, TimerCharacteristics);
    if (owner === null) {
      const args = [NdisHandle, TimerCharacteristics];
      this.sync.misuse({
        ddi: 'NdisAllocateTimerObject',
        kind: 'handle',
        params: ALLOCATE_PARAMS,
        index: 0,
        args,
        expected: 'a live adapter or driver handle',
        outcome: 'returns NDIS_STATUS_FAILURE',
        owner: null,
      });
      return { Status: NDIS_STATUS_FAILURE, TimerObject: null };
    }
    const { problem, header, AllocationTag, TimerFunction, FunctionContext } =
      readCharacteristics(TimerCharacteristics);
    if (problem !== null) {
      this.characteristics(NdisHandle, TimerCharacteristics, owner, problem, header, true);
      return { Status: NDIS_STATUS_BAD_CHARACTERISTICS, TimerObject: null };
    }
    // "You must provide this tag": a zero tag is recorded; the timer is still allocated.
    if (AllocationTag === 0)
      this.characteristics(NdisHandle, TimerCharacteristics, owner, 'AllocationTag is 0', false, false);
    const live = replayedStatus === undefined;
    const ordinal = engine.allocationCall('NdisAllocateTimerObject', owner, 0, AllocationTag, -1, live);
    if (!live && replayedStatus !== NDIS_STATUS_SUCCESS) return { Status: replayedStatus, TimerObject: null };
    if (ordinal < 0) return { Status: NDIS_STATUS_RESOURCES, TimerObject: null };
    const site = engine.captureAllocationSites ? captureSite() : null;
    const timer = new NdisTimerObject(
      engine,
      ++this.count,
      owner,
      AllocationTag,
      TimerFunction,
      FunctionContext,
      ordinal,
      site,
      this.fireTimer,
    );
    this.live.add(timer);
    return { Status: NDIS_STATUS_SUCCESS, TimerObject: timer };
  }

  /** NdisSetTimerObject: (re)queues the timer; TRUE if it was already in the timer queue. */
  set(
    TimerObject: unknown,
    DueTime: unknown,
    MillisecondsPeriod: unknown,
    FunctionContext: unknown,
  ): boolean {
    const engine = this.engine;
    const timer = this.timerOf(TimerObject);
    engine.enterDdi(
      'NdisSetTimerObject',
      timer?.owner ?? null,
      TimerObject,
      DueTime,
      MillisecondsPeriod,
      FunctionContext,
    );
    if (timer === null || timer.freed) {
      this.badTimer(
        'NdisSetTimerObject',
        SET_PARAMS,
        [TimerObject, DueTime, MillisecondsPeriod, FunctionContext],
        timer,
        'returns FALSE',
      );
      return false;
    }
    const wasQueued = timer.queued !== 0;
    const due =
      typeof DueTime === 'bigint'
        ? Number(DueTime)
        : typeof DueTime === 'number' && Number.isSafeInteger(DueTime)
          ? DueTime
          : Number.NaN;
    const ms = MillisecondsPeriod === undefined ? 0 : MillisecondsPeriod;
    const badPeriod = typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAXLONG;
    if (Number.isNaN(due) || badPeriod) {
      const args = [TimerObject, DueTime, MillisecondsPeriod, FunctionContext];
      const [index, expected] = Number.isNaN(due)
        ? [1, 'a LARGE_INTEGER (an integer number or a bigint)']
        : [2, 'a LONG in 0..MAXLONG'];
      this.sync.misuse({
        ddi: 'NdisSetTimerObject',
        kind: 'argument',
        params: SET_PARAMS,
        index,
        args,
        expected,
        outcome: 'leaves the timer as it was',
        owner: timer.owner,
      });
      return wasQueued;
    }
    this.dispatch('NdisSetTimerObject', timer, DueTime, MillisecondsPeriod, FunctionContext, TimerOutcome.Ok);
    const scheduler = engine.scheduler;
    if (wasQueued) scheduler.cancelTimer(timer.queued);
    // Negative: relative to now. Otherwise absolute simulated system time (in the past: expires now).
    timer.due = due < 0 ? scheduler.now - due : due;
    timer.period = (ms as number) * TICKS_PER_MS;
    timer.context =
      FunctionContext === null || FunctionContext === undefined || FunctionContext === 0
        ? timer.defaultContext
        : FunctionContext;
    timer.queued = scheduler.setTimer(timer.due, timer.fire);
    return wasQueued;
  }

  /** NdisCancelTimerObject: dequeues the timer; TRUE if it was in the timer queue. */
  cancel(TimerObject: unknown): boolean {
    const engine = this.engine;
    const timer = this.timerOf(TimerObject);
    engine.enterDdi('NdisCancelTimerObject', timer?.owner ?? null, TimerObject);
    if (timer === null || timer.freed) {
      this.badTimer('NdisCancelTimerObject', TIMER_PARAMS, [TimerObject], timer, 'returns FALSE');
      return false;
    }
    this.dispatch('NdisCancelTimerObject', timer, undefined, undefined, undefined, TimerOutcome.Ok);
    if (timer.queued === 0) return false;
    engine.scheduler.cancelTimer(timer.queued);
    timer.queued = 0;
    return true;
  }

  /**
   * NdisFreeTimerObject: frees the timer. The docs do not say it cancels a set timer (freeing pool that
   * holds an active timer is bug check 0xC4 / 0x15); it is reported, then cancelled so it never fires.
   */
  free(TimerObject: unknown): void {
    const engine = this.engine;
    const timer = this.timerOf(TimerObject);
    engine.enterDdi('NdisFreeTimerObject', timer?.owner ?? null, TimerObject);
    if (timer === null || timer.freed) {
      this.badTimer('NdisFreeTimerObject', TIMER_PARAMS, [TimerObject], timer, 'frees nothing');
      return;
    }
    const outcome = timer.queued !== 0 ? TimerOutcome.FreeSet : TimerOutcome.Ok;
    this.dispatch('NdisFreeTimerObject', timer, undefined, undefined, undefined, outcome);
    this.retire(timer);
  }

  /**
   * A trace shows `timer` expiring (its NdisTimerFunction entered): a one-shot timer leaves the timer
   * queue; a periodic one is queued again one period later, as `fire` does. Nothing runs.
   */
  expired(timer: NdisTimerObject): void {
    if (timer.queued === 0 || timer.freed) return;
    const scheduler = this.engine.scheduler;
    scheduler.cancelTimer(timer.queued);
    timer.queued = 0;
    if (timer.period > 0) {
      timer.due += timer.period;
      timer.queued = scheduler.setTimer(timer.due, timer.fire);
    }
  }

  /** A trace says `timer` is not in the timer queue (its InQueue): it leaves it, whatever the engine thought. */
  dequeued(timer: NdisTimerObject): void {
    if (timer.queued === 0) return;
    this.engine.scheduler.cancelTimer(timer.queued);
    timer.queued = 0;
  }

  /** Cancels and forgets the timers charged to `owner` (see Sync.reclaim). */
  reclaim(owner: NdisObject): void {
    for (const timer of [...this.live]) if (timer.owner === owner) this.retire(timer);
  }

  private retire(timer: NdisTimerObject): void {
    if (timer.queued !== 0) this.engine.scheduler.cancelTimer(timer.queued);
    timer.queued = 0;
    timer.freed = true;
    this.live.delete(timer);
  }

  /** A TimerObject that is not a live timer of this run (Ndis_InvalidHandle); the call does nothing. */
  private badTimer(
    ddi: string,
    params: readonly string[],
    args: readonly unknown[],
    timer: NdisTimerObject | null,
    outcome: string,
  ): void {
    const owner = timer?.owner ?? null;
    this.sync.misuse({
      ddi,
      kind: 'handle',
      params,
      index: 0,
      args,
      expected: TIMER_EXPECTED,
      outcome,
      owner,
      stale: timer,
    });
  }

  private timerOf(handle: unknown): NdisTimerObject | null {
    return handle instanceof NdisTimerObject && handle.engine === this.engine ? handle : null;
  }

  /** The scheduler reached the timer's due time: requeue a periodic timer, then run its function. */
  private fire(timer: NdisTimerObject): void {
    timer.queued = 0;
    if (timer.freed) return;
    if (timer.period > 0) {
      // The kernel requeues a periodic timer one period after it expires (relative, so no catch-up
      // burst after a due time in the past).
      const scheduler = this.engine.scheduler;
      timer.due = scheduler.now + timer.period;
      timer.queued = scheduler.setTimer(timer.due, timer.fire);
    }
    const fn = timer.TimerFunction;
    const context = timer.context;
    // SystemSpecific1..3 are reserved for the system: NULL here.
    this.engine.invoke('NdisTimerFunction', timer.driver, timer.adapter, DISPATCH, () =>
      fn(0, context, 0, 0),
    );
  }

  private characteristics(
    NdisHandle: unknown,
    TimerCharacteristics: unknown,
    owner: NdisObject,
    problem: string,
    header: boolean,
    fails: boolean,
  ): void {
    const engine = this.engine;
    const e = this.characteristicsEvent;
    e.irql = engine.context.irql;
    e.NdisHandle = NdisHandle;
    e.TimerCharacteristics = TimerCharacteristics;
    e.owner = owner;
    e.problem = problem;
    e.header = header;
    e.fails = fails;
    engine.verifier.on.timerCharacteristics(engine.verifier, e);
  }

  private dispatch(
    ddi: string,
    timer: NdisTimerObject,
    DueTime: unknown,
    MillisecondsPeriod: unknown,
    FunctionContext: unknown,
    outcome: TimerObjectEvent['outcome'],
  ): void {
    const engine = this.engine;
    const e = this.event;
    e.ddi = ddi;
    e.irql = engine.context.irql;
    e.timer = timer;
    e.DueTime = DueTime;
    e.MillisecondsPeriod = MillisecondsPeriod;
    e.FunctionContext = FunctionContext;
    e.outcome = outcome;
    engine.verifier.on.timerObject(engine.verifier, e);
    e.FunctionContext = undefined;
  }
}
