/**
 * Leak_SharedMemory: every block from NdisMAllocateSharedMemory or NdisMAllocateSharedMemoryAsyncEx
 * is freed before MiniportHaltEx returns, before a failing MiniportInitializeEx returns, and before
 * the driver unloads (SPEC §5.1, §5.2, D6). One violation per block, with its size and where it was
 * allocated. (DMA verification treats a leaked common buffer as bug check 0xE6; its parameters are
 * not in the reference, so no code is mapped, D39.)
 */
import { formatAddress } from '../../../machine/address.js';
import { DDI, rule } from '../../rule.js';
import { allocatingDdi, edgeAdapters, memoryArgs, WHEN } from './args.js';

export const Leak_SharedMemory = rule({
  id: 'Leak_SharedMemory',
  title:
    'Shared memory is freed with NdisMFreeSharedMemory before MiniportHaltEx returns, before a failing MiniportInitializeEx returns, and before unload.',
  link: `${DDI}ndis/nf-ndis-ndismallocatesharedmemory`,
  severity: 'error',
  observe: {
    lifecycleEdge(v, e) {
      const shared = e.engine.dma.shared;
      for (const adapter of edgeAdapters(e.adapter, e.driver.adapters)) {
        const state = e.engine.dma.peek(adapter);
        if (state === undefined || state.shared.liveCount === 0) continue;
        for (const memory of [...shared.live(adapter)]) {
          if (!v.firstReport(memory)) continue;
          v.report(
            Leak_SharedMemory,
            `${memory.length} bytes of shared memory at ${formatAddress(memory.base)} (physical ${formatAddress(memory.physical)}) from ${allocatingDdi(memory)} are still allocated when ${WHEN[e.edge]}.`,
            {
              ddi: allocatingDdi(memory),
              args: memoryArgs(memory),
              owner: adapter,
              allocationSite: memory.site,
            },
          );
        }
      }
    },
  },
});
