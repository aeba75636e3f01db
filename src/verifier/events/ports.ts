/**
 * NDIS port and OID check points (SPEC §7). The engine decides each call's outcome first, fills a
 * reused event object (no allocation on the hot path), calls the observers, and only then applies
 * the outcome. Fields named like DDI parameters hold the raw arguments as passed.
 */
import type { MiniportAdapter, NdisObject } from '../../engine/objects.js';
import type { Port } from '../../engine/ports-state.js';

/** What is wrong with a call's structures, as the engine found it (one problem per call). */
export const PortProblem = {
  None: 0,
  /** The adapter handle is not a live miniport adapter handle of this run (Ndis_InvalidHandle). */
  InvalidHandle: 1,
  /** An argument is not of its C type (Ddi_InvalidArgument). */
  InvalidArgument: 2,
  /** An NDIS_OBJECT_HEADER has the wrong Type or Revision, or a Size below its revision's (D16, D17). */
  BadHeader: 3,
  /** A structure field is not of its type or outside its documented values (`field`, `value`). */
  BadField: 4,
  /** NET_PNP_EVENT_NOTIFICATION.PortNumber is not 0 in a port event. */
  SourcePort: 5,
  /** Buffer NULL or BufferLength 0 (deactivating-an-ndis-port). */
  NoBuffer: 6,
  /** BufferLength below one element (D12), or more elements than the buffer holds. */
  ShortBuffer: 7,
  /** The Buffer is not what the event carries (an NDIS_PORT list, an array of port numbers, NULL). */
  BadBuffer: 8,
  /** The NDIS_PORT list's Next pointers loop back. */
  Cycle: 9,
  /** A NetEvent a miniport may not raise (only intermediate drivers may), or not an event code. */
  BadEventCode: 10,
  /** An NDIS 6.50 event with a revision-1 notification. */
  NeedsRevision2: 11,
  /** Flags bits other than NET_EVENT_FLAGS_VPORT_ID_VALID ("reserved for NDIS"). */
  ReservedFlags: 12,
} as const;
export type PortProblem = (typeof PortProblem)[keyof typeof PortProblem];

/** Why an allocation was refused because the adapter is going away (D37). */
export const PortClosing = { No: 0, Halting: 1, Halted: 2 } as const;
export type PortClosing = (typeof PortClosing)[keyof typeof PortClosing];

/** NdisMAllocatePort, once the outcome is decided and before the port exists. */
export interface PortAllocateEvent {
  ddi: 'NdisMAllocatePort';
  irql: number;
  NdisMiniportHandle: unknown;
  PortCharacteristics: unknown;
  owner: MiniportAdapter | null;
  status: number;
  problem: PortProblem;
  /** The malformed field (BadHeader, BadField), else ''. */
  field: string;
  value: unknown;
  closing: PortClosing;
  /** Called before NdisMSetMiniportAttributes set the registration attributes (D37). */
  beforeAttributes: boolean;
  /** The number NDIS assigns (0 when the call fails). */
  PortNumber: number;
}

/** NdisMFreePort, once the outcome is decided and before the port goes. */
export interface PortFreeEvent {
  ddi: 'NdisMFreePort';
  irql: number;
  NdisMiniportHandle: unknown;
  PortNumber: unknown;
  owner: MiniportAdapter | null;
  /** The live port the number names (the default port for 0), or null. */
  port: Port | null;
  status: number;
}

/** NdisMNetPnPEvent, once the outcome is decided and before any port changes state. */
export interface PortPnPEvent {
  ddi: 'NdisMNetPnPEvent';
  irql: number;
  MiniportAdapterHandle: unknown;
  NetPnPEventNotification: unknown;
  owner: MiniportAdapter | null;
  /** NetPnPEvent.NetEvent as passed (undefined if the structure could not be read that far). */
  NetEvent: unknown;
  status: number;
  problem: PortProblem;
  field: string;
  value: unknown;
  /** Ports listed (as far as the walk got). */
  count: number;
  /** The first port number that made the call fail with INVALID_PORT or INVALID_PORT_STATE, else -1. */
  PortNumber: number;
  /** Called from MiniportOidRequest (NdisMNetPnPEventInOIDRequest). */
  inOidRequest: boolean;
  /** An OID request the driver pended on this adapter and has not completed, or null. */
  pendingOid: object | null;
}

/** Outcome of NdisMOidRequestComplete. */
export const OidCompletion = {
  Ok: 0,
  /** The request is not pending on that adapter (never pended, already completed, another adapter's). */
  NotPending: 1,
} as const;
export type OidCompletion = (typeof OidCompletion)[keyof typeof OidCompletion];

/** NdisMOidRequestComplete, or MiniportOidRequest returning a status for a request it already completed. */
export interface OidCompleteEvent {
  ddi: 'NdisMOidRequestComplete' | 'MiniportOidRequest';
  irql: number;
  MiniportAdapterHandle: unknown;
  OidRequest: unknown;
  Status: unknown;
  owner: MiniportAdapter | null;
  outcome: OidCompletion;
}

/** A handle or argument of a ports/OID DDI that is not what its parameter takes (cold path). */
export interface PortsMisuseEvent {
  ddi: string;
  irql: number;
  kind: 'handle' | 'argument';
  /** The parameter's documented name and the value passed. */
  parameter: string;
  value: unknown;
  /** What the call does about it (e.g. 'it returns NDIS_STATUS_CLOSING'). */
  outcome: string;
  owner: NdisObject | null;
  /** The DDI's parameter names, and the raw arguments in that order. */
  params: readonly string[];
  a0: unknown;
  a1: unknown;
  a2: unknown;
}

/** The ports and OID check points. */
export interface PortsEvents {
  portAllocate: PortAllocateEvent;
  portFree: PortFreeEvent;
  portPnPEvent: PortPnPEvent;
  oidComplete: OidCompleteEvent;
  portsMisuse: PortsMisuseEvent;
}

export const PORTS_EVENT_NAMES: readonly (keyof PortsEvents)[] = [
  'portAllocate',
  'portFree',
  'portPnPEvent',
  'oidComplete',
  'portsMisuse',
];
