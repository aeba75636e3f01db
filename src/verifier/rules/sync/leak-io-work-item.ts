/**
 * Work items are freed in time. Init_NdisAllocateIoWorkItem (official): an item allocated during
 * MiniportInitializeEx is freed in MiniportHaltEx, or before MiniportInitializeEx returns a failure.
 * Leak_IoWorkItem (NdisAllocateIoWorkItem page): any other item allocated with the adapter handle is
 * freed by the time MiniportHaltEx returns, and every item before the driver unloads. One finding per
 * item, charged to its owner, with its allocation site. No bug-check parameter is documented (D39).
 */
import type { NdisIoWorkItem } from '../../../engine/sync-workitem.js';
import type { LifecycleEdgeEvent } from '../../events.js';
import { DDI, DEVTEST, type RuleDef, rule } from '../../rule.js';
import type { Verifier } from '../../verifier.js';
import { EDGE_WHEN, edgeOwners } from './args.js';

function report(v: Verifier, self: RuleDef, item: NdisIoWorkItem, e: LifecycleEdgeEvent): void {
  const where = item.inInitialize ? ', allocated in MiniportInitializeEx,' : '';
  v.report(self, `${item.name}${where} is still allocated when ${EDGE_WHEN[e.edge]}.`, {
    ddi: 'NdisAllocateIoWorkItem',
    args: { NdisObjectHandle: item.owner.name },
    owner: item.owner,
    allocationSite: item.site,
  });
}

/** The edge makes `item` a finding of the official rule (true) or of Leak_IoWorkItem (false). */
function official(item: NdisIoWorkItem, e: LifecycleEdgeEvent): boolean {
  return item.inInitialize && e.edge !== 'driverUnload';
}

export const Init_NdisAllocateIoWorkItem: RuleDef = rule({
  id: 'Init_NdisAllocateIoWorkItem',
  title:
    'A work item allocated in MiniportInitializeEx is freed in MiniportHaltEx, or before MiniportInitializeEx returns a failure.',
  link: `${DEVTEST}ndis-init-ndisallocateioworkitem`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const owners = edgeOwners(e);
      for (const item of [...e.engine.sync.workItems.live]) {
        if (owners.includes(item.owner) && official(item, e)) report(v, Init_NdisAllocateIoWorkItem, item, e);
      }
    },
  },
});

export const Leak_IoWorkItem: RuleDef = rule({
  id: 'Leak_IoWorkItem',
  title:
    'A work item allocated with an adapter handle is freed before MiniportHaltEx returns (or a failing MiniportInitializeEx), and every work item before the driver unloads.',
  link: `${DDI}ndis/nf-ndis-ndisallocateioworkitem`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const owners = edgeOwners(e);
      for (const item of [...e.engine.sync.workItems.live]) {
        if (owners.includes(item.owner) && !official(item, e)) report(v, Leak_IoWorkItem, item, e);
      }
    },
  },
});
