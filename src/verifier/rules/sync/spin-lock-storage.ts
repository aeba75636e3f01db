/**
 * SpinLock_NotAllocated: every NDIS_SPIN_LOCK passed to an Ndis*SpinLock function was initialized by
 * NdisAllocateSpinLock and not freed since (NdisAllocateSpinLock, NdisFreeSpinLock pages).
 * SpinLock_FreeHeld: a spin lock is not freed, or initialized again, while it is held.
 * No bug-check parameter is documented for either (D39).
 */
import { SpinLockOutcome } from '../../events/sync.js';
import { DDI, type RuleDef, rule } from '../../rule.js';
import { describeLock, holder, lockName } from './args.js';

export const SpinLock_NotAllocated: RuleDef = rule({
  id: 'SpinLock_NotAllocated',
  title:
    'Every NDIS_SPIN_LOCK passed to NdisAcquireSpinLock, NdisReleaseSpinLock, their Dpr variants or NdisFreeSpinLock was initialized by NdisAllocateSpinLock and not freed.',
  link: `${DDI}ndis/nf-ndis-ndisallocatespinlock`,
  severity: 'error',
  observe: {
    spinLock(v, e) {
      if (e.outcome !== SpinLockOutcome.NotAllocated && e.outcome !== SpinLockOutcome.Freed) return;
      const shown = describeLock(e.SpinLock, e.lock);
      const state =
        e.outcome === SpinLockOutcome.Freed
          ? 'which NdisFreeSpinLock already freed'
          : 'which NdisAllocateSpinLock never initialized';
      const effect =
        e.ddi === 'NdisFreeSpinLock'
          ? 'nothing is freed'
          : e.ddi.includes('Acquire')
            ? 'it is acquired anyway'
            : e.lock !== null && e.lock.held !== 0
              ? 'it is released anyway'
              : 'nothing is released';
      v.report(SpinLock_NotAllocated, `${e.ddi} uses ${shown}, ${state}; ${effect}.`, {
        ddi: e.ddi,
        args: { SpinLock: shown },
        owner: e.lock?.owner,
        allocationSite: e.lock?.site,
      });
    },
  },
});

export const SpinLock_FreeHeld: RuleDef = rule({
  id: 'SpinLock_FreeHeld',
  title:
    'A spin lock is not freed (NdisFreeSpinLock) or initialized again (NdisAllocateSpinLock) while it is held.',
  link: `${DDI}ndis/nf-ndis-ndisfreespinlock`,
  severity: 'error',
  observe: {
    spinLock(v, e) {
      if (e.outcome !== SpinLockOutcome.FreeHeld || e.lock === null) return;
      const lock = e.lock;
      const verb = e.ddi === 'NdisFreeSpinLock' ? 'frees' : 'initializes again';
      v.report(
        SpinLock_FreeHeld,
        `${e.ddi} ${verb} ${lockName(lock)} while it is held (acquired by ${holder(lock)}); the lock is dropped and the IRQL is unchanged.`,
        {
          ddi: e.ddi,
          args: { SpinLock: lockName(lock) },
          owner: lock.owner,
          allocationSite: lock.site,
        },
      );
    },
  },
});
