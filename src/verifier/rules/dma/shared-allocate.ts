/**
 * Preconditions of the shared-memory allocations (SPEC §5.1, §5.2, D3, D5):
 * NdisMAllocateSharedMemory only from MiniportInitializeEx (recorded; the allocation proceeds) and
 * only after a DMA registration (else NULL), and NdisMAllocateSharedMemoryAsyncEx only on an SG DMA
 * handle whose description named a SharedMemAllocateCompleteHandler (else NDIS_STATUS_FAILURE).
 */
import { DmaChannelRegistration } from '../../../engine/dma-objects.js';
import { DmaProblem } from '../../events/dma.js';
import { DDI, rule } from '../../rule.js';
import { allocateArgs } from './args.js';

const SYNC = 'NdisMAllocateSharedMemory';

export const NdisMAllocateSharedMemory_OutsideInitialize = rule({
  id: 'NdisMAllocateSharedMemory_OutsideInitialize',
  title:
    'NdisMAllocateSharedMemory is called only from MiniportInitializeEx (later growth uses NdisMAllocateSharedMemoryAsyncEx).',
  link: `${DDI}ndis/nf-ndis-ndismallocatesharedmemory`,
  severity: 'error',
  observe: {
    sharedAllocate(v, e) {
      if (e.ddi !== SYNC || e.owner === null || e.withinInitialize) return;
      v.report(
        NdisMAllocateSharedMemory_OutsideInitialize,
        `${e.ddi} is called outside MiniportInitializeEx; use NdisMAllocateSharedMemoryAsyncEx to add shared memory later (D3). The allocation proceeds.`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});

export const NdisMAllocateSharedMemory_WithoutDmaRegistration = rule({
  id: 'NdisMAllocateSharedMemory_WithoutDmaRegistration',
  title:
    'NdisMAllocateSharedMemory is called only after NdisMRegisterScatterGatherDma or NdisMRegisterDmaChannel for the adapter.',
  link: `${DDI}ndis/nf-ndis-ndismallocatesharedmemory`,
  severity: 'error',
  observe: {
    sharedAllocate(v, e) {
      if (e.ddi !== SYNC || e.owner === null || e.registered) return;
      v.report(
        NdisMAllocateSharedMemory_WithoutDmaRegistration,
        `${e.ddi} is called before the adapter registered DMA (NdisMRegisterScatterGatherDma or NdisMRegisterDmaChannel); it returns NULL.`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});

export const NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler = rule({
  id: 'NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler',
  title:
    'NdisMAllocateSharedMemoryAsyncEx is called with the SG DMA handle of a registration that named a SharedMemAllocateCompleteHandler.',
  link: `${DDI}ndis/nf-ndis-ndismallocatesharedmemoryasyncex`,
  severity: 'error',
  observe: {
    sharedAllocate(v, e) {
      if (e.problem !== DmaProblem.NoCompletionHandler) return;
      const why =
        e.registration instanceof DmaChannelRegistration
          ? 'a DMA channel handle; only scatter-gather DMA (bus-master NICs) can complete asynchronous allocations'
          : 'an SG DMA handle whose NDIS_SG_DMA_DESCRIPTION had no SharedMemAllocateCompleteHandler, so there is nothing to complete to';
      v.report(
        NdisMAllocateSharedMemoryAsyncEx_NoCompletionHandler,
        `${e.ddi} is called with ${why}; it returns NDIS_STATUS_FAILURE (D5).`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});
