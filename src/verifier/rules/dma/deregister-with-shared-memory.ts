/**
 * Dma_DeregisterWithSharedMemory (D35): the adapter's shared memory is freed before the DMA
 * registration it was allocated through goes (halt releases in the reverse order of initialize).
 * Later frees of that memory are still accepted.
 */
import { DeregisterOutcome } from '../../events/dma.js';
import { DDI, rule } from '../../rule.js';
import { deregisterArgs } from './args.js';

export const Dma_DeregisterWithSharedMemory = rule({
  id: 'Dma_DeregisterWithSharedMemory',
  title: 'Shared memory is freed before the adapter deregisters its DMA (scatter-gather DMA or DMA channel).',
  link: `${DDI}ndis/nc-ndis-miniport_halt`,
  severity: 'error',
  observe: {
    dmaDeregister(v, e) {
      if (e.outcome !== DeregisterOutcome.Ok || e.liveSharedMemory === 0 || e.registration === null) return;
      const adapter = e.registration.adapter;
      v.report(
        Dma_DeregisterWithSharedMemory,
        `${e.ddi} is called while ${e.liveSharedMemory} block(s) (${e.liveSharedBytes} bytes) of the adapter's shared memory are still allocated; free it (NdisMFreeSharedMemory, NdisFreeSharedMemory) first (D35). The deregistration proceeds and the later frees are accepted.`,
        { ddi: e.ddi, args: deregisterArgs(e), owner: adapter },
      );
    },
  },
});
