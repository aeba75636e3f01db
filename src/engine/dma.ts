/**
 * DMA registration (SPEC §4): NdisMRegisterScatterGatherDma / NdisMDeregisterScatterGatherDma,
 * NdisMRegisterDmaChannel / NdisMDeregisterDmaChannel, the per-adapter DMA state, and the error log
 * (NdisWriteErrorLogEntry). Miniport shared memory (§5) lives in shared-memory.ts and is reached as
 * `dma.shared`. Outcomes are decided here; rules (src/verifier/rules/dma/) observe the check points.
 */
import { FOUR_GIB } from '../machine/physical.js';
import {
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_STATUS_BAD_VERSION,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCE_CONFLICT,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../ndis/constants.js';
import type { MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE, NDIS_HANDLE } from '../ndis/types.js';
import {
  DeregisterOutcome,
  type DmaDeregisterEvent,
  DmaProblem,
  type DmaRegisterEvent,
  type ErrorLogEvent,
} from '../verifier/events/dma.js';
import { captureSite } from '../verifier/site.js';
import { AdapterDma, DmaChannelRegistration, SgDmaRegistration } from './dma-objects.js';
import { checkChannelArguments, checkSgDescription, sgListSize } from './dma-validate.js';
import type { Engine } from './engine.js';
import { adapterOf, type MiniportAdapter } from './objects.js';
import { isUlong } from './pool.js';
import { SharedMemoryFamily } from './shared-memory.js';

/** NDIS_ERROR_CODE_RESOURCE_CONFLICT (EVENT_NDIS_RESOURCE_CONFLICT, netevent.h). */
export const NDIS_ERROR_CODE_RESOURCE_CONFLICT = 0xc0001388;
/** NDIS_ERROR_CODE_OUT_OF_RESOURCES (EVENT_NDIS_OUT_OF_RESOURCE, netevent.h). */
export const NDIS_ERROR_CODE_OUT_OF_RESOURCES = 0xc0001389;

/** 16 MiB: the reach of a system DMA channel without 32 address lines (ISA's 24). */
export const SIXTEEN_MIB = 2 ** 24;

/** What NdisMRegisterScatterGatherDma returns. */
export interface RegisterScatterGatherDmaResult {
  Status: number;
  /** The SG DMA handle, or NULL when Status is not NDIS_STATUS_SUCCESS. */
  NdisMiniportDmaHandle: NDIS_HANDLE;
}

/** What NdisMRegisterDmaChannel returns. */
export interface RegisterDmaChannelResult {
  Status: number;
  /** The DMA channel handle, or NULL when Status is not NDIS_STATUS_SUCCESS. */
  MiniportDmaHandle: NDIS_HANDLE;
}

/** One entry of the simulated system event log. */
export interface ErrorLogEntry {
  readonly adapter: MiniportAdapter;
  readonly ErrorCode: number;
  readonly values: readonly unknown[];
  /** Simulated time of the entry (100-ns ticks). */
  readonly time: number;
  /** Who wrote it: the driver (NdisWriteErrorLogEntry) or NDIS itself (e.g. a DMA channel conflict). */
  readonly writer: 'driver' | 'NDIS';
}

/** The DMA family of one engine. */
export class Dma {
  readonly shared: SharedMemoryFamily;
  /** The simulated system event log: NdisWriteErrorLogEntry entries and NDIS's own. */
  readonly errorLog: ErrorLogEntry[] = [];
  private readonly states = new Map<MiniportAdapter, AdapterDma>();
  /** Claimed system DMA channels (by channel number, or by adapter when not specified). */
  private readonly claims = new Map<unknown, DmaChannelRegistration>();
  private lastAdapter: MiniportAdapter | null = null;
  private lastState: AdapterDma | null = null;
  private handles = 0;
  private readonly registerEvent: DmaRegisterEvent = {
    ddi: '',
    irql: 0,
    MiniportAdapterHandle: null,
    DmaDescription: null,
    DmaChannel: undefined,
    Dma32BitAddresses: undefined,
    MaximumLength: undefined,
    owner: null,
    problem: DmaProblem.None,
    field: '',
    status: 0,
    withinInitialize: false,
    existing: null,
  };
  private readonly deregisterEvent: DmaDeregisterEvent = {
    ddi: '',
    irql: 0,
    handle: null,
    registration: null,
    outcome: DeregisterOutcome.Ok,
    withinInitialize: false,
    withinHalt: false,
    liveSharedMemory: 0,
    liveSharedBytes: 0,
  };
  private readonly errorLogEvent: ErrorLogEvent = {
    ddi: 'NdisWriteErrorLogEntry',
    irql: 0,
    NdisAdapterHandle: null,
    ErrorCode: 0,
    NumberOfErrorValues: 0,
    owner: null,
    problem: DmaProblem.None,
    field: '',
  };

  constructor(readonly engine: Engine) {
    this.shared = new SharedMemoryFamily(engine, this);
  }

  /** The adapter's DMA state, created on first use. */
  stateOf(adapter: MiniportAdapter): AdapterDma {
    if (adapter === this.lastAdapter) return this.lastState as AdapterDma;
    let state = this.states.get(adapter);
    if (state === undefined) {
      state = new AdapterDma(adapter);
      this.states.set(adapter, state);
    }
    this.lastAdapter = adapter;
    this.lastState = state;
    return state;
  }

  /** The adapter's DMA state if it ever used DMA (read-only look-up for rules). */
  peek(adapter: MiniportAdapter): AdapterDma | undefined {
    return this.states.get(adapter);
  }

  /** Exclusive physical limit of shared memory for the adapter's registration (4 GiB unless 64-bit). */
  limitOf(state: AdapterDma): number {
    const sg = state.sg;
    if (sg !== null) return this.sgLimit(sg);
    const channel = state.channels[0];
    return channel !== undefined && !channel.dma32BitAddresses ? SIXTEEN_MIB : FOUR_GIB;
  }

  /** 64-bit only when the description asked for it and the device drives 64 address lines. */
  sgLimit(sg: SgDmaRegistration): number {
    return (sg.flags & NDIS_SG_DMA_64_BIT_ADDRESS) !== 0 && sg.adapter.device.addressBits === 64
      ? Number.POSITIVE_INFINITY
      : FOUR_GIB;
  }

  /** Delivers every pending asynchronous shared-memory completion of `adapter` now (D6: before halt). */
  drainCompletions(adapter: MiniportAdapter): number {
    return this.shared.drainCompletions(adapter);
  }

  /**
   * What NDIS takes back from an adapter once a lifecycle edge reported its leaks (decisions.md,
   * "Leaks are reported once"): its DMA registrations and channel claims, its pending asynchronous
   * allocations and its shared memory, so a correct re-initialize starts clean and a leaked channel
   * does not conflict for the rest of the run.
   */
  reclaim(adapter: MiniportAdapter): void {
    const state = this.states.get(adapter);
    if (state === undefined) return;
    const sg = state.sg;
    if (sg !== null) {
      sg.live = false;
      state.sg = null;
    }
    for (const channel of state.channels) {
      channel.live = false;
      if (this.claims.get(channel.claim) === channel) this.claims.delete(channel.claim);
    }
    state.channels.length = 0;
    this.shared.reclaim(state);
  }

  /**
   * NdisMRegisterScatterGatherDma. `replayed` is the status a trace says it returned: the rules see
   * the status decided here when it is a failure, else the trace's; the registration exists if the
   * trace says it succeeded (for a live adapter).
   */
  registerScatterGatherDma(
    MiniportAdapterHandle: unknown,
    DmaDescription: unknown,
    replayed?: number,
  ): RegisterScatterGatherDmaResult {
    const engine = this.engine;
    const owner = adapterOf(engine, MiniportAdapterHandle);
    engine.enterDdi('NdisMRegisterScatterGatherDma', owner, MiniportAdapterHandle, DmaDescription, null);
    const e = this.beginRegister(
      'NdisMRegisterScatterGatherDma',
      MiniportAdapterHandle,
      DmaDescription,
      owner,
    );
    const d = DmaDescription as Record<string, unknown> | null;
    let status = NDIS_STATUS_SUCCESS;
    if (owner === null) {
      e.problem = DmaProblem.InvalidHandle;
      // A handle NDIS did not give out is no registered NDIS 6 miniport: the page's NOT_SUPPORTED.
      status = NDIS_STATUS_NOT_SUPPORTED;
    } else if (checkSgDescription(e, DmaDescription)) {
      status = NDIS_STATUS_BAD_VERSION;
    } else if (
      (owner.attributeFlags & NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER) === 0 ||
      !owner.device.busMaster
    ) {
      status = NDIS_STATUS_NOT_SUPPORTED;
    } else if (this.stateOf(owner).sg !== null) {
      e.problem = DmaProblem.AlreadyRegistered; // D38
      e.existing = this.stateOf(owner).sg;
      status = NDIS_STATUS_NOT_SUPPORTED;
    } else if (
      engine.allocationCall('NdisMRegisterScatterGatherDma', owner, 0, 0, -1, replayed === undefined) < 0
    ) {
      status = NDIS_STATUS_RESOURCES;
    }
    if (replayed !== undefined && status === NDIS_STATUS_SUCCESS) status = replayed;
    e.status = status;
    engine.verifier.on.dmaRegister(engine.verifier, e);
    e.existing = null;
    if (replayed !== undefined) status = replayed;
    if (status !== NDIS_STATUS_SUCCESS || owner === null)
      return { Status: status, NdisMiniportDmaHandle: null };

    // A replayed registration the engine would have refused may come with a malformed description.
    const mapping = isUlong(d?.MaximumPhysicalMapping) ? d.MaximumPhysicalMapping : 0;
    const handler = d?.SharedMemAllocateCompleteHandler;
    const registration = new SgDmaRegistration(
      engine,
      `${owner.name}.SgDma${++this.handles}`,
      owner,
      isUlong(d?.Flags) ? d.Flags : 0,
      mapping,
      typeof handler === 'function' ? (handler as MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE) : null,
      sgListSize(mapping),
      e.withinInitialize,
      engine.captureAllocationSites ? captureSite() : null,
    );
    this.stateOf(owner).sg = registration;
    // Reflect.set: a frozen description must not turn into a TypeError.
    if (d !== null && typeof d === 'object')
      Reflect.set(d, 'ScatterGatherListSize', registration.scatterGatherListSize);
    return { Status: status, NdisMiniportDmaHandle: registration };
  }

  /** NdisMDeregisterScatterGatherDma. */
  deregisterScatterGatherDma(NdisMiniportDmaHandle: unknown): void {
    const engine = this.engine;
    const registration =
      NdisMiniportDmaHandle instanceof SgDmaRegistration && NdisMiniportDmaHandle.engine === engine
        ? NdisMiniportDmaHandle
        : null;
    engine.enterDdi('NdisMDeregisterScatterGatherDma', registration?.adapter ?? null, NdisMiniportDmaHandle);
    if (!this.deregister('NdisMDeregisterScatterGatherDma', NdisMiniportDmaHandle, registration)) return;
    const sg = registration as SgDmaRegistration;
    sg.live = false;
    const state = this.stateOf(sg.adapter);
    if (state.sg === sg) state.sg = null;
  }

  /**
   * NdisMRegisterDmaChannel (the out-parameter MiniportDmaHandle comes back in the result).
   * `replayed`: the status a trace says it returned, as for registerScatterGatherDma.
   */
  registerDmaChannel(
    MiniportAdapterHandle: unknown,
    DmaChannel: unknown,
    Dma32BitAddresses: unknown,
    DmaDescription: unknown,
    MaximumLength: unknown,
    replayed?: number,
  ): RegisterDmaChannelResult {
    const engine = this.engine;
    const owner = adapterOf(engine, MiniportAdapterHandle);
    engine.enterDdi(
      'NdisMRegisterDmaChannel',
      owner,
      null,
      MiniportAdapterHandle,
      DmaChannel,
      Dma32BitAddresses,
      DmaDescription,
    );
    const e = this.beginRegister('NdisMRegisterDmaChannel', MiniportAdapterHandle, DmaDescription, owner);
    e.DmaChannel = DmaChannel;
    e.Dma32BitAddresses = Dma32BitAddresses;
    e.MaximumLength = MaximumLength;
    const d = DmaDescription as Record<string, unknown> | null;
    let status = NDIS_STATUS_SUCCESS;
    let claim: unknown = owner;
    if (owner === null) {
      e.problem = DmaProblem.InvalidHandle;
      status = NDIS_STATUS_FAILURE;
    } else if (checkChannelArguments(e, Dma32BitAddresses, DmaDescription, MaximumLength)) {
      // DmaPort other than 0 names the MCA bus: "bus type out of range".
      status = NDIS_STATUS_FAILURE;
    } else if ((owner.attributeFlags & NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER) !== 0) {
      // A bus master on a bus other than ISA: simulated devices sit on PCI.
      status = NDIS_STATUS_FAILURE;
    } else {
      // Without DmaChannelSpecified the channel comes from the adapter's own resource list.
      claim = channelClaim(d as Record<string, unknown>, owner);
      if (this.claims.has(claim)) status = NDIS_STATUS_RESOURCE_CONFLICT;
      else if (engine.allocationCall('NdisMRegisterDmaChannel', owner, 0, 0, -1, replayed === undefined) < 0)
        status = NDIS_STATUS_RESOURCES;
    }
    if (replayed !== undefined && status === NDIS_STATUS_SUCCESS) status = replayed;
    e.status = status;
    engine.verifier.on.dmaRegister(engine.verifier, e);
    if (status === NDIS_STATUS_RESOURCE_CONFLICT && replayed === undefined) {
      this.log(owner as MiniportAdapter, NDIS_ERROR_CODE_RESOURCE_CONFLICT, [], 'NDIS'); // documented
    }
    if (replayed !== undefined) {
      status = replayed;
      // What the trace's registration claims, even where the arguments kept the engine from looking.
      if (owner !== null && typeof d === 'object' && d !== null) claim = channelClaim(d, owner);
    }
    if (status !== NDIS_STATUS_SUCCESS || owner === null) return { Status: status, MiniportDmaHandle: null };

    const registration = new DmaChannelRegistration(
      engine,
      `${owner.name}.DmaChannel${++this.handles}`,
      owner,
      claim,
      Dma32BitAddresses === true || Dma32BitAddresses === 1,
      MaximumLength === -1 ? 0xffffffff : isUlong(MaximumLength) ? MaximumLength : 0,
      engine.captureAllocationSites ? captureSite() : null,
    );
    this.claims.set(claim, registration);
    this.stateOf(owner).channels.push(registration);
    return { Status: status, MiniportDmaHandle: registration };
  }

  /** NdisMDeregisterDmaChannel. */
  deregisterDmaChannel(MiniportDmaHandle: unknown): void {
    const engine = this.engine;
    const registration =
      MiniportDmaHandle instanceof DmaChannelRegistration && MiniportDmaHandle.engine === engine
        ? MiniportDmaHandle
        : null;
    engine.enterDdi('NdisMDeregisterDmaChannel', registration?.adapter ?? null, MiniportDmaHandle);
    if (!this.deregister('NdisMDeregisterDmaChannel', MiniportDmaHandle, registration)) return;
    const channel = registration as DmaChannelRegistration;
    channel.live = false;
    this.claims.delete(channel.claim);
    const channels = this.stateOf(channel.adapter).channels;
    channels.splice(channels.indexOf(channel), 1);
  }

  /**
   * NdisWriteErrorLogEntry: records the entry in the simulated event log. `replayed`: the call comes
   * from a trace, which does not carry the error values (trace format v1): their count is not
   * checked, and nothing is appended to the log, so a replay's memory does not grow with its length.
   */
  writeErrorLogEntry(
    NdisAdapterHandle: unknown,
    ErrorCode: unknown,
    NumberOfErrorValues: unknown,
    values: readonly unknown[],
    replayed = false,
  ): void {
    const engine = this.engine;
    const owner = adapterOf(engine, NdisAdapterHandle);
    engine.enterDdi('NdisWriteErrorLogEntry', owner, NdisAdapterHandle, ErrorCode, NumberOfErrorValues);
    const e = this.errorLogEvent;
    e.irql = engine.context.irql;
    e.NdisAdapterHandle = NdisAdapterHandle;
    e.ErrorCode = ErrorCode;
    e.NumberOfErrorValues = NumberOfErrorValues;
    e.owner = owner;
    e.problem = DmaProblem.None;
    e.field = '';
    if (owner === null) {
      e.problem = DmaProblem.InvalidHandle;
    } else if (!isUlong(ErrorCode)) {
      e.problem = DmaProblem.InvalidArgument;
      e.field = 'ErrorCode';
    } else if (replayed) {
      if (!isUlong(NumberOfErrorValues)) {
        e.problem = DmaProblem.InvalidArgument;
        e.field = 'NumberOfErrorValues';
      }
    } else if (NumberOfErrorValues !== values.length) {
      e.problem = DmaProblem.InvalidArgument;
      e.field = 'NumberOfErrorValues';
    } else if (!values.every(isUlong)) {
      e.problem = DmaProblem.InvalidArgument;
      e.field = 'ErrorValue';
    }
    engine.verifier.on.errorLog(engine.verifier, e);
    e.owner = null;
    // The entry is written whatever else is wrong with it, as long as NDIS knows the adapter.
    if (owner !== null && !replayed) this.log(owner, ErrorCode, values, 'driver');
  }

  private log(
    adapter: MiniportAdapter,
    ErrorCode: unknown,
    values: readonly unknown[],
    writer: 'driver' | 'NDIS',
  ): void {
    this.errorLog.push(
      Object.freeze({
        adapter,
        ErrorCode: isUlong(ErrorCode) ? ErrorCode : 0,
        values: Object.freeze([...values]),
        time: this.engine.scheduler.now,
        writer,
      }),
    );
  }

  /** Fills the reused registration event's common fields. */
  private beginRegister(
    ddi: string,
    handle: unknown,
    description: unknown,
    owner: MiniportAdapter | null,
  ): DmaRegisterEvent {
    const e = this.registerEvent;
    e.ddi = ddi;
    e.irql = this.engine.context.irql;
    e.MiniportAdapterHandle = handle;
    e.DmaDescription = description;
    e.DmaChannel = undefined;
    e.Dma32BitAddresses = undefined;
    e.MaximumLength = undefined;
    e.owner = owner;
    e.problem = DmaProblem.None;
    e.field = '';
    e.status = 0;
    e.withinInitialize = this.engine.context.within('MiniportInitializeEx');
    e.existing = null;
    return e;
  }

  /** Classifies and announces a deregistration; true if the registration is to go. */
  private deregister(
    ddi: string,
    handle: unknown,
    registration: SgDmaRegistration | DmaChannelRegistration | null,
  ): boolean {
    const engine = this.engine;
    const context = engine.context;
    const e = this.deregisterEvent;
    e.ddi = ddi;
    e.irql = context.irql;
    e.handle = handle;
    e.registration = registration;
    e.outcome =
      registration === null
        ? DeregisterOutcome.Invalid
        : registration.live
          ? DeregisterOutcome.Ok
          : DeregisterOutcome.Stale;
    e.withinInitialize = context.within('MiniportInitializeEx');
    e.withinHalt = context.within('MiniportHaltEx');
    // D35 counts the shared memory of either family: NdisMAllocateSharedMemory and NdisAllocateSharedMemory.
    const shared = registration === null ? null : this.stateOf(registration.adapter).shared;
    const provided = registration === null ? null : engine.provider.accountingOf(registration.adapter);
    e.liveSharedMemory = (shared?.liveCount ?? 0) + (provided?.liveCount ?? 0);
    e.liveSharedBytes = (shared?.liveBytes ?? 0) + (provided?.liveBytes ?? 0);
    engine.verifier.on.dmaDeregister(engine.verifier, e);
    const ok = e.outcome === DeregisterOutcome.Ok;
    e.registration = null;
    return ok;
  }
}

/** What a channel registration claims: DmaDescription.DmaChannel, or the adapter's own channel. */
function channelClaim(d: Record<string, unknown>, owner: MiniportAdapter): unknown {
  return d.DmaChannelSpecified === true || d.DmaChannelSpecified === 1 ? d.DmaChannel : owner;
}
