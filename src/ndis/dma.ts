/**
 * DMA registration and miniport shared-memory DDIs (SPEC §4, §5), plus NdisWriteErrorLogEntry.
 * Out-parameters come back in one result object under their documented names.
 */
import type { RegisterDmaChannelResult, RegisterScatterGatherDmaResult } from '../engine/dma.js';
import type { AllocateSharedMemoryResult } from '../engine/shared-memory.js';
import { active } from './active.js';
import type {
  BOOLEAN,
  NDIS_DMA_DESCRIPTION,
  NDIS_HANDLE,
  NDIS_PHYSICAL_ADDRESS,
  NDIS_SG_DMA_DESCRIPTION,
  NDIS_STATUS,
  PVOID,
  UINT,
  ULONG,
} from './types.js';

export type {
  ErrorLogEntry,
  RegisterDmaChannelResult,
  RegisterScatterGatherDmaResult,
} from '../engine/dma.js';
export {
  NDIS_ERROR_CODE_OUT_OF_RESOURCES,
  NDIS_ERROR_CODE_RESOURCE_CONFLICT,
} from '../engine/dma.js';
export type { AllocateSharedMemoryResult } from '../engine/shared-memory.js';

/**
 * Registers a bus-master adapter for scatter-gather DMA; on success writes
 * DmaDescription.ScatterGatherListSize and returns the DMA handle. IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismregisterscattergatherdma
 */
export function NdisMRegisterScatterGatherDma(
  MiniportAdapterHandle: NDIS_HANDLE,
  DmaDescription: NDIS_SG_DMA_DESCRIPTION,
): RegisterScatterGatherDmaResult {
  return active().dma.registerScatterGatherDma(MiniportAdapterHandle, DmaDescription);
}

/**
 * Releases the scatter-gather DMA resources of NdisMRegisterScatterGatherDma; the handle is dead afterwards.
 * IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismderegisterscattergatherdma
 */
export function NdisMDeregisterScatterGatherDma(NdisMiniportDmaHandle: NDIS_HANDLE): void {
  active().dma.deregisterScatterGatherDma(NdisMiniportDmaHandle);
}

/**
 * Claims a system DMA controller channel for a subordinate-DMA or ISA bus-master NIC (the C
 * out-parameter MiniportDmaHandle comes back in the result). IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismregisterdmachannel
 */
export function NdisMRegisterDmaChannel(
  MiniportAdapterHandle: NDIS_HANDLE,
  DmaChannel: UINT,
  Dma32BitAddresses: BOOLEAN,
  DmaDescription: NDIS_DMA_DESCRIPTION,
  MaximumLength: ULONG,
): RegisterDmaChannelResult {
  return active().dma.registerDmaChannel(
    MiniportAdapterHandle,
    DmaChannel,
    Dma32BitAddresses,
    DmaDescription,
    MaximumLength,
  );
}

/**
 * Releases a DMA channel claim; only from MiniportInitializeEx or MiniportHaltEx. IRQL == PASSIVE_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismderegisterdmachannel
 */
export function NdisMDeregisterDmaChannel(MiniportDmaHandle: NDIS_HANDLE): void {
  active().dma.deregisterDmaChannel(MiniportDmaHandle);
}

/**
 * Allocates memory shared between the driver (VirtualAddress) and its DMA NIC (PhysicalAddress);
 * both are NULL (0) on failure. IRQL == PASSIVE_LEVEL (raised IRQL: bug check 0x7C / 0x01).
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismallocatesharedmemory
 */
export function NdisMAllocateSharedMemory(
  MiniportAdapterHandle: NDIS_HANDLE,
  Length: ULONG,
  Cached: BOOLEAN,
): AllocateSharedMemoryResult {
  return active().dma.shared.allocate(MiniportAdapterHandle, Length, Cached);
}

/**
 * Requests more shared memory for a bus-master NIC; NDIS_STATUS_PENDING means
 * MiniportSharedMemoryAllocateComplete runs later at PASSIVE_LEVEL. IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismallocatesharedmemoryasyncex
 */
export function NdisMAllocateSharedMemoryAsyncEx(
  MiniportDmaHandle: NDIS_HANDLE,
  Length: ULONG,
  Cached: BOOLEAN,
  Context: unknown,
): NDIS_STATUS {
  return active().dma.shared.allocateAsync(MiniportDmaHandle, Length, Cached, Context);
}

/**
 * Frees shared memory; every parameter must be exactly what the allocation used and returned.
 * IRQL <= DISPATCH_LEVEL; never from MiniportShutdownEx.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismfreesharedmemory
 */
export function NdisMFreeSharedMemory(
  MiniportAdapterHandle: NDIS_HANDLE,
  Length: ULONG,
  Cached: BOOLEAN,
  VirtualAddress: PVOID,
  PhysicalAddress: NDIS_PHYSICAL_ADDRESS,
): void {
  active().dma.shared.free(MiniportAdapterHandle, Length, Cached, VirtualAddress, PhysicalAddress);
}

/**
 * Writes an entry to the system event log (here: `engine.dma.errorLog`). IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndiswriteerrorlogentry
 */
export function NdisWriteErrorLogEntry(
  NdisAdapterHandle: NDIS_HANDLE,
  ErrorCode: ULONG,
  NumberOfErrorValues: ULONG,
  ...ErrorValues: ULONG[]
): void {
  active().dma.writeErrorLogEntry(NdisAdapterHandle, ErrorCode, NumberOfErrorValues, ErrorValues);
}
