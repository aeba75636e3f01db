/**
 * SpinLockRelease (NDIS locking rule set): a spin lock is not released without first being acquired;
 * SpinLock_MismatchedRelease: a lock acquired with NdisAcquireSpinLock is released with
 * NdisReleaseSpinLock, one acquired with NdisDprAcquireSpinLock with NdisDprReleaseSpinLock (both
 * DDI pages). No bug-check parameter is documented for either (D39).
 */
import { HeldBy, type SpinLockState } from '../../../engine/sync-spinlock.js';
import { SpinLockOutcome } from '../../events/sync.js';
import { DDI, DEVTEST, type RuleDef, rule } from '../../rule.js';
import { describeLock, holder } from './args.js';

export const SpinLockRelease: RuleDef = rule({
  id: 'SpinLockRelease',
  title: 'A spin lock is released (NdisReleaseSpinLock, NdisDprReleaseSpinLock) only while it is held.',
  link: `${DEVTEST}ndis-spinlockrelease`,
  severity: 'error',
  observe: {
    spinLock(v, e) {
      if (e.outcome !== SpinLockOutcome.NotHeld) return;
      const lock = e.lock as SpinLockState;
      v.report(
        SpinLockRelease,
        `${e.ddi} releases ${describeLock(e.SpinLock, lock)}, which is not held; nothing is released and the IRQL is unchanged.`,
        {
          ddi: e.ddi,
          args: { SpinLock: describeLock(e.SpinLock, lock) },
          owner: lock.owner,
          allocationSite: lock.site,
        },
      );
    },
  },
});

export const SpinLock_MismatchedRelease: RuleDef = rule({
  id: 'SpinLock_MismatchedRelease',
  title:
    'A spin lock acquired with NdisAcquireSpinLock is released with NdisReleaseSpinLock, one acquired with NdisDprAcquireSpinLock with NdisDprReleaseSpinLock.',
  link: `${DDI}ndis/nf-ndis-ndisreleasespinlock`,
  severity: 'error',
  observe: {
    spinLock(v, e) {
      if (e.outcome !== SpinLockOutcome.Mismatch) return;
      const lock = e.lock as SpinLockState;
      const right = lock.held === HeldBy.DprAcquire ? 'NdisDprReleaseSpinLock' : 'NdisReleaseSpinLock';
      const effect =
        e.ddi === 'NdisDprReleaseSpinLock'
          ? 'the lock is released but the IRQL NdisAcquireSpinLock raised is not restored'
          : 'the lock is released';
      v.report(
        SpinLock_MismatchedRelease,
        `${e.ddi} releases ${describeLock(e.SpinLock, lock)}, acquired by ${holder(lock)}: release it with ${right}; ${effect}.`,
        {
          ddi: e.ddi,
          args: { SpinLock: describeLock(e.SpinLock, lock) },
          owner: lock.owner,
          allocationSite: lock.site,
        },
      );
    },
  },
});
