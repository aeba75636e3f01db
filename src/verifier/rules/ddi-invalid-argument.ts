/**
 * Ddi_InvalidArgument: arguments have the C type of their parameter (a ULONG is an integer in
 * 0..0xFFFFFFFF). What a C compiler would reject a JavaScript caller can still pass; it is reported
 * and the call fails the documented way (NULL) instead of throwing a TypeError.
 */
import { isUlong } from '../../engine/pool.js';
import { DDI, rule } from '../rule.js';
import { dmaArgumentObservers } from './dma/invalid.js';
import { allocateArgs } from './pool-args.js';
import { portsMisuseObserver } from './ports/misuse.js';
import { syncMisuseObserver } from './sync/misuse.js';

export const Ddi_InvalidArgument = rule({
  id: 'Ddi_InvalidArgument',
  title: 'Each argument has the type of its parameter (integers in range, handles, structures).',
  link: `${DDI}ndis/`,
  severity: 'error',
  observe: {
    // Spin locks, work items and timers (src/verifier/rules/sync/misuse.ts).
    syncMisuse: syncMisuseObserver('argument', () => Ddi_InvalidArgument),
    // DMA registration and miniport shared memory (src/verifier/rules/dma/invalid.ts).
    ...dmaArgumentObservers(() => Ddi_InvalidArgument),
    // Ports and OID completion (src/verifier/rules/ports/misuse.ts).
    portsMisuse: portsMisuseObserver('argument', () => Ddi_InvalidArgument),
    poolAllocate(v, e) {
      const bad = !isUlong(e.Length)
        ? 'Length'
        : !isUlong(e.Tag)
          ? 'Tag'
          : !isUlong(e.Priority)
            ? 'Priority'
            : null;
      if (bad === null) return;
      v.report(Ddi_InvalidArgument, `${e.ddi}: ${bad} is not a ULONG; it returns NULL.`, {
        ddi: e.ddi,
        args: allocateArgs(e),
        owner: e.owner,
      });
    },
  },
});
