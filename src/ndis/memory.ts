/** General memory DDIs (SPEC §3). */
import { active } from './active.js';
import type { NDIS_HANDLE, PVOID, UINT, ULONG } from './types.js';

/**
 * Allocates Length bytes of nonpaged pool with a tag and a priority; returns NULL (0) when none is available.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocatememorywithtagpriority
 */
export function NdisAllocateMemoryWithTagPriority(
  NdisHandle: NDIS_HANDLE,
  Length: UINT,
  Tag: ULONG,
  Priority: number,
): PVOID {
  return active().memory.allocate(NdisHandle, Length, Tag, Priority);
}

/**
 * Frees memory from NdisAllocateMemoryWithTagPriority (MemoryFlags must be 0; Length is ignored).
 * IRQL <= DISPATCH_LEVEL (flags 0); < DISPATCH_LEVEL (NONCACHED); PASSIVE_LEVEL (CONTIGUOUS).
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreememory
 */
export function NdisFreeMemory(VirtualAddress: PVOID, Length: UINT, MemoryFlags: UINT): void {
  active().memory.free('NdisFreeMemory', null, VirtualAddress, Length, MemoryFlags, 0, false, false);
}

/**
 * Frees memory from NdisAllocateMemoryWithTagPriority, given the allocating handle and the tag (NDIS 6.20+).
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreememorywithtagpriority
 */
export function NdisFreeMemoryWithTagPriority(
  NdisHandle: NDIS_HANDLE,
  VirtualAddress: PVOID,
  Tag: ULONG,
): void {
  active().memory.free('NdisFreeMemoryWithTagPriority', NdisHandle, VirtualAddress, 0, 0, Tag, true, true);
}

/**
 * Frees tagged memory (deprecated; NDIS 6.20+): use NdisFreeMemoryWithTagPriority in new code.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreememorywithtag
 */
export function NdisFreeMemoryWithTag(VirtualAddress: PVOID, Tag: ULONG): void {
  active().memory.free('NdisFreeMemoryWithTag', null, VirtualAddress, 0, 0, Tag, true, false);
}
