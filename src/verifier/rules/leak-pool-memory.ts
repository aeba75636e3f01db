/**
 * Leak_PoolMemory: pool memory is freed before MiniportHaltEx returns, before a failing
 * MiniportInitializeEx returns, and before the driver unloads (SPEC §2.6, §2.10, §3.1). One
 * violation per block, charged to its owner, with its size, tag and allocation site. At unload it
 * maps to Driver Verifier's pool-tracking bug check 0xC4 / 0x60.
 */
import type { NdisObject } from '../../engine/objects.js';
import { formatAddress } from '../../machine/address.js';
import type { LifecycleEdgeEvent } from '../events.js';
import { describeTag } from '../format.js';
import { DDI, rule } from '../rule.js';

const WHEN: Record<LifecycleEdgeEvent['edge'], string> = {
  initializeFailed: 'MiniportInitializeEx returned a failure',
  haltReturned: 'MiniportHaltEx returned',
  driverUnload: 'the driver unloaded',
};

export const Leak_PoolMemory = rule({
  id: 'Leak_PoolMemory',
  title:
    'Pool memory is freed before MiniportHaltEx returns, before a failing MiniportInitializeEx returns, and before unload.',
  link: `${DDI}ndis/nc-ndis-miniport_halt`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const memory = e.engine.memory;
      const owners: NdisObject[] = e.adapter ? [e.adapter] : [e.driver, ...e.driver.adapters];
      for (const owner of owners) {
        for (const block of [...memory.live(owner)]) {
          if (!v.firstReport(block)) continue;
          v.report(
            Leak_PoolMemory,
            `${block.length} bytes of pool memory with tag ${describeTag(block.tag)} at ${formatAddress(block.base)} are still allocated when ${WHEN[e.edge]}.`,
            {
              ddi: 'NdisAllocateMemoryWithTagPriority',
              args: { NdisHandle: owner.name, Length: block.length, Tag: describeTag(block.tag) },
              owner,
              allocationSite: block.site,
              bugCheck:
                e.edge === 'driverUnload'
                  ? { code: 0xc4, p1: 0x60, name: 'DRIVER_VERIFIER_DETECTED_VIOLATION' }
                  : undefined,
              parameters: [0, owner.pool.liveBytes, owner.pool.liveCount],
            },
          );
        }
      }
    },
  },
});
