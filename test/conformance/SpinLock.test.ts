/** SpinLock (NDIS locking rule set): NdisAcquireSpinLock only on an unlocked lock, released before the callback returns. */
import { describe, expect, it } from 'vitest';
import {
  type NDIS_SPIN_LOCK,
  NdisAcquireSpinLock,
  NdisAllocateSpinLock,
  NdisDprAcquireSpinLock,
  NdisReleaseSpinLock,
} from '../../src/ndis/sync.js';
import { inInitialize } from '../engine/sync-helpers.js';
import { sim } from '../harness.js';
import {
  catchBugCheck,
  DISPATCH_LEVEL,
  expectFinding,
  expectNoFinding,
  PASSIVE_LEVEL,
  theFinding,
} from './helpers.js';

const RULE = 'SpinLock';

describe('SpinLock', () => {
  it('breaks: NdisAcquireSpinLock of a lock the caller already holds (a deadlock) is reported and does not hang', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    s.at(PASSIVE_LEVEL, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
      NdisAcquireSpinLock(lock);
    });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisAcquireSpinLock',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['already held', 'acquired by NdisAcquireSpinLock in MiniportTest', 'deadlocks'],
      allocationSite: true,
    });
    expect(s.engine.sync.locks.stateOf(lock)?.oldIrql).toBe(DISPATCH_LEVEL);
  });

  it('breaks: a callback that returns with the lock held; the return restores its IRQL', () => {
    const s = sim();
    const lock: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => {
      NdisAllocateSpinLock(lock);
      NdisAcquireSpinLock(lock);
    });
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'MiniportInitializeEx',
      irql: DISPATCH_LEVEL,
      args: { SpinLock: 'spin lock #1' },
      message: ['MiniportInitializeEx returns with spin lock #1 still held'],
      allocationSite: true,
      callback: 'MiniportInitializeEx',
    });
    expect(s.engine.context.irql).toBe(PASSIVE_LEVEL);
  });

  it('breaks: under the bug-check policy the run stops with no documented code (D39)', () => {
    const s = sim({ policy: 'bugcheck' });
    const lock: NDIS_SPIN_LOCK = {};
    const stop = catchBugCheck(() =>
      inInitialize(s, () => {
        NdisAllocateSpinLock(lock);
        NdisAcquireSpinLock(lock);
      }),
    );
    expect(stop.info).toBeNull();
    expect(stop.violation.rule).toBe(RULE);
    expect(s.engine.context.irql).toBe(PASSIVE_LEVEL);
  });

  it('keeps: acquire and release in the same callback; a lock held by NdisDprAcquireSpinLock is SpinLockDpr', () => {
    const s = sim();
    const a: NDIS_SPIN_LOCK = {};
    const b: NDIS_SPIN_LOCK = {};
    inInitialize(s, () => {
      NdisAllocateSpinLock(a);
      NdisAllocateSpinLock(b);
      NdisAcquireSpinLock(a);
      NdisReleaseSpinLock(a);
      NdisAcquireSpinLock(a);
      NdisReleaseSpinLock(a);
    });
    s.engine.invoke('NdisTimerFunction', s.driver, s.adapter, DISPATCH_LEVEL, () =>
      NdisDprAcquireSpinLock(b),
    );
    expectNoFinding(s, RULE);
    expect(s.findings('SpinLockDpr')).toHaveLength(1);
  });
});
