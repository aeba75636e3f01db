/** SpinLockDpr (NDIS locking rule set): NdisDprAcquireSpinLock only on an unlocked lock, released before the callback returns. */
import { describe, expect, it } from 'vitest';
import {
  type NDIS_SPIN_LOCK,
  NdisAcquireSpinLock,
  NdisAllocateSpinLock,
  NdisDprAcquireSpinLock,
  NdisDprReleaseSpinLock,
} from '../../src/ndis/sync.js';
import { sim } from '../harness.js';
import { catchBugCheck, DISPATCH_LEVEL, expectFinding, expectNoFinding, theFinding } from './helpers.js';

const RULE = 'SpinLockDpr';

describe('SpinLockDpr', () => {
  it('breaks: NdisDprAcquireSpinLock of a held lock is reported and the run goes on', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(DISPATCH_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      NdisDprReleaseSpinLock(lock);
    });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisDprAcquireSpinLock',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['already held', 'acquired by NdisDprAcquireSpinLock in MiniportTest'],
      allocationSite: true,
    });
    expect(s.engine.sync.locks.held.length).toBe(0);
  });

  it('breaks: a timer function that returns with a lock it took with NdisDprAcquireSpinLock', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(DISPATCH_LEVEL, () => NdisAllocateSpinLock(lock));
    s.engine.invoke('NdisTimerFunction', s.driver, s.adapter, DISPATCH_LEVEL, () =>
      NdisDprAcquireSpinLock(lock),
    );
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisTimerFunction',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['NdisTimerFunction returns with spin lock #1 still held (acquired by NdisDprAcquireSpinLock'],
      allocationSite: true,
      callback: 'NdisTimerFunction',
    });
  });

  it('breaks: under the bug-check policy the run stops with no documented code (D39)', () => {
    const s = sim({ policy: 'bugcheck' });
    const lock: NDIS_SPIN_LOCK = {};
    const stop = catchBugCheck(() =>
      s.at(DISPATCH_LEVEL, () => {
        NdisAllocateSpinLock(lock);
        NdisDprAcquireSpinLock(lock);
        NdisDprAcquireSpinLock(lock);
      }),
    );
    expect(stop.info).toBeNull();
    expect(stop.violation.rule).toBe(RULE);
  });

  it('keeps: balanced Dpr pairs; a held lock taken by NdisAcquireSpinLock is the SpinLock rule', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.engine.invoke('NdisTimerFunction', s.driver, s.adapter, DISPATCH_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisDprAcquireSpinLock(lock);
      NdisDprReleaseSpinLock(lock);
      NdisAcquireSpinLock(lock);
    });
    expectNoFinding(s, RULE);
    expect(s.findings('SpinLock')).toHaveLength(1);
  });
});
