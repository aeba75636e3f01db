/**
 * Irql_Miscellaneous_Function for the general-memory DDIs: NdisAllocateMemoryWithTagPriority at
 * <= DISPATCH; NdisFreeMemory at the IRQL its MemoryFlags annotate and the memory's real kind
 * allows (D2: normal NDIS 6 memory, <= DISPATCH).
 */
import { DISPATCH, PASSIVE } from '../../machine/context.js';
import { hex } from '../format.js';
import { DEVTEST, rule } from '../rule.js';
import { observeIrql } from './irql-ddi.js';
import { allocateArgs, blockOwner, freeArgs } from './pool-args.js';

const NDIS_MEMORY_CONTIGUOUS = 1;
const NDIS_MEMORY_NONCACHED = 2;
const NON_PAGED_POOL = 0;

/** Highest IRQL NdisFreeMemory's annotations allow for `flags`. */
function maxFreeIrql(flags: unknown): number {
  if (flags === NDIS_MEMORY_CONTIGUOUS) return PASSIVE;
  if (flags === NDIS_MEMORY_NONCACHED) return DISPATCH - 1;
  return DISPATCH;
}

export const Irql_Miscellaneous_Function = rule({
  id: 'Irql_Miscellaneous_Function',
  title:
    'General NDIS services (memory, work items, error log, optional handlers) are called at their documented IRQL.',
  link: `${DEVTEST}ndis-irql-miscellaneous-function`,
  severity: 'error',
  observe: {
    poolAllocate(v, e) {
      if (e.irql <= DISPATCH) return;
      v.report(
        Irql_Miscellaneous_Function,
        `${e.ddi} called at IRQL ${e.irql}; it requires IRQL <= DISPATCH_LEVEL.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          bugCheck: { code: 0xc4, p1: 0x02, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
          parameters: [e.irql, NON_PAGED_POOL, typeof e.Length === 'number' ? e.Length : 0],
        },
      );
    },
    ddiEnter: observeIrql,
    poolFree(v, e) {
      if (e.ddi !== 'NdisFreeMemory') return;
      const byFlags = maxFreeIrql(e.MemoryFlags);
      if (e.irql <= byFlags && e.irql <= DISPATCH) return;
      const why =
        e.irql > DISPATCH
          ? 'nonpaged pool may be freed at IRQL <= DISPATCH_LEVEL only'
          : `MemoryFlags ${hex(e.MemoryFlags as number)} require IRQL ${byFlags === PASSIVE ? '== PASSIVE_LEVEL' : '< DISPATCH_LEVEL'}`;
      v.report(Irql_Miscellaneous_Function, `NdisFreeMemory called at IRQL ${e.irql}: ${why}.`, {
        ddi: e.ddi,
        args: freeArgs(e),
        owner: blockOwner(e),
        allocationSite: e.block?.site,
        bugCheck:
          e.irql > DISPATCH
            ? { code: 0xc4, p1: 0x12, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' }
            : undefined,
        parameters: [e.irql, NON_PAGED_POOL, typeof e.VirtualAddress === 'number' ? e.VirtualAddress : 0],
      });
    },
  },
});
