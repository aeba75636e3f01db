/** SpinLockRelease (NDIS locking rule set): a spin lock is released only while it is held. */
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
import { catchBugCheck, DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL } from './helpers.js';

const RULE = 'SpinLockRelease';

describe('SpinLockRelease', () => {
  it('breaks: releasing a lock never acquired, and releasing it a second time; nothing changes', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(DISPATCH_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisReleaseSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      NdisDprReleaseSpinLock(lock);
      NdisDprReleaseSpinLock(lock);
      expect(s.engine.context.irql).toBe(DISPATCH_LEVEL);
    });
    const found = s.findings(RULE);
    expect(found.map((v) => v.ddi)).toEqual(['NdisReleaseSpinLock', 'NdisDprReleaseSpinLock']);
    expectFinding(found[0], RULE, {
      ddi: 'NdisReleaseSpinLock',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['which is not held', 'nothing is released'],
      allocationSite: true,
    });
    expect(s.engine.violations).toHaveLength(2);
  });

  it('breaks: a double NdisReleaseSpinLock after an acquire at PASSIVE_LEVEL (its IRQL is also wrong)', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Irql_NdisReleaseSpinLock', RULE]);
  });

  it('breaks: under the bug-check policy the run stops with no documented code (D39)', () => {
    const s = sim({ policy: 'bugcheck' });
    const lock: NDIS_SPIN_LOCK = {};
    const stop = catchBugCheck(() =>
      s.at(DISPATCH_LEVEL, () => {
        NdisAllocateSpinLock(lock);
        NdisDprReleaseSpinLock(lock);
      }),
    );
    expect(stop.info).toBeNull();
  });

  it('keeps: every release follows its acquire', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisReleaseSpinLock(lock);
    });
    expectNoFinding(s, RULE);
    expect(s.engine.violations).toEqual([]);
  });
});
