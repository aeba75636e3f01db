/** NdisFreeMemoryWithTag_Deprecated: new code uses NdisFreeMemoryWithTagPriority (D32; a note). */
import { FreeOutcome } from '../events.js';
import { DDI, rule } from '../rule.js';
import { blockOwner, freeArgs } from './pool-args.js';

export const NdisFreeMemoryWithTag_Deprecated = rule({
  id: 'NdisFreeMemoryWithTag_Deprecated',
  title:
    'NdisFreeMemoryWithTag is deprecated: free NdisAllocateMemoryWithTagPriority memory with NdisFreeMemoryWithTagPriority.',
  link: `${DDI}ndis/nf-ndis-ndisfreememorywithtag`,
  severity: 'note',
  observe: {
    poolFree(v, e) {
      if (e.ddi !== 'NdisFreeMemoryWithTag' || e.outcome !== FreeOutcome.Ok) return;
      v.report(
        NdisFreeMemoryWithTag_Deprecated,
        'NdisFreeMemoryWithTag is deprecated; use NdisFreeMemoryWithTagPriority.',
        {
          ddi: e.ddi,
          args: freeArgs(e),
          owner: blockOwner(e),
          allocationSite: e.block?.site,
        },
      );
    },
  },
});
