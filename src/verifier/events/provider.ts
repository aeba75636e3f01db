/**
 * Check points of shared memory from shared-memory providers (SPEC §6). The engine decides each
 * outcome first and then fills a reused event object; rules read it, they never change it. Fields
 * named like DDI parameters hold the raw arguments as passed, so rules see malformed input too.
 */
import type { NdisObject } from '../../engine/objects.js';
import type { ProviderSharedMemory, SharedMemoryProvider } from '../../engine/provider-objects.js';
import type { FreeOutcome } from './pool.js';

/** What is wrong with an NdisSetOptionalHandlers call, as the engine found it. */
export const OptionalHandlersProblem = {
  None: 0,
  /** NdisHandle is not a live miniport driver handle of this run: NDIS_STATUS_NOT_SUPPORTED. */
  InvalidHandle: 1,
  /** OptionalHandlers is not a structure, or its NDIS_OBJECT_HEADER is malformed: NDIS_STATUS_FAILURE. */
  BadHeader: 2,
  /** A provider characteristics member (Flags, a handler) is not as documented: NDIS_STATUS_FAILURE. */
  BadCharacteristics: 3,
  /** The driver registered below NDIS 6.20, where the provider structure does not exist: NOT_SUPPORTED. */
  UnsupportedVersion: 4,
} as const;
export type OptionalHandlersProblem = (typeof OptionalHandlersProblem)[keyof typeof OptionalHandlersProblem];

/** NdisSetOptionalHandlers, once its outcome is decided. */
export interface SetOptionalHandlersEvent {
  ddi: 'NdisSetOptionalHandlers';
  irql: number;
  NdisHandle: unknown;
  OptionalHandlers: unknown;
  /** The NDIS object NdisHandle resolved to (a driver or an adapter), or null. */
  owner: NdisObject | null;
  problem: OptionalHandlersProblem;
  /** The malformed member ('Header.Size', 'Flags', ...), else ''. */
  field: string;
  /** What the member should have been, as a fixed phrase. */
  expected: string;
  /**
   * Why the call is not where D25 allows it ('' when it is): outside MiniportSetOptions, or with a
   * handle other than the NdisDriverHandle NDIS passed to that MiniportSetOptions.
   */
  context: string;
  /** The structure is an NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS (Header.Type 0xB0). */
  isProvider: boolean;
  /** The status the call returns. */
  status: number;
}

/** What is wrong with an NdisAllocateSharedMemory call, as the engine found it. */
export const AllocateProblem = {
  None: 0,
  /** NdisHandle is not a live miniport driver or adapter handle: NDIS_STATUS_INVALID_PARAMETER. */
  InvalidHandle: 1,
  /** A member of NDIS_SHARED_MEMORY_PARAMETERS is not as documented: NDIS_STATUS_INVALID_PARAMETER. */
  InvalidParameter: 2,
  /** A miniport handle whose adapter has no SG DMA or DMA channel registered (D23): NDIS_STATUS_FAILURE. */
  DmaNotRegistered: 3,
} as const;
export type AllocateProblem = (typeof AllocateProblem)[keyof typeof AllocateProblem];

/** NdisAllocateSharedMemory, once the call is validated and before anything is allocated. */
export interface ProviderAllocateEvent {
  ddi: 'NdisAllocateSharedMemory';
  irql: number;
  NdisHandle: unknown;
  SharedMemoryParameters: unknown;
  owner: NdisObject | null;
  problem: AllocateProblem;
  /** The malformed member ('Header.Revision', 'Usage', 'SGListBufferLength', ...), else ''. */
  field: string;
  expected: string;
  /** The problem is in the NDIS_OBJECT_HEADER (bug check 0x7C / 0x21 names those, D17). */
  header: boolean;
  /** The provider NDIS will call, or null when the memory comes from the HAL (D24). */
  provider: SharedMemoryProvider | null;
  /** The status the call returns when `problem` is not None. */
  status: number;
}

/** What is wrong with what NetAllocateSharedMemory returned. */
export const ReturnProblem = {
  None: 0,
  /** Not an object holding Status and SharedMemoryProviderContext: NDIS_STATUS_FAILURE. */
  NotAResult: 1,
  /** A status the page does not list (only SUCCESS, RESOURCES, INVALID_PARAMETER, FAILURE): FAILURE. */
  UndocumentedStatus: 2,
  /** SUCCESS without filling VirtualAddress or a scatter-gather list covering Length. */
  IncompleteSuccess: 3,
} as const;
export type ReturnProblem = (typeof ReturnProblem)[keyof typeof ReturnProblem];

/** The provider's NetAllocateSharedMemory returned (inside NdisAllocateSharedMemory). */
export interface ProviderReturnEvent {
  ddi: 'NdisAllocateSharedMemory';
  irql: number;
  provider: SharedMemoryProvider;
  /** The NDIS object the allocation is for (the caller's handle). */
  owner: NdisObject;
  SharedMemoryParameters: Record<string, unknown>;
  /** The handler's raw return value. */
  result: unknown;
  problem: ReturnProblem;
  /** The member at fault for IncompleteSuccess ('VirtualAddress', 'SGListBuffer.NumberOfElements', ...). */
  field: string;
  /** The status NdisAllocateSharedMemory returns. */
  status: number;
}

/** NdisFreeSharedMemory, before the free. */
export interface ProviderFreeEvent {
  ddi: 'NdisFreeSharedMemory';
  irql: number;
  NdisHandle: unknown;
  AllocationHandle: unknown;
  /** The allocation AllocationHandle names (live or freed), or null when it names none. */
  allocation: ProviderSharedMemory | null;
  /** Ok: freed now. Double: freed before. Unknown: not an allocation handle of this run. */
  outcome: FreeOutcome;
  /** AllocationHandle is the SharedMemoryHandle of an allocation, not its AllocationHandle. */
  sharedMemoryHandle: boolean;
  /** NdisHandle is not the handle the memory was allocated with (Ok outcome only). */
  handleMismatch: boolean;
}

/** The provider family's check points. */
export interface ProviderEvents {
  setOptionalHandlers: SetOptionalHandlersEvent;
  providerAllocate: ProviderAllocateEvent;
  providerReturn: ProviderReturnEvent;
  providerFree: ProviderFreeEvent;
}

export const PROVIDER_EVENT_NAMES: readonly (keyof ProviderEvents)[] = [
  'setOptionalHandlers',
  'providerAllocate',
  'providerReturn',
  'providerFree',
];
