/** CancelTimerObject (NDIS miscellaneous rule set): no timer is still set when MiniportHaltEx returns (0x7C / 0x09). */
import { describe, expect, it } from 'vitest';
import {
  NdisAllocateTimerObject,
  NdisCancelTimerObject,
  NdisFreeTimerObject,
  NdisSetTimerObject,
} from '../../src/ndis/sync.js';
import { characteristics, relative, timer } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { catchBugCheck, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'CancelTimerObject';

describe('CancelTimerObject', () => {
  it('breaks: MiniportHaltEx returns with a periodic timer still set', () => {
    const s = sim();
    const t = timer(s);
    s.at(PASSIVE_LEVEL, () => NdisSetTimerObject(t, relative(5), 10));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisSetTimerObject',
      irql: PASSIVE_LEVEL,
      args: { TimerObject: 'TimerObject#1' },
      message: [
        'TimerObject#1 is still set (due at 5 ms, periodic every 10 ms) when MiniportHaltEx returned',
      ],
      allocationSite: true,
      callback: null,
    });
    expect(v.bugCheck).toEqual({ code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [0x09, 0, 0, 0] });
  });

  it('breaks: under the bug-check policy halt stops with 0x7C / 0x09; at unload a driver timer has no code', () => {
    const s = sim({ policy: 'bugcheck' });
    const t = timer(s);
    s.at(PASSIVE_LEVEL, () => NdisSetTimerObject(t, relative(5)));
    expect(
      catchBugCheck(() => s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter)).info?.parameters,
    ).toEqual([0x09, 0, 0, 0]);
    const u = sim();
    const { TimerObject } = u.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(u.driver, characteristics()));
    u.at(PASSIVE_LEVEL, () => NdisSetTimerObject(TimerObject, relative(5)));
    u.engine.lifecycleEdge('driverUnload', u.driver, null);
    const v = theFinding(u, RULE);
    expect(v.bugCheck).toBeNull();
    expect(v.adapter).toBeNull();
    expect(v.message).toContain('when the driver unloaded');
  });

  it('keeps: timers cancelled (or one-shot timers that already fired) before halt returns', () => {
    const s = sim();
    const cancelled = timer(s);
    const fired = timer(s);
    s.at(PASSIVE_LEVEL, () => {
      NdisSetTimerObject(cancelled, relative(5), 1);
      NdisSetTimerObject(fired, relative(1));
    });
    s.engine.scheduler.advance(relative(-2));
    s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () => {
      NdisCancelTimerObject(cancelled);
      NdisFreeTimerObject(cancelled);
      NdisFreeTimerObject(fired);
    });
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
