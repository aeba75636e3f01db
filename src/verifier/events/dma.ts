/**
 * DMA registration and miniport shared-memory check points (SPEC §4, §5). The engine fills a reused
 * event object, decides the outcome first (rules read it, they never change it) and then calls the
 * observers; fields named like DDI parameters hold the raw arguments as passed.
 */
import type { DmaChannelRegistration, SgDmaRegistration, SharedMemory } from '../../engine/dma-objects.js';
import type { MiniportAdapter } from '../../engine/objects.js';
import type { FreeOutcome } from './pool.js';

/** What is wrong with a call's arguments, as the engine found it. */
export const DmaProblem = {
  None: 0,
  /** A handle argument is not a live handle of the right kind from this run. */
  InvalidHandle: 1,
  /** An argument or structure field is not of its C type or documented range. */
  InvalidArgument: 2,
  /** NDIS_SG_DMA_DESCRIPTION.Header has the wrong Type, an unsupported Revision or a short Size. */
  BadHeader: 3,
  /** A second SG DMA registration for the adapter (D38). */
  AlreadyRegistered: 4,
  /** NdisMAllocateSharedMemoryAsyncEx without a SharedMemAllocateCompleteHandler to complete to (D5). */
  NoCompletionHandler: 5,
} as const;
export type DmaProblem = (typeof DmaProblem)[keyof typeof DmaProblem];

/** Outcome of a deregistration. */
export const DeregisterOutcome = {
  Ok: 0,
  /** A handle of this kind that was already deregistered. */
  Stale: 1,
  /** Not a DMA handle of this kind from this run. */
  Invalid: 2,
} as const;
export type DeregisterOutcome = (typeof DeregisterOutcome)[keyof typeof DeregisterOutcome];

/** Bits of SharedFreeEvent.mismatch: which free parameters differ from the allocation's. */
export const FreeMismatch = { Length: 1, Cached: 2, PhysicalAddress: 4, MiniportAdapterHandle: 8 } as const;

/** NdisMRegisterScatterGatherDma / NdisMRegisterDmaChannel, once the outcome is decided. */
export interface DmaRegisterEvent {
  ddi: string;
  irql: number;
  MiniportAdapterHandle: unknown;
  DmaDescription: unknown;
  /** NdisMRegisterDmaChannel only (undefined otherwise). */
  DmaChannel: unknown;
  Dma32BitAddresses: unknown;
  MaximumLength: unknown;
  /** The adapter the handle resolved to, or null. */
  owner: MiniportAdapter | null;
  problem: DmaProblem;
  /** The malformed argument or field (InvalidArgument, BadHeader), else ''. */
  field: string;
  /** The status the call returns. */
  status: number;
  withinInitialize: boolean;
  /** The live SG registration a second one collides with (AlreadyRegistered). */
  existing: SgDmaRegistration | null;
}

/** NdisMDeregisterScatterGatherDma / NdisMDeregisterDmaChannel, before the registration goes. */
export interface DmaDeregisterEvent {
  ddi: string;
  irql: number;
  handle: unknown;
  registration: SgDmaRegistration | DmaChannelRegistration | null;
  outcome: DeregisterOutcome;
  withinInitialize: boolean;
  withinHalt: boolean;
  /** Shared memory blocks the adapter still holds, and their bytes (D35). */
  liveSharedMemory: number;
  liveSharedBytes: number;
}

/** NdisMAllocateSharedMemory / NdisMAllocateSharedMemoryAsyncEx, before anything is allocated. */
export interface SharedAllocateEvent {
  ddi: string;
  irql: number;
  /** MiniportAdapterHandle (synchronous) or MiniportDmaHandle (asynchronous). */
  handle: unknown;
  Length: unknown;
  Cached: unknown;
  /** NdisMAllocateSharedMemoryAsyncEx only. */
  Context: unknown;
  owner: MiniportAdapter | null;
  problem: DmaProblem;
  field: string;
  withinInitialize: boolean;
  /** The adapter has a live SG DMA or DMA channel registration. */
  registered: boolean;
  /** The DMA handle the asynchronous call resolved to (a channel handle too), else null. */
  registration: SgDmaRegistration | DmaChannelRegistration | null;
}

/** NdisMAllocateSharedMemory returned (VirtualAddress 0 when it failed). */
export interface SharedAllocatedEvent {
  ddi: string;
  irql: number;
  handle: unknown;
  Length: unknown;
  Cached: unknown;
  owner: MiniportAdapter | null;
  VirtualAddress: number;
  withinInitialize: boolean;
}

/** NDIS found the guard bytes of a live block overwritten (at NdisMAllocateSharedMemory or the free). */
export interface SharedCorruptionEvent {
  ddi: string;
  irql: number;
  memory: SharedMemory;
  /** Offset from the block's base of the first overwritten guard byte (>= its Length). */
  offset: number;
}

/** NdisMFreeSharedMemory, before the free. */
export interface SharedFreeEvent {
  ddi: string;
  irql: number;
  MiniportAdapterHandle: unknown;
  Length: unknown;
  Cached: unknown;
  VirtualAddress: unknown;
  PhysicalAddress: unknown;
  owner: MiniportAdapter | null;
  /** The block concerned: the live one, the one an interior address is in, or a recently freed one. */
  memory: SharedMemory | null;
  outcome: FreeOutcome;
  /** FreeMismatch bits (Ok outcome only). */
  mismatch: number;
  withinShutdown: boolean;
}

/** NdisWriteErrorLogEntry. */
export interface ErrorLogEvent {
  ddi: string;
  irql: number;
  NdisAdapterHandle: unknown;
  ErrorCode: unknown;
  NumberOfErrorValues: unknown;
  owner: MiniportAdapter | null;
  problem: DmaProblem;
  field: string;
}

export interface DmaEvents {
  dmaRegister: DmaRegisterEvent;
  dmaDeregister: DmaDeregisterEvent;
  sharedAllocate: SharedAllocateEvent;
  sharedAllocated: SharedAllocatedEvent;
  sharedCorruption: SharedCorruptionEvent;
  sharedFree: SharedFreeEvent;
  errorLog: ErrorLogEvent;
}

export const DMA_EVENT_NAMES: readonly (keyof DmaEvents)[] = [
  'dmaRegister',
  'dmaDeregister',
  'sharedAllocate',
  'sharedAllocated',
  'sharedCorruption',
  'sharedFree',
  'errorLog',
];
