/** SpinLock_MismatchedRelease: each acquire variant is released by its own release variant (both DDI pages). */
import { describe, expect, it } from 'vitest';
import {
  type NDIS_SPIN_LOCK,
  NdisAcquireSpinLock,
  NdisAllocateSpinLock,
  NdisDprAcquireSpinLock,
  NdisDprReleaseSpinLock,
  NdisReleaseSpinLock,
} from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'SpinLock_MismatchedRelease';

describe('SpinLock_MismatchedRelease', () => {
  it('breaks: NdisAcquireSpinLock then NdisDprReleaseSpinLock: the lock is released, the IRQL stays raised', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisDprReleaseSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH_LEVEL);
    });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisDprReleaseSpinLock',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['acquired by NdisAcquireSpinLock', 'release it with NdisReleaseSpinLock', 'not restored'],
      allocationSite: true,
    });
    expect(s.engine.sync.locks.held.length).toBe(0);
  });

  it('breaks: NdisDprAcquireSpinLock then NdisReleaseSpinLock: released, IRQL unchanged', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(DISPATCH_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH_LEVEL);
    });
    expect(theFinding(s, RULE).message).toContain('release it with NdisDprReleaseSpinLock');
    expect(s.engine.sync.locks.held.length).toBe(0);
  });

  it('keeps: matching pairs', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(DISPATCH_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      NdisDprReleaseSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
