/** NDIS timer objects: allocation statuses, firing at DISPATCH_LEVEL at the simulated due time, periods. */
import { describe, expect, it } from 'vitest';
import type { AllocationRequest } from '../../src/engine/faults.js';
import {
  NDIS_STATUS_BAD_CHARACTERISTICS,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../src/ndis/constants.js';
import {
  NdisAllocateTimerObject,
  NdisCancelTimerObject,
  NdisFreeTimerObject,
  NdisSetTimerObject,
} from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { characteristics, ms, relative, TIMER_TAG, timer } from './sync-helpers.js';

const PASSIVE = 0;
const DISPATCH = 2;

interface Fired {
  at: number;
  irql: number;
  callback: string;
  args: unknown[];
}

function recorder(s: ReturnType<typeof sim>, fired: Fired[]) {
  return (...args: unknown[]): void => {
    fired.push({
      at: s.engine.scheduler.now,
      irql: s.engine.context.irql,
      callback: s.engine.context.callback,
      args,
    });
  };
}

describe('timer objects', () => {
  it('NdisAllocateTimerObject returns { Status: SUCCESS, TimerObject } and counts as an allocation', () => {
    const s = sim();
    const result = s.at(PASSIVE, () => NdisAllocateTimerObject(s.adapter, characteristics()));
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(result.TimerObject).not.toBeNull();
    expect(Object.keys(result)).toEqual(['Status', 'TimerObject']);
    expect(s.engine.allocationCalls).toBe(1);
    expect(s.engine.sync.timers.live.size).toBe(1);
    expect(s.engine.violations).toEqual([]);
  });

  it('allocate and free are legal at DISPATCH_LEVEL (the pages say <= DISPATCH_LEVEL)', () => {
    const s = sim();
    const { TimerObject } = s.at(DISPATCH, () => NdisAllocateTimerObject(s.driver, characteristics()));
    s.at(DISPATCH, () => NdisFreeTimerObject(TimerObject));
    expect(s.engine.violations).toEqual([]);
  });

  it('returns RESOURCES under fault injection, FAILURE for a forged handle, BAD_CHARACTERISTICS for a bad structure', () => {
    const seen: AllocationRequest[] = [];
    const s = sim({
      faults: (r) => {
        seen.push({ ...r });
        return true;
      },
    });
    expect(s.at(PASSIVE, () => NdisAllocateTimerObject(s.adapter, characteristics()))).toEqual({
      Status: NDIS_STATUS_RESOURCES,
      TimerObject: null,
    });
    expect(seen).toEqual([
      {
        ddi: 'NdisAllocateTimerObject',
        ordinal: 1,
        length: 0,
        tag: TIMER_TAG,
        priority: -1,
        owner: s.adapter,
      },
    ]);
    expect(s.at(PASSIVE, () => NdisAllocateTimerObject({}, characteristics()))).toEqual({
      Status: NDIS_STATUS_FAILURE,
      TimerObject: null,
    });
    expect(s.at(PASSIVE, () => NdisAllocateTimerObject(s.adapter, null as never))).toEqual({
      Status: NDIS_STATUS_BAD_CHARACTERISTICS,
      TimerObject: null,
    });
    expect(s.engine.allocationCalls).toBe(1);
    expect(s.engine.violations.map((v) => v.rule)).toEqual([
      'Ndis_InvalidHandle',
      'NdisAllocateTimerObject_Characteristics',
    ]);
  });

  it('a relative DueTime fires once at now + |DueTime|, at DISPATCH_LEVEL, as NdisTimerFunction', () => {
    const s = sim();
    const fired: Fired[] = [];
    const t = timer(s, recorder(s, fired), 'default');
    s.engine.scheduler.advance(ms(3));
    expect(s.at(PASSIVE, () => NdisSetTimerObject(t, relative(10), 0, null))).toBe(false);
    s.engine.scheduler.advance(ms(10) - 1);
    expect(fired).toEqual([]);
    s.engine.scheduler.advance(1);
    expect(fired).toEqual([
      { at: ms(13), irql: DISPATCH, callback: 'NdisTimerFunction', args: [0, 'default', 0, 0] },
    ]);
    s.engine.scheduler.runUntilIdle();
    expect(fired).toHaveLength(1);
    expect(s.engine.violations).toEqual([]);
  });

  it('FunctionContext overrides the default context; NULL (null, undefined, 0) uses the default', () => {
    const s = sim();
    const fired: Fired[] = [];
    const t = timer(s, recorder(s, fired), 'default');
    for (const context of ['mine', null, undefined, 0]) {
      s.at(DISPATCH, () => NdisSetTimerObject(t, relative(1), 0, context));
      s.engine.scheduler.runUntilIdle();
    }
    expect(fired.map((f) => f.args[1])).toEqual(['mine', 'default', 'default', 'default']);
  });

  it('returns TRUE when the timer was already queued; setting again replaces the due time', () => {
    const s = sim();
    const fired: Fired[] = [];
    const t = timer(s, recorder(s, fired));
    expect(s.at(PASSIVE, () => NdisSetTimerObject(t, relative(10)))).toBe(false);
    expect(s.at(PASSIVE, () => NdisSetTimerObject(t, relative(20)))).toBe(true);
    s.engine.scheduler.runUntilIdle();
    expect(fired.map((f) => f.at)).toEqual([ms(20)]);
    expect(s.at(PASSIVE, () => NdisSetTimerObject(t, relative(1)))).toBe(false);
  });

  it('a positive DueTime is absolute simulated time; one in the past fires at once; a bigint works', () => {
    const s = sim();
    const fired: Fired[] = [];
    const t = timer(s, recorder(s, fired));
    s.at(PASSIVE, () => NdisSetTimerObject(t, ms(50)));
    s.engine.scheduler.runUntilIdle();
    s.at(PASSIVE, () => NdisSetTimerObject(t, ms(10)));
    s.engine.scheduler.runUntilIdle();
    s.at(PASSIVE, () => NdisSetTimerObject(t, BigInt(-ms(5))));
    s.engine.scheduler.runUntilIdle();
    expect(fired.map((f) => f.at)).toEqual([ms(50), ms(50), ms(55)]);
  });

  it('a periodic timer fires every MillisecondsPeriod until cancelled; cancel returns TRUE only while queued', () => {
    const s = sim();
    const fired: Fired[] = [];
    const t = timer(s, recorder(s, fired));
    s.at(PASSIVE, () => NdisSetTimerObject(t, relative(5), 10));
    s.engine.scheduler.advance(ms(40));
    expect(fired.map((f) => f.at)).toEqual([ms(5), ms(15), ms(25), ms(35)]);
    expect(fired.every((f) => f.irql === DISPATCH)).toBe(true);
    expect(s.at(PASSIVE, () => NdisCancelTimerObject(t))).toBe(true);
    expect(s.at(PASSIVE, () => NdisCancelTimerObject(t))).toBe(false);
    s.engine.scheduler.advance(ms(100));
    expect(fired).toHaveLength(4);
    expect(s.engine.scheduler.idle).toBe(true);
    expect(s.engine.violations).toEqual([]);
  });

  it('a periodic timer is in the queue while its function runs; a one-shot one is not', () => {
    const s = sim();
    const seen: boolean[] = [];
    let t = timer(s);
    const probe = () => seen.push(NdisSetTimerObject(t, relative(1000), 0, null) === true);
    t = timer(s, probe);
    s.at(PASSIVE, () => NdisSetTimerObject(t, relative(1), 0));
    s.engine.scheduler.advance(ms(1));
    s.at(PASSIVE, () => NdisCancelTimerObject(t));
    const p = timer(s, () => seen.push(NdisCancelTimerObject(p)));
    s.at(PASSIVE, () => NdisSetTimerObject(p, relative(1), 7));
    s.engine.scheduler.advance(ms(1));
    expect(seen).toEqual([false, true]);
  });

  it('cancel of a one-shot timer that already fired returns FALSE; the function can re-arm its own timer', () => {
    const s = sim();
    let runs = 0;
    const t = timer(s, () => {
      runs++;
      if (runs < 3) NdisSetTimerObject(t, relative(2));
    });
    s.at(PASSIVE, () => NdisSetTimerObject(t, relative(2)));
    s.engine.scheduler.runUntilIdle();
    expect(runs).toBe(3);
    expect(s.engine.scheduler.now).toBe(ms(6));
    expect(s.at(DISPATCH, () => NdisCancelTimerObject(t))).toBe(false);
    s.at(PASSIVE, () => NdisFreeTimerObject(t));
    expect(s.engine.sync.timers.live.size).toBe(0);
    expect(s.engine.violations).toEqual([]);
  });

  it('bad arguments leave the timer as it was and are Ddi_InvalidArgument; stale handles Ndis_InvalidHandle', () => {
    const s = sim();
    const t = timer(s);
    s.at(PASSIVE, () => {
      expect(NdisSetTimerObject(t, 1.5)).toBe(false);
      expect(NdisSetTimerObject(t, relative(1), -1)).toBe(false);
      expect(NdisSetTimerObject(t, relative(1), 1)).toBe(false);
      expect(NdisSetTimerObject(t, 'soon' as never)).toBe(true);
      expect(NdisCancelTimerObject(t)).toBe(true);
      NdisFreeTimerObject(t);
      expect(NdisSetTimerObject(t, relative(1))).toBe(false);
      expect(NdisCancelTimerObject(t)).toBe(false);
      NdisFreeTimerObject(t);
      NdisFreeTimerObject(42 as never);
    });
    expect(s.engine.violations.map((v) => v.rule)).toEqual([
      'Ddi_InvalidArgument',
      'Ddi_InvalidArgument',
      'Ddi_InvalidArgument',
      'Ndis_InvalidHandle',
      'Ndis_InvalidHandle',
      'Ndis_InvalidHandle',
      'Ndis_InvalidHandle',
    ]);
    expect(s.findings('Ndis_InvalidHandle')[0].message).toBe(
      'NdisSetTimerObject: TimerObject TimerObject#1 was already freed; it returns FALSE.',
    );
    expect(s.findings('Ndis_InvalidHandle')[0].allocationSite.join('\n')).toContain('sync-helpers.ts');
  });

  it('NdisFreeTimerObject of a set timer cancels it (it never fires); reclaim cancels and forgets', () => {
    const s = sim();
    let runs = 0;
    const a = timer(s, () => runs++);
    const b = timer(s, () => runs++);
    s.at(PASSIVE, () => {
      NdisSetTimerObject(a, relative(1));
      NdisSetTimerObject(b, relative(1), 1);
      NdisFreeTimerObject(a);
    });
    s.engine.sync.reclaim(s.adapter);
    s.engine.scheduler.runUntilIdle();
    expect(runs).toBe(0);
    expect(s.engine.sync.timers.live.size).toBe(0);
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['NdisFreeTimerObject_TimerSet']);
  });
});
