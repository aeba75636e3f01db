/**
 * The NdisAllocateSharedMemory call rules (SPEC §6.5, §6.6, D17, D19, D20, D23, D24):
 * NdisAllocateSharedMemory_InvalidParameter — NdisHandle is a live NDIS handle and every member of
 * NDIS_SHARED_MEMORY_PARAMETERS is as documented (a malformed header maps to 0x7C / 0x21);
 * NdisAllocateSharedMemory_DmaNotRegistered — a miniport registers SG DMA or a DMA channel first.
 */
import { MiniportAdapter } from '../../../engine/objects.js';
import { AllocateProblem } from '../../events/provider.js';
import { DDI, rule } from '../../rule.js';
import { allocateArgs, found, handleText, valueAt } from './args.js';

export const NdisAllocateSharedMemory_InvalidParameter = rule({
  id: 'NdisAllocateSharedMemory_InvalidParameter',
  title:
    'NdisAllocateSharedMemory gets a live NDIS handle and an NDIS_SHARED_MEMORY_PARAMETERS whose every member is as documented.',
  link: `${DDI}ndis/nf-ndis-ndisallocatesharedmemory`,
  severity: 'error',
  observe: {
    providerAllocate(v, e) {
      if (e.problem === AllocateProblem.InvalidHandle) {
        v.report(
          NdisAllocateSharedMemory_InvalidParameter,
          `NdisAllocateSharedMemory called with NdisHandle ${handleText(e.NdisHandle)}, which is not a live miniport driver or adapter handle; it returns NDIS_STATUS_INVALID_PARAMETER.`,
          { ddi: e.ddi, args: allocateArgs(e) },
        );
        return;
      }
      if (e.problem !== AllocateProblem.InvalidParameter) return;
      const what = e.field === 'SharedMemoryParameters' ? e.field : `SharedMemoryParameters.${e.field}`;
      const value = valueAt(e.SharedMemoryParameters, e.field, 'SharedMemoryParameters');
      v.report(
        NdisAllocateSharedMemory_InvalidParameter,
        `NdisAllocateSharedMemory: ${what} is ${found(value)}; it must be ${e.expected}. It returns NDIS_STATUS_INVALID_PARAMETER and allocates nothing.`,
        {
          ddi: e.ddi,
          args: allocateArgs(e),
          owner: e.owner,
          // D17: a malformed NDIS_OBJECT_HEADER is what 0x7C / 0x21 names.
          bugCheck: e.header ? { code: 0x7c, p1: 0x21, name: 'BUGCODE_NDIS_DRIVER' } : undefined,
        },
      );
    },
  },
});

export const NdisAllocateSharedMemory_DmaNotRegistered = rule({
  id: 'NdisAllocateSharedMemory_DmaNotRegistered',
  title:
    'A miniport calls NdisAllocateSharedMemory only after NdisMRegisterScatterGatherDma or NdisMRegisterDmaChannel (D23).',
  link: `${DDI}ndis/nf-ndis-ndisallocatesharedmemory`,
  severity: 'error',
  observe: {
    providerAllocate(v, e) {
      if (e.problem !== AllocateProblem.DmaNotRegistered) return;
      const where =
        e.owner instanceof MiniportAdapter
          ? `adapter handle ${handleText(e.NdisHandle)}, whose adapter has`
          : `driver handle ${handleText(e.NdisHandle)}, none of whose adapters has`;
      v.report(
        NdisAllocateSharedMemory_DmaNotRegistered,
        `NdisAllocateSharedMemory called with miniport ${where} a scatter-gather DMA or DMA channel registration; it returns NDIS_STATUS_FAILURE (D23).`,
        { ddi: e.ddi, args: allocateArgs(e), owner: e.owner },
      );
    },
  },
});
