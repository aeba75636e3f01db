/** Pool_FreeUnknownAddress: only an address returned by the allocator is freed (0xC4 / 0x10). */
import { FreeOutcome } from '../events.js';
import { DEBUGGER, rule } from '../rule.js';
import { freeArgs } from './pool-args.js';

export const Pool_FreeUnknownAddress = rule({
  id: 'Pool_FreeUnknownAddress',
  title: 'Pool frees pass an address that NdisAllocateMemoryWithTagPriority returned.',
  link: `${DEBUGGER}bug-check-0xc4--driver-verifier-detected-violation`,
  severity: 'error',
  bugCheck: { code: 0xc4, p1: 0x10, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
  observe: {
    poolFree(v, e) {
      if (e.outcome !== FreeOutcome.Unknown) return;
      const what = e.VirtualAddress === 0 ? 'NULL' : 'an address that was never allocated as pool memory';
      v.report(Pool_FreeUnknownAddress, `${e.ddi} frees ${what}; nothing is freed.`, {
        ddi: e.ddi,
        args: freeArgs(e),
        parameters: [typeof e.VirtualAddress === 'number' ? e.VirtualAddress : 0, 0, 0],
      });
    },
  },
});
