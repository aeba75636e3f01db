/** Shared memory from shared-memory providers (SPEC §6). */
import type { NdisAllocateSharedMemoryResult } from '../engine/provider.js';
import { active } from './active.js';
import type { NDIS_HANDLE, NDIS_SHARED_MEMORY_PARAMETERS, NDIS_STATUS } from './types.js';

export type { NdisAllocateSharedMemoryResult } from '../engine/provider.js';

/**
 * Sets or changes optional driver entry points; an NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS
 * (Header.Type 0xB0) registers the driver as a shared-memory provider. A miniport calls it inside
 * MiniportSetOptions with the NdisDriverHandle NDIS passed there. IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndissetoptionalhandlers
 */
export function NdisSetOptionalHandlers(NdisHandle: NDIS_HANDLE, OptionalHandlers: object): NDIS_STATUS {
  return active().provider.setOptionalHandlers(NdisHandle, OptionalHandlers);
}

/**
 * Allocates shared memory from the driver's shared-memory provider (from the HAL when none is
 * registered); fills VirtualAddress, SGListBuffer and SharedMemoryHandle in SharedMemoryParameters
 * and returns the AllocationHandle (NULL on failure). A miniport must have registered SG DMA or a DMA
 * channel first. IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocatesharedmemory
 */
export function NdisAllocateSharedMemory(
  NdisHandle: NDIS_HANDLE,
  SharedMemoryParameters: NDIS_SHARED_MEMORY_PARAMETERS,
): NdisAllocateSharedMemoryResult {
  return active().provider.allocateSharedMemory(NdisHandle, SharedMemoryParameters);
}

/**
 * Frees shared memory from NdisAllocateSharedMemory, given the same NdisHandle and its
 * AllocationHandle. IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreesharedmemory
 */
export function NdisFreeSharedMemory(NdisHandle: NDIS_HANDLE, AllocationHandle: NDIS_HANDLE): void {
  active().provider.freeSharedMemory(NdisHandle, AllocationHandle);
}
