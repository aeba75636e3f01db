/** Pool_FreeInteriorAddress: a free passes the block's base, not an address inside it (0xC4 / 0x16). */

import { formatAddress } from '../../machine/address.js';
import { FreeOutcome } from '../events.js';
import { DEBUGGER, rule } from '../rule.js';
import { blockOwner, freeArgs } from './pool-args.js';

export const Pool_FreeInteriorAddress = rule({
  id: 'Pool_FreeInteriorAddress',
  title: 'Pool frees pass the base address of the allocation, never an address inside it.',
  link: `${DEBUGGER}bug-check-0xc4--driver-verifier-detected-violation`,
  severity: 'error',
  bugCheck: { code: 0xc4, p1: 0x16, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
  observe: {
    poolFree(v, e) {
      if (e.outcome !== FreeOutcome.Interior || e.block === null) return;
      const offset = (e.VirtualAddress as number) - e.block.base;
      v.report(
        Pool_FreeInteriorAddress,
        `${e.ddi} frees an address ${offset} bytes inside the ${e.block.length}-byte block at ${formatAddress(e.block.base)}; nothing is freed.`,
        {
          ddi: e.ddi,
          args: freeArgs(e),
          owner: blockOwner(e),
          allocationSite: e.block.site,
          parameters: [0, e.VirtualAddress as number, 0],
        },
      );
    },
  },
});
