/** Leak_IoWorkItem: adapter work items are freed by MiniportHaltEx's return, every work item before unload. */
import { describe, expect, it } from 'vitest';
import { NdisAllocateIoWorkItem, NdisFreeIoWorkItem } from '../../src/ndis/sync.js';
import { inInitialize } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'Leak_IoWorkItem';

describe('Leak_IoWorkItem', () => {
  it('breaks: an adapter work item allocated after initialize is still allocated when MiniportHaltEx returns', () => {
    const s = sim();
    s.engine.invoke('MiniportRestart', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisAllocateIoWorkItem(s.adapter),
    );
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAllocateIoWorkItem',
      irql: PASSIVE_LEVEL,
      args: { NdisObjectHandle: 'TestAdapter' },
      message: ['IoWorkItem#1 is still allocated when MiniportHaltEx returned'],
      allocationSite: true,
      callback: null,
    });
  });

  it('breaks: at unload, driver-handle items and adapter items (even those from initialize) are reported', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.driver));
    inInitialize(s, () => NdisAllocateIoWorkItem(s.adapter));
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    const found = s.findings(RULE);
    expect(found.map((v) => [v.driver, v.adapter])).toEqual([
      ['TestDriver', null],
      ['TestDriver', 'TestAdapter'],
    ]);
    expect(found.every((v) => v.message.includes('when the driver unloaded'))).toBe(true);
    expect(s.findings('Init_NdisAllocateIoWorkItem')).toHaveLength(0);
  });

  it('keeps: every item freed; driver items are not due at halt; a failed allocation holds nothing', () => {
    const s = sim({ faults: (r) => r.ordinal === 3 });
    const a = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter));
    const d = s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.driver));
    expect(s.at(PASSIVE_LEVEL, () => NdisAllocateIoWorkItem(s.adapter))).toBeNull();
    s.at(PASSIVE_LEVEL, () => NdisFreeIoWorkItem(a));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.at(PASSIVE_LEVEL, () => NdisFreeIoWorkItem(d));
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
