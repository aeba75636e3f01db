/**
 * Pool_FreeTagMismatch / Pool_FreeHandleMismatch: NdisFreeMemoryWithTagPriority (and the deprecated
 * NdisFreeMemoryWithTag) pass the allocation's tag, and the priority free the allocating handle
 * (D33: recorded; the memory is freed either way).
 */
import { FreeOutcome } from '../events.js';
import { describeHandle, describeTag } from '../format.js';
import { DDI, rule } from '../rule.js';
import { blockOwner, freeArgs } from './pool-args.js';

export const Pool_FreeTagMismatch = rule({
  id: 'Pool_FreeTagMismatch',
  title: 'A tagged pool free passes the tag the memory was allocated with.',
  link: `${DDI}ndis/nf-ndis-ndisfreememorywithtagpriority`,
  severity: 'error',
  observe: {
    poolFree(v, e) {
      if (!e.hasTag || e.outcome !== FreeOutcome.Ok || e.block === null || e.Tag === e.block.tag) return;
      v.report(
        Pool_FreeTagMismatch,
        `${e.ddi} passes Tag ${describeTag(e.Tag)} but the memory was allocated with ${describeTag(e.block.tag)}. The memory is freed.`,
        { ddi: e.ddi, args: freeArgs(e), owner: blockOwner(e), allocationSite: e.block.site },
      );
    },
  },
});

export const Pool_FreeHandleMismatch = rule({
  id: 'Pool_FreeHandleMismatch',
  title: 'NdisFreeMemoryWithTagPriority passes the NdisHandle the memory was allocated with.',
  link: `${DDI}ndis/nf-ndis-ndisfreememorywithtagpriority`,
  severity: 'error',
  observe: {
    poolFree(v, e) {
      if (!e.hasHandle || e.handleOwner === null || e.outcome !== FreeOutcome.Ok || e.block === null) return;
      if (e.handleOwner === e.block.owner) return;
      v.report(
        Pool_FreeHandleMismatch,
        `${e.ddi} passes NdisHandle ${describeHandle(e.NdisHandle)} but the memory was allocated with ${e.block.owner.name}. The memory is freed.`,
        { ddi: e.ddi, args: freeArgs(e), owner: blockOwner(e), allocationSite: e.block.site },
      );
    },
  },
});
