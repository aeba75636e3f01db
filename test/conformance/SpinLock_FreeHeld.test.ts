/** SpinLock_FreeHeld: a spin lock is not freed or initialized again while it is held. */
import { describe, expect, it } from 'vitest';
import {
  type NDIS_SPIN_LOCK,
  NdisAcquireSpinLock,
  NdisAllocateSpinLock,
  NdisFreeSpinLock,
  NdisReleaseSpinLock,
} from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'SpinLock_FreeHeld';

describe('SpinLock_FreeHeld', () => {
  it('breaks: NdisFreeSpinLock of a held lock: dropped and freed, the IRQL is unchanged', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisFreeSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH_LEVEL);
    });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisFreeSpinLock',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['frees spin lock #1 while it is held', 'acquired by NdisAcquireSpinLock in MiniportTest'],
      allocationSite: true,
    });
    expect(s.engine.sync.locks.held.length).toBe(0);
    expect(s.engine.sync.locks.live.size).toBe(0);
  });

  it('breaks: NdisAllocateSpinLock again on a held lock', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisAllocateSpinLock(lock);
    });
    expect(theFinding(s, RULE).message).toContain('NdisAllocateSpinLock initializes again spin lock #1');
    expect(s.engine.sync.locks.live.size).toBe(1);
    expect(s.engine.sync.locks.held.length).toBe(0);
  });

  it('keeps: free after release; initializing an unheld lock again', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
      NdisFreeSpinLock(lock);
    });
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
