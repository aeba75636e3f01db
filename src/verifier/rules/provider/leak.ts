/**
 * Leak_ProviderSharedMemory: every block from NdisAllocateSharedMemory is freed with
 * NdisFreeSharedMemory — an adapter's before MiniportHaltEx returns (the default queue's memory is
 * freed in MiniportHaltEx) or before a failing MiniportInitializeEx returns, a driver's before it
 * unloads (SPEC §6.6, §6.7). One violation per block, charged to its owner, with Length and site.
 */
import type { NdisObject } from '../../../engine/objects.js';
import type { LifecycleEdgeEvent } from '../../events.js';
import { NETWORK, rule } from '../../rule.js';
import { handleText } from './args.js';

const WHEN: Record<LifecycleEdgeEvent['edge'], string> = {
  initializeFailed: 'MiniportInitializeEx returned a failure',
  haltReturned: 'MiniportHaltEx returned',
  driverUnload: 'the driver unloaded',
};

export const Leak_ProviderSharedMemory = rule({
  id: 'Leak_ProviderSharedMemory',
  title:
    'Shared memory from NdisAllocateSharedMemory is freed before MiniportHaltEx returns, before a failing MiniportInitializeEx returns, and before unload.',
  link: `${NETWORK}shared-memory-resource-allocation`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const provider = e.engine.provider;
      const owners: NdisObject[] = e.adapter ? [e.adapter] : [e.driver, ...e.driver.adapters];
      for (const owner of owners) {
        for (const block of [...provider.live(owner)]) {
          const from =
            block.provider === null
              ? 'allocated from the HAL'
              : `from the provider of ${block.provider.driver.name}`;
          v.report(
            Leak_ProviderSharedMemory,
            `${block.length} bytes of shared memory ${from} (${block.name}, Usage ${block.usage}) are still allocated when ${WHEN[e.edge]}.`,
            {
              ddi: 'NdisAllocateSharedMemory',
              args: { NdisHandle: handleText(block.handle), Length: block.length, Usage: block.usage },
              owner,
              allocationSite: block.site,
            },
          );
        }
      }
    },
  },
});
