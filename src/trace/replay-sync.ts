/**
 * Replay of the sync family: spin locks (identified by the address of their NDIS_SPIN_LOCK), I/O
 * work items and timer objects (the handle values the trace gives, bound in `state.objects`). No
 * routine runs and the scheduler fires nothing: the trace shows each run of a work-item routine
 * (NdisIoWorkItemFunction) and of a timer function (NdisTimerFunction) as an enter/exit, and the
 * `begin`/`end` hooks move the item or timer as the engine does around a live run. A timer that
 * expires with no NdisTimerFunction in the trace is seen through the InQueue value
 * NdisSetTimerObject and NdisCancelTimerObject return.
 */
import { NdisTimerObject } from '../engine/sync-timer-object.js';
import { NdisIoWorkItem, WorkItemState } from '../engine/sync-workitem.js';
import { NDIS_STATUS_SUCCESS, ndisStatusName } from '../ndis/constants.js';
import {
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
} from '../ndis/sync.js';
import { hex64 } from './hex.js';
import type { CallbackHooks, ReplayEntry, ReplayState } from './replay.js';
import { decodeStruct, functionPointer } from './replay-lifecycle.js';

type Args = Record<string, unknown>;

/** Freed work items and timers whose handle value keeps naming them (a later use is "already freed"). */
const FREED_KEPT = 1024;
/** '????': the tag of a timer whose characteristics the trace logs as a pointer only. */
const UNKNOWN_TAG = 0x3f3f3f3f;

interface SyncReplay {
  /** Work items queued and not started, in queue order (routine runs take them in this order). */
  queued: NdisIoWorkItem[];
  /** Work-item routines running: the item each enter started (null: none), by thread. */
  readonly running: { thread: number | string | undefined; item: NdisIoWorkItem | null }[];
  /** Handle values of freed items and timers, a ring of FREED_KEPT (bounded memory). */
  readonly freed: number[];
  freedAt: number;
  /** Stand-in functions by address. */
  readonly functions: Map<number, unknown>;
}

const REPLAYS = new WeakMap<ReplayState, SyncReplay>();

function replayOf(s: ReplayState): SyncReplay {
  let r = REPLAYS.get(s);
  if (r === undefined) {
    r = { queued: [], running: [], freed: [], freedAt: 0, functions: new Map() };
    REPLAYS.set(s, r);
  }
  return r;
}

/** The object a work-item or timer handle value stands for; a value the trace never gave as itself. */
function object(s: ReplayState, value: unknown): unknown {
  if (value === 0) return null;
  return s.objects.get(value as number) ?? value;
}

function liveItem(o: unknown): o is NdisIoWorkItem {
  return o instanceof NdisIoWorkItem && o.state !== WorkItemState.Freed;
}

function liveTimer(o: unknown): o is NdisTimerObject {
  return o instanceof NdisTimerObject && !o.freed;
}

/** Binds a returned handle value; false (and an error) if it still names a live object. */
function bindable(s: ReplayState, ddi: string, value: number, what: string): boolean {
  const old = s.objects.get(value);
  if (!liveItem(old) && !liveTimer(old)) return true;
  s.error(
    `${ddi} returned ${hex64(value)}, which is still ${what}: the trace contradicts itself; the call is ignored`,
  );
  return false;
}

/** Keeps a freed handle value bound for a while; the oldest one is forgotten. */
function forget(s: ReplayState, value: unknown, freed: boolean): void {
  if (!freed || typeof value !== 'number') return;
  const r = replayOf(s);
  if (r.freed.length < FREED_KEPT) {
    r.freed.push(value);
    return;
  }
  const oldest = r.freed[r.freedAt];
  const o = s.objects.get(oldest);
  if (o !== undefined && !liveItem(o) && !liveTimer(o)) s.objects.delete(oldest);
  r.freed[r.freedAt] = value;
  r.freedAt = (r.freedAt + 1) % FREED_KEPT;
}

/** NDIS_TIMER_CHARACTERISTICS as written, with its TimerFunction pointer as a stand-in function. */
function timerCharacteristics(raw: unknown, functions: Map<number, unknown>): unknown {
  if (typeof raw === 'number' && raw !== 0) {
    return {
      Header: {
        Type: NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
        Revision: 1,
        Size: NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
      },
      AllocationTag: UNKNOWN_TAG,
      TimerFunction: functionPointer(raw, functions),
      FunctionContext: 0,
    };
  }
  const tc = decodeStruct(raw);
  if (typeof tc === 'object' && tc !== null) {
    // A member the trace leaves out was not logged: taken as given; NULL stays NULL.
    const fields = tc as Args;
    if (!Object.hasOwn(fields, 'AllocationTag')) fields.AllocationTag = UNKNOWN_TAG;
    fields.TimerFunction = Object.hasOwn(fields, 'TimerFunction')
      ? (functionPointer(fields.TimerFunction, functions) ?? 0)
      : functionPointer(1, functions);
  }
  return tc;
}

/** As src/ndis/sync.ts, with the trace's handles, statuses and InQueue values. */
export const SYNC_REPLAY: Readonly<Record<string, ReplayEntry>> = {
  NdisAllocateSpinLock(s, e) {
    s.engine.sync.locks.allocate(e.args.SpinLock);
  },
  NdisFreeSpinLock(s, e) {
    s.engine.sync.locks.free(e.args.SpinLock);
  },
  NdisAcquireSpinLock(s, e) {
    s.engine.sync.locks.acquire('NdisAcquireSpinLock', e.args.SpinLock, false);
  },
  NdisReleaseSpinLock(s, e) {
    s.engine.sync.locks.release('NdisReleaseSpinLock', e.args.SpinLock, false);
  },
  NdisDprAcquireSpinLock(s, e) {
    s.engine.sync.locks.acquire('NdisDprAcquireSpinLock', e.args.SpinLock, true);
  },
  NdisDprReleaseSpinLock(s, e) {
    s.engine.sync.locks.release('NdisDprReleaseSpinLock', e.args.SpinLock, true);
  },

  NdisAllocateIoWorkItem(s, e) {
    const value = (e.result as Args).NdisIoWorkItemHandle as number;
    if (value !== 0 && !bindable(s, 'NdisAllocateIoWorkItem', value, 'a live work item')) return;
    const item = s.engine.sync.workItems.allocate(s.handle(e.args.NdisObjectHandle as number), value !== 0);
    if (item !== null) s.objects.set(value, item);
  },
  NdisQueueIoWorkItem(s, e) {
    const a = e.args;
    const item = object(s, a.NdisIoWorkItemHandle);
    const queued = item instanceof NdisIoWorkItem && item.state === WorkItemState.Queued;
    const Routine = functionPointer(a.Routine, replayOf(s).functions);
    s.engine.sync.workItems.queue(item, Routine, a.WorkItemContext, false);
    if (queued || !(item instanceof NdisIoWorkItem) || item.state !== WorkItemState.Queued) return;
    const r = replayOf(s);
    // Items freed while queued leave stale entries: drop them before the list grows.
    if (r.queued.length >= 64) r.queued = r.queued.filter((i) => i.state === WorkItemState.Queued);
    r.queued.push(item);
  },
  NdisFreeIoWorkItem(s, e) {
    const value = e.args.NdisIoWorkItemHandle;
    const item = object(s, value);
    const live = liveItem(item);
    s.engine.sync.workItems.free(item);
    forget(s, value, live && !liveItem(item));
  },

  NdisAllocateTimerObject(s, e) {
    const a = e.args;
    const status = e.status as number;
    const value = (e.result as Args).TimerObject as number;
    if (status === NDIS_STATUS_SUCCESS) {
      if (value === 0) {
        s.error(
          'NdisAllocateTimerObject returned NDIS_STATUS_SUCCESS and a NULL TimerObject: the trace contradicts itself; the call is ignored',
        );
        return;
      }
      if (!bindable(s, 'NdisAllocateTimerObject', value, 'a live timer object')) return;
    }
    const tc = timerCharacteristics(a.TimerCharacteristics, replayOf(s).functions);
    const out = s.engine.sync.timers.allocate(s.handle(a.NdisHandle as number), tc, status);
    if (out.TimerObject !== null) s.objects.set(value, out.TimerObject);
    if (out.Status !== status) {
      s.error(
        `the trace says NdisAllocateTimerObject returned ${ndisStatusName(status)}; NDIS returns ${ndisStatusName(out.Status)} for these arguments`,
      );
    }
  },
  NdisSetTimerObject(s, e) {
    const a = e.args;
    const timer = object(s, a.TimerObject);
    // InQueue is the trace's word: a timer it says was not queued expired (or was never set).
    if (liveTimer(timer) && (e.result as Args).InQueue === 0) s.engine.sync.timers.dequeued(timer);
    s.engine.sync.timers.set(timer, a.DueTime, a.MillisecondsPeriod, a.FunctionContext);
  },
  NdisCancelTimerObject(s, e) {
    const timer = object(s, e.args.TimerObject);
    if (liveTimer(timer) && (e.result as Args).InQueue === 0) s.engine.sync.timers.dequeued(timer);
    s.engine.sync.timers.cancel(timer);
  },
  NdisFreeTimerObject(s, e) {
    const value = e.args.TimerObject;
    const timer = object(s, value);
    const live = liveTimer(timer);
    s.engine.sync.timers.free(timer);
    forget(s, value, live && !liveTimer(timer));
  },
};

/** True if a work item or timer runs its callbacks for this driver and adapter. */
function runsFor(
  o: { readonly driver: unknown; readonly adapter: unknown },
  driver: unknown,
  adapter: unknown,
): boolean {
  return adapter !== null ? o.adapter === adapter : o.adapter === null && o.driver === driver;
}

function ownerName(driver: { name: string } | null, adapter: { name: string } | null): string {
  return adapter !== null
    ? `adapter ${adapter.name}`
    : driver !== null
      ? `driver ${driver.name}`
      : 'no owner';
}

export const SYNC_HOOKS: Readonly<Record<string, CallbackHooks>> = {
  NdisTimerFunction: {
    /**
     * The timer that expired: the set timer of this driver/adapter whose FunctionContext the enter
     * gives, else the one due first. Silent when the owner has no timer (the trace does not log them).
     */
    begin(s, e, driver, adapter) {
      const timers = s.engine.sync.timers;
      const context = e.args?.FunctionContext;
      let expired: NdisTimerObject | null = null;
      let owned = false;
      for (const timer of timers.live) {
        if (!runsFor(timer, driver, adapter)) continue;
        owned = true;
        if (timer.queued === 0 || (context !== undefined && timer.context !== context)) continue;
        if (expired === null || timer.due < expired.due) expired = timer;
      }
      if (expired !== null) timers.expired(expired);
      else if (owned)
        s.error(`NdisTimerFunction entered for ${ownerName(driver, adapter)}, none of whose timers is set`);
    },
  },
  NdisIoWorkItemFunction: {
    /**
     * The work item whose routine starts: the one the enter names, else the first queued for this
     * driver/adapter. Silent when the owner has no work item (the trace does not log them).
     */
    begin(s, e, driver, adapter) {
      const r = replayOf(s);
      const handle = e.args?.NdisIoWorkItemHandle;
      let item: NdisIoWorkItem | null = null;
      if (typeof handle === 'number' && handle !== 0) {
        const o = s.objects.get(handle);
        if (o instanceof NdisIoWorkItem) item = o;
        else
          s.error(
            `NdisIoWorkItemFunction entered for ${hex64(handle)}, which is not a work item of the trace`,
          );
      } else {
        item = r.queued.find((i) => i.state === WorkItemState.Queued && runsFor(i, driver, adapter)) ?? null;
        if (item === null && [...s.engine.sync.workItems.live].some((i) => runsFor(i, driver, adapter)))
          s.error(
            `NdisIoWorkItemFunction entered for ${ownerName(driver, adapter)}, none of whose work items is queued`,
          );
      }
      if (item !== null && !s.engine.sync.workItems.routineStarts(item)) {
        s.error(`NdisIoWorkItemFunction entered for ${item.name}, which is not queued`);
        item = null;
      }
      if (item !== null) r.queued = r.queued.filter((i) => i !== item && i.state === WorkItemState.Queued);
      r.running.push({ thread: e.thread, item });
    },
    end(s, e) {
      const running = replayOf(s).running;
      for (let i = running.length - 1; i >= 0; i--) {
        const r = running[i];
        if (r.thread !== undefined && e.thread !== undefined && r.thread !== e.thread) continue;
        running.splice(i, 1);
        if (r.item !== null) s.engine.sync.workItems.routineReturns(r.item);
        return;
      }
    },
  },
};
