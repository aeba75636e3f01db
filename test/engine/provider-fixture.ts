/**
 * Shared set-up for the provider family's tests: documented parameters, a DMA registration (the
 * precondition of D23), and a provider whose handlers record how NDIS called them and allocate real
 * pool memory, registered from MiniportSetOptions the way NdisMRegisterMiniportDriver runs it.
 */
import {
  MM_ANY_NODE_OK,
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS,
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1,
  NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1,
  NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1,
  NDIS_STATUS_SUCCESS,
  NdisSharedMemoryUsageReceive,
} from '../../src/ndis/constants.js';
import { NdisMDeregisterScatterGatherDma, NdisMRegisterScatterGatherDma } from '../../src/ndis/dma.js';
import { NdisAllocateMemoryWithTagPriority, NdisFreeMemory } from '../../src/ndis/memory.js';
import { NdisSetOptionalHandlers } from '../../src/ndis/provider.js';
import type {
  ALLOCATE_SHARED_MEMORY_HANDLER,
  ALLOCATE_SHARED_MEMORY_HANDLER_RESULT,
  FREE_SHARED_MEMORY_HANDLER,
  NDIS_HANDLE,
  NDIS_SHARED_MEMORY_PARAMETERS,
  NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS,
} from '../../src/ndis/types.js';
import type { Sim } from '../harness.js';

export const PASSIVE_LEVEL = 0;
export const DISPATCH_LEVEL = 2;
export const PAGE = 4096;

/** Documented revision-1 parameters for `Length` bytes, with an SG buffer for `elements` elements. */
export function parameters(
  Length = PAGE,
  elements = 16,
  more: Partial<NDIS_SHARED_MEMORY_PARAMETERS> = {},
): NDIS_SHARED_MEMORY_PARAMETERS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1,
      Size: NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1,
    },
    Flags: 0,
    QueueId: 0,
    SharedMemoryHandle: null,
    PreferredNode: MM_ANY_NODE_OK,
    Usage: NdisSharedMemoryUsageReceive,
    Length,
    VirtualAddress: 0,
    SGListBufferLength: 16 + 24 * elements,
    SGListBuffer: { NumberOfElements: 0, Elements: [] },
    ...more,
  };
}

/** Registers scatter-gather DMA for the adapter inside MiniportInitializeEx (64-bit unless told). */
export function registerDma(s: Sim, flags = NDIS_SG_DMA_64_BIT_ADDRESS): NDIS_HANDLE {
  s.adapter.attributeFlags |= NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
  s.adapter.registrationAttributesSet = true;
  const result = s.engine.invoke('MiniportInitializeEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
    NdisMRegisterScatterGatherDma(s.adapter, {
      Header: {
        Type: NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
        Revision: NDIS_SG_DMA_DESCRIPTION_REVISION_1,
        Size: NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
      },
      Flags: flags,
      MaximumPhysicalMapping: 0x10000,
      ProcessSGListHandler: () => {},
      SharedMemAllocateCompleteHandler: null,
      ScatterGatherListSize: 0,
    }),
  );
  if (result.Status !== NDIS_STATUS_SUCCESS) throw new Error(`SG DMA registration failed: ${result.Status}`);
  return result.NdisMiniportDmaHandle;
}

/** Deregisters it again (inside MiniportHaltEx), so that lifecycle edges see no DMA leak. */
export function deregisterDma(s: Sim, handle: NDIS_HANDLE): void {
  s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
    NdisMDeregisterScatterGatherDma(handle),
  );
}

/** The provider structure with the given handlers. */
export function characteristics(
  allocate: unknown,
  free: unknown,
  ProviderContext: unknown = { provider: 'context' },
  Flags = 0,
): NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS,
      Revision: NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1,
    },
    Flags,
    ProviderContext,
    AllocateSharedMemoryHandler: allocate as ALLOCATE_SHARED_MEMORY_HANDLER,
    FreeSharedMemoryHandler: free as FREE_SHARED_MEMORY_HANDLER,
  };
}

/** Calls NdisSetOptionalHandlers from the driver's MiniportSetOptions. */
export function inSetOptions(s: Sim, structure: object, handle: NDIS_HANDLE = s.driver): number {
  return s.engine.invoke('MiniportSetOptions', s.driver, null, PASSIVE_LEVEL, () =>
    NdisSetOptionalHandlers(handle, structure),
  );
}

/** What one handler call saw. */
export interface HandlerCall {
  readonly handler: 'allocate' | 'free';
  readonly args: readonly unknown[];
  readonly irql: number;
  readonly callback: string;
  readonly callbacks: readonly string[];
}

/** A recording provider: allocates pool memory of the driver and describes it with a one-element list. */
export interface RecordingProvider {
  readonly context: object;
  readonly calls: HandlerCall[];
  readonly structure: NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS;
  /** What the next allocation returns instead of allocating (null: allocate). */
  next: unknown;
}

export function recordingProvider(s: Sim): RecordingProvider {
  const context = { name: 'ProviderContext' };
  const record = (handler: HandlerCall['handler'], args: unknown[]): void => {
    const snap = s.engine.context.snapshot();
    provider.calls.push({
      handler,
      args,
      irql: snap.irql,
      callback: snap.callback ?? '',
      callbacks: snap.callbacks,
    });
  };
  const allocate = (
    ProviderContext: unknown,
    p: NDIS_SHARED_MEMORY_PARAMETERS,
  ): ALLOCATE_SHARED_MEMORY_HANDLER_RESULT => {
    record('allocate', [ProviderContext, p]);
    if (provider.next !== null) return provider.next as ALLOCATE_SHARED_MEMORY_HANDLER_RESULT;
    const va = NdisAllocateMemoryWithTagPriority(s.driver, p.Length, 0x766f7250, 32);
    p.VirtualAddress = va;
    if (p.SGListBuffer !== null) {
      p.SGListBuffer.NumberOfElements = 1;
      p.SGListBuffer.Elements[0] = { Address: 0x1000_0000, Length: p.Length };
    }
    return { Status: NDIS_STATUS_SUCCESS, SharedMemoryProviderContext: { block: va } };
  };
  const free = (ProviderContext: unknown, SharedMemoryProviderContext: unknown): void => {
    record('free', [ProviderContext, SharedMemoryProviderContext]);
    NdisFreeMemory((SharedMemoryProviderContext as { block: number }).block, 0, 0);
  };
  const provider: RecordingProvider = {
    context,
    calls: [],
    structure: characteristics(allocate, free, context),
    next: null,
  };
  return provider;
}

/** How reports show the members of `parameters(Length, elements)` (describeParameters). */
export function parameterArgs(
  Length = PAGE,
  elements = 16,
  more: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    Header: { Type: '0x80', Revision: 1, Size: 64 },
    Flags: '0x0',
    QueueId: 0,
    PreferredNode: '0x80000000',
    Usage: 4,
    Length,
    SGListBufferLength: 16 + 24 * elements,
    SGListBuffer: '(caller buffer)',
    ...more,
  };
}

/** How reports show a recording provider's structure. */
export const PROVIDER_ARGS = {
  Header: { Type: '0xb0', Revision: 1, Size: 32 },
  Flags: '0x0',
  ProviderContext: 'ProviderContext',
  AllocateSharedMemoryHandler: 'allocate',
  FreeSharedMemoryHandler: 'free',
} as const;
