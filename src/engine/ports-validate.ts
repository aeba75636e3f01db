/**
 * Structure checks of the port DDIs: NDIS_PORT_CHARACTERISTICS (D16, D17) and the
 * NET_PNP_EVENT_NOTIFICATION header (D17). Each check writes the first problem it finds into the
 * caller's event and returns true; every field access is guarded (a driver may pass anything).
 */
import {
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS,
  NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS,
  NDIS_PORT_CHARACTERISTICS_REVISION_1,
  NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2,
  NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
  NdisPortTypeBridge,
  NdisPortTypeMax,
  NdisPortTypeNdisImPlatform,
  NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NET_PNP_EVENT_NOTIFICATION_REVISION_2,
} from '../ndis/constants.js';
import { PortProblem } from '../verifier/events/ports.js';
import { isUlong } from './pool.js';

/** Where a check writes what it found. */
export interface ProblemSink {
  problem: PortProblem;
  field: string;
  value: unknown;
}

function fail(sink: ProblemSink, problem: PortProblem, field: string, value: unknown): true {
  sink.problem = problem;
  sink.field = field;
  sink.value = value;
  return true;
}

/** A value of an enumeration whose members are 0..count-1. */
function inRange(value: unknown, count: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < count;
}

/** A ULONG64 link speed: 0..2^64-1, or -1 ("unknown", as the pages write NDIS_LINK_SPEED_UNKNOWN). */
export function isLinkSpeed(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= -1 && value < 2 ** 64;
  if (typeof value === 'bigint') return value >= -1n && value < 2n ** 64n;
  return false;
}

/** An NDIS_OBJECT_HEADER.Size: a USHORT. */
function isUshort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffff;
}

/**
 * NDIS_PORT_CHARACTERISTICS. Header: Type DEFAULT, or PORT_CHARACTERISTICS accepted without a
 * violation (D16); Revision 1; Size ≥ NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1 (D17). Flags: only
 * USE_DEFAULT_AUTH_SETTINGS. Type: a NDIS_PORT_TYPE a miniport may use — Bridge and NdisImPlatform
 * are "reserved for system use" [ns-ntddndis-_ndis_port_characteristics]. Every enumeration in
 * range; link speeds ULONG64. With USE_DEFAULT_AUTH_SETTINGS NDIS ignores the four control and
 * authorization states, so they are not checked. `checkPortNumber` for activation entries, where
 * PortNumber is an input.
 */
export function checkCharacteristics(c: object, sink: ProblemSink, checkPortNumber: boolean): boolean {
  const p = c as Record<string, unknown>;
  const header = p.Header as Record<string, unknown> | null | undefined;
  if (header === null || typeof header !== 'object')
    return fail(sink, PortProblem.BadHeader, 'Header', header);
  const type = header.Type;
  if (type !== NDIS_OBJECT_TYPE_DEFAULT && type !== NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS)
    return fail(sink, PortProblem.BadHeader, 'Header.Type', type);
  if (header.Revision !== NDIS_PORT_CHARACTERISTICS_REVISION_1)
    return fail(sink, PortProblem.BadHeader, 'Header.Revision', header.Revision);
  const size = header.Size;
  if (!isUshort(size) || size < NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1)
    return fail(sink, PortProblem.BadHeader, 'Header.Size', size);
  if (checkPortNumber && !isUlong(p.PortNumber))
    return fail(sink, PortProblem.BadField, 'PortNumber', p.PortNumber);
  const flags = p.Flags;
  if (!isUlong(flags) || (flags & ~NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS) !== 0)
    return fail(sink, PortProblem.BadField, 'Flags', flags);
  const portType = p.Type;
  if (
    !inRange(portType, NdisPortTypeMax) ||
    portType === NdisPortTypeBridge ||
    portType === NdisPortTypeNdisImPlatform
  )
    return fail(sink, PortProblem.BadField, 'Type', portType);
  if (!inRange(p.MediaConnectState, 3))
    return fail(sink, PortProblem.BadField, 'MediaConnectState', p.MediaConnectState);
  if (!isLinkSpeed(p.XmitLinkSpeed))
    return fail(sink, PortProblem.BadField, 'XmitLinkSpeed', p.XmitLinkSpeed);
  if (!isLinkSpeed(p.RcvLinkSpeed)) return fail(sink, PortProblem.BadField, 'RcvLinkSpeed', p.RcvLinkSpeed);
  if (!inRange(p.Direction, 3)) return fail(sink, PortProblem.BadField, 'Direction', p.Direction);
  if ((flags & NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS) !== 0) return false;
  if (!inRange(p.SendControlState, 3))
    return fail(sink, PortProblem.BadField, 'SendControlState', p.SendControlState);
  if (!inRange(p.RcvControlState, 3))
    return fail(sink, PortProblem.BadField, 'RcvControlState', p.RcvControlState);
  if (!inRange(p.SendAuthorizationState, 4))
    return fail(sink, PortProblem.BadField, 'SendAuthorizationState', p.SendAuthorizationState);
  if (!inRange(p.RcvAuthorizationState, 4))
    return fail(sink, PortProblem.BadField, 'RcvAuthorizationState', p.RcvAuthorizationState);
  return false;
}

/**
 * NET_PNP_EVENT_NOTIFICATION.Header: Type DEFAULT, Revision 1 or 2 (6.50), Size ≥ the revision's
 * NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_n (D17). Returns the revision, or 0 after
 * writing the problem.
 */
export function checkNotificationHeader(header: unknown, sink: ProblemSink): number {
  if (header === null || typeof header !== 'object') {
    fail(sink, PortProblem.BadHeader, 'Header', header);
    return 0;
  }
  const h = header as Record<string, unknown>;
  if (h.Type !== NDIS_OBJECT_TYPE_DEFAULT) {
    fail(sink, PortProblem.BadHeader, 'Header.Type', h.Type);
    return 0;
  }
  const revision = h.Revision;
  const minimum =
    revision === NET_PNP_EVENT_NOTIFICATION_REVISION_1
      ? NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1
      : revision === NET_PNP_EVENT_NOTIFICATION_REVISION_2
        ? NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_2
        : -1;
  if (minimum < 0) {
    fail(sink, PortProblem.BadHeader, 'Header.Revision', revision);
    return 0;
  }
  if (!isUshort(h.Size) || h.Size < minimum) {
    fail(sink, PortProblem.BadHeader, 'Header.Size', h.Size);
    return 0;
  }
  return revision as number;
}
