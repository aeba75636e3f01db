/** Shared set-up of the port tests: well-formed structures and an adapter past its registration attributes. */

import type { EngineOptions } from '../../src/engine/engine.js';
import {
  MediaConnectStateConnected,
  NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT,
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_PORT_CHARACTERISTICS_REVISION_1,
  NDIS_SIZEOF_NDIS_PORT,
  NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
  NdisPortAuthorized,
  NdisPortControlStateUncontrolled,
  NdisPortTypeRasConnection,
  NET_IF_DIRECTION_SENDRECEIVE,
  NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NetEventPortActivation,
  NetEventPortDeactivation,
} from '../../src/ndis/constants.js';
import type {
  NDIS_PORT,
  NDIS_PORT_CHARACTERISTICS,
  NET_PNP_EVENT_NOTIFICATION,
} from '../../src/ndis/types.js';
import { type Sim, sim } from '../harness.js';

/** A well-formed NDIS_PORT_CHARACTERISTICS (PortNumber 0: NdisMAllocatePort writes it). */
export function characteristics(
  overrides: Partial<NDIS_PORT_CHARACTERISTICS> = {},
): NDIS_PORT_CHARACTERISTICS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: NDIS_PORT_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
    },
    PortNumber: 0,
    Flags: 0,
    Type: NdisPortTypeRasConnection,
    MediaConnectState: MediaConnectStateConnected,
    XmitLinkSpeed: 1_000_000_000,
    RcvLinkSpeed: 1_000_000_000,
    Direction: NET_IF_DIRECTION_SENDRECEIVE,
    SendControlState: NdisPortControlStateUncontrolled,
    RcvControlState: NdisPortControlStateUncontrolled,
    SendAuthorizationState: NdisPortAuthorized,
    RcvAuthorizationState: NdisPortAuthorized,
    ...overrides,
  };
}

/** The Next-linked NDIS_PORT list activating `numbers`. */
export function portList(numbers: readonly number[]): NDIS_PORT | null {
  let next: NDIS_PORT | null = null;
  for (let i = numbers.length - 1; i >= 0; i--) {
    next = { Next: next, PortCharacteristics: characteristics({ PortNumber: numbers[i] }) };
  }
  return next;
}

/** A NET_PNP_EVENT_NOTIFICATION header of revision 1. */
export function notificationHeader(): NET_PNP_EVENT_NOTIFICATION['Header'] {
  return {
    Type: NDIS_OBJECT_TYPE_DEFAULT,
    Revision: NET_PNP_EVENT_NOTIFICATION_REVISION_1,
    Size: NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  };
}

/** A port-activation notification for `numbers` (BufferLength: one NDIS_PORT per port, D12). */
export function activation(numbers: readonly number[]): NET_PNP_EVENT_NOTIFICATION {
  return {
    Header: notificationHeader(),
    PortNumber: 0,
    NetPnPEvent: {
      NetEvent: NetEventPortActivation,
      Buffer: portList(numbers),
      BufferLength: NDIS_SIZEOF_NDIS_PORT * numbers.length,
    },
    Flags: 0,
  };
}

/** A port-deactivation notification for `numbers`. */
export function deactivation(numbers: readonly number[]): NET_PNP_EVENT_NOTIFICATION {
  return {
    Header: notificationHeader(),
    PortNumber: 0,
    NetPnPEvent: {
      NetEvent: NetEventPortDeactivation,
      Buffer: [...numbers],
      BufferLength: 4 * numbers.length,
    },
    Flags: 0,
  };
}

export interface PortSimOptions extends EngineOptions {
  /** The adapter sets NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT. */
  readonly controlsDefaultPort?: boolean;
  /** Skip the registration attributes (default: set, as after NdisMSetMiniportAttributes). */
  readonly noAttributes?: boolean;
}

/** A fresh engine whose adapter has its registration attributes set (what the lifecycle does). */
export function portSim(options: PortSimOptions = {}): Sim {
  const s = sim(options);
  if (!options.noAttributes) {
    s.adapter.attributeFlags = options.controlsDefaultPort
      ? NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT
      : 0;
    s.adapter.registrationAttributesSet = true;
    s.engine.ports.registrationAttributesSet(s.adapter);
  }
  return s;
}

/** Rule ids of every finding so far, in order. */
export function ruleIds(s: Sim): string[] {
  return s.engine.violations.map((v) => v.rule);
}
