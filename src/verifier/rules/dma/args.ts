/** Report arguments of the DMA DDIs by their documented names, shared by the DMA rules (cold path). */
import type { SharedMemory } from '../../../engine/dma-objects.js';
import type { Engine } from '../../../engine/engine.js';
import type { MiniportAdapter, NdisObject } from '../../../engine/objects.js';
import { formatAddress } from '../../../machine/address.js';
import type {
  DmaDeregisterEvent,
  DmaRegisterEvent,
  ErrorLogEvent,
  SharedAllocateEvent,
  SharedFreeEvent,
} from '../../events/dma.js';
import { describeAddress, describeHandle, hex } from '../../format.js';

/** A BOOLEAN as C prints it. */
export function describeBoolean(value: unknown): unknown {
  return value === true || value === 1 ? 'TRUE' : value === false || value === 0 ? 'FALSE' : String(value);
}

/** One line describing a DMA description structure (NDIS_SG_DMA_DESCRIPTION or NDIS_DMA_DESCRIPTION). */
export function describeDescription(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value !== 'object') return String(value);
  const d = value as Record<string, unknown>;
  const parts: string[] = [];
  const header = d.Header as Record<string, unknown> | null | undefined;
  if (header !== null && typeof header === 'object') {
    const type = typeof header.Type === 'number' ? hex(header.Type) : String(header.Type);
    parts.push(`Header {Type ${type}, Revision ${String(header.Revision)}, Size ${String(header.Size)}}`);
  } else if ('Header' in d) {
    parts.push(`Header ${String(header)}`);
  }
  for (const key of [
    'Flags',
    'MaximumPhysicalMapping',
    'DmaChannelSpecified',
    'DmaChannel',
    'DmaWidth',
    'DmaSpeed',
    'DmaPort',
  ]) {
    if (key in d)
      parts.push(
        `${key} ${typeof d[key] === 'number' && key === 'Flags' ? hex(d[key] as number) : String(d[key])}`,
      );
  }
  return parts.length === 0 ? '<structure without the documented fields>' : parts.join(', ');
}

/** Arguments of NdisMRegisterScatterGatherDma / NdisMRegisterDmaChannel. */
export function registerArgs(e: DmaRegisterEvent): Record<string, unknown> {
  if (e.ddi === 'NdisMRegisterDmaChannel') {
    return {
      MiniportAdapterHandle: describeHandle(e.MiniportAdapterHandle),
      DmaChannel: e.DmaChannel,
      Dma32BitAddresses: describeBoolean(e.Dma32BitAddresses),
      DmaDescription: describeDescription(e.DmaDescription),
      MaximumLength: e.MaximumLength,
    };
  }
  return {
    MiniportAdapterHandle: describeHandle(e.MiniportAdapterHandle),
    DmaDescription: describeDescription(e.DmaDescription),
  };
}

/** Arguments of NdisMDeregisterScatterGatherDma / NdisMDeregisterDmaChannel. */
export function deregisterArgs(e: DmaDeregisterEvent): Record<string, unknown> {
  const name = e.ddi === 'NdisMDeregisterDmaChannel' ? 'MiniportDmaHandle' : 'NdisMiniportDmaHandle';
  return { [name]: describeHandle(e.handle) };
}

/** Arguments of NdisMAllocateSharedMemory / NdisMAllocateSharedMemoryAsyncEx. */
export function allocateArgs(e: SharedAllocateEvent): Record<string, unknown> {
  if (e.ddi === 'NdisMAllocateSharedMemoryAsyncEx') {
    return {
      MiniportDmaHandle: describeHandle(e.handle),
      Length: e.Length,
      Cached: describeBoolean(e.Cached),
      Context: describeHandle(e.Context),
    };
  }
  return {
    MiniportAdapterHandle: describeHandle(e.handle),
    Length: e.Length,
    Cached: describeBoolean(e.Cached),
  };
}

/** Arguments of NdisMFreeSharedMemory. */
export function freeArgs(e: SharedFreeEvent): Record<string, unknown> {
  return {
    MiniportAdapterHandle: describeHandle(e.MiniportAdapterHandle),
    Length: e.Length,
    Cached: describeBoolean(e.Cached),
    VirtualAddress: describeAddress(e.VirtualAddress),
    PhysicalAddress: describeAddress(e.PhysicalAddress),
  };
}

/** Arguments of NdisWriteErrorLogEntry. */
export function errorLogArgs(e: ErrorLogEvent): Record<string, unknown> {
  return {
    NdisAdapterHandle: describeHandle(e.NdisAdapterHandle),
    ErrorCode: typeof e.ErrorCode === 'number' ? hex(e.ErrorCode) : String(e.ErrorCode),
    NumberOfErrorValues: e.NumberOfErrorValues,
  };
}

/** A block as the NdisMFreeSharedMemory call that releases it would pass it. */
export function memoryArgs(memory: SharedMemory): Record<string, unknown> {
  return {
    MiniportAdapterHandle: memory.owner.name,
    Length: memory.length,
    Cached: describeBoolean(memory.cached),
    VirtualAddress: formatAddress(memory.base),
    PhysicalAddress: formatAddress(memory.physical),
  };
}

/** The DDI that allocated a block. */
export function allocatingDdi(memory: SharedMemory): string {
  return memory.async ? 'NdisMAllocateSharedMemoryAsyncEx' : 'NdisMAllocateSharedMemory';
}

/**
 * The adapters a lifecycle edge concerns: the adapter, or at unload every adapter of the driver
 * except those that ended in Shutdown (D9: no leak report for them).
 */
export function edgeAdapters(
  adapter: MiniportAdapter | null,
  driverAdapters: Iterable<MiniportAdapter>,
): MiniportAdapter[] {
  if (adapter !== null) return [adapter];
  return [...driverAdapters].filter((a) => a.state !== 'Shutdown');
}

/** A small, stable number standing for an adapter or driver block in bug-check parameters (0 if unknown). */
export function adapterId(object: NdisObject | null): number {
  return object === null ? 0 : (object.owner as Engine).lifecycle.serialOf(object);
}

/** The page (virtual) an address lies in, for bug-check parameters. */
export function pageOf(address: number): number {
  return address - (((address % 4096) + 4096) % 4096);
}

/** Lifecycle edge wording shared by the leak rules. */
export const WHEN = {
  initializeFailed: 'MiniportInitializeEx returned a failure',
  haltReturned: 'MiniportHaltEx returned',
  driverUnload: 'the driver unloaded',
} as const;
