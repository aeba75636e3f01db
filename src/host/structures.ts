/**
 * The structures NDIS hands a miniport (SPEC §2.6, §2.8, §2.9): built fresh for every call, filled
 * the way NDIS fills them, so a driver can check their headers as real drivers do.
 */
import {
  NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1,
  NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1,
  NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1,
  NDIS_OBJECT_REVISION_1,
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS,
  NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1,
  NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1,
  NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1,
  NdisPortAuthorizationUnknown,
  NdisPortControlStateUncontrolled,
} from '../ndis/constants.js';
import {
  NDIS_SIZEOF_NET_DEVICE_PNP_EVENT_REVISION_1,
  NDIS_SIZEOF_PORT_AUTHENTICATION_PARAMETERS_REVISION_1,
  type NET_DEVICE_PNP_EVENT,
  NET_DEVICE_PNP_EVENT_REVISION_1,
} from '../ndis/lifecycle.js';
import type {
  NDIS_MINIPORT_INIT_PARAMETERS,
  NDIS_MINIPORT_PAUSE_PARAMETERS,
  NDIS_MINIPORT_RESTART_PARAMETERS,
} from '../ndis/types.js';

/** The DRIVER_OBJECT the host passes to DriverEntry: opaque to the driver, named for reports. */
export class DriverObject {
  constructor(readonly DriverName: string) {}
  /** The name reports show for it. */
  get name(): string {
    return this.DriverName;
  }
}

/** IF_TYPE_ETHERNET_CSMACD, the IfType of the NET_LUID NDIS gives an Ethernet miniport. */
const IF_TYPE_ETHERNET_CSMACD = 6;

/**
 * NDIS_MINIPORT_INIT_PARAMETERS for one MiniportInitializeEx. NetLuid packs NetLuidIndex (bits 24-47)
 * and IfType (bits 48-63); AllocatedResources is an empty CM_PARTIAL_RESOURCE_LIST (the simulated
 * device claims no I/O ports, memory or interrupts); the default port is uncontrolled.
 */
export function initParameters(IfIndex: number, NetLuidIndex: number): NDIS_MINIPORT_INIT_PARAMETERS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS,
      Revision: NDIS_MINIPORT_INIT_PARAMETERS_REVISION_1,
      Size: NDIS_SIZEOF_MINIPORT_INIT_PARAMETER_REVISION_1,
    },
    Flags: 0,
    AllocatedResources: { Version: 1, Revision: 1, Count: 0, PartialDescriptors: [] },
    IMDeviceInstanceContext: null,
    MiniportAddDeviceContext: null,
    IfIndex,
    NetLuid: IF_TYPE_ETHERNET_CSMACD * 2 ** 48 + NetLuidIndex * 2 ** 24,
    DefaultPortAuthStates: {
      Header: {
        Type: NDIS_OBJECT_TYPE_DEFAULT,
        Revision: NDIS_OBJECT_REVISION_1,
        Size: NDIS_SIZEOF_PORT_AUTHENTICATION_PARAMETERS_REVISION_1,
      },
      SendControlState: NdisPortControlStateUncontrolled,
      RcvControlState: NdisPortControlStateUncontrolled,
      SendAuthorizationState: NdisPortAuthorizationUnknown,
      RcvAuthorizationState: NdisPortAuthorizationUnknown,
    },
    PciDeviceCustomProperties: null,
  };
}

/** NDIS_MINIPORT_PAUSE_PARAMETERS with `PauseReason` (NDIS_PAUSE_* bits). */
export function pauseParameters(PauseReason: number): NDIS_MINIPORT_PAUSE_PARAMETERS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NDIS_MINIPORT_PAUSE_PARAMETERS_REVISION_1,
      Size: NDIS_SIZEOF_MINIPORT_PAUSE_PARAMETERS_REVISION_1,
    },
    Flags: 0,
    PauseReason,
  };
}

/** NDIS_MINIPORT_RESTART_PARAMETERS with no restart attributes (NULL: unchanged). */
export function restartParameters(): NDIS_MINIPORT_RESTART_PARAMETERS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NDIS_MINIPORT_RESTART_PARAMETERS_REVISION_1,
      Size: NDIS_SIZEOF_MINIPORT_RESTART_PARAMETERS_REVISION_1,
    },
    RestartAttributes: null,
    Flags: 0,
  };
}

/** NET_DEVICE_PNP_EVENT for the default port (InformationBuffer NULL, as for a surprise removal). */
export function devicePnPEvent(DevicePnPEvent: number): NET_DEVICE_PNP_EVENT {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NET_DEVICE_PNP_EVENT_REVISION_1,
      Size: NDIS_SIZEOF_NET_DEVICE_PNP_EVENT_REVISION_1,
    },
    PortNumber: 0,
    DevicePnPEvent,
    InformationBuffer: null,
    InformationBufferLength: 0,
  };
}
