/**
 * The objects of the provider family (SPEC §6): a registered shared-memory provider, one block of
 * shared memory (whose object is the AllocationHandle NDIS gives the driver), the distinct
 * SharedMemoryHandle NDIS writes into the parameters, and the mapped bytes of HAL memory (D24).
 */
import type { PhysicalRun } from '../machine/physical.js';
import type { Region } from '../machine/virtual.js';
import type { ALLOCATE_SHARED_MEMORY_HANDLER, FREE_SHARED_MEMORY_HANDLER } from '../ndis/types.js';
import type { SiteCapture } from '../verifier/site.js';
import { Accounting, type MiniportDriver, type NdisObject } from './objects.js';

/** NDIS's copy of an NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS (NDIS copies, the driver may reuse its own). */
export class SharedMemoryProvider {
  constructor(
    readonly driver: MiniportDriver,
    readonly flags: number,
    readonly providerContext: unknown,
    readonly allocate: ALLOCATE_SHARED_MEMORY_HANDLER,
    readonly free: FREE_SHARED_MEMORY_HANDLER,
    readonly site: SiteCapture | null,
  ) {}
}

/**
 * The SharedMemoryHandle NDIS writes into NDIS_SHARED_MEMORY_PARAMETERS for provider memory (the
 * handle receive indications carry). Distinct from the AllocationHandle so that a driver that frees
 * with the wrong one is caught instead of working by luck.
 */
export class SharedMemoryHandle {
  constructor(readonly allocation: ProviderSharedMemory) {}
  get name(): string {
    return `${this.allocation.name}.SharedMemoryHandle`;
  }
}

/**
 * HAL memory (D24): its virtual mapping — exactly Length bytes, so any access past them is an
 * overrun — and the physical pages behind it, in the order they back the block.
 */
export class HalMapping implements Region {
  bytes: Uint8Array | null = null;
  constructor(
    readonly base: number,
    readonly length: number,
    readonly runs: readonly PhysicalRun[],
    readonly site: SiteCapture | null,
  ) {}
  get mapped(): number {
    return this.length;
  }
}

/** One block from NdisAllocateSharedMemory: the object is the AllocationHandle. */
export class ProviderSharedMemory {
  /** False once freed (or reclaimed after a leak report): the handle is stale. */
  live = true;
  /** Set by `reclaim` (the host, after a leak report) rather than by NdisFreeSharedMemory. */
  reclaimed = false;
  /** Neighbours in its owner's list of live blocks (an intrusive list: no hashing on the hot path). */
  prev: ProviderSharedMemory | null = null;
  next: ProviderSharedMemory | null = null;
  readonly sharedMemoryHandle: SharedMemoryHandle | null;
  constructor(
    readonly engine: object,
    /** Serial number of the block in its run (names it in reports). */
    readonly serial: number,
    /** The NdisHandle it was allocated with, and the NDIS object it is charged to. */
    readonly handle: unknown,
    readonly owner: NdisObject,
    /** The provider that allocated it, or null for HAL memory (NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED). */
    readonly provider: SharedMemoryProvider | null,
    /** What the provider returned at pSharedMemoryProviderContext (passed back to NetFreeSharedMemory). */
    readonly providerContext: unknown,
    readonly length: number,
    readonly usage: number,
    readonly flags: number,
    /** VirtualAddress as returned to the driver. */
    readonly virtualAddress: unknown,
    /** HAL memory: the mapping and the physical pages behind it (null for provider memory). */
    readonly mapping: HalMapping | null,
    /** Ordinal of the allocating call in the run (see faults.ts). */
    readonly ordinal: number,
    readonly site: SiteCapture | null,
  ) {
    this.sharedMemoryHandle = provider === null ? null : new SharedMemoryHandle(this);
  }

  /** Its name in reports ('<owner>.SharedMemory<n>'), built only when a report asks. */
  get name(): string {
    return `${this.owner.name}.SharedMemory${this.serial}`;
  }
}

/** What the family keeps per NDIS object: its live blocks (newest first) and their accounting. */
export class OwnerSharedMemory {
  readonly accounting = new Accounting();
  head: ProviderSharedMemory | null = null;

  add(block: ProviderSharedMemory): void {
    const head = this.head;
    block.next = head;
    if (head !== null) head.prev = block;
    this.head = block;
  }

  remove(block: ProviderSharedMemory): void {
    const { prev, next } = block;
    if (prev !== null) prev.next = next;
    else this.head = next;
    if (next !== null) next.prev = prev;
    block.prev = null;
    block.next = null;
  }

  /** The live blocks, oldest first (a copy: safe to free while iterating). */
  blocks(): ProviderSharedMemory[] {
    const out: ProviderSharedMemory[] = [];
    for (let b = this.head; b !== null; b = b.next) out.push(b);
    return out.reverse();
  }
}
