/**
 * Leak_TimerObject: every timer object NdisAllocateTimerObject allocated is freed with
 * NdisFreeTimerObject before MiniportHaltEx returns, before a failing MiniportInitializeEx returns
 * and before the driver unloads (SPEC §2.6, §2.10). One finding per timer, charged to its owner,
 * with its allocation site. No bug-check parameter is documented (D39).
 */
import { describeTag } from '../../format.js';
import { DDI, rule } from '../../rule.js';
import { EDGE_WHEN, edgeOwners } from './args.js';

export const Leak_TimerObject = rule({
  id: 'Leak_TimerObject',
  title:
    'Every timer object is freed with NdisFreeTimerObject before MiniportHaltEx returns, before a failing MiniportInitializeEx returns, and before unload.',
  link: `${DDI}ndis/nf-ndis-ndisfreetimerobject`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const owners = edgeOwners(e);
      for (const timer of [...e.engine.sync.timers.live]) {
        if (!owners.includes(timer.owner)) continue;
        v.report(
          Leak_TimerObject,
          `${timer.name} (tag ${describeTag(timer.AllocationTag)}) is still allocated when ${EDGE_WHEN[e.edge]}.`,
          {
            ddi: 'NdisAllocateTimerObject',
            args: { NdisHandle: timer.owner.name, AllocationTag: describeTag(timer.AllocationTag) },
            owner: timer.owner,
            allocationSite: timer.site,
          },
        );
      }
    },
  },
});
