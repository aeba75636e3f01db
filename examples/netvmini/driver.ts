/**
 * netvmini — a virtual NDIS 6.30 miniport in the style of Microsoft's netvmini sample
 * (Windows-driver-samples/network/ndis/netvmini), written against ndis-sim's public API.
 *
 * What it shows:
 * - one-block initialization (C's `do { ... } while (FALSE)`, here a labelled block) with ONE cleanup
 *   routine, NICFreeAdapter, used on every failure path of MiniportInitializeEx and by MiniportHaltEx;
 * - pool memory for the adapter and for its receive and send control blocks (RCBs, TCBs), each
 *   allocation site with its own pool tag, freed with NdisFreeMemoryWithTagPriority;
 * - a periodic receive timer (NdisAllocateTimerObject / NdisSetTimerObject) that fires in simulated
 *   time while the adapter runs, set in MiniportRestart and cancelled in MiniportPause and at halt;
 * - an NDIS I/O work item the timer queues to do PASSIVE_LEVEL work, and a spin lock guarding what
 *   the timer (DISPATCH_LEVEL) and the work item (PASSIVE_LEVEL) share;
 * - NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES of a virtual device: no HARDWARE_DEVICE and no
 *   BUS_MASTER bit, NdisInterfaceInternal, as the sample's NIC_ADAPTER_ATTRIBUTES_FLAGS.
 *
 * A C driver keeps its ADAPTER structure in the pool block it allocates; JavaScript cannot store
 * handles in simulated memory, so the handles live in a JS object and the block holds the adapter's
 * signature and statistics, read and written with readUInt32LE / writeUInt32LE like real memory.
 */
import {
  type DRIVER_OBJECT,
  MediaConnectStateConnected,
  type MINIPORT_HALT,
  type MINIPORT_INITIALIZE,
  type MINIPORT_PAUSE,
  type MINIPORT_RESTART,
  type MINIPORT_SHUTDOWN,
  type NDIS_HANDLE,
  type NDIS_IO_WORKITEM_HANDLE,
  NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM,
  NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK,
  type NDIS_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_SPIN_LOCK,
  type NDIS_STATUS,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NDIS_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_TIMER_OBJECT_HANDLE,
  NdisAcquireSpinLock,
  NdisAllocateIoWorkItem,
  NdisAllocateMemoryWithTagPriority,
  NdisAllocateSpinLock,
  NdisAllocateTimerObject,
  NdisCancelTimerObject,
  NdisDprAcquireSpinLock,
  NdisDprReleaseSpinLock,
  NdisFreeIoWorkItem,
  NdisFreeMemoryWithTagPriority,
  NdisFreeSpinLock,
  NdisFreeTimerObject,
  NdisInterfaceInternal,
  NdisMDeregisterMiniportDriver,
  NdisMRegisterMiniportDriver,
  NdisMSetMiniportAttributes,
  NdisQueueIoWorkItem,
  NdisReleaseSpinLock,
  NdisSetTimerObject,
  NdisZeroMemory,
  NormalPoolPriority,
  readUInt16LE,
  readUInt32LE,
  type Scenario,
  writeBytes,
  writeUInt16LE,
  writeUInt32LE,
} from 'ndis-sim';

// ---------------------------------------------------------------------------------------------
// Constants (netvmini's miniport.h / adapter.h)
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

// One tag per allocation site, so a leak in a pool dump points at its site.
const NIC_TAG_ADAPTER = poolTag('NVad');
const NIC_TAG_RCB = poolTag('NVrc');
const NIC_TAG_TCB = poolTag('NVtc');
const NIC_TAG_TIMER = poolTag('NVtm');

const NDIS_MINOR_VERSION = 30;
const NIC_VENDOR_DRIVER_VERSION_MAJOR = 1;
const NIC_VENDOR_DRIVER_VERSION_MINOR = 0;
/** NdisMedium802_3 (ntddndis.h NDIS_MEDIUM). */
const NdisMedium802_3 = 0;
const NIC_MEDIA_MAX_SPEED = 1_000_000_000;
const NIC_MAX_FRAME_SIZE = 1514;
const NIC_MTU = 1500;
/** netvmini: NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK | NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM. */
const NIC_ADAPTER_ATTRIBUTES_FLAGS =
  NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK | NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM;

/** The adapter block: a signature and the counters the data path keeps (ULONG offsets). */
const ADAPTER_SIGNATURE = poolTag('NVMa');
const ADAPTER_OFFSET_SIGNATURE = 0;
const ADAPTER_OFFSET_FRAMES_RECEIVED = 4;
const ADAPTER_OFFSET_BYTES_RECEIVED = 8;
const ADAPTER_OFFSET_FRAMES_DROPPED = 12;
const ADAPTER_OFFSET_LINK_POLLS = 16;
const ADAPTER_BLOCK_SIZE = 64;

/** A control block: Signature, Flags, FrameLength, Reserved, then the frame buffer. */
const CB_OFFSET_SIGNATURE = 0;
const CB_OFFSET_FRAME_LENGTH = 8;
const CB_OFFSET_DATA = 16;
const CB_SIZE = CB_OFFSET_DATA + NIC_MAX_FRAME_SIZE + 6; // rounded up to 1536
const RCB_SIGNATURE = poolTag('RCB ');
const TCB_SIGNATURE = poolTag('TCB ');
const NIC_MAX_RCBS = 16;
const NIC_MAX_TCBS = 16;

/** The receive timer: the virtual "hub" delivers a frame every NIC_RECV_INTERVAL_MS. */
const NIC_RECV_INTERVAL_MS = 5;
/** Every NIC_LINK_POLL_TICKS receive ticks the work item re-reads the link state at PASSIVE_LEVEL. */
const NIC_LINK_POLL_TICKS = 4;
/** 100-ns units per millisecond (NdisSetTimerObject's DueTime unit). */
const TICKS_PER_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// The adapter context
// ---------------------------------------------------------------------------------------------

interface ADAPTER {
  readonly AdapterHandle: NDIS_HANDLE;
  /** The pool block holding the signature and the statistics (NIC_TAG_ADAPTER). */
  readonly Block: number;
  /** Guards FreeRcbs and LinkWorkQueued: the timer (DISPATCH) and the work item (PASSIVE) share them. */
  readonly Lock: NDIS_SPIN_LOCK;
  RcbArea: number;
  TcbArea: number;
  readonly FreeRcbs: number[];
  RecvTimer: NDIS_TIMER_OBJECT_HANDLE | null;
  LinkWorkItem: NDIS_IO_WORKITEM_HANDLE | null;
  LinkWorkQueued: boolean;
  Ticks: number;
  readonly MacAddress: readonly number[];
  SurpriseRemoved: boolean;
}

/** The handle NdisMRegisterMiniportDriver returned (a driver global, as in the sample). */
let NdisDriverHandle: NDIS_HANDLE = null;

// ---------------------------------------------------------------------------------------------
// Allocation and the single cleanup routine
// ---------------------------------------------------------------------------------------------

/** NICAllocAdapter: the adapter block and its spin lock; null when the pool is exhausted. */
function NICAllocAdapter(MiniportAdapterHandle: NDIS_HANDLE, IfIndex: number): ADAPTER | null {
  const block = NdisAllocateMemoryWithTagPriority(
    MiniportAdapterHandle,
    ADAPTER_BLOCK_SIZE,
    NIC_TAG_ADAPTER,
    NormalPoolPriority,
  );
  if (block === 0) return null;
  NdisZeroMemory(block, ADAPTER_BLOCK_SIZE);
  writeUInt32LE(block + ADAPTER_OFFSET_SIGNATURE, ADAPTER_SIGNATURE);
  const adapter: ADAPTER = {
    AdapterHandle: MiniportAdapterHandle,
    Block: block,
    Lock: {},
    RcbArea: 0,
    TcbArea: 0,
    FreeRcbs: [],
    RecvTimer: null,
    LinkWorkItem: null,
    LinkWorkQueued: false,
    Ticks: 0,
    // A locally administered address derived from the interface index (netvmini reads the registry).
    MacAddress: [0x02, 0x00, 0x4c, 0x4f, 0x4f, IfIndex & 0xff],
    SurpriseRemoved: false,
  };
  NdisAllocateSpinLock(adapter.Lock);
  return adapter;
}

/** NICAllocRCBData: the receive control blocks, each stamped with its signature. */
function NICAllocRCBData(adapter: ADAPTER): NDIS_STATUS {
  adapter.RcbArea = NdisAllocateMemoryWithTagPriority(
    adapter.AdapterHandle,
    NIC_MAX_RCBS * CB_SIZE,
    NIC_TAG_RCB,
    NormalPoolPriority,
  );
  if (adapter.RcbArea === 0) return NDIS_STATUS_RESOURCES;
  for (let i = 0; i < NIC_MAX_RCBS; i++) {
    const rcb = adapter.RcbArea + i * CB_SIZE;
    writeUInt32LE(rcb + CB_OFFSET_SIGNATURE, RCB_SIGNATURE);
    adapter.FreeRcbs.push(rcb);
  }
  return NDIS_STATUS_SUCCESS;
}

/** NICAllocTCBData: the send control blocks. */
function NICAllocTCBData(adapter: ADAPTER): NDIS_STATUS {
  adapter.TcbArea = NdisAllocateMemoryWithTagPriority(
    adapter.AdapterHandle,
    NIC_MAX_TCBS * CB_SIZE,
    NIC_TAG_TCB,
    NormalPoolPriority,
  );
  if (adapter.TcbArea === 0) return NDIS_STATUS_RESOURCES;
  for (let i = 0; i < NIC_MAX_TCBS; i++) writeUInt32LE(adapter.TcbArea + i * CB_SIZE, TCB_SIGNATURE);
  return NDIS_STATUS_SUCCESS;
}

/** NICAllocRecvTimerAndWorkItem: the receive timer object and the link-state work item. */
function NICAllocRecvTimerAndWorkItem(adapter: ADAPTER): NDIS_STATUS {
  const { Status, TimerObject } = NdisAllocateTimerObject(adapter.AdapterHandle, {
    Header: {
      Type: NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
      Revision: NDIS_TIMER_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
    },
    AllocationTag: NIC_TAG_TIMER,
    TimerFunction: NICReceiveTimer,
    FunctionContext: adapter,
  });
  if (Status !== NDIS_STATUS_SUCCESS) return Status;
  adapter.RecvTimer = TimerObject;
  adapter.LinkWorkItem = NdisAllocateIoWorkItem(adapter.AdapterHandle);
  return adapter.LinkWorkItem === null ? NDIS_STATUS_RESOURCES : NDIS_STATUS_SUCCESS;
}

/**
 * NICFreeAdapter: releases whatever the adapter holds, in reverse order of allocation. It is the one
 * cleanup routine: every failure path of MPInitializeEx and MPHaltEx call it, so it must cope with a
 * partially initialized adapter (each member is NULL until its allocation succeeded).
 */
function NICFreeAdapter(adapter: ADAPTER): void {
  const handle = adapter.AdapterHandle;
  if (adapter.LinkWorkItem !== null) {
    NdisFreeIoWorkItem(adapter.LinkWorkItem);
    adapter.LinkWorkItem = null;
  }
  if (adapter.RecvTimer !== null) {
    // A periodic timer is cancelled at PASSIVE_LEVEL (rule PeriodicTimer): halt runs there.
    NdisCancelTimerObject(adapter.RecvTimer);
    NdisFreeTimerObject(adapter.RecvTimer);
    adapter.RecvTimer = null;
  }
  if (adapter.TcbArea !== 0) {
    NdisFreeMemoryWithTagPriority(handle, adapter.TcbArea, NIC_TAG_TCB);
    adapter.TcbArea = 0;
  }
  if (adapter.RcbArea !== 0) {
    NdisFreeMemoryWithTagPriority(handle, adapter.RcbArea, NIC_TAG_RCB);
    adapter.RcbArea = 0;
    adapter.FreeRcbs.length = 0;
  }
  NdisFreeSpinLock(adapter.Lock);
  NdisFreeMemoryWithTagPriority(handle, adapter.Block, NIC_TAG_ADAPTER);
}

// ---------------------------------------------------------------------------------------------
// Data path: the receive timer (DISPATCH_LEVEL) and the link work item (PASSIVE_LEVEL)
// ---------------------------------------------------------------------------------------------

function addToCounter(adapter: ADAPTER, offset: number, value: number): void {
  const at = adapter.Block + offset;
  writeUInt32LE(at, (readUInt32LE(at) + value) >>> 0);
}

/**
 * NICReceiveTimer (NDIS_TIMER_FUNCTION, DISPATCH_LEVEL): the virtual hub delivers one frame. It
 * takes a free RCB, copies the frame into it, "indicates" it (counts it) and returns the RCB. Every
 * few ticks it queues the link work item, once: queueing a queued item is a bug check (0xE4).
 */
function NICReceiveTimer(_s1: number, FunctionContext: unknown, _s2: number, _s3: number): void {
  const adapter = FunctionContext as ADAPTER;
  adapter.Ticks++;
  NdisDprAcquireSpinLock(adapter.Lock);
  const rcb = adapter.FreeRcbs.pop();
  NdisDprReleaseSpinLock(adapter.Lock);
  if (rcb === undefined) {
    addToCounter(adapter, ADAPTER_OFFSET_FRAMES_DROPPED, 1);
  } else {
    const length = 60 + (adapter.Ticks % 64);
    const header = new Uint8Array(14);
    header.set(adapter.MacAddress, 0); // destination: us
    header.set([0x02, 0x00, 0x4c, 0x4f, 0x4f, 0xfe], 6); // source: the hub
    writeBytes(rcb + CB_OFFSET_DATA, header);
    writeUInt16LE(rcb + CB_OFFSET_DATA + 12, 0x0800); // EtherType IPv4 (host order in this simulation)
    writeUInt32LE(rcb + CB_OFFSET_FRAME_LENGTH, length);
    // The "indication": a real driver hands an NBL to NdisMIndicateReceiveNetBufferLists here.
    if (readUInt16LE(rcb + CB_OFFSET_DATA + 12) === 0x0800) {
      addToCounter(adapter, ADAPTER_OFFSET_FRAMES_RECEIVED, 1);
      addToCounter(adapter, ADAPTER_OFFSET_BYTES_RECEIVED, readUInt32LE(rcb + CB_OFFSET_FRAME_LENGTH));
    }
    NdisDprAcquireSpinLock(adapter.Lock);
    adapter.FreeRcbs.push(rcb);
    NdisDprReleaseSpinLock(adapter.Lock);
  }
  if (adapter.Ticks % NIC_LINK_POLL_TICKS !== 0 || adapter.LinkWorkItem === null) return;
  NdisDprAcquireSpinLock(adapter.Lock);
  const queue = !adapter.LinkWorkQueued;
  adapter.LinkWorkQueued = true;
  NdisDprReleaseSpinLock(adapter.Lock);
  if (queue) NdisQueueIoWorkItem(adapter.LinkWorkItem, NICLinkWorkItem, adapter);
}

/** NICLinkWorkItem (NDIS_IO_WORKITEM_FUNCTION, PASSIVE_LEVEL): re-reads the link state. */
function NICLinkWorkItem(WorkItemContext: unknown, _NdisIoWorkItemHandle: NDIS_HANDLE): void {
  const adapter = WorkItemContext as ADAPTER;
  NdisAcquireSpinLock(adapter.Lock);
  adapter.LinkWorkQueued = false;
  NdisReleaseSpinLock(adapter.Lock);
  // A virtual link is always up; a real driver would query its PHY and indicate a change here.
  addToCounter(adapter, ADAPTER_OFFSET_LINK_POLLS, 1);
}

// ---------------------------------------------------------------------------------------------
// MiniportXxx handlers
// ---------------------------------------------------------------------------------------------

const MPInitializeEx: MINIPORT_INITIALIZE = (NdisMiniportHandle, _MiniportDriverContext, InitParameters) => {
  let status: NDIS_STATUS = NDIS_STATUS_SUCCESS;
  let adapter: ADAPTER | null = null;
  // biome-ignore lint/suspicious/noConfusingLabels: C's one-block `do { ... } while (FALSE)`: every failure breaks to one cleanup.
  init: {
    adapter = NICAllocAdapter(NdisMiniportHandle, InitParameters.IfIndex);
    if (adapter === null) {
      status = NDIS_STATUS_RESOURCES;
      break init;
    }
    status = NdisMSetMiniportAttributes(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
        Revision: 1,
        Size: NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
      },
      MiniportAdapterContext: adapter,
      AttributeFlags: NIC_ADAPTER_ATTRIBUTES_FLAGS,
      CheckForHangTimeInSeconds: 0,
      InterfaceType: NdisInterfaceInternal,
    });
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NdisMSetMiniportAttributes(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
        Revision: 2,
        Size: NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
      },
      MediaType: NdisMedium802_3,
      MtuSize: NIC_MTU,
      MaxXmitLinkSpeed: NIC_MEDIA_MAX_SPEED,
      XmitLinkSpeed: NIC_MEDIA_MAX_SPEED,
      MaxRcvLinkSpeed: NIC_MEDIA_MAX_SPEED,
      RcvLinkSpeed: NIC_MEDIA_MAX_SPEED,
      MediaConnectState: MediaConnectStateConnected,
      LookaheadSize: NIC_MAX_FRAME_SIZE,
      MacAddressLength: 6,
      PermanentMacAddress: adapter.MacAddress,
      CurrentMacAddress: adapter.MacAddress,
      PowerManagementCapabilitiesEx: null,
    });
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NICAllocRCBData(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NICAllocTCBData(adapter);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    status = NICAllocRecvTimerAndWorkItem(adapter);
  }
  if (status !== NDIS_STATUS_SUCCESS && adapter !== null) NICFreeAdapter(adapter);
  return status;
};

const MPHaltEx: MINIPORT_HALT = (MiniportAdapterContext, _HaltAction) => {
  // NDIS paused the adapter first (the timer is already cancelled); NICFreeAdapter cancels it again.
  NICFreeAdapter(MiniportAdapterContext as ADAPTER);
};

const MPPause: MINIPORT_PAUSE = (MiniportAdapterContext) => {
  // Stop the receive "hardware": no timer fires while paused, so no frame is indicated.
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.RecvTimer !== null) NdisCancelTimerObject(adapter.RecvTimer);
  return NDIS_STATUS_SUCCESS;
};

const MPRestart: MINIPORT_RESTART = (MiniportAdapterContext) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.RecvTimer !== null) {
    NdisSetTimerObject(
      adapter.RecvTimer,
      -NIC_RECV_INTERVAL_MS * TICKS_PER_MS,
      NIC_RECV_INTERVAL_MS,
      adapter,
    );
  }
  return NDIS_STATUS_SUCCESS;
};

const MPShutdownEx: MINIPORT_SHUTDOWN = (_MiniportAdapterContext, _ShutdownAction) => {
  // The system is going down: a virtual NIC has no hardware to stop. Free nothing, call no NdisXxx
  // (at NdisShutdownBugCheck this runs at HIGH_LEVEL).
};

const MPDevicePnPEventNotify = (MiniportAdapterContext: unknown, NetDevicePnPEvent: unknown): void => {
  const event = NetDevicePnPEvent as { DevicePnPEvent?: number } | null;
  // NdisDevicePnPEventSurpriseRemoved (2): the halt that follows must not touch the "hardware".
  if (event?.DevicePnPEvent === 2) (MiniportAdapterContext as ADAPTER).SurpriseRemoved = true;
};

const MPUnloadDriver = (_DriverObject: DRIVER_OBJECT): void => {
  NdisMDeregisterMiniportDriver(NdisDriverHandle);
};

/** The host issues no OID requests; netvmini answers the OID_GEN_* queries here. */
const MPOidRequest = (_MiniportAdapterContext: unknown, _OidRequest: object): NDIS_STATUS =>
  NDIS_STATUS_NOT_SUPPORTED;

/** No NET_BUFFER_LISTs in the simulation: the send and return paths are empty. */
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
    MinorNdisVersion: NDIS_MINOR_VERSION,
    MajorDriverVersion: NIC_VENDOR_DRIVER_VERSION_MAJOR,
    MinorDriverVersion: NIC_VENDOR_DRIVER_VERSION_MINOR,
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
    DevicePnPEventNotifyHandler: MPDevicePnPEventNotify,
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
  // On failure nothing was allocated yet: return the status (NDIS unloads the driver).
  NdisDriverHandle = NdisMiniportDriverHandle;
  return Status;
}

/** A longer run than the defaults: many receive ticks and link polls, paused and restarted midway. */
export const scenarios: Readonly<Record<string, Scenario>> = {
  'long-run': [
    { step: 'load' },
    { step: 'addDevice', name: 'nic0', busMaster: false },
    { step: 'initialize', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 500 },
    { step: 'pause', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 500 },
    { step: 'halt', adapter: 'nic0' },
    { step: 'unload' },
  ],
};
