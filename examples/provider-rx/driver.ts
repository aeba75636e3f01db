/**
 * provider-rx — a bus-master NIC (NDIS 6.30) whose default receive queue lives in shared memory
 * from NdisAllocateSharedMemory, the VMQ-era shared-memory API, written against ndis-sim's public API.
 *
 * What it shows:
 * - NdisMRegisterScatterGatherDma first: a miniport may call NdisAllocateSharedMemory only once its
 *   DMA is registered (D23);
 * - NDIS_SHARED_MEMORY_PARAMETERS (revision 2) for the default queue (QueueId
 *   NDIS_DEFAULT_RECEIVE_QUEUE_ID, VPortId NDIS_DEFAULT_VPORT_ID): a physically contiguous
 *   descriptor ring (NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS) and receive blocks that may be
 *   discontiguous, each described by the SCATTER_GATHER_LIST NDIS fills in (SGListBuffer sized
 *   for one element per page);
 * - descriptors built from the SG elements' physical addresses (writeBigUInt64LE into the ring) and
 *   a receive timer that consumes them through the blocks' virtual addresses;
 * - the AllocationHandle kept per block and given back to NdisFreeSharedMemory in MiniportHaltEx
 *   (the default queue's memory is freed at halt), before NdisMDeregisterScatterGatherDma.
 *
 * No shared-memory provider is registered for this driver, so NDIS allocates from the HAL (D24) and
 * sets SharedMemoryHandle to NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED (NULL). With a provider (e.g. the
 * virtualization stack under VMQ) the calls are the same.
 */
import {
  type DRIVER_OBJECT,
  MediaConnectStateConnected,
  type MINIPORT_HALT,
  type MINIPORT_INITIALIZE,
  type MINIPORT_PAUSE,
  type MINIPORT_RESTART,
  type MINIPORT_SHUTDOWN,
  MM_ANY_NODE_OK,
  NDIS_DEFAULT_RECEIVE_QUEUE_ID,
  NDIS_DEFAULT_VPORT_ID,
  type NDIS_HANDLE,
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE,
  type NDIS_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS,
  type NDIS_SHARED_MEMORY_PARAMETERS,
  NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2,
  NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_STATUS,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NDIS_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_TIMER_OBJECT_HANDLE,
  NdisAllocateMemoryWithTagPriority,
  NdisAllocateSharedMemory,
  NdisAllocateTimerObject,
  NdisCancelTimerObject,
  NdisFreeMemoryWithTagPriority,
  NdisFreeSharedMemory,
  NdisFreeTimerObject,
  NdisInterfacePci,
  NdisMDeregisterMiniportDriver,
  NdisMDeregisterScatterGatherDma,
  NdisMRegisterMiniportDriver,
  NdisMRegisterScatterGatherDma,
  NdisMSetMiniportAttributes,
  NdisSetTimerObject,
  NdisSharedMemoryUsageOther,
  NdisSharedMemoryUsageReceive,
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

const PRX_TAG_ADAPTER = poolTag('PRad');
const PRX_TAG_TIMER = poolTag('PRtm');
/** NdisMedium802_3 (ntddndis.h NDIS_MEDIUM). */
const NdisMedium802_3 = 0;
const PRX_LINK_SPEED = 25_000_000_000;
const PRX_MAX_PHYS_MAPPING = 64 * 1024;
const PAGE_SIZE = 4096;

const DESC_SIZE = 16;
const DESC_OFFSET_ADDRESS = 0;
const DESC_OFFSET_LENGTH = 8;
const DESC_OFFSET_STATUS = 12;
const DESC_OWNED_BY_NIC = 0x1;
const DESC_DONE = 0x2;

const RX_BUFFER_SIZE = 2048;
/** The default queue: RX_BLOCKS blocks of RX_BLOCK_BYTES, each cut into 2 KiB receive buffers. */
const RX_BLOCKS = 4;
const RX_BLOCK_BYTES = 4 * PAGE_SIZE;
const RX_RING_SIZE = (RX_BLOCKS * RX_BLOCK_BYTES) / RX_BUFFER_SIZE;
const RX_RING_BYTES = RX_RING_SIZE * DESC_SIZE;

/** The receive poll: every PRX_TICK_MS the receive path services up to PRX_RX_BUDGET descriptors. */
const PRX_TICK_MS = 4;
const PRX_RX_BUDGET = 4;
const TICKS_PER_MS = 10_000;

/** Adapter block counters (ULONG offsets). */
const STAT_FRAMES = 0;
const STAT_BYTES = 4;
const STAT_BAD_DESCRIPTORS = 8;
const ADAPTER_BLOCK_SIZE = 16;

// ---------------------------------------------------------------------------------------------
// The adapter context
// ---------------------------------------------------------------------------------------------

/** One block of the default queue: the handle to free it with, and where it is mapped. */
interface RX_BLOCK {
  readonly AllocationHandle: NDIS_HANDLE;
  readonly VirtualAddress: number;
}

interface ADAPTER {
  readonly AdapterHandle: NDIS_HANDLE;
  readonly Block: number;
  DmaHandle: NDIS_HANDLE;
  RingHandle: NDIS_HANDLE;
  Ring: number;
  readonly RxBlocks: RX_BLOCK[];
  /** Per descriptor: the virtual address of its buffer and the physical address posted to the NIC. */
  readonly RxBufferVa: number[];
  readonly RxBufferPa: number[];
  RxCursor: number;
  Ticks: number;
  RxTimer: NDIS_TIMER_OBJECT_HANDLE | null;
  readonly MacAddress: readonly number[];
}

let NdisDriverHandle: NDIS_HANDLE = null;

function addToCounter(adapter: ADAPTER, offset: number, value: number): void {
  writeUInt32LE(adapter.Block + offset, (readUInt32LE(adapter.Block + offset) + value) >>> 0);
}

/**
 * NDIS_SHARED_MEMORY_PARAMETERS for the default receive queue. The SG list buffer is the caller's:
 * sized for the worst case, one element per page (16 + 24 bytes per element on x64).
 */
function sharedMemoryParameters(Length: number, Flags: number, Usage: number): NDIS_SHARED_MEMORY_PARAMETERS {
  const elements = Flags & NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS ? 1 : Math.ceil(Length / PAGE_SIZE);
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2,
      Size: NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2,
    },
    Flags,
    QueueId: NDIS_DEFAULT_RECEIVE_QUEUE_ID,
    SharedMemoryHandle: null,
    PreferredNode: MM_ANY_NODE_OK,
    Usage,
    Length,
    VirtualAddress: 0,
    SGListBufferLength: 16 + 24 * elements,
    SGListBuffer: { NumberOfElements: 0, Reserved: 0, Elements: [] },
    VPortId: NDIS_DEFAULT_VPORT_ID,
  };
}

// ---------------------------------------------------------------------------------------------
// Allocation and the single cleanup routine
// ---------------------------------------------------------------------------------------------

function PrxRegisterDma(adapter: ADAPTER): NDIS_STATUS {
  const { Status, NdisMiniportDmaHandle } = NdisMRegisterScatterGatherDma(adapter.AdapterHandle, {
    Header: {
      Type: NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
      Revision: NDIS_SG_DMA_DESCRIPTION_REVISION_1,
      Size: NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
    },
    Flags: NDIS_SG_DMA_64_BIT_ADDRESS,
    MaximumPhysicalMapping: PRX_MAX_PHYS_MAPPING,
    ProcessSGListHandler: MPProcessSGList,
    SharedMemAllocateCompleteHandler: null,
    ScatterGatherListSize: 0,
  });
  adapter.DmaHandle = NdisMiniportDmaHandle;
  return Status;
}

/** The descriptor ring: one physically contiguous block (the NIC walks it by physical address). */
function PrxAllocRing(adapter: ADAPTER): NDIS_STATUS {
  const params = sharedMemoryParameters(
    RX_RING_BYTES,
    NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS,
    NdisSharedMemoryUsageOther,
  );
  const { Status, AllocationHandle } = NdisAllocateSharedMemory(adapter.AdapterHandle, params);
  if (Status !== NDIS_STATUS_SUCCESS) return Status;
  adapter.RingHandle = AllocationHandle;
  adapter.Ring = params.VirtualAddress;
  NdisZeroMemory(adapter.Ring, RX_RING_BYTES);
  return NDIS_STATUS_SUCCESS;
}

/** Posts a block's receive buffers: one descriptor per 2 KiB of each SG element. */
function PrxPostRxBlock(adapter: ADAPTER, params: NDIS_SHARED_MEMORY_PARAMETERS): void {
  const list = params.SGListBuffer;
  if (list === null) return;
  let va = params.VirtualAddress;
  for (let e = 0; e < list.NumberOfElements; e++) {
    const element = list.Elements[e];
    for (let offset = 0; offset + RX_BUFFER_SIZE <= element.Length; offset += RX_BUFFER_SIZE) {
      const index = adapter.RxBufferVa.length;
      const desc = adapter.Ring + index * DESC_SIZE;
      writeBigUInt64LE(desc + DESC_OFFSET_ADDRESS, BigInt(element.Address + offset));
      writeUInt32LE(desc + DESC_OFFSET_LENGTH, RX_BUFFER_SIZE);
      writeUInt32LE(desc + DESC_OFFSET_STATUS, DESC_OWNED_BY_NIC);
      adapter.RxBufferVa.push(va);
      adapter.RxBufferPa.push(element.Address + offset);
      va += RX_BUFFER_SIZE;
    }
  }
}

/** The default queue's receive blocks, each described by its SG list. */
function PrxAllocRxBlocks(adapter: ADAPTER): NDIS_STATUS {
  for (let i = 0; i < RX_BLOCKS; i++) {
    const params = sharedMemoryParameters(RX_BLOCK_BYTES, 0, NdisSharedMemoryUsageReceive);
    const { Status, AllocationHandle } = NdisAllocateSharedMemory(adapter.AdapterHandle, params);
    if (Status !== NDIS_STATUS_SUCCESS) return Status;
    adapter.RxBlocks.push({ AllocationHandle, VirtualAddress: params.VirtualAddress });
    PrxPostRxBlock(adapter, params);
  }
  return NDIS_STATUS_SUCCESS;
}

function PrxAllocRxTimer(adapter: ADAPTER): NDIS_STATUS {
  const { Status, TimerObject } = NdisAllocateTimerObject(adapter.AdapterHandle, {
    Header: {
      Type: NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
      Revision: NDIS_TIMER_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
    },
    AllocationTag: PRX_TAG_TIMER,
    TimerFunction: PrxReceiveTimer,
    FunctionContext: adapter,
  });
  adapter.RxTimer = TimerObject;
  return Status;
}

/**
 * PrxFreeAdapter: the cleanup routine of MPInitializeEx's failure paths and of MPHaltEx. Shared
 * memory goes back with the handle NdisAllocateSharedMemory returned, with the same NdisHandle, and
 * before the DMA deregistration.
 */
function PrxFreeAdapter(adapter: ADAPTER): void {
  const handle = adapter.AdapterHandle;
  if (adapter.RxTimer !== null) {
    NdisCancelTimerObject(adapter.RxTimer);
    NdisFreeTimerObject(adapter.RxTimer);
    adapter.RxTimer = null;
  }
  for (const block of adapter.RxBlocks) NdisFreeSharedMemory(handle, block.AllocationHandle);
  adapter.RxBlocks.length = 0;
  adapter.RxBufferVa.length = 0;
  adapter.RxBufferPa.length = 0;
  if (adapter.RingHandle !== null) {
    NdisFreeSharedMemory(handle, adapter.RingHandle);
    adapter.RingHandle = null;
    adapter.Ring = 0;
  }
  if (adapter.DmaHandle !== null) {
    NdisMDeregisterScatterGatherDma(adapter.DmaHandle);
    adapter.DmaHandle = null;
  }
  NdisFreeMemoryWithTagPriority(handle, adapter.Block, PRX_TAG_ADAPTER);
}

// ---------------------------------------------------------------------------------------------
// Receive path
// ---------------------------------------------------------------------------------------------

/** PrxReceiveTimer (NDIS_TIMER_FUNCTION, DISPATCH_LEVEL): the NIC fills buffers; the driver consumes them. */
function PrxReceiveTimer(_s1: number, FunctionContext: unknown, _s2: number, _s3: number): void {
  const adapter = FunctionContext as ADAPTER;
  adapter.Ticks++;
  const count = adapter.RxBufferVa.length;
  for (let k = 0; k < PRX_RX_BUDGET && count > 0; k++) {
    const index = adapter.RxCursor++ % count;
    const desc = adapter.Ring + index * DESC_SIZE;
    // The NIC: DMA a frame to the descriptor's buffer, report its length, mark it DONE.
    writeUInt32LE(adapter.RxBufferVa[index], 0x00450008);
    writeUInt32LE(desc + DESC_OFFSET_LENGTH, 60 + ((adapter.Ticks * 7) & 0x3ff));
    writeUInt32LE(desc + DESC_OFFSET_STATUS, DESC_DONE);
    // The driver: the buffer must be the one posted at that slot, then it goes back to the NIC.
    if (readBigUInt64LE(desc + DESC_OFFSET_ADDRESS) !== BigInt(adapter.RxBufferPa[index])) {
      addToCounter(adapter, STAT_BAD_DESCRIPTORS, 1);
      continue;
    }
    if (
      (readUInt32LE(desc + DESC_OFFSET_STATUS) & DESC_DONE) !== 0 &&
      readUInt32LE(adapter.RxBufferVa[index]) !== 0
    ) {
      addToCounter(adapter, STAT_FRAMES, 1);
      addToCounter(adapter, STAT_BYTES, readUInt32LE(desc + DESC_OFFSET_LENGTH));
    }
    writeUInt32LE(desc + DESC_OFFSET_LENGTH, RX_BUFFER_SIZE);
    writeUInt32LE(desc + DESC_OFFSET_STATUS, DESC_OWNED_BY_NIC);
  }
}

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
      PRX_TAG_ADAPTER,
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
      RingHandle: null,
      Ring: 0,
      RxBlocks: [],
      RxBufferVa: [],
      RxBufferPa: [],
      RxCursor: 0,
      Ticks: 0,
      RxTimer: null,
      MacAddress: [0x02, 0x15, 0x5d, 0x00, 0x00, InitParameters.IfIndex & 0xff],
    };
    status = NdisMSetMiniportAttributes(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
        Revision: 1,
        Size: NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
      },
      MiniportAdapterContext: adapter,
      AttributeFlags: NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE | NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
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
      MaxXmitLinkSpeed: PRX_LINK_SPEED,
      MaxRcvLinkSpeed: PRX_LINK_SPEED,
      MediaConnectState: MediaConnectStateConnected,
      MacAddressLength: 6,
      PermanentMacAddress: adapter.MacAddress,
      CurrentMacAddress: adapter.MacAddress,
    });
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = PrxRegisterDma(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = PrxAllocRing(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = PrxAllocRxBlocks(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = PrxAllocRxTimer(adapter);
  }
  if (status !== NDIS_STATUS_SUCCESS && adapter !== null) PrxFreeAdapter(adapter);
  return status;
};

const MPHaltEx: MINIPORT_HALT = (MiniportAdapterContext) => {
  // The default queue's shared memory is freed here (non-default queues: at OID_RECEIVE_FILTER_FREE_QUEUE).
  PrxFreeAdapter(MiniportAdapterContext as ADAPTER);
};

const MPPause: MINIPORT_PAUSE = (MiniportAdapterContext) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.RxTimer !== null) NdisCancelTimerObject(adapter.RxTimer);
  return NDIS_STATUS_SUCCESS;
};

const MPRestart: MINIPORT_RESTART = (MiniportAdapterContext) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.RxTimer !== null)
    NdisSetTimerObject(adapter.RxTimer, -PRX_TICK_MS * TICKS_PER_MS, PRX_TICK_MS, adapter);
  return NDIS_STATUS_SUCCESS;
};

const MPShutdownEx: MINIPORT_SHUTDOWN = (MiniportAdapterContext) => {
  // Stop the NIC's receive DMA: take every descriptor back. Memory writes only; nothing is freed.
  const adapter = MiniportAdapterContext as ADAPTER;
  for (let i = 0; i < adapter.RxBufferVa.length; i++) {
    writeUInt32LE(adapter.Ring + i * DESC_SIZE + DESC_OFFSET_STATUS, 0);
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
    // No MiniportSetOptions: this driver registers no shared-memory provider (NDIS uses the HAL, D24).
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

/** Sustained receive traffic over every descriptor, with a pause in the middle. */
export const scenarios: Readonly<Record<string, Scenario>> = {
  receive: [
    { step: 'load' },
    { step: 'addDevice', name: 'nic0', busMaster: true, addressBits: 64 },
    { step: 'initialize', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 200 },
    { step: 'pause', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 200 },
    { step: 'halt', adapter: 'nic0' },
    { step: 'unload' },
  ],
};
