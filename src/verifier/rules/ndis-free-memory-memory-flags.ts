/** NdisFreeMemory_MemoryFlags: MemoryFlags is 0 for memory from NdisAllocateMemoryWithTagPriority (D2). */

import { FreeOutcome } from '../events.js';
import { describeValue } from '../format.js';
import { DDI, rule } from '../rule.js';
import { blockOwner, freeArgs } from './pool-args.js';

export const NdisFreeMemory_MemoryFlags = rule({
  id: 'NdisFreeMemory_MemoryFlags',
  title: 'NdisFreeMemory is called with MemoryFlags 0 for memory from NdisAllocateMemoryWithTagPriority.',
  link: `${DDI}ndis/nf-ndis-ndisfreememory`,
  severity: 'error',
  observe: {
    poolFree(v, e) {
      if (e.ddi !== 'NdisFreeMemory' || e.MemoryFlags === 0 || e.outcome !== FreeOutcome.Ok) return;
      v.report(
        NdisFreeMemory_MemoryFlags,
        `NdisFreeMemory called with MemoryFlags ${describeValue(e.MemoryFlags)}; memory from NdisAllocateMemoryWithTagPriority must be freed with 0. The memory is freed.`,
        { ddi: e.ddi, args: freeArgs(e), owner: blockOwner(e), allocationSite: e.block?.site },
      );
    },
  },
});
