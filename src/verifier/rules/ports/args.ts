/** Report arguments and wording of the port rules (cold path; never throws on odd input). */
import type { MiniportAdapter } from '../../../engine/objects.js';
import { PortProblem } from '../../events/ports.js';
import { describeHandle, describeValue, hex } from '../../format.js';

const EVENT_NAMES = [
  'NetEventSetPower',
  'NetEventQueryPower',
  'NetEventQueryRemoveDevice',
  'NetEventCancelRemoveDevice',
  'NetEventReconfigure',
  'NetEventBindList',
  'NetEventBindsComplete',
  'NetEventPnPCapabilities',
  'NetEventPause',
  'NetEventRestart',
  'NetEventPortActivation',
  'NetEventPortDeactivation',
  'NetEventIMReEnableDevice',
  'NetEventNDKEnable',
  'NetEventNDKDisable',
  'NetEventFilterPreDetach',
  'NetEventBindFailed',
  'NetEventSwitchActivate',
  'NetEventAllowBindsAbove',
  'NetEventInhibitBindsAbove',
  'NetEventAllowStart',
  'NetEventRequirePause',
  'NetEventUploadGftFlowEntries',
];

function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A member as a report shows it: integers as they are (or hex), anything else described. */
function member(value: unknown, asHex = false): unknown {
  if (typeof value === 'number' && Number.isInteger(value))
    return asHex && value >= 0 && value <= 0xffffffff ? hex(value) : value;
  if (typeof value === 'bigint') return `0x${value.toString(16)}`;
  return describeValue(value);
}

function header(value: unknown): unknown {
  if (!isStructure(value)) return describeValue(value);
  return Object.freeze({
    Type: member(value.Type, true),
    Revision: member(value.Revision),
    Size: member(value.Size),
  });
}

/** A NET_PNP_EVENT_CODE by name (`NetEventPortActivation (10)`), or the raw value. */
export function describeEvent(code: unknown): string {
  const name = typeof code === 'number' ? EVENT_NAMES[code] : undefined;
  return name === undefined ? describeValue(code) : `${name} (${code})`;
}

/** NDIS_PORT_CHARACTERISTICS' identifying members. */
export function describeCharacteristics(value: unknown): unknown {
  if (!isStructure(value)) return describeHandle(value);
  return Object.freeze({
    Header: header(value.Header),
    PortNumber: member(value.PortNumber),
    Flags: member(value.Flags, true),
    Type: member(value.Type),
  });
}

/** NET_PNP_EVENT_NOTIFICATION's members (the Buffer as what it holds). */
export function describeNotification(value: unknown): unknown {
  if (!isStructure(value)) return describeHandle(value);
  const event = value.NetPnPEvent;
  const out: Record<string, unknown> = {
    Header: header(value.Header),
    PortNumber: member(value.PortNumber),
    Flags: member(value.Flags, true),
  };
  if (isStructure(event)) {
    const buffer = event.Buffer;
    out.NetEvent = describeEvent(event.NetEvent);
    out.Buffer =
      buffer === null || buffer === undefined || buffer === 0
        ? 'NULL'
        : Array.isArray(buffer) || buffer instanceof Uint32Array
          ? `[${Array.from(buffer as ArrayLike<unknown>, describeValue).join(', ')}]`
          : isStructure(buffer)
            ? '(NDIS_PORT list)'
            : describeValue(buffer);
    out.BufferLength = member(event.BufferLength);
  } else {
    out.NetPnPEvent = describeValue(event);
  }
  return Object.freeze(out);
}

/** The adapter handle argument as a report shows it. */
export function describeAdapter(handle: unknown, owner: MiniportAdapter | null): string {
  return owner !== null ? owner.name : describeHandle(handle);
}

/** What a malformed structure member should have been (D12, D16, D17 and the structure pages). */
export function requirement(problem: PortProblem, field: string, pnp: boolean): string {
  switch (problem) {
    case PortProblem.BadHeader:
      if (pnp && !field.startsWith('PortCharacteristics'))
        return field === 'Header.Size'
          ? 'Size must be at least NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1 (164) for revision 1 or _2 (172) for revision 2 (D17)'
          : 'the header must be Type NDIS_OBJECT_TYPE_DEFAULT (0x80), Revision 1 or 2, Size of at least that revision (D17)';
      return field.endsWith('Size')
        ? 'Size must be at least NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1 (60) (D17)'
        : 'the header must be Type NDIS_OBJECT_TYPE_DEFAULT (0x80) (0x9C accepted, D16), Revision NDIS_PORT_CHARACTERISTICS_REVISION_1';
    case PortProblem.BadField:
      return fieldRequirement(field, pnp);
    case PortProblem.SourcePort:
      return 'PortNumber must be 0 in a port event (the ports are listed in the Buffer)';
    case PortProblem.NoBuffer:
      return 'a port event needs a Buffer and a non-zero BufferLength';
    case PortProblem.ShortBuffer:
      return 'BufferLength must cover at least one entry (sizeof(NDIS_PORT) = 96 for activation, D12; 4 per port number for deactivation) and no more entries than the Buffer holds';
    case PortProblem.BadBuffer:
      return 'the Buffer must be the first NDIS_PORT of a list (activation), an array of NDIS_PORT_NUMBER (deactivation), or NULL (the NDIS 6.50 events)';
    case PortProblem.Cycle:
      return 'the NDIS_PORT list loops back on itself through Next';
    case PortProblem.BadEventCode:
      return 'a miniport may raise only NetEventPortActivation, NetEventPortDeactivation and (NDIS 6.50) NetEventAllowBindsAbove, NetEventInhibitBindsAbove, NetEventAllowStart and NetEventRequirePause; other codes are for intermediate drivers';
    case PortProblem.NeedsRevision2:
      return 'the NDIS 6.50 events need NET_PNP_EVENT_NOTIFICATION_REVISION_2';
    case PortProblem.ReservedFlags:
      return 'Flags bits other than NET_EVENT_FLAGS_VPORT_ID_VALID (0x2) are reserved for NDIS';
    default:
      return 'the structure is malformed';
  }
}

function fieldRequirement(field: string, pnp: boolean): string {
  const name = field.slice(field.lastIndexOf('.') + 1);
  switch (name) {
    case 'Flags':
      return pnp && field === 'Flags'
        ? 'Flags must be a ULONG'
        : 'only NDIS_PORT_CHAR_USE_DEFAULT_AUTH_SETTINGS (0x1) is defined';
    case 'Type':
      return 'it must be NdisPortTypeUndefined (0), NdisPortTypeRasConnection (2) or NdisPortType8021xSupplicant (3); NdisPortTypeBridge and NdisPortTypeNdisImPlatform are reserved for system use';
    case 'MediaConnectState':
    case 'Direction':
      return 'it must be 0, 1 or 2';
    case 'SendControlState':
    case 'RcvControlState':
      return 'it must be an NDIS_PORT_CONTROL_STATE (0, 1 or 2)';
    case 'SendAuthorizationState':
    case 'RcvAuthorizationState':
      return 'it must be an NDIS_PORT_AUTHORIZATION_STATE (0 to 3)';
    case 'XmitLinkSpeed':
    case 'RcvLinkSpeed':
      return 'it must be a ULONG64 (NDIS_LINK_SPEED_UNKNOWN or -1 when unknown)';
    case 'PortNumber':
      return 'it must be an NDIS_PORT_NUMBER (a ULONG)';
    case 'Next':
      return 'Next must be NULL or point to another NDIS_PORT';
    case 'PortCharacteristics':
      return 'each NDIS_PORT must hold an NDIS_PORT_CHARACTERISTICS';
    case 'Buffer':
      return 'every element must be an NDIS_PORT_NUMBER (a ULONG)';
    case 'BufferLength':
      return 'BufferLength must be a ULONG';
    case 'NetPnPEvent':
      return 'NetPnPEvent must be a NET_PNP_EVENT';
    default:
      return 'it is not of its type';
  }
}
