/** Pool_InvalidPriority: Priority is one of the EX_POOL_PRIORITY values (SPEC §3.5). */

import { VALID_POOL_PRIORITY } from '../../engine/faults.js';
import { describeValue } from '../format.js';
import { DDI, rule } from '../rule.js';
import { allocateArgs } from './pool-args.js';

export const Pool_InvalidPriority = rule({
  id: 'Pool_InvalidPriority',
  title: 'The Priority of a pool allocation is an EX_POOL_PRIORITY value.',
  link: `${DDI}wdm/ne-wdm-_ex_pool_priority`,
  severity: 'error',
  observe: {
    poolAllocate(v, e) {
      const p = e.Priority;
      if (typeof p === 'number' && p >= 0 && p < 64 && VALID_POOL_PRIORITY[p] === 1) return;
      v.report(
        Pool_InvalidPriority,
        `${e.ddi} called with Priority ${describeValue(e.Priority)}, not an EX_POOL_PRIORITY value; it allocates as LowPoolPriority.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          owner: e.owner,
        },
      );
    },
  },
});
