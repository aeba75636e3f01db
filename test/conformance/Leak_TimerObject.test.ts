/** Leak_TimerObject: timer objects are freed before halt returns, before a failing initialize returns, and before unload. */
import { describe, expect, it } from 'vitest';
import { NdisAllocateTimerObject, NdisFreeTimerObject } from '../../src/ndis/sync.js';
import { characteristics, inInitialize, TIMER_TAG_TEXT, timer } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'Leak_TimerObject';

describe('Leak_TimerObject', () => {
  it('breaks: a timer object still allocated when MiniportHaltEx returns, charged to its adapter', () => {
    const s = sim();
    timer(s);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateTimerObject',
      irql: PASSIVE_LEVEL,
      args: { NdisHandle: 'TestAdapter', AllocationTag: TIMER_TAG_TEXT },
      message: [`TimerObject#1 (tag ${TIMER_TAG_TEXT}) is still allocated when MiniportHaltEx returned`],
      allocationSite: true,
      callback: null,
    });
    expect(s.findings('CancelTimerObject')).toHaveLength(0);
  });

  it('breaks: at a failed initialize, and at unload for driver timers', () => {
    const s = sim();
    inInitialize(s, () => NdisAllocateTimerObject(s.adapter, characteristics()));
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    expect(theFinding(s, RULE).message).toContain('MiniportInitializeEx returned a failure');
    const u = sim();
    u.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(u.driver, characteristics()));
    u.engine.lifecycleEdge('driverUnload', u.driver, null);
    expect(theFinding(u, RULE).adapter).toBeNull();
  });

  it('keeps: every timer freed before the edge; another adapter timers are not this adapter leak', () => {
    const s = sim();
    const t = timer(s);
    const other = s.engine.createAdapter(s.driver, 'OtherAdapter');
    s.at(PASSIVE_LEVEL, () => NdisAllocateTimerObject(other, characteristics()));
    s.at(PASSIVE_LEVEL, () => NdisFreeTimerObject(t));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectNoFinding(s, RULE);
  });
});
