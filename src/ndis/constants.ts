/**
 * NDIS 6.x constants under their header names, with the header values (reference/SPEC.md §10).
 *
 * Header sources, as lettered in SPEC §10: W km/ndis.h · P km/netpnp.h · K km/wdm.h ·
 * S shared/ndis/status.h · N shared/ntstatus.h · D shared/ntddndis.h · PT shared/ndis/ndisport.h ·
 * H shared/ndis/objectheader.h · B shared/bugcodes.h · I shared/ifdef.h · doc = documentation only ·
 * derived = computed from the header layouts (x64).
 */

// ---------------------------------------------------------------------------------------------
// §10.1 Status codes (S, W, N). NDIS_STATUS is a signed 32-bit int in the headers; these are the
// unsigned 32-bit patterns. Normalise incoming values with `>>> 0` before comparing (§1).
// Note (§11 D1): INVALID_PORT / INVALID_PORT_STATE are 0xC023xxxx (NTSTATUS aliases), not 0xC001xxxx.
// ---------------------------------------------------------------------------------------------

export const NDIS_STATUS_SUCCESS = 0x00000000;
export const NDIS_STATUS_PENDING = 0x00000103;
export const NDIS_STATUS_NOT_ACCEPTED = 0x00010003;
export const NDIS_STATUS_FAILURE = 0xc0000001;
export const NDIS_STATUS_INVALID_PARAMETER = 0xc000000d;
export const NDIS_STATUS_RESOURCES = 0xc000009a;
export const NDIS_STATUS_NOT_SUPPORTED = 0xc00000bb;
export const NDIS_STATUS_INVALID_STATE = 0xc0000184;
export const NDIS_STATUS_CLOSING = 0xc0010002;
export const NDIS_STATUS_BAD_VERSION = 0xc0010004;
export const NDIS_STATUS_BAD_CHARACTERISTICS = 0xc0010005;
export const NDIS_STATUS_INVALID_LENGTH = 0xc0010014;
export const NDIS_STATUS_INVALID_DATA = 0xc0010015;
export const NDIS_STATUS_RESOURCE_CONFLICT = 0xc001001e;
export const NDIS_STATUS_PAUSED = 0xc023002a;
export const NDIS_STATUS_UNSUPPORTED_REVISION = 0xc023002c;
export const NDIS_STATUS_INVALID_PORT = 0xc023002d;
export const NDIS_STATUS_INVALID_PORT_STATE = 0xc023002e;
export const NDIS_STATUS_LOW_POWER_STATE = 0xc023002f;
/** Status indication code (NDIS_STATUS_INDICATION.StatusCode), not a DDI return value. */
export const NDIS_STATUS_PORT_STATE = 0x40010022;

// ---------------------------------------------------------------------------------------------
// §10.2 IRQL (K)
// ---------------------------------------------------------------------------------------------

export const PASSIVE_LEVEL = 0;
export const APC_LEVEL = 1;
export const DISPATCH_LEVEL = 2;
/** 15 on x64, Arm and Arm64 (the value used here); 31 on x86. */
export const HIGH_LEVEL = 15;

// ---------------------------------------------------------------------------------------------
// §10.3 Memory (W, K, doc)
// ---------------------------------------------------------------------------------------------

// NdisFreeMemory MemoryFlags (W)
export const NDIS_MEMORY_CONTIGUOUS = 0x00000001;
export const NDIS_MEMORY_NONCACHED = 0x00000002;

// EX_POOL_PRIORITY (K)
export const LowPoolPriority = 0;
export const LowPoolPrioritySpecialPoolOverrun = 8;
export const LowPoolPrioritySpecialPoolUnderrun = 9;
export const NormalPoolPriority = 16;
export const NormalPoolPrioritySpecialPoolOverrun = 24;
export const NormalPoolPrioritySpecialPoolUnderrun = 25;
export const HighPoolPriority = 32;
export const HighPoolPrioritySpecialPoolOverrun = 40;
export const HighPoolPrioritySpecialPoolUnderrun = 41;

/**
 * The NDIS default pool tag, the MSVC multi-character literal 'maDN' (doc + derived; shown as
 * "NDam" in memory). The name is ours: no header constant exists.
 */
export const NDIS_DEFAULT_POOL_TAG = 0x6d61444e;

// ---------------------------------------------------------------------------------------------
// §10.4 DMA and shared memory (W, D, K)
// ---------------------------------------------------------------------------------------------

// NDIS_SG_DMA_DESCRIPTION.Flags (W)
export const NDIS_SG_DMA_64_BIT_ADDRESS = 0x00000001;
/** NDIS 6.50, undocumented. */
export const NDIS_SG_DMA_V3_HAL_API = 0x00000002;
/** NDIS 6.85, undocumented. */
export const NDIS_SG_DMA_HYBRID_DMA = 0x00000004;
export const NDIS_SG_DMA_DESCRIPTION_REVISION_1 = 1;
/** NDIS 6.85 (adds PdoOverride). */
export const NDIS_SG_DMA_DESCRIPTION_REVISION_2 = 2;

// NDIS_SHARED_MEMORY_PARAMETERS (W)
export const NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS = 0x00000001;
/** The misspelling the documentation uses; the header keeps it as an alias (§11 D19). */
export const NDIS_SHARED_MEM_PARAMETERS_CONTIGOUS = NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS;
/** SharedMemoryHandle of memory that came from the HAL rather than from a provider (NULL). */
export const NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED = null;
export const NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1 = 1;
/** NDIS 6.30 (adds VPortId). */
export const NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2 = 2;

// NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS (W)
export const NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 = 1;
export const NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS = 0x00000001;

// NDIS_SHARED_MEMORY_USAGE (W)
export const NdisSharedMemoryUsageUndefined = 0;
export const NdisSharedMemoryUsageXmit = 1;
export const NdisSharedMemoryUsageXmitHeader = 2;
export const NdisSharedMemoryUsageXmitData = 3;
export const NdisSharedMemoryUsageReceive = 4;
export const NdisSharedMemoryUsageReceiveLookahead = 5;
export const NdisSharedMemoryUsageReceivePostLookahead = 6;
export const NdisSharedMemoryUsageReceiveHeader = 7;
export const NdisSharedMemoryUsageReceiveData = 8;
export const NdisSharedMemoryUsageOther = 9;
/** May change between releases; never valid as an argument. */
export const NdisSharedMemoryUsageMax = 10;

// Queue, VPort and switch identifiers (D); NUMA node (K)
export const NDIS_DEFAULT_RECEIVE_QUEUE_ID = 0;
export const NDIS_DEFAULT_VPORT_ID = 0;
export const NDIS_DEFAULT_SWITCH_ID = 0;
export const MM_ANY_NODE_OK = 0x80000000;

// DMA_WIDTH (K)
export const Width8Bits = 0;
export const Width16Bits = 1;
export const Width32Bits = 2;
export const Width64Bits = 3;
export const WidthNoWrap = 4;

// DMA_SPEED (K)
export const Compatible = 0;
export const TypeA = 1;
export const TypeB = 2;
export const TypeC = 3;
export const TypeF = 4;

// ---------------------------------------------------------------------------------------------
// §10.5 Ports and PnP events (PT, D, I, P, W)
// ---------------------------------------------------------------------------------------------

// Port numbers (PT)
export const NDIS_DEFAULT_PORT_NUMBER = 0;
/** Valid port numbers are 0..0xFFFFFF. */
export const NDIS_MAXIMUM_PORTS = 0x1000000;

// NDIS_PORT_TYPE (PT)
export const NdisPortTypeUndefined = 0;
export const NdisPortTypeBridge = 1;
export const NdisPortTypeRasConnection = 2;
export const NdisPortType8021xSupplicant = 3;
/** NDIS 6.30. */
export const NdisPortTypeNdisImPlatform = 4;
/** 5 with NDIS 6.30 headers (4 below 6.30). */
export const NdisPortTypeMax = 5;

// NDIS_PORT_CONTROL_STATE (D)
export const NdisPortControlStateUnknown = 0;
export const NdisPortControlStateControlled = 1;
export const NdisPortControlStateUncontrolled = 2;

// NDIS_PORT_AUTHORIZATION_STATE (D)
export const NdisPortAuthorizationUnknown = 0;
export const NdisPortAuthorized = 1;
export const NdisPortUnauthorized = 2;
export const NdisPortReauthorizing = 3;

// NDIS_PORT_CHARACTERISTICS / NDIS_PORT_STATE (D)
export const NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS = 0x00000001;
export const NDIS_PORT_CHARACTERISTICS_REVISION_1 = 1;
export const NDIS_PORT_STATE_REVISION_1 = 1;

// NDIS_MEDIA_CONNECT_STATE = NET_IF_MEDIA_CONNECT_STATE (I)
export const MediaConnectStateUnknown = 0;
export const MediaConnectStateConnected = 1;
export const MediaConnectStateDisconnected = 2;

// NET_IF_DIRECTION_TYPE (I)
export const NET_IF_DIRECTION_SENDRECEIVE = 0;
export const NET_IF_DIRECTION_SENDONLY = 1;
export const NET_IF_DIRECTION_RECEIVEONLY = 2;

/** All ones (ULONG64), so a bigint: link speeds above 2^53 cannot be JS numbers (D, I). */
export const NDIS_LINK_SPEED_UNKNOWN = 0xffffffffffffffffn;

// NET_PNP_EVENT_CODE (P)
export const NetEventSetPower = 0;
export const NetEventQueryPower = 1;
export const NetEventQueryRemoveDevice = 2;
export const NetEventCancelRemoveDevice = 3;
export const NetEventReconfigure = 4;
export const NetEventBindList = 5;
export const NetEventBindsComplete = 6;
export const NetEventPnPCapabilities = 7;
export const NetEventPause = 8;
export const NetEventRestart = 9;
export const NetEventPortActivation = 10;
export const NetEventPortDeactivation = 11;
export const NetEventIMReEnableDevice = 12;
export const NetEventNDKEnable = 13;
export const NetEventNDKDisable = 14;
export const NetEventFilterPreDetach = 15;
export const NetEventBindFailed = 16;
export const NetEventSwitchActivate = 17;
export const NetEventAllowBindsAbove = 18;
export const NetEventInhibitBindsAbove = 19;
export const NetEventAllowStart = 20;
export const NetEventRequirePause = 21;
export const NetEventUploadGftFlowEntries = 22;
export const NetEventMaximum = 23;

// NET_PNP_EVENT_NOTIFICATION (W)
export const NET_PNP_EVENT_NOTIFICATION_REVISION_1 = 1;
/** NDIS 6.50 (adds SwitchId, VPortId). */
export const NET_PNP_EVENT_NOTIFICATION_REVISION_2 = 2;
export const NET_EVENT_HALT_MINIPORT_ON_LOW_POWER = 0x00000001;
export const NET_EVENT_FLAGS_VPORT_ID_VALID = 0x00000002;

// ---------------------------------------------------------------------------------------------
// §10.6 Driver, adapter and object headers (D, H, W, K)
// ---------------------------------------------------------------------------------------------

// NDIS_OBJECT_HEADER.Type (D)
export const NDIS_OBJECT_TYPE_DEFAULT = 0x80;
export const NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS = 0x81;
export const NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION = 0x83;
export const NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS = 0x8a;
/** Not used by the documentation, which says DEFAULT for NDIS_PORT_CHARACTERISTICS (§11 D16). */
export const NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS = 0x9c;
/** Not used by the documentation. */
export const NDIS_OBJECT_TYPE_PORT_STATE = 0x9d;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES = 0x9e;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES = 0x9f;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES = 0xa0;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES = 0xa1;
export const NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES = 0xa4;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES = 0xaf;
export const NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS = 0xb0;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES = 0xb3;
export const NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES = 0xc5;

// Revisions (H, W)
export const NDIS_OBJECT_REVISION_1 = 1;
export const NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 = 1;
/** NDIS 6.1 (adds the direct OID handlers). */
export const NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 = 2;
/** NDIS 6.80 (adds SynchronousOidRequestHandler). */
export const NDIS_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3 = 3;
export const NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1 = 1;
export const NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1 = 1;
export const NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1 = 1;
export const NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 = 1;
/** NDIS 6.30. */
export const NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 = 2;
export const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_1 = 1;
/** NDIS 6.20 (adds PowerManagementCapabilitiesEx). */
export const NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 = 2;
/** NDIS 6.1 (HDSplitAttributes). */
export const NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1 = 1;
/** NDIS 6.20 (receive-filter and NIC-switch capabilities). */
export const NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2 = 2;
/** NDIS 6.30 (SR-IOV and QoS capabilities). */
export const NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3 = 3;
/** NDIS 6.50, header only (GFT offload capabilities, §11 D28). */
export const NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_4 = 4;

// NDIS_MINIPORT_DRIVER_CHARACTERISTICS.Flags (W)
export const NDIS_INTERMEDIATE_DRIVER = 0x00000001;
export const NDIS_WDM_DRIVER = 0x00000002;

// NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES.AttributeFlags (W). The header name of the
// default-port flag is the only one exported (§11 D18).
export const NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE = 0x00000001;
export const NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM = 0x00000002;
export const NDIS_MINIPORT_ATTRIBUTES_SURPRISE_REMOVE_OK = 0x00000004;
export const NDIS_MINIPORT_ATTRIBUTES_NOT_CO_NDIS = 0x00000008;
export const NDIS_MINIPORT_ATTRIBUTES_DO_NOT_BIND_TO_ALL_CO = 0x00000010;
export const NDIS_MINIPORT_ATTRIBUTES_NO_HALT_ON_SUSPEND = 0x00000020;
export const NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER = 0x00000040;
export const NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT = 0x00000080;
/** NDIS 6.30. */
export const NDIS_MINIPORT_ATTRIBUTES_NO_PAUSE_ON_SUSPEND = 0x00000100;
/** NDIS 6.30, undocumented (§11 D29). */
export const NDIS_MINIPORT_ATTRIBUTES_NO_OID_INTERCEPT_ON_NONDEFAULT_PORTS = 0x00000200;
/** NDIS 6.30. */
export const NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK = 0x00000400;

// NDIS_HALT_ACTION (W)
export const NdisHaltDeviceDisabled = 0;
export const NdisHaltDeviceInstanceDeInitialized = 1;
export const NdisHaltDevicePoweredDown = 2;
export const NdisHaltDeviceSurpriseRemoved = 3;
export const NdisHaltDeviceFailed = 4;
export const NdisHaltDeviceInitializationFailed = 5;
export const NdisHaltDeviceStopped = 6;

// NDIS_SHUTDOWN_ACTION (W)
export const NdisShutdownPowerOff = 0;
export const NdisShutdownBugCheck = 1;

// NDIS_MINIPORT_PAUSE_PARAMETERS.PauseReason bits (W)
export const NDIS_PAUSE_NDIS_INTERNAL = 0x00000001;
export const NDIS_PAUSE_LOW_POWER = 0x00000002;
export const NDIS_PAUSE_BIND_PROTOCOL = 0x00000004;
export const NDIS_PAUSE_UNBIND_PROTOCOL = 0x00000008;
export const NDIS_PAUSE_ATTACH_FILTER = 0x00000010;
export const NDIS_PAUSE_DETACH_FILTER = 0x00000020;
export const NDIS_PAUSE_FILTER_RESTART_STACK = 0x00000040;
export const NDIS_PAUSE_MINIPORT_DEVICE_REMOVE = 0x00000080;

// NDIS_INTERFACE_TYPE (W; aliases of the wdm.h INTERFACE_TYPE values, K). 6 and 7 (VMEBus, NuBus)
// have no NdisInterface name.
export const NdisInterfaceInternal = 0;
export const NdisInterfaceIsa = 1;
export const NdisInterfaceEisa = 2;
export const NdisInterfaceMca = 3;
export const NdisInterfaceTurboChannel = 4;
export const NdisInterfacePci = 5;
export const NdisInterfacePcMcia = 8;
export const NdisInterfaceCBus = 9;
export const NdisInterfaceMPIBus = 10;
export const NdisInterfaceMPSABus = 11;
export const NdisInterfaceProcessorInternal = 12;
export const NdisInterfaceInternalPowerBus = 13;
export const NdisInterfacePNPISABus = 14;
export const NdisInterfacePNPBus = 15;
export const NdisInterfaceUSB = 16;
export const NdisInterfaceIrda = 17;
export const NdisInterface1394 = 18;

// NDIS versions of a miniport (W, doc; §11 D27: the header's list of minor versions)
export const NDIS_MINIPORT_MAJOR_VERSION = 6;
export const NDIS_MINIPORT_MINOR_VERSIONS = Object.freeze([
  0, 1, 20, 30, 40, 50, 51, 60, 70, 80, 81, 82, 83, 84, 85, 86, 87,
] as const);

// ---------------------------------------------------------------------------------------------
// §10.7 Bug check codes (B) and the 0x7C parameter-1 values of §9.3 (doc: no public header)
// ---------------------------------------------------------------------------------------------

export const BUGCODE_NDIS_DRIVER = 0x0000007c;
export const DRIVER_VERIFIER_DETECTED_VIOLATION = 0x000000c4;
/** Legacy (Windows 2000/XP) equivalent of 0x7C. */
export const BUGCODE_ID_DRIVER = 0x000000d2;
export const DRIVER_VERIFIER_DMA_VIOLATION = 0x000000e6;

// BUGCODE_NDIS_DRIVER (0x7C) parameter 1 (doc)
export const NDIS_BUGCHECK_ALLOCATE_SHARED_MEM_HIGH_IRQL = 0x01;
export const NDIS_BUGCHECK_SHARED_MEM_CORRUPTION = 0x02;
export const NDIS_BUGCHECK_FREE_INVALID_SHARED_MEM = 0x03;
export const NDIS_BUGCHECK_UNLOAD_DRIVER_INVALID_PARAMETER = 0x04;
export const NDIS_BUGCHECK_HALT_WITHOUT_INTERRUPT_DEREGISTER = 0x08;
export const NDIS_BUGCHECK_HALT_WITHOUT_CANCEL_TIMER = 0x09;
export const NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED = 0x0a;
export const NDIS_BUGCHECK_INIT_FAILED_WITHOUT_INTERRUPT_DEREGISTER = 0x0b;
export const NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER = 0x0c;
export const NDIS_BUGCHECK_HALT_INIT_WITHOUT_INTERRUPT_DEREGISTER = 0x0d;
export const NDIS_BUGCHECK_HALT_INIT_WITHOUT_CANCEL_TIMER = 0x0e;
export const NDIS_BUGCHECK_PM_INIT_FAILED_NO_INT_DEREGISTER = 0x10;
export const NDIS_BUGCHECK_PM_INIT_FAILED_NO_CANCEL_TIMER = 0x11;
export const NDIS_BUGCHECK_INVALID_NDIS5_CALL = 0x15;
/**
 * Parameter 2 names the sub-reason (…_PAUSE_COMPLETE or …_RESTART_COMPLETE). Their numeric values
 * are not documented (SPEC §10.7 marks them unconfirmed), so they are deliberately not exported.
 */
export const NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION = 0x1f;
export const NDIS_BUGCHECK_INVALID_OBJECT_HEADER = 0x21;
export const NDIS_BUGCHECK_ILLEGAL_NET_PNP_EVENT = 0x22;
export const NDIS_BUGCHECK_WATCHDOG = 0x25;
export const NDIS_BUGCHECK_LEAKED_NBL = 0x27;

// DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4) parameter-1 values (§9.4) have no documented constant
// names; they are not exported here.

// Driver Verifier option flags (`verifier /flags`, doc). The names are ours; the values are
// documented.
export const DRIVER_VERIFIER_FLAG_LOW_RESOURCES_SIMULATION = 0x00000004;
export const DRIVER_VERIFIER_FLAG_DMA_VERIFICATION = 0x00000080;
export const DRIVER_VERIFIER_FLAG_DDI_COMPLIANCE_CHECKING = 0x00020000;
export const DRIVER_VERIFIER_FLAG_SYSTEMATIC_LOW_RESOURCES_SIMULATION = 0x00040000;
/** Deprecated from build 19042. */
export const DRIVER_VERIFIER_FLAG_DDI_COMPLIANCE_CHECKING_ADDITIONAL = 0x00080000;
export const DRIVER_VERIFIER_FLAG_NDIS_WIFI_VERIFICATION = 0x00200000;

// ---------------------------------------------------------------------------------------------
// §10.8 Structure sizes (derived, x64): the NDIS_SIZEOF_…_REVISION_n values Header.Size must reach
// (§11 D17: Size >= the revision's size is accepted).
// ---------------------------------------------------------------------------------------------

export const NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1 = 64;
/** `sizeof` is 72. */
export const NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2 = 68;
export const NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 = 32;
export const NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1 = 36;
export const NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_2 = 48;
/** `sizeof` is 64. */
export const NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1 = 60;
export const NDIS_SIZEOF_PORT_STATE_REVISION_1 = 48;
/** sizeof(NDIS_PORT); the name is ours (no header macro). */
export const NDIS_SIZEOF_NDIS_PORT = 96;
/** sizeof(NET_PNP_EVENT); the name is ours (no header macro). */
export const NDIS_SIZEOF_NET_PNP_EVENT = 152;
export const NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1 = 164;
/** `sizeof` is 176. */
export const NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2 = 172;
export const NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1 = 136;
export const NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 = 152;
export const NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3 = 160;
/** `sizeof` is 32. */
export const NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 = 28;
/** Same as revision 1: both end at InterfaceType. */
export const NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_2 = 28;
/** Singular PARAMETER, as the header spells it. */
export const NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1 = 64;
export const NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1 = 12;
export const NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1 = 20;
export const NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_1 = 16;
export const NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_2 = 48;
export const NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3 = 80;
export const NDIS_SIZEOF_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_4 = 96;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const STATUS_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [NDIS_STATUS_SUCCESS, 'NDIS_STATUS_SUCCESS'],
  [NDIS_STATUS_PENDING, 'NDIS_STATUS_PENDING'],
  [NDIS_STATUS_NOT_ACCEPTED, 'NDIS_STATUS_NOT_ACCEPTED'],
  [NDIS_STATUS_FAILURE, 'NDIS_STATUS_FAILURE'],
  [NDIS_STATUS_INVALID_PARAMETER, 'NDIS_STATUS_INVALID_PARAMETER'],
  [NDIS_STATUS_RESOURCES, 'NDIS_STATUS_RESOURCES'],
  [NDIS_STATUS_NOT_SUPPORTED, 'NDIS_STATUS_NOT_SUPPORTED'],
  [NDIS_STATUS_INVALID_STATE, 'NDIS_STATUS_INVALID_STATE'],
  [NDIS_STATUS_CLOSING, 'NDIS_STATUS_CLOSING'],
  [NDIS_STATUS_BAD_VERSION, 'NDIS_STATUS_BAD_VERSION'],
  [NDIS_STATUS_BAD_CHARACTERISTICS, 'NDIS_STATUS_BAD_CHARACTERISTICS'],
  [NDIS_STATUS_INVALID_LENGTH, 'NDIS_STATUS_INVALID_LENGTH'],
  [NDIS_STATUS_INVALID_DATA, 'NDIS_STATUS_INVALID_DATA'],
  [NDIS_STATUS_RESOURCE_CONFLICT, 'NDIS_STATUS_RESOURCE_CONFLICT'],
  [NDIS_STATUS_PAUSED, 'NDIS_STATUS_PAUSED'],
  [NDIS_STATUS_UNSUPPORTED_REVISION, 'NDIS_STATUS_UNSUPPORTED_REVISION'],
  [NDIS_STATUS_INVALID_PORT, 'NDIS_STATUS_INVALID_PORT'],
  [NDIS_STATUS_INVALID_PORT_STATE, 'NDIS_STATUS_INVALID_PORT_STATE'],
  [NDIS_STATUS_LOW_POWER_STATE, 'NDIS_STATUS_LOW_POWER_STATE'],
  [NDIS_STATUS_PORT_STATE, 'NDIS_STATUS_PORT_STATE'],
]);

/** Names an NDIS_STATUS for reports (signed or unsigned 32-bit input); unknown values as `0x%08X`, non-32-bit input as `String(status)`. */
export function ndisStatusName(status: number): string {
  if (!Number.isInteger(status) || status < -0x80000000 || status > 0xffffffff) return String(status);
  const unsigned = status >>> 0;
  return STATUS_NAMES.get(unsigned) ?? `0x${unsigned.toString(16).toUpperCase().padStart(8, '0')}`;
}
