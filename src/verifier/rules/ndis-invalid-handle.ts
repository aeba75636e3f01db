/**
 * Ndis_InvalidHandle: an NDIS handle argument is a live handle NDIS gave this driver. A forged,
 * foreign or stale handle is reported; the call then fails the way its page allows (NULL, a
 * failure status) or does nothing (docs/decisions.md, "Invalid handles").
 */
import { describeHandle } from '../format.js';
import { DDI, rule } from '../rule.js';
import { dmaHandleObservers } from './dma/invalid.js';
import { lifecycleHandleObserver } from './lifecycle/handle.js';
import { allocateArgs, blockOwner, freeArgs } from './pool-args.js';
import { portsMisuseObserver } from './ports/misuse.js';
import { syncMisuseObserver } from './sync/misuse.js';

export const Ndis_InvalidHandle = rule({
  id: 'Ndis_InvalidHandle',
  title: 'Every NDIS handle passed to a DDI is a live handle that NDIS handed out in this run.',
  link: `${DDI}ndis/nf-ndis-ndisallocatememorywithtagpriority`,
  severity: 'error',
  observe: {
    // Spin locks, work items and timers (src/verifier/rules/sync/misuse.ts).
    syncMisuse: syncMisuseObserver('handle', () => Ndis_InvalidHandle),
    // Ports and OID completion (src/verifier/rules/ports/misuse.ts).
    portsMisuse: portsMisuseObserver('handle', () => Ndis_InvalidHandle),
    // DMA registration and miniport shared memory (src/verifier/rules/dma/invalid.ts).
    ...dmaHandleObservers(() => Ndis_InvalidHandle),
    // Lifecycle DDIs (src/verifier/rules/lifecycle/handle.ts).
    lifecycleHandle: lifecycleHandleObserver(() => Ndis_InvalidHandle),
    poolAllocate(v, e) {
      if (e.owner !== null) return;
      v.report(
        Ndis_InvalidHandle,
        `${e.ddi} called with NdisHandle ${describeHandle(e.NdisHandle)}, which is not a live NDIS handle; it returns NULL.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
        },
      );
    },
    poolFree(v, e) {
      if (!e.hasHandle || e.handleOwner !== null) return;
      v.report(
        Ndis_InvalidHandle,
        `${e.ddi} called with NdisHandle ${describeHandle(e.NdisHandle)}, which is not a live NDIS handle; the memory is still freed (D33).`,
        { ddi: e.ddi, args: freeArgs(e), owner: blockOwner(e), allocationSite: e.block?.site },
      );
    },
  },
});
