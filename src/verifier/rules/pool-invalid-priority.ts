/** Pool_InvalidPriority: Priority is one of the EX_POOL_PRIORITY values (SPEC §3.5). */
import { DDI, rule } from '../rule.js';
import { allocateArgs } from './pool-args.js';

/** 0, 8, 9 (Low), 16, 24, 25 (Normal), 32, 40, 41 (High), as a table indexed by value. */
const VALID = new Uint8Array(64);
for (const p of [0, 8, 9, 16, 24, 25, 32, 40, 41]) VALID[p] = 1;

export const Pool_InvalidPriority = rule({
  id: 'Pool_InvalidPriority',
  title: 'The Priority of a pool allocation is an EX_POOL_PRIORITY value.',
  link: `${DDI}wdm/ne-wdm-_ex_pool_priority`,
  severity: 'error',
  observe: {
    poolAllocate(v, e) {
      const p = e.Priority;
      if (typeof p === 'number' && p >= 0 && p < 64 && VALID[p] === 1) return;
      v.report(
        Pool_InvalidPriority,
        `${e.ddi} called with Priority ${String(e.Priority)}, not an EX_POOL_PRIORITY value.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          owner: e.owner,
        },
      );
    },
  },
});
