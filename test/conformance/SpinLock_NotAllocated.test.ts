/** SpinLock_NotAllocated: NDIS_SPIN_LOCK storage is initialized by NdisAllocateSpinLock and not freed before use. */
import { describe, expect, it } from 'vitest';
import {
  type NDIS_SPIN_LOCK,
  NdisAcquireSpinLock,
  NdisAllocateSpinLock,
  NdisFreeSpinLock,
  NdisReleaseSpinLock,
} from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL } from './helpers.js';

const RULE = 'SpinLock_NotAllocated';

describe('SpinLock_NotAllocated', () => {
  it('breaks: acquire and release of storage never initialized (it still works, as zeroed storage would)', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAcquireSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH_LEVEL);
      NdisReleaseSpinLock(lock);
      expect(s.engine.context.irql).toBe(PASSIVE_LEVEL);
    });
    const found = s.findings(RULE);
    expect(found).toHaveLength(2);
    expectFinding(found[0], RULE, {
      ddi: 'NdisAcquireSpinLock',
      irql: PASSIVE_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['never initialized', 'acquired anyway'],
      allocationSite: false,
    });
    expect(found[1].message).toContain('released anyway');
    expect(s.engine.sync.locks.live.size).toBe(0);
  });

  it('breaks: use after NdisFreeSpinLock, and a second NdisFreeSpinLock', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisFreeSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
      NdisFreeSpinLock(lock);
    });
    const found = s.findings(RULE);
    expect(found.map((v) => v.ddi)).toEqual([
      'NdisAcquireSpinLock',
      'NdisReleaseSpinLock',
      'NdisFreeSpinLock',
    ]);
    expect(found.every((v) => v.message.includes('NdisFreeSpinLock already freed'))).toBe(true);
    expect(found[2].message).toContain('nothing is freed');
    expect(found[2].allocationSite.join('\n')).toContain('SpinLock_NotAllocated.test.ts');
  });

  it('keeps: allocate, use, free, and allocate again before reuse', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
      NdisFreeSpinLock(lock);
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
