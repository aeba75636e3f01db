/** Pool_DoubleFree: pool memory is freed once (Driver Verifier 0xC4 / 0x13). */
import { FreeOutcome } from '../events.js';
import { DEBUGGER, rule } from '../rule.js';
import { blockOwner, freeArgs } from './pool-args.js';

export const Pool_DoubleFree = rule({
  id: 'Pool_DoubleFree',
  title: 'Pool memory is freed exactly once.',
  link: `${DEBUGGER}bug-check-0xc4--driver-verifier-detected-violation`,
  severity: 'error',
  bugCheck: { code: 0xc4, p1: 0x13, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
  observe: {
    poolFree(v, e) {
      if (e.outcome !== FreeOutcome.Double) return;
      v.report(Pool_DoubleFree, `${e.ddi} frees pool memory that was already freed; nothing is freed.`, {
        ddi: e.ddi,
        args: freeArgs(e),
        owner: blockOwner(e),
        allocationSite: e.block?.site,
        parameters: [0, typeof e.VirtualAddress === 'number' ? e.VirtualAddress : 0, 0],
      });
    },
  },
});
