/**
 * multiport, BROKEN TWIN — driver.ts with three planted bugs (search for "BUG"):
 * 1. A departing vif whose port cannot become the spare is freed BEFORE it is deactivated:
 *    NdisMFreePort of an active port (NdisMFreePort_ActivePort; NDIS refuses with
 *    NDIS_STATUS_INVALID_PORT_STATE, the driver forgets the port, so Leak_Port reports it at halt too).
 *    `ndis-sim run` finds it (full-lifecycle, vif-churn).
 * 2. MiniportHaltEx frees the vifs' ports but forgets the spare port (Leak_Port at every halt).
 * 3. When the scratch allocation for the deactivation list fails, the one-port-at-a-time fallback
 *    also frees each vif's block, and the common path frees it again (Pool_DoubleFree): only fault
 *    injection reaches it.
 *
 * The correct driver's description follows.
 *
 * What it shows:
 * - NdisMAllocatePort after the registration attributes, one port per virtual interface (vif),
 *   activated with NdisMNetPnPEvent(NetEventPortActivation) and deactivated with
 *   NetEventPortDeactivation before NdisMFreePort frees it;
 * - port (de)activation at PASSIVE_LEVEL from an NDIS I/O work item that a periodic timer queues, so
 *   vifs come and go while simulated time passes (the host's `advance` steps);
 * - a spare port, allocated in MiniportInitializeEx and kept allocated-but-inactive, so the next vif
 *   can come up without an allocation (a deactivated port may be reactivated);
 * - MiniportHaltEx deactivating every active port in one event — its NDIS_PORT_NUMBER array lives in
 *   a scratch pool block, and when that allocation fails it falls back to one event per port — then
 *   freeing every port, the spare included (never the default port: NDIS frees it);
 * - port events that fail with NDIS_STATUS_RESOURCES retried (a port must be deactivated before it
 *   can be freed), arrivals that fail undone completely.
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
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS,
  type NDIS_PORT_CHARACTERISTICS,
  NDIS_PORT_CHARACTERISTICS_REVISION_1,
  type NDIS_PORT_NUMBER,
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_NDIS_PORT,
  NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
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
  NdisMAllocatePort,
  NdisMDeregisterMiniportDriver,
  NdisMFreePort,
  NdisMNetPnPEvent,
  NdisMRegisterMiniportDriver,
  NdisMSetMiniportAttributes,
  NdisPortAuthorizationUnknown,
  NdisPortControlStateUncontrolled,
  NdisPortTypeRasConnection,
  NdisQueueIoWorkItem,
  NdisReleaseSpinLock,
  NdisSetTimerObject,
  NdisZeroMemory,
  NET_IF_DIRECTION_SENDRECEIVE,
  type NET_PNP_EVENT_NOTIFICATION,
  NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NetEventPortActivation,
  NetEventPortDeactivation,
  NormalPoolPriority,
  readUInt32LE,
  type Scenario,
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

const MP_TAG_ADAPTER = poolTag('MPad');
const MP_TAG_VIF = poolTag('MPvf');
const MP_TAG_PORT_LIST = poolTag('MPpl');
const MP_TAG_TIMER = poolTag('MPtm');
/** NdisMedium802_3 (ntddndis.h NDIS_MEDIUM). */
const NdisMedium802_3 = 0;
const MP_LINK_SPEED = 1_000_000_000;

/** The management tick: every MP_TICK_MS the work item reconciles the vifs with the script. */
const MP_TICK_MS = 5;
const TICKS_PER_MS = 10_000;
/** Attempts of a port event that fails with NDIS_STATUS_RESOURCES. */
const MP_PORT_EVENT_ATTEMPTS = 3;

/** Adapter block: counters (ULONG offsets). */
const STAT_ARRIVALS = 0;
const STAT_DEPARTURES = 4;
const STAT_FAILED_ARRIVALS = 8;
const ADAPTER_BLOCK_SIZE = 16;
/** Vif block: its id, its port number, and its traffic counter. */
const VIF_OFFSET_ID = 0;
const VIF_OFFSET_PORT = 4;
const VIF_OFFSET_FRAMES = 8;
const VIF_BLOCK_SIZE = 16;

// ---------------------------------------------------------------------------------------------
// The adapter context
// ---------------------------------------------------------------------------------------------

/** A virtual interface: its pool block and the NDIS port it is bound to. */
interface VIF {
  readonly Id: number;
  readonly Block: number;
  readonly PortNumber: NDIS_PORT_NUMBER;
}

interface ADAPTER {
  readonly AdapterHandle: NDIS_HANDLE;
  readonly Block: number;
  readonly Lock: NDIS_SPIN_LOCK;
  /** Active vifs by id (each holds one activated port). */
  readonly Vifs: Map<number, VIF>;
  /** An allocated, inactive port kept for the next arrival (0: none). */
  SparePort: NDIS_PORT_NUMBER;
  MgmtTimer: NDIS_TIMER_OBJECT_HANDLE | null;
  MgmtWorkItem: NDIS_IO_WORKITEM_HANDLE | null;
  MgmtWorkQueued: boolean;
  Ticks: number;
  readonly MacAddress: readonly number[];
}

let NdisDriverHandle: NDIS_HANDLE = null;

function addToCounter(block: number, offset: number, value: number): void {
  writeUInt32LE(block + offset, (readUInt32LE(block + offset) + value) >>> 0);
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

/** NDIS_PORT_CHARACTERISTICS of a vif's port (PortNumber 0 until NdisMAllocatePort assigns one). */
function MPPortCharacteristics(PortNumber: NDIS_PORT_NUMBER): NDIS_PORT_CHARACTERISTICS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NDIS_PORT_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
    },
    PortNumber,
    Flags: NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS,
    Type: NdisPortTypeRasConnection,
    MediaConnectState: MediaConnectStateConnected,
    XmitLinkSpeed: MP_LINK_SPEED,
    RcvLinkSpeed: MP_LINK_SPEED,
    Direction: NET_IF_DIRECTION_SENDRECEIVE,
    SendControlState: NdisPortControlStateUncontrolled,
    RcvControlState: NdisPortControlStateUncontrolled,
    SendAuthorizationState: NdisPortAuthorizationUnknown,
    RcvAuthorizationState: NdisPortAuthorizationUnknown,
  };
}

function portEvent(NetEvent: number, Buffer: unknown, BufferLength: number): NET_PNP_EVENT_NOTIFICATION {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NET_PNP_EVENT_NOTIFICATION_REVISION_1,
      Size: NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
    },
    // Port events always come from the default port.
    PortNumber: 0,
    NetPnPEvent: {
      NetEvent,
      Buffer: Buffer as NET_PNP_EVENT_NOTIFICATION['NetPnPEvent']['Buffer'],
      BufferLength,
    },
    Flags: 0,
  };
}

/** Raises a port event, retrying a transient NDIS_STATUS_RESOURCES. PASSIVE_LEVEL. */
function MPPortEvent(adapter: ADAPTER, notification: NET_PNP_EVENT_NOTIFICATION): NDIS_STATUS {
  let status: NDIS_STATUS = NDIS_STATUS_RESOURCES;
  for (let attempt = 0; attempt < MP_PORT_EVENT_ATTEMPTS && status === NDIS_STATUS_RESOURCES; attempt++) {
    status = NdisMNetPnPEvent(adapter.AdapterHandle, notification);
  }
  return status;
}

function MPActivatePort(adapter: ADAPTER, PortNumber: NDIS_PORT_NUMBER): NDIS_STATUS {
  const port = {
    Next: null,
    NdisReserved: null,
    MiniportReserved: null,
    ProtocolReserved: null,
    PortCharacteristics: MPPortCharacteristics(PortNumber),
  };
  return MPPortEvent(adapter, portEvent(NetEventPortActivation, port, NDIS_SIZEOF_NDIS_PORT));
}

/** Deactivates the ports listed (an NDIS_PORT_NUMBER array: 4 bytes per port). */
function MPDeactivatePorts(adapter: ADAPTER, PortNumbers: Uint32Array): NDIS_STATUS {
  return MPPortEvent(adapter, portEvent(NetEventPortDeactivation, PortNumbers, 4 * PortNumbers.length));
}

/** A port that no longer carries a vif (inactive): kept as the spare if there is none, else freed. */
function MPReleasePort(adapter: ADAPTER, PortNumber: NDIS_PORT_NUMBER): void {
  if (adapter.SparePort === 0) adapter.SparePort = PortNumber;
  else NdisMFreePort(adapter.AdapterHandle, PortNumber);
}

// ---------------------------------------------------------------------------------------------
// Virtual interfaces coming and going (PASSIVE_LEVEL, from the management work item)
// ---------------------------------------------------------------------------------------------

/**
 * Which vifs exist at management tick `t`: a 12-tick script (60 ms) in which three connections
 * come up and go down, overlapping — the simulated peers of this VPN-style adapter.
 */
function MPScriptedVifs(t: number): number[] {
  const phase = t % 12;
  const vifs: number[] = [];
  if (phase >= 1 && phase < 7) vifs.push(1);
  if (phase >= 3 && phase < 10) vifs.push(2);
  if (phase >= 6 && phase < 11) vifs.push(3);
  return vifs;
}

/** A vif comes up: its block, a port (the spare, or a new one), the activation. Undone on failure. */
function MPVifArrive(adapter: ADAPTER, Id: number): void {
  const handle = adapter.AdapterHandle;
  const block = NdisAllocateMemoryWithTagPriority(handle, VIF_BLOCK_SIZE, MP_TAG_VIF, NormalPoolPriority);
  if (block === 0) {
    addToCounter(adapter.Block, STAT_FAILED_ARRIVALS, 1); // the next tick tries again
    return;
  }
  let PortNumber = adapter.SparePort;
  adapter.SparePort = 0;
  if (PortNumber === 0) {
    const characteristics = MPPortCharacteristics(0);
    if (NdisMAllocatePort(handle, characteristics) !== NDIS_STATUS_SUCCESS) {
      NdisFreeMemoryWithTagPriority(handle, block, MP_TAG_VIF);
      addToCounter(adapter.Block, STAT_FAILED_ARRIVALS, 1);
      return;
    }
    PortNumber = characteristics.PortNumber;
  }
  if (MPActivatePort(adapter, PortNumber) !== NDIS_STATUS_SUCCESS) {
    // The port never became active: it may be freed (or kept as the spare) at once.
    MPReleasePort(adapter, PortNumber);
    NdisFreeMemoryWithTagPriority(handle, block, MP_TAG_VIF);
    addToCounter(adapter.Block, STAT_FAILED_ARRIVALS, 1);
    return;
  }
  NdisZeroMemory(block, VIF_BLOCK_SIZE);
  writeUInt32LE(block + VIF_OFFSET_ID, Id);
  writeUInt32LE(block + VIF_OFFSET_PORT, PortNumber);
  adapter.Vifs.set(Id, { Id, Block: block, PortNumber });
  addToCounter(adapter.Block, STAT_ARRIVALS, 1);
}

/** A vif goes down: deactivate its port first, then release the port and the block. */
function MPVifDepart(adapter: ADAPTER, vif: VIF): void {
  if (adapter.SparePort !== 0) {
    // BUG (freeing an active port): "the port is going away anyway" — freed first, deactivated after.
    NdisMFreePort(adapter.AdapterHandle, vif.PortNumber);
    MPDeactivatePorts(adapter, Uint32Array.of(vif.PortNumber));
    NdisFreeMemoryWithTagPriority(adapter.AdapterHandle, vif.Block, MP_TAG_VIF);
    adapter.Vifs.delete(vif.Id);
    addToCounter(adapter.Block, STAT_DEPARTURES, 1);
    return;
  }
  if (MPDeactivatePorts(adapter, Uint32Array.of(vif.PortNumber)) !== NDIS_STATUS_SUCCESS) return; // still active: retry next tick
  MPReleasePort(adapter, vif.PortNumber);
  NdisFreeMemoryWithTagPriority(adapter.AdapterHandle, vif.Block, MP_TAG_VIF);
  adapter.Vifs.delete(vif.Id);
  addToCounter(adapter.Block, STAT_DEPARTURES, 1);
}

/** MPManagementWorkItem (NDIS_IO_WORKITEM_FUNCTION, PASSIVE_LEVEL): reconciles vifs with the script. */
function MPManagementWorkItem(WorkItemContext: unknown, _NdisIoWorkItemHandle: NDIS_HANDLE): void {
  const adapter = WorkItemContext as ADAPTER;
  NdisAcquireSpinLock(adapter.Lock);
  adapter.MgmtWorkQueued = false;
  const t = adapter.Ticks;
  NdisReleaseSpinLock(adapter.Lock);
  const wanted = MPScriptedVifs(t);
  // Departures first: they may hand their port to an arrival as the spare.
  for (const vif of [...adapter.Vifs.values()]) {
    if (!wanted.includes(vif.Id)) MPVifDepart(adapter, vif);
  }
  for (const Id of wanted) if (!adapter.Vifs.has(Id)) MPVifArrive(adapter, Id);
  for (const vif of adapter.Vifs.values()) addToCounter(vif.Block, VIF_OFFSET_FRAMES, 1);
}

/** MPManagementTimer (NDIS_TIMER_FUNCTION, DISPATCH_LEVEL): port events need PASSIVE, so queue the work item. */
function MPManagementTimer(_s1: number, FunctionContext: unknown, _s2: number, _s3: number): void {
  const adapter = FunctionContext as ADAPTER;
  NdisDprAcquireSpinLock(adapter.Lock);
  adapter.Ticks++;
  const queue = !adapter.MgmtWorkQueued && adapter.MgmtWorkItem !== null;
  if (queue) adapter.MgmtWorkQueued = true;
  NdisDprReleaseSpinLock(adapter.Lock);
  if (queue) NdisQueueIoWorkItem(adapter.MgmtWorkItem, MPManagementWorkItem, adapter);
}

// ---------------------------------------------------------------------------------------------
// Teardown: the single cleanup routine
// ---------------------------------------------------------------------------------------------

/**
 * Deactivates every active vif's port. One event for all, its NDIS_PORT_NUMBER array in a scratch
 * pool block (in C, NET_PNP_EVENT.Buffer points at it; here the Buffer is the array read out of the
 * block). Without the block, one event per port.
 */
function MPDeactivateAllVifs(adapter: ADAPTER): void {
  const handle = adapter.AdapterHandle;
  const vifs = [...adapter.Vifs.values()];
  if (vifs.length === 0) return;
  const list = NdisAllocateMemoryWithTagPriority(
    handle,
    4 * vifs.length,
    MP_TAG_PORT_LIST,
    NormalPoolPriority,
  );
  if (list !== 0) {
    for (let i = 0; i < vifs.length; i++) writeUInt32LE(list + 4 * i, vifs[i].PortNumber);
    const numbers = new Uint32Array(vifs.length);
    for (let i = 0; i < vifs.length; i++) numbers[i] = readUInt32LE(list + 4 * i);
    const status = MPDeactivatePorts(adapter, numbers);
    NdisFreeMemoryWithTagPriority(handle, list, MP_TAG_PORT_LIST);
    if (status === NDIS_STATUS_SUCCESS) return;
  }
  for (const vif of vifs) {
    MPDeactivatePorts(adapter, Uint32Array.of(vif.PortNumber));
    // BUG (double free on a cleanup-allocation failure): this fallback was written as a complete
    // teardown of the vif; MPFreeAdapter frees the same block again right after.
    NdisFreeMemoryWithTagPriority(handle, vif.Block, MP_TAG_VIF);
  }
}

/**
 * MPFreeAdapter: the cleanup routine of MPInitializeEx's failure paths and of MPHaltEx. Every port the
 * driver allocated is inactive and freed before it returns; the default port is NDIS's.
 */
function MPFreeAdapter(adapter: ADAPTER): void {
  const handle = adapter.AdapterHandle;
  if (adapter.MgmtTimer !== null) {
    NdisCancelTimerObject(adapter.MgmtTimer);
    NdisFreeTimerObject(adapter.MgmtTimer);
    adapter.MgmtTimer = null;
  }
  if (adapter.MgmtWorkItem !== null) {
    NdisFreeIoWorkItem(adapter.MgmtWorkItem);
    adapter.MgmtWorkItem = null;
  }
  MPDeactivateAllVifs(adapter);
  for (const vif of adapter.Vifs.values()) {
    NdisMFreePort(handle, vif.PortNumber);
    NdisFreeMemoryWithTagPriority(handle, vif.Block, MP_TAG_VIF);
  }
  adapter.Vifs.clear();
  // BUG (port leaked at halt): the spare port, allocated but never activated, is not freed.
  adapter.SparePort = 0;
  NdisFreeSpinLock(adapter.Lock);
  NdisFreeMemoryWithTagPriority(handle, adapter.Block, MP_TAG_ADAPTER);
}

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
      MP_TAG_ADAPTER,
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
      Lock: {},
      Vifs: new Map(),
      SparePort: 0,
      MgmtTimer: null,
      MgmtWorkItem: null,
      MgmtWorkQueued: false,
      Ticks: 0,
      MacAddress: [0x02, 0x50, 0x4f, 0x52, 0x54, InitParameters.IfIndex & 0xff],
    };
    NdisAllocateSpinLock(adapter.Lock);
    status = NdisMSetMiniportAttributes(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
        Revision: 1,
        Size: NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
      },
      MiniportAdapterContext: adapter,
      // NDIS activates the default port itself (no CONTROLS_DEFAULT_PORT): it frees it too.
      AttributeFlags: NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK | NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM,
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
      MtuSize: 1400,
      MaxXmitLinkSpeed: MP_LINK_SPEED,
      MaxRcvLinkSpeed: MP_LINK_SPEED,
      MediaConnectState: MediaConnectStateConnected,
      MacAddressLength: 6,
      PermanentMacAddress: adapter.MacAddress,
      CurrentMacAddress: adapter.MacAddress,
    });
    if (status !== NDIS_STATUS_SUCCESS) break init;
    // Ports may be allocated once the registration attributes are set.
    const spare = MPPortCharacteristics(0);
    status = NdisMAllocatePort(NdisMiniportHandle, spare);
    if (status !== NDIS_STATUS_SUCCESS) break init;
    adapter.SparePort = spare.PortNumber;
    const timer = NdisAllocateTimerObject(NdisMiniportHandle, {
      Header: {
        Type: NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
        Revision: NDIS_TIMER_CHARACTERISTICS_REVISION_1,
        Size: NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
      },
      AllocationTag: MP_TAG_TIMER,
      TimerFunction: MPManagementTimer,
      FunctionContext: adapter,
    });
    status = timer.Status;
    if (status !== NDIS_STATUS_SUCCESS) break init;
    adapter.MgmtTimer = timer.TimerObject;
    adapter.MgmtWorkItem = NdisAllocateIoWorkItem(NdisMiniportHandle);
    if (adapter.MgmtWorkItem === null) status = NDIS_STATUS_RESOURCES;
  }
  if (status !== NDIS_STATUS_SUCCESS && adapter !== null) MPFreeAdapter(adapter);
  return status;
};

const MPHaltEx: MINIPORT_HALT = (MiniportAdapterContext) => {
  MPFreeAdapter(MiniportAdapterContext as ADAPTER);
};

const MPPause: MINIPORT_PAUSE = (MiniportAdapterContext) => {
  // Vifs keep their ports while paused; they just stop coming and going.
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.MgmtTimer !== null) NdisCancelTimerObject(adapter.MgmtTimer);
  return NDIS_STATUS_SUCCESS;
};

const MPRestart: MINIPORT_RESTART = (MiniportAdapterContext) => {
  const adapter = MiniportAdapterContext as ADAPTER;
  if (adapter.MgmtTimer !== null) {
    NdisSetTimerObject(adapter.MgmtTimer, -MP_TICK_MS * TICKS_PER_MS, MP_TICK_MS, adapter);
  }
  return NDIS_STATUS_SUCCESS;
};

const MPShutdownEx: MINIPORT_SHUTDOWN = () => {
  // Nothing to stop on a virtual adapter; ports and memory are left as they are.
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

/** Several script cycles: vifs come and go across a pause, some still up at halt. */
export const scenarios: Readonly<Record<string, Scenario>> = {
  'vif-churn': [
    { step: 'load' },
    { step: 'addDevice', name: 'nic0', busMaster: false },
    { step: 'initialize', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 200 },
    { step: 'pause', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms: 170 },
    { step: 'halt', adapter: 'nic0' },
    { step: 'unload' },
  ],
};
