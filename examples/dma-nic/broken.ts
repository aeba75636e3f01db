/**
 * dma-nic, BROKEN TWIN — driver.ts with three planted bugs that `ndis-sim run` finds (search for "BUG"):
 * 1. NICShrinkRxPool frees every chunk with RX_CHUNK_BYTES, but a chunk grown under a heavy burst
 *    is twice that: NdisMFreeSharedMemory with the wrong Length (NdisMFreeSharedMemory_ParameterMismatch,
 *    full-lifecycle and traffic scenarios).
 * 2. NICFreeRecvResources still frees "its" RX ring, which is now inside the descriptor area:
 *    NdisMFreeSharedMemory of an address inside a block (NdisMFreeSharedMemory_Subrange, at every halt).
 * 3. MPShutdownEx frees the receive chunks on NdisShutdownPowerOff, misreading the DDI page's "may
 *    free resources" (rule NdisMFreeSharedMemory, shutdown-power-off scenario).
 *
 * The correct driver's description follows.
 *
 * What it shows:
 * - registration attributes with NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER, then
 *   NdisMRegisterScatterGatherDma with NDIS_SG_DMA_64_BIT_ADDRESS and a
 *   SharedMemAllocateCompleteHandler (needed for NdisMAllocateSharedMemoryAsyncEx);
 * - descriptor rings and receive buffers in miniport shared memory (NdisMAllocateSharedMemory in
 *   MiniportInitializeEx), descriptors written into the real bytes with writeBigUInt64LE /
 *   writeUInt32LE and read back by the receive path;
 * - NdisWriteErrorLogEntry whenever NdisMAllocateSharedMemory fails in MiniportInitializeEx;
 * - growth of the receive pool under load with NdisMAllocateSharedMemoryAsyncEx (from a DISPATCH_LEVEL
 *   timer that simulates traffic bursts; the memory arrives in MiniportSharedMemoryAllocateComplete)
 *   and shrinking with NdisMFreeSharedMemory once the load subsides;
 * - exact frees at halt (each block with the Length, Cached and PhysicalAddress of its allocation),
 *   shared memory freed before NdisMDeregisterScatterGatherDma;
 * - MiniportShutdownEx that only stops the device's DMA (it frees nothing: rule NdisMFreeSharedMemory),
 *   registered for bug-check shutdowns too.
 *
 * Descriptor layout (16 bytes, little endian): +0 BufferAddress (ULONG64, the buffer's physical
 * address), +8 Length (ULONG), +12 Status (ULONG: OWNED_BY_NIC, DONE).
 */
import {
  type DRIVER_OBJECT,
  MediaConnectStateConnected,
  type MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE,
  type MINIPORT_HALT,
  type MINIPORT_INITIALIZE,
  type MINIPORT_PAUSE,
  type MINIPORT_RESTART,
  type MINIPORT_SHUTDOWN,
  NDIS_ERROR_CODE_OUT_OF_RESOURCES,
  type NDIS_HANDLE,
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE,
  NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK,
  type NDIS_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  type NDIS_PHYSICAL_ADDRESS,
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_STATUS,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NDIS_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_TIMER_OBJECT_HANDLE,
  NdisAllocateMemoryWithTagPriority,
  NdisAllocateTimerObject,
  NdisCancelTimerObject,
  NdisFreeMemoryWithTagPriority,
  NdisFreeTimerObject,
  NdisInterfacePci,
  NdisMAllocateSharedMemory,
  NdisMAllocateSharedMemoryAsyncEx,
  NdisMDeregisterMiniportDriver,
  NdisMDeregisterScatterGatherDma,
  NdisMFreeSharedMemory,
  NdisMRegisterMiniportDriver,
  NdisMRegisterScatterGatherDma,
  NdisMSetMiniportAttributes,
  NdisSetTimerObject,
  NdisShutdownPowerOff,
  NdisWriteErrorLogEntry,
  NdisZeroMemory,
  NormalPoolPriority,
  readBigUInt64LE,
  readUInt32LE,
  type Scenario,
  writeBigUInt64LE,
  writeUInt32LE,
} from 'ndis-sim';

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

/** A pool tag from its four characters as a debugger shows them (the first in the low byte). */
function poolTag(text: string): number {
  return (
    (text.charCodeAt(0) |
      (text.charCodeAt(1) << 8) |
      (text.charCodeAt(2) << 16) |
      (text.charCodeAt(3) << 24)) >>>
    0
  );
}

const NIC_TAG_ADAPTER = poolTag('DNad');
const NIC_TAG_TIMER = poolTag('DNtm');
/** NdisMedium802_3 (ntddndis.h NDIS_MEDIUM). */
const NdisMedium802_3 = 0;
const NIC_LINK_SPEED = 10_000_000_000;
/** Largest buffer one scatter-gather mapping covers. */
const NIC_MAX_PHYS_MAPPING = 64 * 1024;

const DESC_SIZE = 16;
const DESC_OFFSET_ADDRESS = 0;
const DESC_OFFSET_LENGTH = 8;
const DESC_OFFSET_STATUS = 12;
const DESC_OWNED_BY_NIC = 0x1;
const DESC_DONE = 0x2;
const TX_RING_SIZE = 64;
const RX_RING_SIZE = 128;
/** Both rings share one block, as many NICs want them: the TX ring first, then the RX ring. */
const DESC_AREA_BYTES = (TX_RING_SIZE + RX_RING_SIZE) * DESC_SIZE;

const RX_BUFFER_SIZE = 2048;
/** Receive buffers come in chunks of shared memory; a large chunk is twice the size. */
const RX_CHUNK_BUFFERS = 16;
const RX_CHUNK_BYTES = RX_CHUNK_BUFFERS * RX_BUFFER_SIZE;
const RX_INITIAL_CHUNKS = 2;

/** The traffic timer (the "interrupt moderation" tick that services the RX ring). */
const NIC_TICK_MS = 2;
const TICKS_PER_MS = 10_000;
/** Most descriptors the receive path services per tick. */
const NIC_RX_BUDGET = 8;
/** Quiet ticks (demand well under capacity) before one grown chunk is given back. */
const NIC_QUIET_TICKS_BEFORE_SHRINK = 6;

/** Error-log values: which allocation failed (the second ULONG is its length). */
const ERRLOG_DESCRIPTOR_RINGS = 0x101;
const ERRLOG_RX_CHUNK = 0x102;

/** The adapter block: counters the data path keeps (ULONG offsets). */
const STAT_FRAMES_RECEIVED = 0;
const STAT_BYTES_RECEIVED = 4;
const STAT_GROWTH_REQUESTS = 8;
const STAT_GROWTH_FAILURES = 12;
const STAT_SHRINKS = 16;
const ADAPTER_BLOCK_SIZE = 32;

// ---------------------------------------------------------------------------------------------
// The adapter context
// ---------------------------------------------------------------------------------------------

/** One receive chunk: exactly what NdisMFreeSharedMemory must be given back. */
interface RX_CHUNK {
  readonly VirtualAddress: number;
  readonly PhysicalAddress: NDIS_PHYSICAL_ADDRESS;
  readonly Length: number;
  readonly Buffers: number;
}

interface ADAPTER {
  readonly AdapterHandle: NDIS_HANDLE;
  readonly Block: number;
  DmaHandle: NDIS_HANDLE;
  /** The descriptor area (both rings). */
  DescArea: number;
  DescAreaPa: NDIS_PHYSICAL_ADDRESS;
  /** Receive chunks; initial ones first, grown ones after (shrinking takes the last). */
  readonly RxChunks: RX_CHUNK[];
  /** Virtual address of the buffer behind each RX descriptor in use. */
  readonly RxBufferVa: number[];
  RxCursor: number;
  GrowthPending: boolean;
  QuietTicks: number;
  Ticks: number;
  TrafficTimer: NDIS_TIMER_OBJECT_HANDLE | null;
  readonly MacAddress: readonly number[];
}

let NdisDriverHandle: NDIS_HANDLE = null;

function rxRing(adapter: ADAPTER): number {
  return adapter.DescArea + TX_RING_SIZE * DESC_SIZE;
}

function addToCounter(adapter: ADAPTER, offset: number, value: number): void {
  writeUInt32LE(adapter.Block + offset, (readUInt32LE(adapter.Block + offset) + value) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Receive descriptors
// ---------------------------------------------------------------------------------------------

/** Hands a chunk's buffers to the NIC: one RX descriptor per buffer, after those already in use. */
function NICPostRxChunk(adapter: ADAPTER, chunk: RX_CHUNK): void {
  const ring = rxRing(adapter);
  for (let b = 0; b < chunk.Buffers; b++) {
    const index = adapter.RxBufferVa.length;
    const desc = ring + index * DESC_SIZE;
    writeBigUInt64LE(desc + DESC_OFFSET_ADDRESS, BigInt(chunk.PhysicalAddress + b * RX_BUFFER_SIZE));
    writeUInt32LE(desc + DESC_OFFSET_LENGTH, RX_BUFFER_SIZE);
    writeUInt32LE(desc + DESC_OFFSET_STATUS, DESC_OWNED_BY_NIC);
    adapter.RxBufferVa.push(chunk.VirtualAddress + b * RX_BUFFER_SIZE);
  }
  adapter.RxChunks.push(chunk);
}

/** Takes the last chunk's buffers back from the NIC (clears their descriptors); returns the chunk. */
function NICUnpostLastRxChunk(adapter: ADAPTER): RX_CHUNK {
  const chunk = adapter.RxChunks.pop() as RX_CHUNK;
  const ring = rxRing(adapter);
  for (let b = 0; b < chunk.Buffers; b++) {
    const index = adapter.RxBufferVa.length - 1;
    writeBigUInt64LE(ring + index * DESC_SIZE + DESC_OFFSET_ADDRESS, 0n);
    writeUInt32LE(ring + index * DESC_SIZE + DESC_OFFSET_STATUS, 0);
    adapter.RxBufferVa.pop();
  }
  return chunk;
}

// ---------------------------------------------------------------------------------------------
// Allocation and the single cleanup routine
// ---------------------------------------------------------------------------------------------

function NICRegisterDma(adapter: ADAPTER): NDIS_STATUS {
  const { Status, NdisMiniportDmaHandle } = NdisMRegisterScatterGatherDma(adapter.AdapterHandle, {
    Header: {
      Type: NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
      Revision: NDIS_SG_DMA_DESCRIPTION_REVISION_1,
      Size: NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
    },
    Flags: NDIS_SG_DMA_64_BIT_ADDRESS,
    MaximumPhysicalMapping: NIC_MAX_PHYS_MAPPING,
    ProcessSGListHandler: MPProcessSGList,
    SharedMemAllocateCompleteHandler: MPSharedMemoryAllocateComplete,
    ScatterGatherListSize: 0,
  });
  adapter.DmaHandle = NdisMiniportDmaHandle;
  return Status;
}

/** NdisMAllocateSharedMemory, logging a failure to the event log (rule WriteErrorLog). */
function NICAllocateShared(adapter: ADAPTER, Length: number, what: number) {
  const memory = NdisMAllocateSharedMemory(adapter.AdapterHandle, Length, false);
  if (memory.VirtualAddress === 0) {
    NdisWriteErrorLogEntry(adapter.AdapterHandle, NDIS_ERROR_CODE_OUT_OF_RESOURCES, 2, what, Length);
  }
  return memory;
}

function NICAllocDescriptorRings(adapter: ADAPTER): NDIS_STATUS {
  const { VirtualAddress, PhysicalAddress } = NICAllocateShared(
    adapter,
    DESC_AREA_BYTES,
    ERRLOG_DESCRIPTOR_RINGS,
  );
  if (VirtualAddress === 0) return NDIS_STATUS_RESOURCES;
  adapter.DescArea = VirtualAddress;
  adapter.DescAreaPa = PhysicalAddress;
  NdisZeroMemory(VirtualAddress, DESC_AREA_BYTES);
  return NDIS_STATUS_SUCCESS;
}

function NICAllocInitialRxChunks(adapter: ADAPTER): NDIS_STATUS {
  for (let i = 0; i < RX_INITIAL_CHUNKS; i++) {
    const { VirtualAddress, PhysicalAddress } = NICAllocateShared(adapter, RX_CHUNK_BYTES, ERRLOG_RX_CHUNK);
    if (VirtualAddress === 0) return NDIS_STATUS_RESOURCES;
    NICPostRxChunk(adapter, {
      VirtualAddress,
      PhysicalAddress,
      Length: RX_CHUNK_BYTES,
      Buffers: RX_CHUNK_BUFFERS,
    });
  }
  return NDIS_STATUS_SUCCESS;
}

function NICAllocTrafficTimer(adapter: ADAPTER): NDIS_STATUS {
  const { Status, TimerObject } = NdisAllocateTimerObject(adapter.AdapterHandle, {
    Header: {
      Type: NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
      Revision: NDIS_TIMER_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
    },
    AllocationTag: NIC_TAG_TIMER,
    TimerFunction: NICTrafficTimer,
    FunctionContext: adapter,
  });
  adapter.TrafficTimer = TimerObject;
  return Status;
}

/**
 * NICFreeAdapter: the single cleanup routine of MPInitializeEx's failure paths and of MPHaltEx, in
 * reverse order of allocation. Every shared block goes back with exactly the Length, Cached and
 * PhysicalAddress of its allocation, and before the SG DMA deregistration (D35).
 */
function NICFreeAdapter(adapter: ADAPTER): void {
  const handle = adapter.AdapterHandle;
  if (adapter.TrafficTimer !== null) {
    NdisCancelTimerObject(adapter.TrafficTimer);
    NdisFreeTimerObject(adapter.TrafficTimer);
    adapter.TrafficTimer = null;
  }
  NICFreeRecvResources(adapter);
  if (adapter.DescArea !== 0) {
    NdisMFreeSharedMemory(handle, DESC_AREA_BYTES, false, adapter.DescArea, adapter.DescAreaPa);
    adapter.DescArea = 0;
  }
  if (adapter.DmaHandle !== null) {
    NdisMDeregisterScatterGatherDma(adapter.DmaHandle);
    adapter.DmaHandle = null;
  }
  NdisFreeMemoryWithTagPriority(handle, adapter.Block, NIC_TAG_ADAPTER);
}

/** The receive side's teardown: its chunks, and its own RX ring. */
function NICFreeRecvResources(adapter: ADAPTER): void {
  const handle = adapter.AdapterHandle;
  while (adapter.RxChunks.length > 0) {
    const chunk = NICUnpostLastRxChunk(adapter);
    NdisMFreeSharedMemory(handle, chunk.Length, false, chunk.VirtualAddress, chunk.PhysicalAddress);
  }
  if (adapter.DescArea !== 0) {
    // BUG (subrange free): the RX ring used to be its own allocation; since both rings share the
    // descriptor area, this frees an address inside that block (NDIS frees nothing here).
    const ringBytes = RX_RING_SIZE * DESC_SIZE;
    NdisMFreeSharedMemory(
      handle,
      ringBytes,
      false,
      rxRing(adapter),
      adapter.DescAreaPa + TX_RING_SIZE * DESC_SIZE,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Traffic: the receive path, growth and shrink
// ---------------------------------------------------------------------------------------------

/**
 * Receive buffers the offered load needs at tick `t`: quiet, a burst, a heavy burst, quiet again,
 * every 50 ticks (100 ms). The simulated link partner; a real NIC sees its RX ring fill up.
 */
function NICOfferedLoad(t: number): number {
  const phase = t % 50;
  if (phase >= 5 && phase < 15) return 40;
  if (phase >= 15 && phase < 22) return 72;
  return 8;
}

/** The receive "DPC": the NIC completes up to `frames` descriptors; the driver consumes and re-posts them. */
function NICServiceRxRing(adapter: ADAPTER, frames: number): void {
  const ring = rxRing(adapter);
  const inUse = adapter.RxBufferVa.length;
  for (let k = 0; k < frames && inUse > 0; k++) {
    const index = adapter.RxCursor++ % inUse;
    const desc = ring + index * DESC_SIZE;
    // What the hardware does: DMA a frame into the buffer, write its length, set DONE.
    writeUInt32LE(adapter.RxBufferVa[index], 0x00450008); // EtherType IPv4, IP version 4
    writeUInt32LE(desc + DESC_OFFSET_LENGTH, 64 + (adapter.Ticks & 0x3ff));
    writeUInt32LE(desc + DESC_OFFSET_STATUS, DESC_DONE);
    // What the driver does: a DONE descriptor holds a frame; indicate it and give the buffer back.
    if ((readUInt32LE(desc + DESC_OFFSET_STATUS) & DESC_DONE) === 0) continue;
    if (readBigUInt64LE(desc + DESC_OFFSET_ADDRESS) === 0n) continue;
    addToCounter(adapter, STAT_FRAMES_RECEIVED, 1);
    addToCounter(adapter, STAT_BYTES_RECEIVED, readUInt32LE(desc + DESC_OFFSET_LENGTH));
    writeUInt32LE(desc + DESC_OFFSET_LENGTH, RX_BUFFER_SIZE);
    writeUInt32LE(desc + DESC_OFFSET_STATUS, DESC_OWNED_BY_NIC);
  }
}

/** Asks NDIS for one more receive chunk (at DISPATCH_LEVEL: only the async variant may be used). */
function NICGrowRxPool(adapter: ADAPTER, large: boolean): void {
  const Length = large ? 2 * RX_CHUNK_BYTES : RX_CHUNK_BYTES;
  adapter.GrowthPending = true;
  addToCounter(adapter, STAT_GROWTH_REQUESTS, 1);
  const status = NdisMAllocateSharedMemoryAsyncEx(adapter.DmaHandle, Length, false, adapter);
  if (status !== NDIS_STATUS_PENDING) {
    // "Could not be allocated at this time": try again on a later tick.
    adapter.GrowthPending = false;
    addToCounter(adapter, STAT_GROWTH_FAILURES, 1);
  }
}

/** Gives the most recently grown chunk back, once the load no longer needs it. */
function NICShrinkRxPool(adapter: ADAPTER): void {
  const chunk = NICUnpostLastRxChunk(adapter);
  // BUG (wrong Length): written when every chunk had the same size; a large chunk is 2 * RX_CHUNK_BYTES.
  NdisMFreeSharedMemory(
    adapter.AdapterHandle,
    RX_CHUNK_BYTES,
    false,
    chunk.VirtualAddress,
    chunk.PhysicalAddress,
  );
  addToCounter(adapter, STAT_SHRINKS, 1);
}

/** NICTrafficTimer (NDIS_TIMER_FUNCTION, DISPATCH_LEVEL): services the ring and sizes the pool. */
function NICTrafficTimer(_s1: number, FunctionContext: unknown, _s2: number, _s3: number): void {
  const adapter = FunctionContext as ADAPTER;
  const demand = NICOfferedLoad(adapter.Ticks++);
  NICServiceRxRing(adapter, Math.min(demand, NIC_RX_BUDGET));
  const capacity = adapter.RxBufferVa.length;
  if (demand > capacity) {
    adapter.QuietTicks = 0;
    const large = demand - capacity > RX_CHUNK_BUFFERS && capacity + 2 * RX_CHUNK_BUFFERS <= RX_RING_SIZE;
    if (!adapter.GrowthPending && capacity + RX_CHUNK_BUFFERS <= RX_RING_SIZE) NICGrowRxPool(adapter, large);
    return;
  }
  if (adapter.RxChunks.length <= RX_INITIAL_CHUNKS) return;
  const last = adapter.RxChunks[adapter.RxChunks.length - 1];
  if (demand > capacity - last.Buffers) {
    adapter.QuietTicks = 0;
  } else if (++adapter.QuietTicks >= NIC_QUIET_TICKS_BEFORE_SHRINK) {
    adapter.QuietTicks = 0;
    NICShrinkRxPool(adapter);
  }
}

/**
 * MiniportSharedMemoryAllocateComplete (PASSIVE_LEVEL): the chunk NICGrowRxPool asked for, or NULL.
 * NDIS delivers every pending completion before MiniportHaltEx (D6), so the chunk is freed by halt.
 */
const MPSharedMemoryAllocateComplete: MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE = (
  MiniportAdapterContext,
  VirtualAddress,
  PhysicalAddress,
  Length,
  _Context,
) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  adapter.GrowthPending = false;
  if (VirtualAddress === 0 || PhysicalAddress === null) {
    addToCounter(adapter, STAT_GROWTH_FAILURES, 1);
    return;
  }
  NICPostRxChunk(adapter, { VirtualAddress, PhysicalAddress, Length, Buffers: Length / RX_BUFFER_SIZE });
};

/** MiniportProcessSGList: the send path's SG lists (no NET_BUFFER_LISTs are sent in the simulation). */
const MPProcessSGList = (): void => undefined;

// ---------------------------------------------------------------------------------------------
// MiniportXxx handlers
// ---------------------------------------------------------------------------------------------

const MPInitializeEx: MINIPORT_INITIALIZE = (NdisMiniportHandle, _MiniportDriverContext, InitParameters) => {
  let status: NDIS_STATUS = NDIS_STATUS_SUCCESS;
  let adapter: ADAPTER | null = null;
  // biome-ignore lint/suspicious/noConfusingLabels: C's one-block `do { ... } while (FALSE)`: every failure breaks to one cleanup.
  init: {
    const block = NdisAllocateMemoryWithTagPriority(
      NdisMiniportHandle,
      ADAPTER_BLOCK_SIZE,
      NIC_TAG_ADAPTER,
      NormalPoolPriority,
    );
    if (block === 0) {
      status = NDIS_STATUS_RESOURCES;
      break init;
    }
    NdisZeroMemory(block, ADAPTER_BLOCK_SIZE);
    adapter = {
      AdapterHandle: NdisMiniportHandle,
      Block: block,
      DmaHandle: null,
      DescArea: 0,
      DescAreaPa: 0,
      RxChunks: [],
      RxBufferVa: [],
      RxCursor: 0,
      GrowthPending: false,
      QuietTicks: 0,
      Ticks: 0,
      TrafficTimer: null,
      MacAddress: [0x02, 0x1b, 0x21, 0x00, 0x00, InitParameters.IfIndex & 0xff],
    };
    status = NdisMSetMiniportAttributes(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
        Revision: 1,
        Size: NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
      },
      MiniportAdapterContext: adapter,
      AttributeFlags:
        NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE |
        NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER |
        NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK,
      CheckForHangTimeInSeconds: 0,
      InterfaceType: NdisInterfacePci,
    });
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NdisMSetMiniportAttributes(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
        Revision: 2,
        Size: NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
      },
      MediaType: NdisMedium802_3,
      MtuSize: 1500,
      MaxXmitLinkSpeed: NIC_LINK_SPEED,
      MaxRcvLinkSpeed: NIC_LINK_SPEED,
      MediaConnectState: MediaConnectStateConnected,
      MacAddressLength: 6,
      PermanentMacAddress: adapter.MacAddress,
      CurrentMacAddress: adapter.MacAddress,
    });
    if (status !== NDIS_STATUS_SUCCESS) break init;
    // DMA first: shared memory can only be allocated for a registered bus master.
    status = NICRegisterDma(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NICAllocDescriptorRings(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NICAllocInitialRxChunks(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NICAllocTrafficTimer(adapter);
  }
  if (status !== NDIS_STATUS_SUCCESS && adapter !== null) NICFreeAdapter(adapter);
  return status;
};

const MPHaltEx: MINIPORT_HALT = (MiniportAdapterContext) => {
  NICFreeAdapter(MiniportAdapterContext as ADAPTER);
};

const MPPause: MINIPORT_PAUSE = (MiniportAdapterContext) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.TrafficTimer !== null) NdisCancelTimerObject(adapter.TrafficTimer);
  return NDIS_STATUS_SUCCESS;
};

const MPRestart: MINIPORT_RESTART = (MiniportAdapterContext) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.TrafficTimer !== null) {
    NdisSetTimerObject(adapter.TrafficTimer, -NIC_TICK_MS * TICKS_PER_MS, NIC_TICK_MS, adapter);
  }
  return NDIS_STATUS_SUCCESS;
};

/**
 * MPShutdownEx: put the device in a known state so it stops DMA into memory the system is about to
 * reuse — here by taking every RX descriptor back from the NIC. Only memory writes: at
 * NdisShutdownBugCheck this runs at HIGH_LEVEL, and shared memory is never freed here.
 */
const MPShutdownEx: MINIPORT_SHUTDOWN = (MiniportAdapterContext, ShutdownAction) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  const ring = rxRing(adapter);
  for (let i = 0; i < adapter.RxBufferVa.length; i++) {
    writeUInt32LE(ring + i * DESC_SIZE + DESC_OFFSET_STATUS, 0);
  }
  if (ShutdownAction === NdisShutdownPowerOff) {
    // BUG (free in MiniportShutdownEx): "the driver may free resources" at power-off is read as
    // licence to free shared memory; NdisMFreeSharedMemory must never be called from here.
    while (adapter.RxChunks.length > 0) {
      const chunk = NICUnpostLastRxChunk(adapter);
      NdisMFreeSharedMemory(
        adapter.AdapterHandle,
        chunk.Length,
        false,
        chunk.VirtualAddress,
        chunk.PhysicalAddress,
      );
    }
  }
};

const MPUnloadDriver = (_DriverObject: DRIVER_OBJECT): void => {
  NdisMDeregisterMiniportDriver(NdisDriverHandle);
};

const MPOidRequest = (_MiniportAdapterContext: unknown, _OidRequest: object): NDIS_STATUS =>
  NDIS_STATUS_NOT_SUPPORTED;

const noNbls = (): void => undefined;

// ---------------------------------------------------------------------------------------------
// DriverEntry
// ---------------------------------------------------------------------------------------------

export function DriverEntry(DriverObject: DRIVER_OBJECT, RegistryPath: string): NDIS_STATUS {
  const characteristics: NDIS_MINIPORT_DRIVER_CHARACTERISTICS = {
    Header: {
      Type: NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
      Revision: 2,
      Size: NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
    },
    MajorNdisVersion: 6,
    MinorNdisVersion: 30,
    MajorDriverVersion: 1,
    MinorDriverVersion: 0,
    Flags: 0,
    SetOptionsHandler: null,
    InitializeHandlerEx: MPInitializeEx,
    HaltHandlerEx: MPHaltEx,
    UnloadHandler: MPUnloadDriver,
    PauseHandler: MPPause,
    RestartHandler: MPRestart,
    OidRequestHandler: MPOidRequest,
    SendNetBufferListsHandler: noNbls,
    ReturnNetBufferListsHandler: noNbls,
    CancelSendHandler: noNbls,
    CheckForHangHandlerEx: null,
    ResetHandlerEx: null,
    DevicePnPEventNotifyHandler: noNbls,
    ShutdownHandlerEx: MPShutdownEx,
    CancelOidRequestHandler: noNbls,
    DirectOidRequestHandler: null,
    CancelDirectOidRequestHandler: null,
  };
  const { Status, NdisMiniportDriverHandle } = NdisMRegisterMiniportDriver(
    DriverObject,
    RegistryPath,
    null,
    characteristics,
  );
  NdisDriverHandle = NdisMiniportDriverHandle;
  return Status;
}

/** Several traffic cycles (bursts, growth, shrink), with a pause in the middle. */
export const scenarios: Readonly<Record<string, Scenario>> = {
  traffic: [
    { step: 'load' },
    { step: 'addDevice', name: 'nic0', busMaster: true, addressBits: 64 },
    { step: 'initialize', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 300 },
    { step: 'pause', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 300 },
    { step: 'halt', adapter: 'nic0' },
    { step: 'unload' },
  ],
};
