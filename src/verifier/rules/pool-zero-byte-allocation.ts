/** Pool_ZeroByteAllocation: a zero-byte pool request is a Driver Verifier violation (0xC4 / 0x00). */
import { DEBUGGER, rule } from '../rule.js';
import { allocateArgs } from './pool-args.js';

export const Pool_ZeroByteAllocation = rule({
  id: 'Pool_ZeroByteAllocation',
  title: 'A pool allocation asks for at least one byte.',
  link: `${DEBUGGER}bug-check-0xc4--driver-verifier-detected-violation`,
  severity: 'error',
  bugCheck: { code: 0xc4, p1: 0x00, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
  observe: {
    poolAllocate(v, e) {
      if (e.Length !== 0) return;
      v.report(Pool_ZeroByteAllocation, `${e.ddi} called with Length 0.`, {
        ddi: e.ddi,
        args: allocateArgs(e),
        owner: e.owner,
        parameters: [e.irql, 0, 0],
      });
    },
  },
});
