/**
 * Shared memory from shared-memory providers (SPEC §6, D17, D19-D25): NdisSetOptionalHandlers
 * registering an NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS, NdisAllocateSharedMemory and
 * NdisFreeSharedMemory. With a provider registered for the caller's driver, NDIS calls its
 * NetAllocateSharedMemory / NetFreeSharedMemory in the caller's context; without one, NDIS allocates
 * from the HAL (D24, provider-hal.ts). Outcomes are decided here; rules
 * (src/verifier/rules/provider/) observe.
 *
 * Who fills what (SPEC §6.3, §6.6, D21, D24). Provider memory: the provider allocates per the
 * parameters NDIS hands it (the caller's own structure) and fills VirtualAddress and the caller's
 * SGListBuffer; NDIS then sets SharedMemoryHandle (a handle of its own, distinct from the allocation
 * handle) and returns the AllocationHandle. HAL memory: NDIS fills VirtualAddress and SGListBuffer and
 * sets SharedMemoryHandle to NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED (NULL). On failure NDIS writes
 * nothing into the parameters and the AllocationHandle is NULL.
 */
import {
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../ndis/constants.js';
import type {
  ALLOCATE_SHARED_MEMORY_HANDLER,
  FREE_SHARED_MEMORY_HANDLER,
  NDIS_HANDLE,
  NDIS_SHARED_MEMORY_PARAMETERS,
} from '../ndis/types.js';
import { FreeOutcome } from '../verifier/events/pool.js';
import {
  AllocateProblem,
  OptionalHandlersProblem,
  type ProviderAllocateEvent,
  type ProviderFreeEvent,
  type ProviderReturnEvent,
  ReturnProblem,
  type SetOptionalHandlersEvent,
} from '../verifier/events/provider.js';
import { captureSite } from '../verifier/site.js';
import type { Engine } from './engine.js';
import { Accounting, MiniportAdapter, MiniportDriver, type NdisObject, resolveHandle } from './objects.js';
import { isUlong } from './pool.js';
import { checkOptionalHandlers, checkParameters, checkReturn, writeOut } from './provider-check.js';
import { allocateHal, releaseHal } from './provider-hal.js';
import {
  HalMapping,
  OwnerSharedMemory,
  ProviderSharedMemory,
  SharedMemoryHandle,
  SharedMemoryProvider,
} from './provider-objects.js';

/** What NdisAllocateSharedMemory returns: its status and the out-parameter *pAllocationHandle. */
export interface NdisAllocateSharedMemoryResult {
  Status: number;
  /** The handle to free the memory with, or NULL when Status is not NDIS_STATUS_SUCCESS. */
  AllocationHandle: NDIS_HANDLE;
}

/**
 * What a trace says NdisAllocateSharedMemory did (replay): its status, the VirtualAddress written
 * into the parameters, the SG list if the trace gives it, and what the provider's
 * NetAllocateSharedMemory returned if the trace shows its exit (then checked as in a live run).
 */
export interface ReplayedSharedMemory {
  Status: number;
  VirtualAddress: unknown;
  /** `{ NumberOfElements, Elements: [{ Address, Length }] }`, or undefined when the trace has none. */
  SGListBuffer: unknown;
  providerResult: { Status: number; SharedMemoryProviderContext: unknown } | null;
}

/** NDIS 6.20: the first version with shared-memory providers (the structure's page). */
const PROVIDER_MINOR_VERSION = 20;
/** What the reused return event holds between calls (so it keeps no caller's structure alive). */
const NO_PARAMETERS: Record<string, unknown> = Object.freeze({});

/**
 * True if `adapter` has a live scatter-gather DMA or DMA channel registration: the precondition of
 * NdisAllocateSharedMemory for a miniport (D23). Reads the DMA family's per-adapter state.
 */
export function dmaRegistered(engine: Engine, adapter: MiniportAdapter): boolean {
  return engine.dma.peek(adapter)?.registered === true;
}

/** The adapter a callback for `owner` runs for (null for a driver-wide block). */
function callbackAdapter(owner: NdisObject): MiniportAdapter | null {
  return owner instanceof MiniportAdapter ? owner : null;
}

/** The provider family of one engine. */
export class Provider {
  /** All live provider-family shared memory of the run (provider and HAL). */
  readonly total = new Accounting();
  /** The provider registered by each driver (NdisSetOptionalHandlers may replace it). */
  private readonly providers = new Map<MiniportDriver, SharedMemoryProvider>();
  private readonly owners = new Map<NdisObject, OwnerSharedMemory>();
  private lastOwner: NdisObject | null = null;
  private lastOwnerState: OwnerSharedMemory | null = null;
  private count = 0;
  private readonly setEvent: SetOptionalHandlersEvent = {
    ddi: 'NdisSetOptionalHandlers',
    irql: 0,
    NdisHandle: null,
    OptionalHandlers: null,
    owner: null,
    problem: OptionalHandlersProblem.None,
    field: '',
    expected: '',
    context: '',
    isProvider: false,
    status: 0,
  };
  private readonly allocateEvent: ProviderAllocateEvent = {
    ddi: 'NdisAllocateSharedMemory',
    irql: 0,
    NdisHandle: null,
    SharedMemoryParameters: null,
    owner: null,
    problem: AllocateProblem.None,
    field: '',
    expected: '',
    header: false,
    provider: null,
    status: 0,
  };
  private readonly returnEvent: ProviderReturnEvent = {
    ddi: 'NdisAllocateSharedMemory',
    irql: 0,
    provider: null as unknown as SharedMemoryProvider,
    owner: null as unknown as NdisObject,
    SharedMemoryParameters: NO_PARAMETERS,
    result: undefined,
    problem: ReturnProblem.None,
    field: '',
    status: 0,
  };
  private readonly freeEvent: ProviderFreeEvent = {
    ddi: 'NdisFreeSharedMemory',
    irql: 0,
    NdisHandle: null,
    AllocationHandle: null,
    allocation: null,
    outcome: FreeOutcome.Ok,
    sharedMemoryHandle: false,
    handleMismatch: false,
  };

  /** The handler call engine.invoke makes, bound once so that no closure is made per call. */
  private callProvider: SharedMemoryProvider | null = null;
  private callArgument: unknown = null;
  private readonly callAllocate = (): unknown => {
    const provider = this.callProvider as SharedMemoryProvider;
    // Read before calling: a provider that allocates in turn overwrites the fields.
    return provider.allocate(provider.providerContext, this.callArgument as NDIS_SHARED_MEMORY_PARAMETERS);
  };
  private readonly callFree = (): void => {
    const provider = this.callProvider as SharedMemoryProvider;
    provider.free(provider.providerContext, this.callArgument);
  };

  constructor(readonly engine: Engine) {}

  /** The provider `driver` registered, if any. */
  providerOf(driver: MiniportDriver): SharedMemoryProvider | undefined {
    return this.providers.get(driver);
  }

  /**
   * NdisSetOptionalHandlers. `replayed` is the status a trace says it returned: the rules see the
   * status decided here when it is a failure, else the trace's; the provider is registered if the
   * trace says the call succeeded.
   */
  setOptionalHandlers(NdisHandle: unknown, OptionalHandlers: unknown, replayed?: number): number {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisHandle);
    engine.enterDdi('NdisSetOptionalHandlers', owner, NdisHandle, OptionalHandlers);
    const e = this.setEvent;
    e.irql = engine.context.irql;
    e.NdisHandle = NdisHandle;
    e.OptionalHandlers = OptionalHandlers;
    e.owner = owner;
    e.problem = OptionalHandlersProblem.None;
    e.field = '';
    e.expected = '';
    e.isProvider = false;
    const driver = owner instanceof MiniportDriver ? owner : null;
    e.context = owner === null ? '' : this.contextProblem(driver);
    let status = NDIS_STATUS_SUCCESS;
    if (owner === null) {
      // A handle NDIS did not give out is no miniport registered as NDIS 6.0 or later.
      e.problem = OptionalHandlersProblem.InvalidHandle;
      status = NDIS_STATUS_NOT_SUPPORTED;
    } else if (checkOptionalHandlers(e, OptionalHandlers)) {
      status = NDIS_STATUS_FAILURE;
    } else if (e.context !== '') {
      status = NDIS_STATUS_FAILURE; // D25
    } else if (e.isProvider && registeredBelow620(driver)) {
      e.problem = OptionalHandlersProblem.UnsupportedVersion;
      status = NDIS_STATUS_NOT_SUPPORTED;
    } else if (
      engine.allocationCall('NdisSetOptionalHandlers', owner, 0, 0, -1, replayed === undefined) < 0
    ) {
      status = NDIS_STATUS_RESOURCES; // NDIS could not allocate its copy of the structure
    }
    if (replayed !== undefined && status === NDIS_STATUS_SUCCESS) status = replayed;
    e.status = status;
    engine.verifier.on.setOptionalHandlers(engine.verifier, e);
    e.owner = null;
    if (replayed !== undefined) status = replayed;
    if (status === NDIS_STATUS_SUCCESS && e.isProvider && driver !== null) {
      const c = OptionalHandlers as Record<string, unknown>;
      // "Set or change": a later registration replaces the provider; blocks keep the one that made them.
      this.providers.set(
        driver,
        new SharedMemoryProvider(
          driver,
          c.Flags as number,
          c.ProviderContext,
          c.AllocateSharedMemoryHandler as ALLOCATE_SHARED_MEMORY_HANDLER,
          c.FreeSharedMemoryHandler as FREE_SHARED_MEMORY_HANDLER,
          engine.captureAllocationSites ? captureSite() : null,
        ),
      );
    }
    return status;
  }

  /** Why the call breaks D25, or '': a miniport calls it inside MiniportSetOptions with its driver handle. */
  private contextProblem(driver: MiniportDriver | null): string {
    const context = this.engine.context;
    if (!context.within('MiniportSetOptions')) return 'outside MiniportSetOptions';
    if (driver === null) return 'with a miniport adapter handle, not the NdisDriverHandle';
    const frame = context.frame;
    if (frame.callback === 'MiniportSetOptions' && frame.driver !== driver) {
      return "with another driver's handle, not the NdisDriverHandle";
    }
    return '';
  }

  /**
   * NdisAllocateSharedMemory. `replayed` is what a trace says happened: no provider code runs, and
   * the block exists if the trace's status is SUCCESS (for a live NDIS handle), with no pages or
   * mapping of the simulated machine behind its VirtualAddress.
   */
  allocateSharedMemory(
    NdisHandle: unknown,
    SharedMemoryParameters: unknown,
    replayed?: ReplayedSharedMemory,
  ): NdisAllocateSharedMemoryResult {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisHandle);
    engine.enterDdi('NdisAllocateSharedMemory', owner, NdisHandle, SharedMemoryParameters);
    const e = this.allocateEvent;
    e.irql = engine.context.irql;
    e.NdisHandle = NdisHandle;
    e.SharedMemoryParameters = SharedMemoryParameters;
    e.owner = owner;
    e.problem = AllocateProblem.None;
    e.field = '';
    e.expected = '';
    e.header = false;
    e.status = NDIS_STATUS_SUCCESS;
    const driver =
      owner === null ? null : owner instanceof MiniportAdapter ? owner.driver : (owner as MiniportDriver);
    const provider = driver === null ? null : (this.providers.get(driver) ?? null);
    e.provider = provider;
    let dmaAdapter: MiniportAdapter | null = null;
    if (owner === null) {
      e.problem = AllocateProblem.InvalidHandle;
      e.field = 'NdisHandle';
      e.status = NDIS_STATUS_INVALID_PARAMETER;
    } else if (!checkParameters(e, SharedMemoryParameters, provider === null)) {
      dmaAdapter = this.dmaAdapter(owner);
      if (dmaAdapter === null) {
        e.problem = AllocateProblem.DmaNotRegistered; // D23
        e.status = NDIS_STATUS_FAILURE;
      }
    }
    engine.verifier.on.providerAllocate(engine.verifier, e);
    e.owner = null;
    e.provider = null;
    e.SharedMemoryParameters = null;
    if (replayed !== undefined)
      return this.replayAllocation(owner, NdisHandle, SharedMemoryParameters, e.problem, provider, replayed);
    if (e.problem !== AllocateProblem.None) return { Status: e.status, AllocationHandle: null };

    const p = SharedMemoryParameters as Record<string, unknown>;
    const length = p.Length as number;
    // NDIS allocates its own record of the block before anything else: the fault hook's RESOURCES.
    const ordinal = engine.allocationCall('NdisAllocateSharedMemory', owner as NdisObject, length);
    if (ordinal < 0) return { Status: NDIS_STATUS_RESOURCES, AllocationHandle: null };
    return provider !== null
      ? this.fromProvider(provider, owner as NdisObject, NdisHandle, p, length, ordinal)
      : this.fromHal(dmaAdapter as MiniportAdapter, owner as NdisObject, NdisHandle, p, ordinal);
  }

  /** Replay: the trace's outcome; what the provider returned (if the trace shows it) is checked. */
  private replayAllocation(
    owner: NdisObject | null,
    NdisHandle: unknown,
    SharedMemoryParameters: unknown,
    problem: AllocateProblem,
    provider: SharedMemoryProvider | null,
    replayed: ReplayedSharedMemory,
  ): NdisAllocateSharedMemoryResult {
    const engine = this.engine;
    if (owner === null) return { Status: replayed.Status, AllocationHandle: null };
    const p = (
      typeof SharedMemoryParameters === 'object' && SharedMemoryParameters !== null
        ? SharedMemoryParameters
        : {}
    ) as Record<string, unknown>;
    const length = isUlong(p.Length) ? p.Length : 0;
    const ordinal = problem === AllocateProblem.None ? ++engine.allocationCalls : engine.allocationCalls;
    const result = replayed.providerResult;
    if (problem === AllocateProblem.None && provider !== null && result !== null) {
      // The provider filled the caller's structure: what the trace says it left there.
      writeOut(p, 'VirtualAddress', replayed.VirtualAddress);
      // A list the trace does not give is not checked: one element covering Length stands for it.
      const list = replayed.SGListBuffer ?? {
        NumberOfElements: 1,
        Elements: [{ Address: 0, Length: length }],
      };
      writeOut(p, 'SGListBuffer', list);
      const e = this.returnEvent;
      e.irql = engine.context.irql;
      e.provider = provider;
      e.owner = owner;
      e.SharedMemoryParameters = p;
      checkReturn(e, result, p, length);
      engine.verifier.on.providerReturn(engine.verifier, e);
      e.result = undefined;
      e.SharedMemoryParameters = NO_PARAMETERS;
    }
    if (replayed.Status !== NDIS_STATUS_SUCCESS) return { Status: replayed.Status, AllocationHandle: null };
    const site = engine.captureAllocationSites ? captureSite() : null;
    // HAL memory is NDIS's own mapping: at the trace's address, so the trace's accesses to it are
    // judged (a provider's memory is the provider's own allocation, already in the trace).
    const va = replayed.VirtualAddress;
    const mapping =
      provider === null && typeof va === 'number' && va !== 0 && engine.virtual.get(va) === undefined
        ? new HalMapping(va, length, [], site)
        : null;
    if (mapping !== null) engine.virtual.mapForeign(va as number, mapping);
    const allocation = new ProviderSharedMemory(
      engine,
      ++this.count,
      NdisHandle,
      owner,
      provider,
      result?.SharedMemoryProviderContext ?? null,
      length,
      isUlong(p.Usage) ? p.Usage : 0,
      isUlong(p.Flags) ? p.Flags : 0,
      replayed.VirtualAddress,
      mapping,
      ordinal,
      site,
    );
    this.track(allocation);
    return { Status: NDIS_STATUS_SUCCESS, AllocationHandle: allocation };
  }

  /** The adapter whose DMA registration satisfies D23 for `owner` (any adapter of a driver), or null. */
  private dmaAdapter(owner: NdisObject): MiniportAdapter | null {
    if (owner instanceof MiniportAdapter) return dmaRegistered(this.engine, owner) ? owner : null;
    for (const adapter of (owner as MiniportDriver).adapters) {
      if (adapter.live && dmaRegistered(this.engine, adapter)) return adapter;
    }
    return null;
  }

  /** Calls NetAllocateSharedMemory in the caller's context (its IRQL included) and keeps what it gives. */
  private fromProvider(
    provider: SharedMemoryProvider,
    owner: NdisObject,
    NdisHandle: unknown,
    p: Record<string, unknown>,
    length: number,
    ordinal: number,
  ): NdisAllocateSharedMemoryResult {
    const engine = this.engine;
    const site = engine.captureAllocationSites ? captureSite() : null;
    // Kept before the provider runs: it holds the structure and may change any member.
    const usage = p.Usage as number;
    const flags = p.Flags as number;
    this.callProvider = provider;
    this.callArgument = p;
    const result = engine.invoke(
      'NetAllocateSharedMemory',
      provider.driver,
      callbackAdapter(owner),
      engine.context.irql,
      this.callAllocate,
    );
    this.callArgument = null;
    const e = this.returnEvent;
    e.irql = engine.context.irql;
    e.provider = provider;
    e.owner = owner;
    e.SharedMemoryParameters = p;
    checkReturn(e, result, p, length);
    engine.verifier.on.providerReturn(engine.verifier, e);
    e.result = undefined;
    e.SharedMemoryParameters = NO_PARAMETERS;
    if (e.status !== NDIS_STATUS_SUCCESS) return { Status: e.status, AllocationHandle: null };
    const allocation = new ProviderSharedMemory(
      engine,
      ++this.count,
      NdisHandle,
      owner,
      provider,
      (result as { SharedMemoryProviderContext?: unknown }).SharedMemoryProviderContext,
      length,
      usage,
      flags,
      p.VirtualAddress,
      null,
      ordinal,
      site,
    );
    writeOut(p, 'SharedMemoryHandle', allocation.sharedMemoryHandle);
    this.track(allocation);
    return { Status: NDIS_STATUS_SUCCESS, AllocationHandle: allocation };
  }

  /** D24: memory from the HAL, as NDIS hands out when no provider is registered. */
  private fromHal(
    dmaAdapter: MiniportAdapter,
    owner: NdisObject,
    NdisHandle: unknown,
    p: Record<string, unknown>,
    ordinal: number,
  ): NdisAllocateSharedMemoryResult {
    const engine = this.engine;
    const site = engine.captureAllocationSites ? captureSite() : null;
    const mapping = allocateHal(engine, dmaAdapter, p, site);
    if (mapping === null) return { Status: NDIS_STATUS_RESOURCES, AllocationHandle: null };
    const allocation = new ProviderSharedMemory(
      engine,
      ++this.count,
      NdisHandle,
      owner,
      null,
      null,
      mapping.length,
      p.Usage as number,
      p.Flags as number,
      mapping.base,
      mapping,
      ordinal,
      site,
    );
    this.track(allocation);
    return { Status: NDIS_STATUS_SUCCESS, AllocationHandle: allocation };
  }

  /** NdisFreeSharedMemory. `replayed`: from a trace, so the provider's NetFreeSharedMemory is not run. */
  freeSharedMemory(NdisHandle: unknown, AllocationHandle: unknown, replayed = false): void {
    const engine = this.engine;
    const allocation =
      AllocationHandle instanceof ProviderSharedMemory && AllocationHandle.engine === engine
        ? AllocationHandle
        : null;
    const owner = allocation !== null ? allocation.owner : resolveHandle(engine, NdisHandle);
    engine.enterDdi('NdisFreeSharedMemory', owner, NdisHandle, AllocationHandle);
    const e = this.freeEvent;
    e.irql = engine.context.irql;
    e.NdisHandle = NdisHandle;
    e.AllocationHandle = AllocationHandle;
    e.allocation = allocation;
    e.outcome =
      allocation === null ? FreeOutcome.Unknown : allocation.live ? FreeOutcome.Ok : FreeOutcome.Double;
    e.sharedMemoryHandle =
      AllocationHandle instanceof SharedMemoryHandle && AllocationHandle.allocation.engine === engine;
    e.handleMismatch =
      e.outcome === FreeOutcome.Ok && NdisHandle !== (allocation as ProviderSharedMemory).handle;
    engine.verifier.on.providerFree(engine.verifier, e);
    e.allocation = null;
    // D21: an unknown or already-freed handle is recorded and ignored; a mismatched NdisHandle still frees.
    if (e.outcome !== FreeOutcome.Ok) return;
    const block = allocation as ProviderSharedMemory;
    this.release(block);
    const provider = block.provider;
    if (provider !== null && !replayed) {
      this.callProvider = provider;
      this.callArgument = block.providerContext;
      engine.invoke(
        'NetFreeSharedMemory',
        provider.driver,
        callbackAdapter(block.owner),
        engine.context.irql,
        this.callFree,
      );
      this.callArgument = null;
    }
  }

  /** Live blocks, optionally only those charged to `owner` (leak reports, cold path). */
  *live(owner?: NdisObject): IterableIterator<ProviderSharedMemory> {
    if (owner !== undefined) {
      const state = this.owners.get(owner);
      if (state !== undefined) yield* state.blocks();
      return;
    }
    for (const state of this.owners.values()) yield* state.blocks();
  }

  /** Accounting of the blocks charged to `owner` (all zero if it never had any). */
  accountingOf(owner: NdisObject): Accounting {
    return this.owners.get(owner)?.accounting ?? new Accounting();
  }

  /**
   * What NDIS leaves of an owner once its leaks are reported: HAL pages go back and their mapping
   * away, provider blocks are forgotten (NDIS cannot free what the provider still thinks is in use,
   * so NetFreeSharedMemory is not called), and each leak is reported once. For the host, after it
   * announces a lifecycle edge; the driver never calls it.
   */
  reclaim(owner: NdisObject): void {
    const state = this.owners.get(owner);
    if (state === undefined) return;
    for (const block of state.blocks()) {
      block.reclaimed = true;
      this.release(block);
    }
  }

  private track(block: ProviderSharedMemory): void {
    const state = this.stateOf(block.owner);
    state.add(block);
    state.accounting.charge(block.length);
    this.total.charge(block.length);
  }

  /** Takes a block out of the tables and gives HAL memory back. */
  private release(block: ProviderSharedMemory): void {
    block.live = false;
    const state = this.stateOf(block.owner);
    state.remove(block);
    state.accounting.credit(block.length);
    this.total.credit(block.length);
    if (block.mapping !== null) releaseHal(this.engine, block.mapping);
  }

  private stateOf(owner: NdisObject): OwnerSharedMemory {
    if (owner === this.lastOwner) return this.lastOwnerState as OwnerSharedMemory;
    let state = this.owners.get(owner);
    if (state === undefined) {
      state = new OwnerSharedMemory();
      this.owners.set(owner, state);
    }
    this.lastOwner = owner;
    this.lastOwnerState = state;
    return state;
  }
}

/** True when the driver registered (NdisMRegisterMiniportDriver) a minor version below 6.20. */
function registeredBelow620(driver: MiniportDriver | null): boolean {
  // Read structurally: a driver the engine made directly has no registered characteristics.
  const characteristics = (driver as { characteristics?: { MinorNdisVersion?: unknown } | null } | null)
    ?.characteristics;
  const minor = characteristics?.MinorNdisVersion;
  return typeof minor === 'number' && minor < PROVIDER_MINOR_VERSION;
}
