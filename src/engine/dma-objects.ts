/**
 * The objects of the DMA family: the two DMA registrations (whose objects are the handles NDIS gives
 * the driver), a block of miniport shared memory, a pending asynchronous allocation, and the per-adapter
 * state that ties them together (SPEC §4, §5).
 */
import type { Region } from '../machine/virtual.js';
import type { MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE } from '../ndis/types.js';
import type { SiteCapture } from '../verifier/site.js';
import { Accounting, type MiniportAdapter } from './objects.js';

/** A BOOLEAN argument: JavaScript booleans, or 0/1 as C passes them. */
export function isBoolean(value: unknown): value is boolean | 0 | 1 {
  return typeof value === 'boolean' || value === 0 || value === 1;
}

/** Filled into the guard bytes between Length and the end of the last page (checked for corruption). */
export const GUARD_PATTERN = 0xa5;

/** The handle NdisMRegisterScatterGatherDma returns (NdisMiniportDmaHandle). */
export class SgDmaRegistration {
  /** False once deregistered: the handle is stale. */
  live = true;
  constructor(
    /** The engine that created it (a handle of another run is foreign). */
    readonly engine: object,
    readonly name: string,
    readonly adapter: MiniportAdapter,
    /** NDIS_SG_DMA_DESCRIPTION.Flags as registered. */
    readonly flags: number,
    readonly maximumPhysicalMapping: number,
    /** SharedMemAllocateCompleteHandler, kept for NdisMAllocateSharedMemoryAsyncEx (D5). */
    readonly completeHandler: MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE | null,
    readonly scatterGatherListSize: number,
    /** Whether it was registered inside MiniportInitializeEx (Init_RegisterSG). */
    readonly inInitialize: boolean,
    readonly site: SiteCapture | null,
  ) {}
}

/** The handle NdisMRegisterDmaChannel returns (MiniportDmaHandle). */
export class DmaChannelRegistration {
  live = true;
  constructor(
    readonly engine: object,
    readonly name: string,
    readonly adapter: MiniportAdapter,
    /** What the channel claim is keyed by: the DmaDescription.DmaChannel number, or the adapter. */
    readonly claim: unknown,
    readonly dma32BitAddresses: boolean,
    readonly maximumLength: number,
    readonly site: SiteCapture | null,
  ) {}
}

/** A block of shared memory from NdisMAllocateSharedMemory or NdisMAllocateSharedMemoryAsyncEx. */
export class SharedMemory implements Region {
  /** Set once its corrupted guard bytes were reported, so one corruption is reported once. */
  corruptionReported = false;
  readonly guarded = true;
  private data: Uint8Array | null = null;
  constructor(
    readonly base: number,
    readonly length: number,
    /** Page-rounded bytes (plus a guard page when Length is a page multiple): writes up to here land. */
    readonly mapped: number,
    readonly cached: boolean,
    /** Device-visible base address (PhysicalAddress). */
    readonly physical: number,
    readonly pages: number,
    readonly owner: MiniportAdapter,
    readonly state: AdapterDma,
    /** Ordinal of the allocating call in the run (see faults.ts). */
    readonly ordinal: number,
    readonly site: SiteCapture | null,
    /** Delivered by MiniportSharedMemoryAllocateComplete rather than returned synchronously. */
    readonly async: boolean,
    /** At an address a trace gave (no pages of the simulated machine behind it, no bytes). */
    readonly foreign = false,
  ) {}

  /** Real bytes, created on first access: the guard bytes get the pattern then. */
  get bytes(): Uint8Array | null {
    return this.data;
  }
  set bytes(bytes: Uint8Array | null) {
    if (bytes !== null && this.data === null) bytes.fill(GUARD_PATTERN, this.length);
    this.data = bytes;
  }

  /** A write reached the guard bytes: the next guard check looks at this block (MemoryAccess). */
  guardWritten(): void {
    if (!this.corruptionReported) this.state.dirty.add(this);
  }
}

/** An NdisMAllocateSharedMemoryAsyncEx request (pending while in its adapter's `pending` set). */
export class AsyncSharedRequest {
  constructor(
    readonly registration: SgDmaRegistration,
    readonly length: number,
    readonly cached: boolean,
    readonly context: unknown,
    readonly site: SiteCapture | null,
  ) {}
}

/** What the DMA family keeps per adapter. */
export class AdapterDma {
  /** The live scatter-gather registration (one per adapter, D38). */
  sg: SgDmaRegistration | null = null;
  /** Live DMA channel registrations. */
  readonly channels: DmaChannelRegistration[] = [];
  /** Shared memory charged to the adapter. */
  readonly shared = new Accounting();
  /**
   * Live blocks whose guard bytes were written since the last check: the only ones a check can find
   * corrupted, so NdisMAllocateSharedMemory does not rescan every block it ever handed out.
   */
  readonly dirty = new Set<SharedMemory>();
  /** Asynchronous allocations not yet completed, in request order. */
  readonly pending = new Set<AsyncSharedRequest>();
  constructor(readonly adapter: MiniportAdapter) {}

  /** True if the adapter has a live SG DMA or DMA channel registration. */
  get registered(): boolean {
    return this.sg !== null || this.channels.length > 0;
  }
}
