/** Report arguments of the general-memory DDIs, shared by the pool rules. */
import type { NdisObject } from '../../engine/objects.js';
import type { PoolAllocateEvent, PoolFreeEvent } from '../events.js';
import { describeAddress, describeHandle, describeTag } from '../format.js';

/** Arguments of NdisAllocateMemoryWithTagPriority by their documented names. */
export function allocateArgs(e: PoolAllocateEvent): Record<string, unknown> {
  return {
    NdisHandle: describeHandle(e.NdisHandle),
    Length: e.Length,
    Tag: describeTag(e.Tag),
    Priority: e.Priority,
  };
}

/** Arguments of the free DDI that ran, by their documented names and in their documented order. */
export function freeArgs(e: PoolFreeEvent): Record<string, unknown> {
  if (e.ddi === 'NdisFreeMemory') {
    return {
      VirtualAddress: describeAddress(e.VirtualAddress),
      Length: e.Length,
      MemoryFlags: e.MemoryFlags,
    };
  }
  if (e.hasHandle) {
    return {
      NdisHandle: describeHandle(e.NdisHandle),
      VirtualAddress: describeAddress(e.VirtualAddress),
      Tag: describeTag(e.Tag),
    };
  }
  return { VirtualAddress: describeAddress(e.VirtualAddress), Tag: describeTag(e.Tag) };
}

/** The NDIS object a pool finding is charged to: the block's owner when known. */
export function blockOwner(e: PoolFreeEvent): NdisObject | null {
  return e.block ? e.block.owner : null;
}
