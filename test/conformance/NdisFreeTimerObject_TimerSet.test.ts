/** NdisFreeTimerObject_TimerSet: a timer is cancelled before it is freed (0xC4 / 0x15: freed pool holds an active timer). */
import { describe, expect, it } from 'vitest';
import { NdisCancelTimerObject, NdisFreeTimerObject, NdisSetTimerObject } from '../../src/ndis/sync.js';
import { relative, timer } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  PASSIVE_LEVEL,
  theFinding,
} from './helpers.js';

const RULE = 'NdisFreeTimerObject_TimerSet';

describe('NdisFreeTimerObject_TimerSet', () => {
  it('breaks: freeing a set timer; it is cancelled, never fires, and its handle is stale', () => {
    const s = sim();
    let fired = 0;
    const t = timer(s, () => fired++);
    s.at(PASSIVE_LEVEL, () => {
      NdisSetTimerObject(t, relative(10));
      NdisFreeTimerObject(t);
    });
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisFreeTimerObject',
      irql: PASSIVE_LEVEL,
      args: { TimerObject: 'TimerObject#1' },
      message: ['frees TimerObject#1 while it is set (due at 10 ms)', 'cancelled and freed'],
      allocationSite: true,
    });
    expect(v.bugCheck).toEqual({
      code: 0xc4,
      name: 'DRIVER_VERIFIER_DETECTED_VIOLATION',
      parameters: [0x15, 0, 0, 0],
    });
    s.engine.scheduler.runUntilIdle();
    expect(fired).toBe(0);
    expect(s.at(PASSIVE_LEVEL, () => NdisCancelTimerObject(t))).toBe(false);
    expect(s.findings('Ndis_InvalidHandle')).toHaveLength(1);
  });

  it('breaks: a periodic timer freed from its own function, and the bug-check policy stops with 0xC4 / 0x15', () => {
    const s = sim();
    const t = timer(s, () => NdisFreeTimerObject(t));
    s.at(PASSIVE_LEVEL, () => NdisSetTimerObject(t, relative(1), 1));
    s.engine.scheduler.runUntilIdle();
    expect(theFinding(s, RULE).irql).toBe(DISPATCH_LEVEL);
    const b = sim({ policy: 'bugcheck' });
    const p = timer(b);
    b.at(PASSIVE_LEVEL, () => NdisSetTimerObject(p, relative(1)));
    expect(catchBugCheck(() => b.at(PASSIVE_LEVEL, () => NdisFreeTimerObject(p))).info?.parameters[0]).toBe(
      0x15,
    );
  });

  it('keeps: cancel then free; free a one-shot timer from its own function (it is no longer queued)', () => {
    const s = sim();
    const a = timer(s);
    const b = timer(s, () => NdisFreeTimerObject(b));
    s.at(PASSIVE_LEVEL, () => {
      NdisSetTimerObject(a, relative(1));
      NdisCancelTimerObject(a);
      NdisFreeTimerObject(a);
      NdisSetTimerObject(b, relative(1));
    });
    s.engine.scheduler.runUntilIdle();
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
