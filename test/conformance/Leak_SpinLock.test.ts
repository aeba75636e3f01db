/** Leak_SpinLock: spin locks are freed with NdisFreeSpinLock before the driver unloads (checked at unload only). */
import { describe, expect, it } from 'vitest';
import { type NDIS_SPIN_LOCK, NdisAllocateSpinLock, NdisFreeSpinLock } from '../../src/ndis/sync.js';
import { inInitialize } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'Leak_SpinLock';

describe('Leak_SpinLock', () => {
  it('breaks: a lock initialized in MiniportInitializeEx and never freed is reported at unload, charged to the adapter', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => NdisAllocateSpinLock(lock));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.engine.sync.reclaim(s.adapter); // what the host does after halt: the lock stays due at unload
    s.adapter.driver.adapters.delete(s.adapter);
    expectNoFinding(s, RULE);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    const v = theFinding(s, RULE);
    expectFinding(v, RULE, {
      ddi: 'NdisAllocateSpinLock',
      irql: PASSIVE_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: [
        'spin lock #1 (NdisAllocateSpinLock in TestAdapter) is still allocated when the driver unloaded',
      ],
      allocationSite: true,
      callback: null,
    });
    expect(v.severity).toBe('warning');
  });

  it('breaks: a driver-level lock (DriverEntry) is charged to the driver', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.engine.invoke('DriverEntry', s.driver, null, PASSIVE_LEVEL, () => NdisAllocateSpinLock(lock));
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    const v = theFinding(s, RULE);
    expect(v.driver).toBe('TestDriver');
    expect(v.adapter).toBeNull();
  });

  it('keeps: locks freed before unload; a lock still allocated when MiniportHaltEx returns is not yet a leak', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => NdisAllocateSpinLock(lock));
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.at(PASSIVE_LEVEL, () => NdisFreeSpinLock(lock));
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, RULE);
  });
});
