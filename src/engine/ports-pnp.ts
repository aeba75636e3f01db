/**
 * NdisMNetPnPEvent (SPEC §7.4–§7.6): port activation and deactivation, all or nothing; the NDIS
 * 6.50 miniport events; every other event code is refused (only intermediate drivers may raise
 * them, and intermediate drivers are out of scope). The call is checked completely before any port
 * changes state, so a refused event changes nothing.
 */
import {
  NDIS_MAXIMUM_PORTS,
  NDIS_SIZEOF_NDIS_PORT,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_INVALID_PORT,
  NDIS_STATUS_INVALID_PORT_STATE,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NET_EVENT_FLAGS_VPORT_ID_VALID,
  NET_PNP_EVENT_NOTIFICATION_REVISION_2,
  NetEventAllowBindsAbove,
  NetEventMaximum,
  NetEventPortActivation,
  NetEventPortDeactivation,
  NetEventRequirePause,
} from '../ndis/constants.js';
import { type PortPnPEvent, PortProblem } from '../verifier/events/ports.js';
import { captureSite } from '../verifier/site.js';
import type { Engine } from './engine.js';
import type { MiniportAdapter } from './objects.js';
import { isUlong } from './pool.js';
import type { Ports } from './ports.js';
import { type AdapterPorts, type Port, PortState } from './ports-state.js';
import { checkCharacteristics, checkNotificationHeader } from './ports-validate.js';

const PORT_NUMBER_SIZE = 4;

function problem(e: PortPnPEvent, p: PortProblem, field: string, value: unknown): number {
  e.problem = p;
  e.field = field;
  e.value = value;
  return NDIS_STATUS_INVALID_PARAMETER;
}

/** The end of a Next list: NULL however a caller spells it. */
function isNull(value: unknown): boolean {
  return value === null || value === undefined || value === 0;
}

/** The port events of one engine. */
export class PortEvents {
  /** Stamp of the current event (duplicate ports in one list are marked with it). */
  private stamp = 0;
  /** The call being decided is replayed from a trace (the fault hook is not asked). */
  private replaying = false;
  private readonly event: PortPnPEvent = {
    ddi: 'NdisMNetPnPEvent',
    irql: 0,
    MiniportAdapterHandle: null,
    NetPnPEventNotification: null,
    owner: null,
    NetEvent: undefined,
    status: 0,
    problem: PortProblem.None,
    field: '',
    value: undefined,
    count: 0,
    PortNumber: -1,
    inOidRequest: false,
    pendingOid: null,
  };

  constructor(
    private readonly engine: Engine,
    private readonly ports: Ports,
  ) {}

  /**
   * NdisMNetPnPEvent: the status. `replayed`: the status a trace says it returned. The rules see the
   * status decided here when it is a failure, else the trace's; ports change state only when both
   * say the event succeeded (a list the engine refuses is reported, and cannot be applied).
   */
  netPnPEvent(MiniportAdapterHandle: unknown, NetPnPEventNotification: unknown, replayed?: number): number {
    const engine = this.engine;
    const owner = this.ports.adapterOf(MiniportAdapterHandle);
    engine.enterDdi('NdisMNetPnPEvent', owner, MiniportAdapterHandle, NetPnPEventNotification);
    const e = this.event;
    e.irql = engine.context.irql;
    e.MiniportAdapterHandle = MiniportAdapterHandle;
    e.NetPnPEventNotification = NetPnPEventNotification;
    e.owner = owner;
    e.NetEvent = undefined;
    e.problem = PortProblem.None;
    e.field = '';
    e.value = undefined;
    e.count = 0;
    e.PortNumber = -1;
    e.inOidRequest = engine.context.within('MiniportOidRequest');
    e.pendingOid = owner === null ? null : engine.oid.pendingOn(owner);
    let status: number;
    let table: AdapterPorts | null = null;
    if (owner === null) {
      e.problem = PortProblem.InvalidHandle;
      status = NDIS_STATUS_INVALID_PARAMETER;
    } else if (NetPnPEventNotification === null || typeof NetPnPEventNotification !== 'object') {
      e.problem = PortProblem.InvalidArgument;
      status = NDIS_STATUS_INVALID_PARAMETER;
    } else {
      table = this.ports.openTable(owner);
      this.replaying = replayed !== undefined;
      status = this.decide(owner, table, NetPnPEventNotification as Record<string, unknown>, e);
      this.replaying = false;
    }
    const decided = status;
    if (replayed !== undefined && status === NDIS_STATUS_SUCCESS) status = replayed;
    e.status = status;
    if (e.problem === PortProblem.InvalidHandle || e.problem === PortProblem.InvalidArgument) this.misuse(e);
    engine.verifier.on.portPnPEvent(engine.verifier, e);
    if (replayed !== undefined && decided !== NDIS_STATUS_SUCCESS) return replayed;
    if (status !== NDIS_STATUS_SUCCESS || table === null) return status;
    const event = (NetPnPEventNotification as { NetPnPEvent: { NetEvent: number; Buffer: unknown } })
      .NetPnPEvent;
    if (event.NetEvent === NetEventPortActivation) this.activate(table, event.Buffer, e.count);
    else if (event.NetEvent === NetEventPortDeactivation) this.deactivate(table, event.Buffer, e.count);
    return status;
  }

  private decide(
    owner: MiniportAdapter,
    table: AdapterPorts,
    n: Record<string, unknown>,
    e: PortPnPEvent,
  ): number {
    const revision = checkNotificationHeader(n.Header, e);
    if (revision === 0) return NDIS_STATUS_INVALID_PARAMETER;
    const event = n.NetPnPEvent as Record<string, unknown> | null | undefined;
    if (event === null || typeof event !== 'object')
      return problem(e, PortProblem.BadField, 'NetPnPEvent', event);
    const code = event.NetEvent;
    e.NetEvent = code;
    const flags = n.Flags;
    if (!isUlong(flags)) return problem(e, PortProblem.BadField, 'Flags', flags);
    if ((flags & ~NET_EVENT_FLAGS_VPORT_ID_VALID) !== 0)
      return problem(e, PortProblem.ReservedFlags, 'Flags', flags);
    if (!isUlong(n.PortNumber)) return problem(e, PortProblem.BadField, 'PortNumber', n.PortNumber);
    const buffer = event.Buffer;
    const length = event.BufferLength;
    if (code === NetEventPortActivation || code === NetEventPortDeactivation) {
      if (n.PortNumber !== 0) return problem(e, PortProblem.SourcePort, 'PortNumber', n.PortNumber);
      if (!isUlong(length)) return problem(e, PortProblem.BadField, 'NetPnPEvent.BufferLength', length);
      if (isNull(buffer) || length === 0)
        return problem(e, PortProblem.NoBuffer, 'NetPnPEvent.Buffer', buffer);
      const status =
        code === NetEventPortActivation
          ? this.checkActivation(table, buffer, length, e)
          : this.checkDeactivation(table, buffer, length, e);
      if (status !== NDIS_STATUS_SUCCESS) return status;
      const ordinal = this.engine.allocationCall('NdisMNetPnPEvent', owner, 0, 0, -1, !this.replaying);
      return ordinal < 0 ? NDIS_STATUS_RESOURCES : NDIS_STATUS_SUCCESS;
    }
    if (typeof code === 'number' && code >= NetEventAllowBindsAbove && code <= NetEventRequirePause) {
      // NDIS 6.50 miniport events: revision 2 only; "the buffer contents are NULL" [ns-netpnp-_net_pnp_event].
      if (revision < NET_PNP_EVENT_NOTIFICATION_REVISION_2)
        return problem(e, PortProblem.NeedsRevision2, 'Header.Revision', revision);
      if (!isNull(buffer)) return problem(e, PortProblem.BadBuffer, 'NetPnPEvent.Buffer', buffer);
      return NDIS_STATUS_SUCCESS;
    }
    if (isUlong(code) && code < NetEventMaximum) {
      // "Only intermediate drivers can make other event notifications" [nf-ndis-ndismnetpnpevent].
      e.problem = PortProblem.BadEventCode;
      e.field = 'NetPnPEvent.NetEvent';
      e.value = code;
      return NDIS_STATUS_NOT_SUPPORTED;
    }
    return problem(e, PortProblem.BadEventCode, 'NetPnPEvent.NetEvent', code);
  }

  /**
   * Activation: walk the Next list (Brent's cycle detection: no allocation, stops on a loop),
   * check each entry, then decide by precedence INVALID_PARAMETER (malformed), INVALID_PORT
   * (unknown port; the default port not alone, D13), INVALID_PORT_STATE (active port, D14, or
   * listed twice). BufferLength must cover one NDIS_PORT (D12).
   */
  private checkActivation(table: AdapterPorts, first: unknown, length: number, e: PortPnPEvent): number {
    if (length < NDIS_SIZEOF_NDIS_PORT)
      return problem(e, PortProblem.ShortBuffer, 'NetPnPEvent.BufferLength', length);
    const stamp = ++this.stamp;
    let unknown = -1;
    let wrongState = -1;
    let listsDefault = false;
    let count = 0;
    let tortoise: unknown = null;
    let power = 1;
    let steps = 0;
    let node: unknown = first;
    for (;;) {
      if (node === tortoise) return problem(e, PortProblem.Cycle, 'NDIS_PORT.Next', count);
      const c =
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>).PortCharacteristics
          : node;
      if (c === null || typeof c !== 'object') return this.badEntry(e, node, c, count);
      if (checkCharacteristics(c, e, true)) {
        e.field = `PortCharacteristics.${e.field}`;
        e.count = count;
        return NDIS_STATUS_INVALID_PARAMETER;
      }
      count++;
      const number = (c as { PortNumber: number }).PortNumber;
      if (number === 0) listsDefault = true;
      const port = number < NDIS_MAXIMUM_PORTS ? table.get(number) : undefined;
      if (port === undefined) {
        if (unknown < 0) unknown = number;
      } else if (port.mark === stamp || port.state !== PortState.Allocated) {
        if (wrongState < 0) wrongState = number;
      } else {
        port.mark = stamp;
      }
      const next = (node as { Next: unknown }).Next;
      if (isNull(next)) break;
      if (++steps === power) {
        tortoise = node;
        power *= 2;
        steps = 0;
      }
      node = next;
    }
    return this.verdict(e, count, unknown, wrongState, listsDefault);
  }

  /** Cold path: an entry that holds no NDIS_PORT_CHARACTERISTICS (the Buffer itself when it is the first). */
  private badEntry(e: PortPnPEvent, node: unknown, c: unknown, count: number): number {
    if (count === 0 && (typeof node !== 'object' || Array.isArray(node) || ArrayBuffer.isView(node)))
      return problem(e, PortProblem.BadBuffer, 'NetPnPEvent.Buffer', node);
    if (typeof node !== 'object' || node === null)
      return problem(e, PortProblem.BadField, 'NDIS_PORT.Next', node);
    return problem(e, PortProblem.BadField, 'NDIS_PORT.PortCharacteristics', c);
  }

  /**
   * Deactivation: the Buffer is an array of NDIS_PORT_NUMBER (a JS array or Uint32Array) of
   * BufferLength / 4 elements (at least one, and no more than the array holds); the same
   * precedence as activation, with "not active" as the wrong state.
   */
  private checkDeactivation(table: AdapterPorts, buffer: unknown, length: number, e: PortPnPEvent): number {
    if (!(Array.isArray(buffer) || buffer instanceof Uint32Array))
      return problem(e, PortProblem.BadBuffer, 'NetPnPEvent.Buffer', buffer);
    const count = Math.floor(length / PORT_NUMBER_SIZE);
    if (count === 0 || count > buffer.length)
      return problem(e, PortProblem.ShortBuffer, 'NetPnPEvent.BufferLength', length);
    const stamp = ++this.stamp;
    let unknown = -1;
    let wrongState = -1;
    let listsDefault = false;
    for (let i = 0; i < count; i++) {
      const number: unknown = buffer[i];
      if (!isUlong(number)) return problem(e, PortProblem.BadField, 'NetPnPEvent.Buffer', number);
      if (number === 0) listsDefault = true;
      const port = number < NDIS_MAXIMUM_PORTS ? table.get(number) : undefined;
      if (port === undefined) {
        if (unknown < 0) unknown = number;
      } else if (port.mark === stamp || port.state !== PortState.Activated) {
        if (wrongState < 0) wrongState = number;
      } else {
        port.mark = stamp;
      }
    }
    return this.verdict(e, count, unknown, wrongState, listsDefault);
  }

  /** The status of a well-formed port list; `listsDefault`: port 0 is in it (it must be alone, D13). */
  private verdict(
    e: PortPnPEvent,
    count: number,
    unknown: number,
    wrongState: number,
    listsDefault: boolean,
  ): number {
    e.count = count;
    if (unknown >= 0 || (listsDefault && count > 1)) {
      e.PortNumber = Math.max(unknown, 0); // the unknown port, else the default port (D13)
      return NDIS_STATUS_INVALID_PORT;
    }
    if (wrongState >= 0) {
      e.PortNumber = wrongState;
      return NDIS_STATUS_INVALID_PORT_STATE;
    }
    return NDIS_STATUS_SUCCESS;
  }

  private activate(table: AdapterPorts, first: unknown, count: number): void {
    let node = first as { Next: unknown; PortCharacteristics: { PortNumber: number } };
    for (let i = 0; i < count; i++) {
      const number = node.PortCharacteristics.PortNumber;
      (table.get(number) as Port).state = PortState.Activated;
      if (number === 0) {
        table.defaultActivatedByDriver = true;
        table.defaultActivationSite = this.engine.captureAllocationSites ? captureSite() : null;
      }
      node = node.Next as typeof node;
    }
  }

  private deactivate(table: AdapterPorts, buffer: unknown, count: number): void {
    const numbers = buffer as ArrayLike<number>;
    for (let i = 0; i < count; i++) {
      const number = numbers[i];
      (table.get(number) as Port).state = PortState.Allocated;
      if (number === 0) {
        table.defaultActivatedByDriver = false;
        table.defaultActivationSite = null;
      }
    }
  }

  private misuse(e: PortPnPEvent): void {
    const handle = e.problem === PortProblem.InvalidHandle;
    this.ports.misuse(
      'NdisMNetPnPEvent',
      handle ? 'handle' : 'argument',
      handle ? 0 : 1,
      'it returns NDIS_STATUS_INVALID_PARAMETER',
      e.owner,
      e.MiniportAdapterHandle,
      e.NetPnPEventNotification,
    );
  }
}
