/** NdisAllocateMemoryWithTagPriority (official rule): the allocation supplies a pool tag (D33). */
import { DEVTEST, rule } from '../rule.js';
import { allocateArgs } from './pool-args.js';

export const NdisAllocateMemoryWithTagPriority = rule({
  id: 'NdisAllocateMemoryWithTagPriority',
  title:
    'NdisAllocateMemoryWithTagPriority is called with a pool tag (a distinctive one per allocation site).',
  link: `${DEVTEST}ndis-ndisallocatememorywithtagpriority`,
  severity: 'warning',
  observe: {
    poolAllocate(v, e) {
      if (e.Tag !== 0) return;
      v.report(
        NdisAllocateMemoryWithTagPriority,
        'NdisAllocateMemoryWithTagPriority called with Tag 0: supply a pool tag.',
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          owner: e.owner,
        },
      );
    },
  },
});
