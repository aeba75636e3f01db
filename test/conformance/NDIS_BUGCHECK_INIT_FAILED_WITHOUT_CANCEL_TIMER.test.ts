/** NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER: a failing MiniportInitializeEx cancels its timers first (0x7C / 0x0C). */
import { describe, expect, it } from 'vitest';
import { NdisCancelTimerObject, NdisFreeTimerObject, NdisSetTimerObject } from '../../src/ndis/sync.js';
import { inInitialize, relative, timer } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER';

describe('NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER', () => {
  it('breaks: MiniportInitializeEx returns a failure with a timer it set still queued', () => {
    const s = sim();
    const t = timer(s);
    inInitialize(s, () => NdisSetTimerObject(t, relative(100)));
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisSetTimerObject',
      irql: PASSIVE_LEVEL,
      args: { TimerObject: 'TimerObject#1' },
      message: ['TimerObject#1 is still set (due at 100 ms) when MiniportInitializeEx returned a failure'],
      allocationSite: true,
      callback: null,
    });
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x0c, 0, 0, 0] });
    expect(s.findings('CancelTimerObject')).toHaveLength(0);
  });

  it('breaks: under the bug-check policy it stops with 0x7C / 0x0C', () => {
    const s = sim({ policy: 'bugcheck' });
    const t = timer(s);
    inInitialize(s, () => NdisSetTimerObject(t, relative(1), 1));
    const stop = catchBugCheck(() => s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter));
    expect(stop.info?.parameters[0]).toBe(0x0c);
  });

  it('keeps: the failing initialize cancels and frees its timer', () => {
    const s = sim();
    const t = timer(s);
    inInitialize(s, () => {
      NdisSetTimerObject(t, relative(100));
      NdisCancelTimerObject(t);
      NdisFreeTimerObject(t);
    });
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
