/**
 * NDIS 6.x structures and handler types under their header names (reference/SPEC.md §1, §2, §4-§7).
 *
 * Conventions (DESIGN.md "Public conventions"): structures are plain objects with the header's field
 * names; handles are opaque objects; addresses are JS numbers; context values that the driver
 * supplies (MiniportAdapterContext, ProviderContext, …) are `unknown` and come back unchanged.
 * Fields that NDIS writes (out fields) are ordinary mutable fields. Fields added by a later revision
 * of a structure are optional. Enumerations are plain numbers; their values are in `constants.ts`.
 */

// ---------------------------------------------------------------------------------------------
// Scalar types
// ---------------------------------------------------------------------------------------------

/** UCHAR: unsigned 8-bit integer. */
export type UCHAR = number;
/** USHORT: unsigned 16-bit integer. */
export type USHORT = number;
/** UINT: unsigned 32-bit integer. */
export type UINT = number;
/** ULONG: unsigned 32-bit integer. */
export type ULONG = number;
/** ULONG_PTR: pointer-sized unsigned integer. */
export type ULONG_PTR = number;
/** ULONG64: a number when the value fits in 2^53, else a bigint (e.g. NDIS_LINK_SPEED_UNKNOWN). */
export type ULONG64 = number | bigint;
/** BOOLEAN: TRUE/FALSE. */
export type BOOLEAN = boolean;

/** NDIS_STATUS: a status code (unsigned 32-bit pattern; normalise signed input with `>>> 0`). */
export type NDIS_STATUS = number;
/** NDIS_HANDLE: an opaque handle object, or NULL. */
export type NDIS_HANDLE = object | null;
/** PVOID: a virtual address (signed 64-bit value of the canonical address); NULL is 0. */
export type PVOID = number;
/** NDIS_PHYSICAL_ADDRESS: a device-visible (logical) address, held as PVOID is. */
export type NDIS_PHYSICAL_ADDRESS = number;
/** PHYSICAL_ADDRESS: as NDIS_PHYSICAL_ADDRESS. */
export type PHYSICAL_ADDRESS = NDIS_PHYSICAL_ADDRESS;
/** NDIS_PORT_NUMBER: a ULONG; 0 is the default port. */
export type NDIS_PORT_NUMBER = number;
/** NDIS_RECEIVE_QUEUE_ID: a ULONG; 0 is NDIS_DEFAULT_RECEIVE_QUEUE_ID. */
export type NDIS_RECEIVE_QUEUE_ID = number;
/** NDIS_NIC_SWITCH_ID: a ULONG; 0 is NDIS_DEFAULT_SWITCH_ID. */
export type NDIS_NIC_SWITCH_ID = number;
/** NDIS_NIC_SWITCH_VPORT_ID: a ULONG; 0 is NDIS_DEFAULT_VPORT_ID. */
export type NDIS_NIC_SWITCH_VPORT_ID = number;
/** NODE_REQUIREMENT: a NUMA node number, or MM_ANY_NODE_OK. */
export type NODE_REQUIREMENT = number;
/** NET_IFINDEX: a network interface index. */
export type NET_IFINDEX = number;
/** NET_LUID: a 64-bit locally unique interface identifier. */
export type NET_LUID = ULONG64;
/** NDIS_OID: an OID code. */
export type NDIS_OID = number;

/** DRIVER_OBJECT: the opaque driver object DriverEntry receives. */
export type DRIVER_OBJECT = object;
/** DEVICE_OBJECT: an opaque device object. */
export type DEVICE_OBJECT = object;

// ---------------------------------------------------------------------------------------------
// Enumerations (values in constants.ts)
// ---------------------------------------------------------------------------------------------

/** EX_POOL_PRIORITY (LowPoolPriority, NormalPoolPriority, HighPoolPriority, …). */
export type EX_POOL_PRIORITY = number;
/** NDIS_SHARED_MEMORY_USAGE (NdisSharedMemoryUsageXxx). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ne-ndis-_ndis_shared_memory_usage */
export type NDIS_SHARED_MEMORY_USAGE = number;
/** NET_PNP_EVENT_CODE (NetEventXxx). */
export type NET_PNP_EVENT_CODE = number;
/** NDIS_PORT_TYPE (NdisPortTypeXxx). */
export type NDIS_PORT_TYPE = number;
/** NDIS_PORT_CONTROL_STATE (NdisPortControlStateXxx). */
export type NDIS_PORT_CONTROL_STATE = number;
/** NDIS_PORT_AUTHORIZATION_STATE (NdisPortAuthorizationUnknown, NdisPortAuthorized, …). */
export type NDIS_PORT_AUTHORIZATION_STATE = number;
/** NDIS_MEDIA_CONNECT_STATE (MediaConnectStateXxx). */
export type NDIS_MEDIA_CONNECT_STATE = number;
/** NDIS_MEDIA_DUPLEX_STATE (MediaDuplexStateXxx). */
export type NDIS_MEDIA_DUPLEX_STATE = number;
/** NET_IF_DIRECTION_TYPE (NET_IF_DIRECTION_*). */
export type NET_IF_DIRECTION_TYPE = number;
/** NET_IF_ACCESS_TYPE. */
export type NET_IF_ACCESS_TYPE = number;
/** NET_IF_CONNECTION_TYPE. */
export type NET_IF_CONNECTION_TYPE = number;
/** NET_IFTYPE: IANA interface type (e.g. 6 = IF_TYPE_ETHERNET_CSMACD). */
export type NET_IFTYPE = number;
/** NDIS_MEDIUM (NdisMediumXxx). */
export type NDIS_MEDIUM = number;
/** NDIS_PHYSICAL_MEDIUM (NdisPhysicalMediumXxx). */
export type NDIS_PHYSICAL_MEDIUM = number;
/** NDIS_HALT_ACTION (NdisHaltDeviceXxx). */
export type NDIS_HALT_ACTION = number;
/** NDIS_SHUTDOWN_ACTION (NdisShutdownPowerOff, NdisShutdownBugCheck). */
export type NDIS_SHUTDOWN_ACTION = number;
/** NDIS_INTERFACE_TYPE (NdisInterfaceXxx). */
export type NDIS_INTERFACE_TYPE = number;
/** DMA_WIDTH (Width8Bits, Width16Bits, Width32Bits, …). */
export type DMA_WIDTH = number;
/** DMA_SPEED (Compatible, TypeA, TypeB, TypeC, TypeF). */
export type DMA_SPEED = number;

// ---------------------------------------------------------------------------------------------
// Object header
// ---------------------------------------------------------------------------------------------

/** NDIS_OBJECT_HEADER. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/objectheader/ns-objectheader-ndis_object_header */
export interface NDIS_OBJECT_HEADER {
  Type: UCHAR;
  Revision: UCHAR;
  Size: USHORT;
}

// ---------------------------------------------------------------------------------------------
// Handler types (ndis.h function typedefs)
// ---------------------------------------------------------------------------------------------

/** MINIPORT_INITIALIZE (MiniportInitializeEx). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_initialize */
export type MINIPORT_INITIALIZE = (
  NdisMiniportHandle: NDIS_HANDLE,
  MiniportDriverContext: unknown,
  MiniportInitParameters: NDIS_MINIPORT_INIT_PARAMETERS,
) => NDIS_STATUS;

/** MINIPORT_HALT (MiniportHaltEx). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_halt */
export type MINIPORT_HALT = (MiniportAdapterContext: unknown, HaltAction: NDIS_HALT_ACTION) => void;

/** MINIPORT_PAUSE (MiniportPause). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_pause */
export type MINIPORT_PAUSE = (
  MiniportAdapterContext: unknown,
  PauseParameters: NDIS_MINIPORT_PAUSE_PARAMETERS,
) => NDIS_STATUS;

/** MINIPORT_RESTART (MiniportRestart). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_restart */
export type MINIPORT_RESTART = (
  MiniportAdapterContext: unknown,
  RestartParameters: NDIS_MINIPORT_RESTART_PARAMETERS,
) => NDIS_STATUS;

/** MINIPORT_SHUTDOWN (MiniportShutdownEx). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_shutdown */
export type MINIPORT_SHUTDOWN = (
  MiniportAdapterContext: unknown,
  ShutdownAction: NDIS_SHUTDOWN_ACTION,
) => void;

/** MINIPORT_UNLOAD (MiniportDriverUnload). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_unload */
export type MINIPORT_UNLOAD = (DriverObject: DRIVER_OBJECT) => void;

/** SET_OPTIONS (MiniportSetOptions). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-set_options */
export type SET_OPTIONS = (NdisDriverHandle: NDIS_HANDLE, DriverContext: unknown) => NDIS_STATUS;

/** MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE (MiniportSharedMemoryAllocateComplete); on failure VirtualAddress is 0 (NULL) and PhysicalAddress null. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_allocate_shared_mem_complete */
export type MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE = (
  MiniportAdapterContext: unknown,
  VirtualAddress: PVOID,
  PhysicalAddress: NDIS_PHYSICAL_ADDRESS | null,
  Length: ULONG,
  Context: unknown,
) => void;

/** What ALLOCATE_SHARED_MEMORY_HANDLER returns: its status and the out-parameter *pSharedMemoryProviderContext (the provider's handle for the block). */
export interface ALLOCATE_SHARED_MEMORY_HANDLER_RESULT {
  Status: NDIS_STATUS;
  SharedMemoryProviderContext: unknown;
}

/** ALLOCATE_SHARED_MEMORY_HANDLER (NetAllocateSharedMemory); the out-parameter comes back in the result object. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-allocate_shared_memory_handler */
export type ALLOCATE_SHARED_MEMORY_HANDLER = (
  ProviderContext: unknown,
  SharedMemoryParameters: NDIS_SHARED_MEMORY_PARAMETERS,
) => ALLOCATE_SHARED_MEMORY_HANDLER_RESULT;

/** FREE_SHARED_MEMORY_HANDLER (NetFreeSharedMemory). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-free_shared_memory_handler */
export type FREE_SHARED_MEMORY_HANDLER = (
  ProviderContext: unknown,
  SharedMemoryProviderContext: unknown,
) => void;

/** MINIPORT_OID_REQUEST (MiniportOidRequest); the NDIS_OID_REQUEST is outside this package's scope. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_oid_request */
export type MINIPORT_OID_REQUEST = (MiniportAdapterContext: unknown, OidRequest: object) => NDIS_STATUS;

/** MINIPORT_PROCESS_SG_LIST (MiniportProcessSGList). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_process_sg_list */
export type MINIPORT_PROCESS_SG_LIST = (
  pDO: DEVICE_OBJECT | null,
  Reserved: unknown,
  pSGL: SCATTER_GATHER_LIST,
  Context: unknown,
) => void;

/** A handler outside this package's scope, typed loosely: any function fits. */
export type NDIS_LOOSE_HANDLER = (...args: never[]) => unknown;
/** MINIPORT_SEND_NET_BUFFER_LISTS (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_send_net_buffer_lists */
export type MINIPORT_SEND_NET_BUFFER_LISTS = NDIS_LOOSE_HANDLER;
/** MINIPORT_RETURN_NET_BUFFER_LISTS (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_return_net_buffer_lists */
export type MINIPORT_RETURN_NET_BUFFER_LISTS = NDIS_LOOSE_HANDLER;
/** MINIPORT_CANCEL_SEND (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_cancel_send */
export type MINIPORT_CANCEL_SEND = NDIS_LOOSE_HANDLER;
/** MINIPORT_CHECK_FOR_HANG (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_check_for_hang */
export type MINIPORT_CHECK_FOR_HANG = NDIS_LOOSE_HANDLER;
/** MINIPORT_RESET (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_reset */
export type MINIPORT_RESET = NDIS_LOOSE_HANDLER;
/** MINIPORT_DEVICE_PNP_EVENT_NOTIFY (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_device_pnp_event_notify */
export type MINIPORT_DEVICE_PNP_EVENT_NOTIFY = NDIS_LOOSE_HANDLER;
/** MINIPORT_CANCEL_OID_REQUEST (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_cancel_oid_request */
export type MINIPORT_CANCEL_OID_REQUEST = NDIS_LOOSE_HANDLER;
/** MINIPORT_DIRECT_OID_REQUEST (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_direct_oid_request */
export type MINIPORT_DIRECT_OID_REQUEST = NDIS_LOOSE_HANDLER;
/** MINIPORT_CANCEL_DIRECT_OID_REQUEST (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_cancel_direct_oid_request */
export type MINIPORT_CANCEL_DIRECT_OID_REQUEST = NDIS_LOOSE_HANDLER;
/** MINIPORT_SYNCHRONOUS_OID_REQUEST (typed loosely). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-miniport_synchronous_oid_request */
export type MINIPORT_SYNCHRONOUS_OID_REQUEST = NDIS_LOOSE_HANDLER;

// ---------------------------------------------------------------------------------------------
// Driver and adapter lifecycle (§2)
// ---------------------------------------------------------------------------------------------

/** NDIS_MINIPORT_DRIVER_CHARACTERISTICS; every handler is a function or NULL. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_driver_characteristics */
export interface NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
  Header: NDIS_OBJECT_HEADER;
  MajorNdisVersion: UCHAR;
  MinorNdisVersion: UCHAR;
  MajorDriverVersion: UCHAR;
  MinorDriverVersion: UCHAR;
  Flags: ULONG;
  SetOptionsHandler?: SET_OPTIONS | null;
  InitializeHandlerEx?: MINIPORT_INITIALIZE | null;
  HaltHandlerEx?: MINIPORT_HALT | null;
  UnloadHandler?: MINIPORT_UNLOAD | null;
  PauseHandler?: MINIPORT_PAUSE | null;
  RestartHandler?: MINIPORT_RESTART | null;
  OidRequestHandler?: MINIPORT_OID_REQUEST | null;
  SendNetBufferListsHandler?: MINIPORT_SEND_NET_BUFFER_LISTS | null;
  ReturnNetBufferListsHandler?: MINIPORT_RETURN_NET_BUFFER_LISTS | null;
  CancelSendHandler?: MINIPORT_CANCEL_SEND | null;
  CheckForHangHandlerEx?: MINIPORT_CHECK_FOR_HANG | null;
  ResetHandlerEx?: MINIPORT_RESET | null;
  DevicePnPEventNotifyHandler?: MINIPORT_DEVICE_PNP_EVENT_NOTIFY | null;
  ShutdownHandlerEx?: MINIPORT_SHUTDOWN | null;
  CancelOidRequestHandler?: MINIPORT_CANCEL_OID_REQUEST | null;
  /** Revision 2 (NDIS 6.1). */
  DirectOidRequestHandler?: MINIPORT_DIRECT_OID_REQUEST | null;
  /** Revision 2 (NDIS 6.1). */
  CancelDirectOidRequestHandler?: MINIPORT_CANCEL_DIRECT_OID_REQUEST | null;
  /** Revision 3 (NDIS 6.80). */
  SynchronousOidRequestHandler?: MINIPORT_SYNCHRONOUS_OID_REQUEST | null;
}

/** NDIS_PORT_AUTHENTICATION_PARAMETERS (the default port's states in the init parameters). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntddndis/ns-ntddndis-_ndis_port_authentication_parameters */
export interface NDIS_PORT_AUTHENTICATION_PARAMETERS {
  Header: NDIS_OBJECT_HEADER;
  SendControlState: NDIS_PORT_CONTROL_STATE;
  RcvControlState: NDIS_PORT_CONTROL_STATE;
  SendAuthorizationState: NDIS_PORT_AUTHORIZATION_STATE;
  RcvAuthorizationState: NDIS_PORT_AUTHORIZATION_STATE;
}

/** NDIS_MINIPORT_INIT_PARAMETERS (set by NDIS). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_init_parameters */
export interface NDIS_MINIPORT_INIT_PARAMETERS {
  Header: NDIS_OBJECT_HEADER;
  /** Reserved. */
  Flags: ULONG;
  /** The PnP resource list (NDIS_RESOURCE_LIST), or NULL. */
  AllocatedResources: object | null;
  /** NULL unless an intermediate driver's virtual miniport. */
  IMDeviceInstanceContext: unknown;
  MiniportAddDeviceContext: unknown;
  IfIndex: NET_IFINDEX;
  NetLuid: NET_LUID;
  DefaultPortAuthStates: NDIS_PORT_AUTHENTICATION_PARAMETERS | null;
  /** NDIS_PCI_DEVICE_CUSTOM_PROPERTIES, or NULL. */
  PciDeviceCustomProperties: object | null;
}

/** NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_adapter_registration_attributes */
export interface NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
  Header: NDIS_OBJECT_HEADER;
  /** Becomes the adapter context NDIS passes to every MiniportXxx function. */
  MiniportAdapterContext: unknown;
  /** NDIS_MINIPORT_ATTRIBUTES_* bits. */
  AttributeFlags: ULONG;
  /** 0 means 2 seconds. */
  CheckForHangTimeInSeconds: UINT;
  InterfaceType: NDIS_INTERFACE_TYPE;
}

/** NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES (fields the emulation does not use are optional). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_adapter_general_attributes */
export interface NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES {
  Header: NDIS_OBJECT_HEADER;
  /** Reserved. */
  Flags?: ULONG;
  MediaType: NDIS_MEDIUM;
  PhysicalMediumType?: NDIS_PHYSICAL_MEDIUM;
  MtuSize: ULONG;
  MaxXmitLinkSpeed: ULONG64;
  XmitLinkSpeed?: ULONG64;
  MaxRcvLinkSpeed: ULONG64;
  RcvLinkSpeed?: ULONG64;
  MediaConnectState: NDIS_MEDIA_CONNECT_STATE;
  MediaDuplexState?: NDIS_MEDIA_DUPLEX_STATE;
  LookaheadSize?: ULONG;
  /** NDIS_PNP_CAPABILITIES, or NULL. */
  PowerManagementCapabilities?: object | null;
  MacOptions?: ULONG;
  SupportedPacketFilters?: ULONG;
  MaxMulticastListSize?: ULONG;
  MacAddressLength: USHORT;
  PermanentMacAddress: Uint8Array | readonly UCHAR[];
  CurrentMacAddress: Uint8Array | readonly UCHAR[];
  /** NDIS_RECEIVE_SCALE_CAPABILITIES, or NULL. */
  RecvScaleCapabilities?: object | null;
  AccessType?: NET_IF_ACCESS_TYPE;
  DirectionType?: NET_IF_DIRECTION_TYPE;
  ConnectionType?: NET_IF_CONNECTION_TYPE;
  IfType?: NET_IFTYPE;
  IfConnectorPresent?: BOOLEAN;
  SupportedStatistics?: ULONG;
  SupportedPauseFunctions?: ULONG;
  DataBackFillSize?: ULONG;
  ContextBackFillSize?: ULONG;
  SupportedOidList?: readonly NDIS_OID[] | null;
  SupportedOidListLength?: ULONG;
  AutoNegotiationFlags?: ULONG;
  /** Revision 2 (NDIS 6.20): NDIS_PM_CAPABILITIES, or NULL. */
  PowerManagementCapabilitiesEx?: object | null;
}

/** NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES; each capability is a structure outside this package's scope, or NULL. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_adapter_hardware_assist_attributes */
export interface NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES {
  Header: NDIS_OBJECT_HEADER;
  HDSplitAttributes: object | null;
  /** Revision 2 (NDIS 6.20). */
  HardwareReceiveFilterCapabilities?: object | null;
  /** Revision 2 (NDIS 6.20). */
  CurrentReceiveFilterCapabilities?: object | null;
  /** Revision 2 (NDIS 6.20). */
  HardwareNicSwitchCapabilities?: object | null;
  /** Revision 2 (NDIS 6.20). */
  CurrentNicSwitchCapabilities?: object | null;
  /** Revision 3 (NDIS 6.30). */
  HardwareSriovCapabilities?: object | null;
  /** Revision 3 (NDIS 6.30). */
  CurrentSriovCapabilities?: object | null;
  /** Revision 3 (NDIS 6.30). */
  HardwareQosCapabilities?: object | null;
  /** Revision 3 (NDIS 6.30). */
  CurrentQosCapabilities?: object | null;
  /** Revision 4 (NDIS 6.50, header only). */
  HardwareGftOffloadCapabilities?: object | null;
  /** Revision 4 (NDIS 6.50, header only). */
  CurrentGftOffloadCapabilities?: object | null;
}

/** NDIS_MINIPORT_ADAPTER_ATTRIBUTES: the member NdisMSetMiniportAttributes reads, selected by Header.Type. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_adapter_attributes */
export type NDIS_MINIPORT_ADAPTER_ATTRIBUTES =
  | NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES
  | NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES
  | NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES;

/** NDIS_MINIPORT_PAUSE_PARAMETERS. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_pause_parameters */
export interface NDIS_MINIPORT_PAUSE_PARAMETERS {
  Header: NDIS_OBJECT_HEADER;
  /** Reserved. */
  Flags: ULONG;
  /** NDIS_PAUSE_* bits. */
  PauseReason: ULONG;
}

/** NDIS_MINIPORT_RESTART_PARAMETERS. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_miniport_restart_parameters */
export interface NDIS_MINIPORT_RESTART_PARAMETERS {
  Header: NDIS_OBJECT_HEADER;
  /** NDIS_RESTART_ATTRIBUTES list; NULL means unchanged. */
  RestartAttributes: object | null;
  Flags: ULONG;
}

// ---------------------------------------------------------------------------------------------
// DMA registration (§4)
// ---------------------------------------------------------------------------------------------

/** NDIS_SG_DMA_DESCRIPTION (documented on the NdisMRegisterScatterGatherDma page). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismregisterscattergatherdma */
export interface NDIS_SG_DMA_DESCRIPTION {
  Header: NDIS_OBJECT_HEADER;
  /** NDIS_SG_DMA_64_BIT_ADDRESS or 0. */
  Flags: ULONG;
  MaximumPhysicalMapping: ULONG;
  ProcessSGListHandler: MINIPORT_PROCESS_SG_LIST | null;
  /** NULL unless NdisMAllocateSharedMemoryAsyncEx is used. */
  SharedMemAllocateCompleteHandler: MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE | null;
  /** Out: bytes needed per scatter/gather list. */
  ScatterGatherListSize: ULONG;
  /** Revision 2 (NDIS 6.85, header only). */
  PdoOverride?: DEVICE_OBJECT | null;
}

/** NDIS_DMA_DESCRIPTION (no object header; documented on the NdisMRegisterDmaChannel page). https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndismregisterdmachannel */
export interface NDIS_DMA_DESCRIPTION {
  DemandMode: BOOLEAN;
  AutoInitialize: BOOLEAN;
  DmaChannelSpecified: BOOLEAN;
  DmaWidth: DMA_WIDTH;
  DmaSpeed: DMA_SPEED;
  /** MCA only; must be 0. */
  DmaPort: ULONG;
  DmaChannel: ULONG;
}

// ---------------------------------------------------------------------------------------------
// Shared memory (§5, §6)
// ---------------------------------------------------------------------------------------------

/** SCATTER_GATHER_ELEMENT. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdm/ns-wdm-_scatter_gather_list */
export interface SCATTER_GATHER_ELEMENT {
  Address: PHYSICAL_ADDRESS;
  Length: ULONG;
  Reserved?: ULONG_PTR;
}

/** SCATTER_GATHER_LIST. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/wdm/ns-wdm-_scatter_gather_list */
export interface SCATTER_GATHER_LIST {
  NumberOfElements: ULONG;
  Reserved?: ULONG_PTR;
  Elements: SCATTER_GATHER_ELEMENT[];
}

/** NDIS_SHARED_MEMORY_PARAMETERS. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_shared_memory_parameters */
export interface NDIS_SHARED_MEMORY_PARAMETERS {
  Header: NDIS_OBJECT_HEADER;
  /** NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS or 0 (ULONG, §11 D20). */
  Flags: ULONG;
  QueueId: NDIS_RECEIVE_QUEUE_ID;
  /** Out: set by NDIS; NDIS_SHARED_MEM_HANDLE_HAL_ALLOCATED (NULL) for HAL memory. */
  SharedMemoryHandle: NDIS_HANDLE;
  PreferredNode: NODE_REQUIREMENT;
  Usage: NDIS_SHARED_MEMORY_USAGE;
  Length: ULONG;
  /** Out: base virtual address. */
  VirtualAddress: PVOID;
  SGListBufferLength: ULONG;
  /** The caller's buffer, filled with the physical layout. */
  SGListBuffer: SCATTER_GATHER_LIST | null;
  /** Revision 2 (NDIS 6.30). */
  VPortId?: NDIS_NIC_SWITCH_VPORT_ID;
}

/** NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_shared_memory_provider_characteristics */
export interface NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS {
  Header: NDIS_OBJECT_HEADER;
  /** 0 or NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS (§11 D22). */
  Flags: ULONG;
  /** Passed back to both handlers. */
  ProviderContext: unknown;
  AllocateSharedMemoryHandler: ALLOCATE_SHARED_MEMORY_HANDLER | null;
  FreeSharedMemoryHandler: FREE_SHARED_MEMORY_HANDLER | null;
}

// ---------------------------------------------------------------------------------------------
// Ports and PnP events (§7)
// ---------------------------------------------------------------------------------------------

/** NDIS_PORT_CHARACTERISTICS. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntddndis/ns-ntddndis-_ndis_port_characteristics */
export interface NDIS_PORT_CHARACTERISTICS {
  Header: NDIS_OBJECT_HEADER;
  /** Out of NdisMAllocatePort; in for activation. */
  PortNumber: NDIS_PORT_NUMBER;
  /** NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS or 0. */
  Flags: ULONG;
  Type: NDIS_PORT_TYPE;
  MediaConnectState: NDIS_MEDIA_CONNECT_STATE;
  /** Bits per second; NDIS_LINK_SPEED_UNKNOWN if unknown. */
  XmitLinkSpeed: ULONG64;
  /** Bits per second; NDIS_LINK_SPEED_UNKNOWN if unknown. */
  RcvLinkSpeed: ULONG64;
  Direction: NET_IF_DIRECTION_TYPE;
  SendControlState: NDIS_PORT_CONTROL_STATE;
  RcvControlState: NDIS_PORT_CONTROL_STATE;
  SendAuthorizationState: NDIS_PORT_AUTHORIZATION_STATE;
  RcvAuthorizationState: NDIS_PORT_AUTHORIZATION_STATE;
}

/** NDIS_PORT: one entry of the Next-linked list of a port-activation event. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntddndis/ns-ntddndis-_ndis_port */
export interface NDIS_PORT {
  Next: NDIS_PORT | null;
  NdisReserved?: unknown;
  MiniportReserved?: unknown;
  ProtocolReserved?: unknown;
  PortCharacteristics: NDIS_PORT_CHARACTERISTICS;
}

/** NDIS_PORT_STATE. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ntddndis/ns-ntddndis-_ndis_port_state */
export interface NDIS_PORT_STATE {
  Header: NDIS_OBJECT_HEADER;
  MediaConnectState: NDIS_MEDIA_CONNECT_STATE;
  XmitLinkSpeed: ULONG64;
  RcvLinkSpeed: ULONG64;
  Direction: NET_IF_DIRECTION_TYPE;
  SendControlState: NDIS_PORT_CONTROL_STATE;
  RcvControlState: NDIS_PORT_CONTROL_STATE;
  SendAuthorizationState: NDIS_PORT_AUTHORIZATION_STATE;
  RcvAuthorizationState: NDIS_PORT_AUTHORIZATION_STATE;
  /** Reserved. */
  Flags: ULONG;
}

/** NET_PNP_EVENT; Buffer is the first NDIS_PORT (activation), an array of port numbers (deactivation) or NULL. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/netpnp/ns-netpnp-_net_pnp_event */
export interface NET_PNP_EVENT {
  NetEvent: NET_PNP_EVENT_CODE;
  Buffer: NDIS_PORT | readonly NDIS_PORT_NUMBER[] | Uint32Array | null;
  /** Bytes: sizeof(NDIS_PORT) per activated port, 4 per deactivated port number. */
  BufferLength: ULONG;
  NdisReserved?: readonly ULONG_PTR[];
  TransportReserved?: readonly ULONG_PTR[];
  TdiReserved?: readonly ULONG_PTR[];
  TdiClientReserved?: readonly ULONG_PTR[];
}

/** NET_PNP_EVENT_NOTIFICATION. https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_net_pnp_event_notification */
export interface NET_PNP_EVENT_NOTIFICATION {
  Header: NDIS_OBJECT_HEADER;
  /** Source port; 0 for port (de)activation events. */
  PortNumber: NDIS_PORT_NUMBER;
  NetPnPEvent: NET_PNP_EVENT;
  /** NET_EVENT_FLAGS_VPORT_ID_VALID or 0. */
  Flags: ULONG;
  /** Revision 2 (NDIS 6.50). */
  SwitchId?: NDIS_NIC_SWITCH_ID;
  /** Revision 2 (NDIS 6.50). */
  VPortId?: NDIS_NIC_SWITCH_VPORT_ID;
}
