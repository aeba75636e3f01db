/**
 * Miniport shared memory (SPEC §5, D3-D8, D35): NdisMAllocateSharedMemory,
 * NdisMAllocateSharedMemoryAsyncEx with its MiniportSharedMemoryAllocateComplete, and
 * NdisMFreeSharedMemory. Each block is physically contiguous pages below the registration's address
 * limit, mapped page-rounded so that a write past Length lands in guard bytes (as NDIS's own pages
 * do) that are checked at the next NdisMAllocateSharedMemory (the blocks written there since the
 * last check) and at the free.
 */
import { PAGE_SIZE } from '../machine/physical.js';
import { NDIS_STATUS_FAILURE, NDIS_STATUS_PENDING } from '../ndis/constants.js';
import type { NDIS_PHYSICAL_ADDRESS, PVOID } from '../ndis/types.js';
import {
  DmaProblem,
  FreeMismatch,
  type SharedAllocatedEvent,
  type SharedAllocateEvent,
  type SharedCorruptionEvent,
  type SharedFreeEvent,
} from '../verifier/events/dma.js';
import { FreeOutcome } from '../verifier/events/pool.js';
import { captureSite, type SiteCapture } from '../verifier/site.js';
import type { Dma } from './dma.js';
import {
  type AdapterDma,
  AsyncSharedRequest,
  DmaChannelRegistration,
  GUARD_PATTERN,
  isBoolean,
  SgDmaRegistration,
  SharedMemory,
} from './dma-objects.js';
import type { Engine } from './engine.js';
import { Accounting, adapterOf, type MiniportAdapter } from './objects.js';
import { isUlong } from './pool.js';

/** What NdisMAllocateSharedMemory returns: both NULL (0) when nothing was allocated. */
export interface AllocateSharedMemoryResult {
  VirtualAddress: PVOID;
  PhysicalAddress: NDIS_PHYSICAL_ADDRESS;
}

/** Power of two, so the ring index wraps with a mask. */
const FREED_HISTORY = 1024;
const FREED_MASK = FREED_HISTORY - 1;
/** A completion that requests more from inside itself cannot keep a drain going for ever. */
const DRAIN_ROUNDS = 64;

/** Bytes mapped for a block: page-rounded, plus a whole guard page when Length is a page multiple. */
export function mappedBytes(length: number): number {
  return (Math.floor(length / PAGE_SIZE) + 1) * PAGE_SIZE;
}

/** The shared-memory part of the DMA family. */
export class SharedMemoryFamily {
  /** All live shared memory of the run. */
  readonly total = new Accounting();
  private readonly freedRing: (SharedMemory | undefined)[] = new Array(FREED_HISTORY);
  private freedAt = 0;
  private readonly allocateEvent: SharedAllocateEvent = {
    ddi: '',
    irql: 0,
    handle: null,
    Length: 0,
    Cached: false,
    Context: undefined,
    owner: null,
    problem: DmaProblem.None,
    field: '',
    withinInitialize: false,
    registered: false,
    registration: null,
  };
  private readonly allocatedEvent: SharedAllocatedEvent = {
    ddi: 'NdisMAllocateSharedMemory',
    irql: 0,
    handle: null,
    Length: 0,
    Cached: false,
    owner: null,
    VirtualAddress: 0,
    withinInitialize: false,
  };
  private readonly corruptionEvent: SharedCorruptionEvent = {
    ddi: '',
    irql: 0,
    memory: null as unknown as SharedMemory,
    offset: 0,
  };
  private readonly freeEvent: SharedFreeEvent = {
    ddi: 'NdisMFreeSharedMemory',
    irql: 0,
    MiniportAdapterHandle: null,
    Length: 0,
    Cached: false,
    VirtualAddress: 0,
    PhysicalAddress: 0,
    owner: null,
    memory: null,
    outcome: FreeOutcome.Ok,
    mismatch: 0,
    withinShutdown: false,
  };

  constructor(
    private readonly engine: Engine,
    private readonly dma: Dma,
  ) {}

  /**
   * NdisMAllocateSharedMemory. `replayed` is what a trace says the call returned (both 0 when it
   * failed): the block is then taken at the trace's addresses, as a foreign region without bytes
   * (no guard bytes, no pages of the simulated machine), and nothing is decided here.
   */
  allocate(
    MiniportAdapterHandle: unknown,
    Length: unknown,
    Cached: unknown,
    replayed?: AllocateSharedMemoryResult,
  ): AllocateSharedMemoryResult {
    const engine = this.engine;
    const owner = adapterOf(engine, MiniportAdapterHandle);
    engine.enterDdi('NdisMAllocateSharedMemory', owner, MiniportAdapterHandle, Length, Cached);
    const state = owner === null ? null : this.dma.stateOf(owner);
    const e = this.allocateEvent;
    e.ddi = 'NdisMAllocateSharedMemory';
    e.irql = engine.context.irql;
    e.handle = MiniportAdapterHandle;
    e.Length = Length;
    e.Cached = Cached;
    e.Context = undefined;
    e.owner = owner;
    e.withinInitialize = engine.context.within('MiniportInitializeEx');
    e.registered = state?.registered ?? false;
    e.registration = null;
    const problem = classifyLengthAndCached(e, owner === null, Length, Cached);
    // Raised IRQL (D4) and a call outside MiniportInitializeEx (D3) are recorded; the call proceeds.
    engine.verifier.on.sharedAllocate(engine.verifier, e);
    e.owner = null;

    // NDIS checks the guard bytes of the adapter's earlier blocks here, live or replayed (0x7C / 0x02).
    if (state !== null) this.checkGuards(state, 'NdisMAllocateSharedMemory');
    let memory: SharedMemory | null = null;
    if (replayed !== undefined) {
      // Counted where the live call asks the fault hook; the trace says how it ended.
      if (state !== null && problem === DmaProblem.None && state.registered) ++engine.allocationCalls;
      const va = replayed.VirtualAddress as number;
      if (state !== null && va !== 0) {
        memory = this.replayBlock(state, Length, Cached, va, replayed.PhysicalAddress as number, false);
      }
    } else if (state !== null) {
      if (problem === DmaProblem.None && state.registered) {
        memory = this.allocateBlock(
          state,
          Length as number,
          Cached === true || Cached === 1,
          this.dma.limitOf(state),
          'NdisMAllocateSharedMemory',
          null,
          false,
        );
      }
    }
    const a = this.allocatedEvent;
    a.irql = engine.context.irql;
    a.handle = MiniportAdapterHandle;
    a.Length = Length;
    a.Cached = Cached;
    a.owner = owner;
    a.VirtualAddress = memory === null ? 0 : memory.base;
    a.withinInitialize = e.withinInitialize;
    engine.verifier.on.sharedAllocated(engine.verifier, a);
    a.owner = null;
    return memory === null
      ? { VirtualAddress: 0, PhysicalAddress: 0 }
      : { VirtualAddress: memory.base, PhysicalAddress: memory.physical };
  }

  /**
   * NdisMAllocateSharedMemoryAsyncEx: PENDING (completion queued at PASSIVE) or FAILURE. `replayed`
   * is the status a trace says it returned: a PENDING request then waits for the trace's
   * MiniportSharedMemoryAllocateComplete (replayCompletion) instead of being scheduled.
   */
  allocateAsync(
    MiniportDmaHandle: unknown,
    Length: unknown,
    Cached: unknown,
    Context: unknown,
    replayed?: number,
  ): number {
    const engine = this.engine;
    const sg =
      MiniportDmaHandle instanceof SgDmaRegistration &&
      MiniportDmaHandle.engine === engine &&
      MiniportDmaHandle.live
        ? MiniportDmaHandle
        : null;
    const channel =
      MiniportDmaHandle instanceof DmaChannelRegistration &&
      MiniportDmaHandle.engine === engine &&
      MiniportDmaHandle.live
        ? MiniportDmaHandle
        : null;
    const owner = sg?.adapter ?? channel?.adapter ?? null;
    engine.enterDdi('NdisMAllocateSharedMemoryAsyncEx', owner, MiniportDmaHandle, Length, Cached, Context);
    const e = this.allocateEvent;
    e.ddi = 'NdisMAllocateSharedMemoryAsyncEx';
    e.irql = engine.context.irql;
    e.handle = MiniportDmaHandle;
    e.Length = Length;
    e.Cached = Cached;
    e.Context = Context;
    e.owner = owner;
    e.withinInitialize = engine.context.within('MiniportInitializeEx');
    e.registered = owner !== null && this.dma.stateOf(owner).registered;
    e.registration = sg ?? channel;
    let problem: DmaProblem = DmaProblem.None;
    if (owner === null) {
      problem = e.problem = DmaProblem.InvalidHandle;
      e.field = '';
    } else if (sg === null || sg.completeHandler === null) {
      // D5: only an SG DMA registration can name the completion to call.
      problem = e.problem = DmaProblem.NoCompletionHandler;
      e.field = '';
    } else {
      problem = classifyLengthAndCached(e, false, Length, Cached);
    }
    engine.verifier.on.sharedAllocate(engine.verifier, e);
    e.owner = null;
    e.registration = null;
    e.Context = undefined;
    // Past the drain before MiniportHaltEx (D6) no completion would be delivered: the request
    // cannot be served ("could not be allocated at this time"), and is not a resource-allocating call.
    const closed = owner !== null && engine.lifecycle.completionsClosed(owner);
    if (replayed !== undefined) {
      const counted = problem === DmaProblem.None && !closed;
      return this.replayRequest(sg, counted, Length, Cached, Context, replayed);
    }
    if (problem !== DmaProblem.None || sg === null || closed) return NDIS_STATUS_FAILURE;

    // The request itself can fail ("could not be allocated at this time"); the memory is only
    // allocated when NDIS gets to it, and that can fail too (a completion with NULL).
    if (engine.allocationCall('NdisMAllocateSharedMemoryAsyncEx', sg.adapter, Length as number) < 0)
      return NDIS_STATUS_FAILURE;
    const request = new AsyncSharedRequest(
      sg,
      Length as number,
      Cached === true || Cached === 1,
      Context,
      engine.captureAllocationSites ? captureSite() : null,
    );
    this.dma.stateOf(sg.adapter).pending.add(request);
    // D6: completed later from a PASSIVE work item, never inside the requesting call.
    engine.scheduler.queuePassive(() => this.complete(request));
    return NDIS_STATUS_PENDING;
  }

  /**
   * Replay: the trace's status; a PENDING request of a live SG registration waits for its
   * completion. `counted`: the live call would have asked the fault hook.
   */
  private replayRequest(
    sg: SgDmaRegistration | null,
    counted: boolean,
    Length: unknown,
    Cached: unknown,
    Context: unknown,
    status: number,
  ): number {
    const engine = this.engine;
    if (counted) ++engine.allocationCalls;
    if (status === NDIS_STATUS_PENDING && sg !== null) {
      const request = new AsyncSharedRequest(
        sg,
        isUlong(Length) ? Length : 0,
        Cached === true || Cached === 1,
        Context,
        engine.captureAllocationSites ? captureSite() : null,
      );
      this.dma.stateOf(sg.adapter).pending.add(request);
    }
    return status;
  }

  /**
   * Replay: MiniportSharedMemoryAllocateComplete delivered `VirtualAddress` (0: the allocation
   * failed) to `adapter`. It completes the adapter's oldest pending request with the same Context
   * and Length (else the same Length, else the oldest) and maps the block at the trace's
   * addresses. Returns false when no request of the adapter was pending: the block is still taken,
   * since the driver now holds it.
   */
  replayCompletion(
    adapter: MiniportAdapter,
    VirtualAddress: number,
    PhysicalAddress: number,
    Length: unknown,
    Context: unknown,
  ): boolean {
    const state = this.dma.stateOf(adapter);
    let match: AsyncSharedRequest | null = null;
    let sameLength: AsyncSharedRequest | null = null;
    let oldest: AsyncSharedRequest | null = null;
    for (const request of state.pending) {
      oldest ??= request;
      if (Length !== undefined && request.length !== Length) continue;
      sameLength ??= request;
      if (request.context === Context) {
        match = request;
        break;
      }
    }
    const request = match ?? sameLength ?? oldest;
    if (request !== null) {
      state.pending.delete(request);
      ++this.engine.allocationCalls;
    }
    if (VirtualAddress !== 0) {
      const length = request?.length ?? Length;
      const cached = request?.cached ?? false;
      this.replayBlock(state, length, cached, VirtualAddress, PhysicalAddress, true, request?.site ?? null);
    }
    return request !== null;
  }

  /** Delivers every pending asynchronous completion of `adapter`; returns how many were delivered. */
  drainCompletions(adapter: MiniportAdapter): number {
    const state = this.dma.peek(adapter);
    if (state === undefined) return 0;
    let delivered = 0;
    for (let round = 0; round < DRAIN_ROUNDS && state.pending.size > 0; round++) {
      for (const request of [...state.pending]) {
        this.complete(request);
        delivered++;
      }
    }
    return delivered;
  }

  /** NdisMFreeSharedMemory. */
  free(
    MiniportAdapterHandle: unknown,
    Length: unknown,
    Cached: unknown,
    VirtualAddress: unknown,
    PhysicalAddress: unknown,
  ): void {
    const engine = this.engine;
    const owner = adapterOf(engine, MiniportAdapterHandle);
    engine.enterDdi(
      'NdisMFreeSharedMemory',
      owner,
      MiniportAdapterHandle,
      Length,
      Cached,
      VirtualAddress,
      PhysicalAddress,
    );
    const e = this.freeEvent;
    e.irql = engine.context.irql;
    e.MiniportAdapterHandle = MiniportAdapterHandle;
    e.Length = Length;
    e.Cached = Cached;
    e.VirtualAddress = VirtualAddress;
    e.PhysicalAddress = PhysicalAddress;
    e.owner = owner;
    e.mismatch = 0;
    e.withinShutdown = engine.context.within('MiniportShutdownEx');
    const found = typeof VirtualAddress === 'number' ? engine.virtual.get(VirtualAddress) : undefined;
    if (found instanceof SharedMemory) {
      e.memory = found;
      e.outcome = FreeOutcome.Ok;
      // D8: the block is found by VirtualAddress; every other parameter must match it exactly.
      let mismatch = 0;
      if (Length !== found.length) mismatch |= FreeMismatch.Length;
      if (!isBoolean(Cached) || (Cached === true || Cached === 1) !== found.cached)
        mismatch |= FreeMismatch.Cached;
      if (PhysicalAddress !== found.physical) mismatch |= FreeMismatch.PhysicalAddress;
      if (owner !== null && owner !== found.owner) mismatch |= FreeMismatch.MiniportAdapterHandle;
      e.mismatch = mismatch;
    } else {
      this.classifyMiss(e, VirtualAddress);
    }
    engine.verifier.on.sharedFree(engine.verifier, e);
    const memory = e.memory;
    const outcome = e.outcome;
    e.memory = null;
    e.owner = null;
    if (outcome !== FreeOutcome.Ok || memory === null) return;
    this.checkGuard(memory, 'NdisMFreeSharedMemory');
    this.release(memory);
  }

  /**
   * After a lifecycle edge reported the adapter's leaks (Dma.reclaim): its pending asynchronous
   * requests are dropped (their queued completions do nothing) and its blocks are unmapped and their
   * pages freed, as a free would.
   */
  reclaim(state: AdapterDma): void {
    state.pending.clear();
    if (state.shared.liveCount === 0) return;
    for (const memory of [...this.live(state.adapter)]) this.release(memory);
  }

  /** Live shared memory, optionally only that of `owner` (leak reports, cold path). */
  *live(owner?: MiniportAdapter): IterableIterator<SharedMemory> {
    for (const region of this.engine.virtual.values()) {
      if (region instanceof SharedMemory && (owner === undefined || region.owner === owner)) yield region;
    }
  }

  /** Runs one asynchronous completion (from the scheduler or a drain), once. */
  private complete(request: AsyncSharedRequest): void {
    const sg = request.registration;
    const adapter = sg.adapter;
    const state = this.dma.stateOf(adapter);
    // Pending until completed, dropped (reclaim) or matched by a replayed completion: it runs once.
    if (!state.pending.delete(request)) return;
    // Halted or shut down since the request: NDIS calls no handler of the adapter any more (SPEC §2.5).
    if (this.engine.lifecycle.completionsClosed(adapter)) return;
    // A registration deregistered meanwhile has no DMA adapter left to allocate from: NULL.
    const memory = sg.live
      ? this.allocateBlock(
          state,
          request.length,
          request.cached,
          this.dma.sgLimit(sg),
          'NdisMAllocateSharedMemoryAsyncEx',
          request.site,
          true,
        )
      : null;
    const handler = sg.completeHandler;
    if (handler === null) return;
    const virtualAddress = memory === null ? 0 : memory.base;
    // types.ts: PhysicalAddress is null on failure (the page's "NULL pointers", D6).
    const physicalAddress = memory === null ? null : memory.physical;
    // Its arguments go to a recorder too: replay matches the completion to its request by them.
    this.engine.invoke(
      'MiniportSharedMemoryAllocateComplete',
      adapter.driver,
      adapter,
      0,
      () => handler(adapter.context, virtualAddress, physicalAddress, request.length, request.context),
      {
        VirtualAddress: virtualAddress,
        PhysicalAddress: physicalAddress,
        Length: request.length,
        Context: request.context,
      },
    );
  }

  /** Allocates and maps one block (fault hook, physical pages, virtual slot); null on failure. */
  private allocateBlock(
    state: AdapterDma,
    length: number,
    cached: boolean,
    limit: number,
    ddi: string,
    site: SiteCapture | null,
    async: boolean,
  ): SharedMemory | null {
    const engine = this.engine;
    const ordinal = engine.allocationCall(ddi, state.adapter, length);
    if (ordinal < 0) return null;
    const mapped = mappedBytes(length);
    const pages = mapped / PAGE_SIZE;
    const physical = engine.physical.allocateContiguous(pages, limit);
    if (physical < 0) return null;
    const base = engine.virtual.reserve(mapped);
    if (base === 0) {
      engine.physical.free(physical, pages);
      return null;
    }
    const memory = new SharedMemory(
      base,
      length,
      mapped,
      cached,
      physical,
      pages,
      state.adapter,
      state,
      ordinal,
      site ?? (engine.captureAllocationSites ? captureSite() : null),
      async,
    );
    engine.virtual.map(memory);
    this.total.charge(length);
    state.shared.charge(length);
    return memory;
  }

  /** Replay: a block at the trace's addresses, mapped page-rounded so a subrange free is recognised. */
  private replayBlock(
    state: AdapterDma,
    Length: unknown,
    Cached: unknown,
    base: number,
    physical: number,
    async: boolean,
    site: SiteCapture | null = null,
  ): SharedMemory {
    const engine = this.engine;
    const length = isUlong(Length) ? Length : 0;
    const memory = new SharedMemory(
      base,
      length,
      mappedBytes(length),
      Cached === true || Cached === 1,
      physical,
      0,
      state.adapter,
      state,
      engine.allocationCalls,
      site ?? (engine.captureAllocationSites ? captureSite() : null),
      async,
      true,
    );
    engine.virtual.mapForeign(base, memory);
    this.total.charge(length);
    state.shared.charge(length);
    return memory;
  }

  private release(memory: SharedMemory): void {
    const engine = this.engine;
    memory.state.dirty.delete(memory);
    engine.virtual.unmap(memory);
    engine.access.released(memory);
    if (!memory.foreign) engine.physical.free(memory.physical, memory.pages);
    this.total.credit(memory.length);
    memory.state.shared.credit(memory.length);
    this.freedRing[this.freedAt] = memory;
    this.freedAt = (this.freedAt + 1) & FREED_MASK;
  }

  /**
   * NDIS checks every earlier block of the adapter at NdisMAllocateSharedMemory (0x7C / 0x02): only
   * the blocks written past Length since the last check can have changed.
   */
  private checkGuards(state: AdapterDma, ddi: string): void {
    const dirty = state.dirty;
    if (dirty.size === 0) return;
    for (const memory of dirty) this.checkGuard(memory, ddi);
    dirty.clear();
  }

  private checkGuard(memory: SharedMemory, ddi: string): void {
    const bytes = memory.bytes;
    if (bytes === null || memory.corruptionReported) return;
    const end = memory.mapped;
    for (let i = memory.length; i < end; i++) {
      if (bytes[i] === GUARD_PATTERN) continue;
      memory.corruptionReported = true;
      const e = this.corruptionEvent;
      e.ddi = ddi;
      e.irql = this.engine.context.irql;
      e.memory = memory;
      e.offset = i;
      this.engine.verifier.on.sharedCorruption(this.engine.verifier, e);
      return;
    }
  }

  /** Cold path: why a free did not hit the base of a live block. */
  private classifyMiss(e: SharedFreeEvent, address: unknown): void {
    const virtual = this.engine.virtual;
    const inside = typeof address === 'number' ? virtual.containing(address) : undefined;
    if (inside instanceof SharedMemory && (address as number) < inside.base + inside.mapped) {
      e.memory = inside;
      e.outcome = FreeOutcome.Interior;
      return;
    }
    e.memory = this.recentlyFreed(address);
    if (e.memory !== null || (typeof address === 'number' && address !== 0 && virtual.wasFreed(address))) {
      e.outcome = FreeOutcome.Double;
      return;
    }
    e.outcome = FreeOutcome.Unknown;
  }

  private recentlyFreed(address: unknown): SharedMemory | null {
    for (let i = 1; i <= FREED_HISTORY; i++) {
      const memory = this.freedRing[(this.freedAt - i) & FREED_MASK];
      if (memory === undefined) return null;
      if (memory.base === address) return memory;
    }
    return null;
  }
}

/** Sets the problem for a bad handle, Length or Cached on `e`; returns it. */
function classifyLengthAndCached(
  e: SharedAllocateEvent,
  invalidHandle: boolean,
  Length: unknown,
  Cached: unknown,
): DmaProblem {
  e.field = '';
  if (invalidHandle) e.problem = DmaProblem.InvalidHandle;
  else if (!isUlong(Length) || Length === 0) {
    e.problem = DmaProblem.InvalidArgument;
    e.field = 'Length';
  } else if (!isBoolean(Cached)) {
    e.problem = DmaProblem.InvalidArgument;
    e.field = 'Cached';
  } else e.problem = DmaProblem.None;
  return e.problem;
}
