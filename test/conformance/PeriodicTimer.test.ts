/** PeriodicTimer (NDIS miscellaneous rule set): a periodic timer is cancelled at PASSIVE_LEVEL. */
import { describe, expect, it } from 'vitest';
import { NdisCancelTimerObject, NdisSetTimerObject } from '../../src/ndis/sync.js';
import { relative, timer } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import {
  APC_LEVEL,
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  PASSIVE_LEVEL,
  theFinding,
} from './helpers.js';

const RULE = 'PeriodicTimer';

describe('PeriodicTimer', () => {
  it('breaks: NdisCancelTimerObject of a periodic timer at DISPATCH_LEVEL (the cancel still happens)', () => {
    const s = sim();
    const t = timer(s);
    s.at(PASSIVE_LEVEL, () => NdisSetTimerObject(t, relative(10), 10));
    expect(s.at(DISPATCH_LEVEL, () => NdisCancelTimerObject(t))).toBe(true);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisCancelTimerObject',
      irql: DISPATCH_LEVEL,
      args: { TimerObject: 'TimerObject#1' },
      message: ['a periodic timer (MillisecondsPeriod 10), at DISPATCH_LEVEL', 'cancelled at PASSIVE_LEVEL'],
      allocationSite: true,
    });
    expect(s.engine.violations).toHaveLength(1);
  });

  it('breaks: at APC_LEVEL too, from the periodic timer function itself, and under the bug-check policy', () => {
    const s = sim();
    const t = timer(s, () => NdisCancelTimerObject(t));
    s.at(PASSIVE_LEVEL, () => NdisSetTimerObject(t, relative(1), 5));
    s.at(APC_LEVEL, () => NdisCancelTimerObject(t));
    s.at(PASSIVE_LEVEL, () => NdisSetTimerObject(t, relative(1), 5));
    s.engine.scheduler.runUntilIdle();
    expect(s.findings(RULE).map((v) => [v.irql, v.context.callback])).toEqual([
      [APC_LEVEL, 'MiniportTest'],
      [DISPATCH_LEVEL, 'NdisTimerFunction'],
    ]);
    const b = sim({ policy: 'bugcheck' });
    const p = timer(b);
    b.at(PASSIVE_LEVEL, () => NdisSetTimerObject(p, relative(1), 1));
    expect(catchBugCheck(() => b.at(DISPATCH_LEVEL, () => NdisCancelTimerObject(p))).info).toBeNull();
  });

  it('keeps: a periodic timer cancelled at PASSIVE_LEVEL; a one-shot timer cancelled at DISPATCH_LEVEL', () => {
    const s = sim();
    const periodic = timer(s);
    const oneShot = timer(s);
    s.at(PASSIVE_LEVEL, () => {
      NdisSetTimerObject(periodic, relative(1), 3);
      NdisSetTimerObject(oneShot, relative(1), 0);
      NdisCancelTimerObject(periodic);
    });
    s.at(DISPATCH_LEVEL, () => NdisCancelTimerObject(oneShot));
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
