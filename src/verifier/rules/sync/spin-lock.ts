/**
 * SpinLock and SpinLockDpr (NDIS locking rule set): NdisAcquireSpinLock / NdisDprAcquireSpinLock
 * only on an unlocked spin lock, and the lock released before the driver callback that acquired it
 * returns. One processor is simulated, so acquiring a held lock deadlocks: it is reported and the
 * acquire proceeds as though the lock were free. No bug-check parameter is documented (D39).
 */
import { HeldBy, type SpinLockState } from '../../../engine/sync-spinlock.js';
import { type SpinLockEvent, SpinLockOutcome } from '../../events/sync.js';
import type { CallbackReturnEvent } from '../../events.js';
import { DEVTEST, type RuleDef, rule } from '../../rule.js';
import type { Verifier } from '../../verifier.js';
import { describeLock, holder, lockName } from './args.js';

function alreadyHeld(self: () => RuleDef, ddi: string) {
  return (v: Verifier, e: SpinLockEvent): void => {
    if (e.outcome !== SpinLockOutcome.AlreadyHeld || e.ddi !== ddi) return;
    const lock = e.lock as SpinLockState;
    v.report(
      self(),
      `${ddi} acquires ${describeLock(e.SpinLock, lock)}, which is already held (acquired by ${holder(lock)}): on one processor this deadlocks. The acquire proceeds as though the lock were free.`,
      {
        ddi,
        args: { SpinLock: describeLock(e.SpinLock, lock) },
        owner: lock.owner,
        allocationSite: lock.site,
      },
    );
  };
}

function heldAtReturn(self: () => RuleDef, how: HeldBy) {
  return (v: Verifier, e: CallbackReturnEvent): void => {
    const locks = e.engine.sync.locks.held;
    if (locks.length === 0) return;
    const frame = e.engine.context.frame;
    for (const lock of [...locks]) {
      if (lock.holderFrame !== frame || lock.held !== how) continue;
      v.report(
        self(),
        `${e.callback} returns with ${lockName(lock)} still held (acquired by ${holder(lock)}); the lock stays held.`,
        {
          ddi: e.callback,
          args: { SpinLock: lockName(lock) },
          owner: lock.owner,
          allocationSite: lock.site,
        },
      );
    }
  };
}

export const SpinLock: RuleDef = rule({
  id: 'SpinLock',
  title:
    'NdisAcquireSpinLock is called only on an unlocked spin lock, and the lock is released before the driver callback returns.',
  link: `${DEVTEST}ndis-spinlock`,
  severity: 'error',
  observe: {
    spinLock: alreadyHeld(() => SpinLock, 'NdisAcquireSpinLock'),
    callbackReturn: heldAtReturn(() => SpinLock, HeldBy.Acquire),
  },
});

export const SpinLockDpr: RuleDef = rule({
  id: 'SpinLockDpr',
  title:
    'NdisDprAcquireSpinLock is called only on an unlocked spin lock, and the lock is released before the driver callback returns.',
  link: `${DEVTEST}ndis-spinlockdpr`,
  severity: 'error',
  observe: {
    spinLock: alreadyHeld(() => SpinLockDpr, 'NdisDprAcquireSpinLock'),
    callbackReturn: heldAtReturn(() => SpinLockDpr, HeldBy.DprAcquire),
  },
});
