/**
 * Irql_NdisFreeMemoryWithTagPriority / Irql_NdisFreeMemoryWithTag: the tagged frees have the IRQL of
 * NdisFreeMemory for NDIS 6 memory (<= DISPATCH) but no official rule names them (D30).
 */
import { DISPATCH } from '../../machine/context.js';
import type { PoolFreeEvent } from '../events.js';
import { DDI, type RuleDef, rule } from '../rule.js';
import type { Verifier } from '../verifier.js';
import { blockOwner, freeArgs } from './pool-args.js';

function check(self: RuleDef, ddi: string) {
  return (v: Verifier, e: PoolFreeEvent) => {
    if (e.ddi !== ddi || e.irql <= DISPATCH) return;
    v.report(self, `${ddi} called at IRQL ${e.irql}; it requires IRQL <= DISPATCH_LEVEL.`, {
      ddi,
      args: freeArgs(e),
      owner: blockOwner(e),
      allocationSite: e.block?.site,
      bugCheck: { code: 0xc4, p1: 0x12, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' },
      parameters: [e.irql, 0, typeof e.VirtualAddress === 'number' ? e.VirtualAddress : 0],
    });
  };
}

export const Irql_NdisFreeMemoryWithTagPriority: RuleDef = rule({
  id: 'Irql_NdisFreeMemoryWithTagPriority',
  title: 'NdisFreeMemoryWithTagPriority is called at IRQL <= DISPATCH_LEVEL.',
  link: `${DDI}ndis/nf-ndis-ndisfreememorywithtagpriority`,
  severity: 'error',
  observe: {
    poolFree: (v, e) => check(Irql_NdisFreeMemoryWithTagPriority, 'NdisFreeMemoryWithTagPriority')(v, e),
  },
});

export const Irql_NdisFreeMemoryWithTag: RuleDef = rule({
  id: 'Irql_NdisFreeMemoryWithTag',
  title: 'NdisFreeMemoryWithTag is called at IRQL <= DISPATCH_LEVEL.',
  link: `${DDI}ndis/nf-ndis-ndisfreememorywithtag`,
  severity: 'error',
  observe: { poolFree: (v, e) => check(Irql_NdisFreeMemoryWithTag, 'NdisFreeMemoryWithTag')(v, e) },
});
