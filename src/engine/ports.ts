/**
 * NDIS ports (SPEC §7): NdisMAllocatePort, NdisMFreePort, the port events of NdisMNetPnPEvent
 * (ports-pnp.ts), the default port, and the hooks the lifecycle calls at the points where NDIS
 * acts on ports by itself (registration attributes, halt). Outcomes are decided here; rules
 * (src/verifier/rules/ports/) observe the check points.
 */
import {
  NDIS_MAXIMUM_PORTS,
  NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT,
  NDIS_STATUS_CLOSING,
  NDIS_STATUS_INVALID_DATA,
  NDIS_STATUS_INVALID_PORT,
  NDIS_STATUS_INVALID_PORT_STATE,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../ndis/constants.js';
import {
  type PortAllocateEvent,
  PortClosing,
  type PortFreeEvent,
  PortProblem,
  type PortsMisuseEvent,
} from '../verifier/events/ports.js';
import { IRQL_TABLE } from '../verifier/irql-table.js';
import { captureSite } from '../verifier/site.js';
import type { Engine } from './engine.js';
import { adapterOf, type MiniportAdapter, type NdisObject } from './objects.js';
import { isUlong } from './pool.js';
import { PortEvents } from './ports-pnp.js';
import { AdapterPorts, Port, PortState } from './ports-state.js';
import { checkCharacteristics } from './ports-validate.js';

/**
 * What a trace says NdisMAllocatePort did (replay): its status and the number NDIS assigned. The
 * engine sets `conflict` when the trace's number cannot be this adapter's new port (0, out of
 * range, or still allocated): the call is then ignored and no rule sees it.
 */
export interface ReplayedPort {
  Status: number;
  PortNumber: number;
  conflict: boolean;
}

/** The ports family of one engine. */
export class Ports {
  /**
   * Port numbers 1..limit-1 can be allocated on adapters whose port table is created after it is
   * set (NDIS_MAXIMUM_PORTS: numbers up to 0xFFFFFF). Lower it to reach exhaustion in tests.
   */
  limit = NDIS_MAXIMUM_PORTS;
  /** The port events of NdisMNetPnPEvent. */
  readonly events: PortEvents;
  private readonly tables = new Map<MiniportAdapter, AdapterPorts>();
  private lastAdapter: MiniportAdapter | null = null;
  private lastTable: AdapterPorts | null = null;
  private readonly allocateEvent: PortAllocateEvent = {
    ddi: 'NdisMAllocatePort',
    irql: 0,
    NdisMiniportHandle: null,
    PortCharacteristics: null,
    owner: null,
    status: 0,
    problem: PortProblem.None,
    field: '',
    value: undefined,
    closing: PortClosing.No,
    beforeAttributes: false,
    PortNumber: 0,
  };
  private readonly freeEvent: PortFreeEvent = {
    ddi: 'NdisMFreePort',
    irql: 0,
    NdisMiniportHandle: null,
    PortNumber: 0,
    owner: null,
    port: null,
    status: 0,
  };

  constructor(readonly engine: Engine) {
    this.events = new PortEvents(engine, this);
  }

  /** The live adapter a miniport adapter handle stands for, or null; the last one is checked first. */
  adapterOf(handle: unknown): MiniportAdapter | null {
    const last = this.lastAdapter;
    if (handle === last && last !== null && last.live && last.owner === this.engine) return last;
    return adapterOf(this.engine, handle);
  }

  /** The adapter's port table, created (default port allocated, inactive) on first use. */
  tableOf(adapter: MiniportAdapter): AdapterPorts {
    if (adapter === this.lastAdapter) return this.lastTable as AdapterPorts;
    let table = this.tables.get(adapter);
    if (table === undefined) {
      table = new AdapterPorts(adapter, this.limit);
      this.tables.set(adapter, table);
    }
    this.lastAdapter = adapter;
    this.lastTable = table;
    return table;
  }

  /**
   * The table a DDI of `adapter` works on: its port table, except that a table a halt closed is
   * replaced by a fresh one once the adapter is being initialized again (MiniportInitializeEx
   * running), so calls made there before the registration attributes see a new adapter.
   */
  openTable(adapter: MiniportAdapter): AdapterPorts {
    const table = this.tableOf(adapter);
    if (!table.closed || !this.engine.context.within('MiniportInitializeEx')) return table;
    return this.reopen(adapter);
  }

  private reopen(adapter: MiniportAdapter): AdapterPorts {
    const table = new AdapterPorts(adapter, this.limit);
    this.tables.set(adapter, table);
    this.lastAdapter = adapter;
    this.lastTable = table;
    return table;
  }

  /** The adapter's port table if it has one (read-only look-up for rules and tests). */
  peek(adapter: MiniportAdapter): AdapterPorts | undefined {
    return this.tables.get(adapter);
  }

  /** The live port `PortNumber` of `adapter` (0 = the default port while NDIS holds it). */
  port(adapter: MiniportAdapter, PortNumber: number): Port | undefined {
    return this.tables.get(adapter)?.get(PortNumber);
  }

  /**
   * For the lifecycle, right after NdisMSetMiniportAttributes set the registration attributes
   * (adapter.registrationAttributesSet and adapter.attributeFlags already written): a new
   * initialization starts with a fresh port table if a halt closed the previous one, and unless
   * NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT is set NDIS activates the default port now
   * [default-ndis-port]. Only the first call of an initialization acts.
   */
  registrationAttributesSet(adapter: MiniportAdapter): void {
    let table = this.tableOf(adapter);
    if (table.closed) table = this.reopen(adapter);
    if (table.attributesSeen) return;
    table.attributesSeen = true;
    const defaultPort = table.get(0);
    if (
      (adapter.attributeFlags & NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT) === 0 &&
      defaultPort !== undefined
    ) {
      defaultPort.state = PortState.Activated;
    }
  }

  /** For the lifecycle, as NDIS calls MiniportHaltEx: from now on NdisMAllocatePort returns CLOSING (D37). */
  haltStarting(adapter: MiniportAdapter): void {
    this.tableOf(adapter).halting = true;
  }

  /**
   * For the lifecycle, after it announced the `haltReturned` (or `initializeFailed`) edge, so the
   * leak rules have seen what was left: NDIS frees the default port and forgets every port of the
   * adapter [allocating-an-ndis-port]. Until registrationAttributesSet starts a new
   * initialization, NdisMAllocatePort returns CLOSING and every port number is unknown.
   */
  adapterHalted(adapter: MiniportAdapter): void {
    const table = new AdapterPorts(adapter, this.limit, true);
    this.tables.set(adapter, table);
    if (this.lastAdapter === adapter) this.lastTable = table;
  }

  /** Live ports the driver allocated on `adapter`, lowest number first (leak reports, cold path). */
  *allocated(adapter: MiniportAdapter): IterableIterator<Port> {
    const table = this.tables.get(adapter);
    if (table !== undefined) yield* table.allocated();
  }

  /**
   * NdisMAllocatePort: the status; on SUCCESS PortCharacteristics.PortNumber holds the new number.
   * `replayed`: the trace's outcome. The rules see the status decided here when it is a failure,
   * else the trace's; the port exists, under the trace's number, if the trace says it succeeded.
   */
  allocate(NdisMiniportHandle: unknown, PortCharacteristics: unknown, replayed?: ReplayedPort): number {
    const engine = this.engine;
    const owner = this.adapterOf(NdisMiniportHandle);
    engine.enterDdi('NdisMAllocatePort', owner, NdisMiniportHandle, PortCharacteristics);
    const e = this.allocateEvent;
    e.irql = engine.context.irql;
    e.NdisMiniportHandle = NdisMiniportHandle;
    e.PortCharacteristics = PortCharacteristics;
    e.owner = owner;
    e.problem = PortProblem.None;
    e.field = '';
    e.value = undefined;
    e.closing = PortClosing.No;
    e.beforeAttributes = false;
    e.PortNumber = 0;
    let status: number = NDIS_STATUS_SUCCESS;
    let table: AdapterPorts | null = null;
    if (owner === null) {
      // No open adapter stands behind the handle: the page's "adapter is closing" status.
      e.problem = PortProblem.InvalidHandle;
      status = NDIS_STATUS_CLOSING;
    } else {
      table = this.openTable(owner);
      if (table.closed) e.closing = PortClosing.Halted;
      else if (table.halting || engine.context.within('MiniportHaltEx')) e.closing = PortClosing.Halting;
      if (e.closing !== PortClosing.No) {
        status = NDIS_STATUS_CLOSING; // D37
      } else {
        e.beforeAttributes = !owner.registrationAttributesSet; // D37: recorded, outcome unchanged
        if (PortCharacteristics === null || typeof PortCharacteristics !== 'object') {
          e.problem = PortProblem.InvalidArgument;
          status = NDIS_STATUS_INVALID_DATA;
        } else if (checkCharacteristics(PortCharacteristics, e, false)) {
          status = NDIS_STATUS_INVALID_DATA;
        } else if (replayed !== undefined) {
          ++engine.allocationCalls;
        } else {
          status = this.reserveNumber(owner, table, e);
        }
      }
    }
    if (replayed !== undefined) {
      replayed.conflict = false;
      if (replayed.Status === NDIS_STATUS_SUCCESS && owner !== null) {
        if (!(table as AdapterPorts).numbers.take(replayed.PortNumber)) {
          replayed.conflict = true;
          return replayed.Status;
        }
        e.PortNumber = replayed.PortNumber;
      }
      if (status === NDIS_STATUS_SUCCESS) status = replayed.Status;
    }
    e.status = status;
    if (e.problem === PortProblem.InvalidHandle || e.problem === PortProblem.InvalidArgument) {
      this.misuseOfAllocate(e);
    }
    engine.verifier.on.portAllocate(engine.verifier, e);
    if (replayed !== undefined) {
      // A number was taken only for a live adapter whose allocation the trace says succeeded.
      if (e.PortNumber === 0) return replayed.Status;
      status = NDIS_STATUS_SUCCESS;
    }
    if (status !== NDIS_STATUS_SUCCESS) return status;

    const n = e.PortNumber;
    const c = PortCharacteristics as { Type?: unknown; Flags?: unknown } | null;
    const site = engine.captureAllocationSites ? captureSite() : null;
    (table as AdapterPorts).ports[n] = new Port(
      owner as MiniportAdapter,
      n,
      isUlong(c?.Type) ? c.Type : 0,
      isUlong(c?.Flags) ? c.Flags : 0,
      engine.allocationCalls,
      site,
    );
    try {
      if (c !== null) (c as { PortNumber: number }).PortNumber = n;
    } catch {
      // A frozen (read-only) structure is not written; the port exists all the same.
    }
    return status;
  }

  /** A resource-allocating step: the lowest free number, or RESOURCES (exhausted or injected). */
  private reserveNumber(owner: MiniportAdapter, table: AdapterPorts, e: PortAllocateEvent): number {
    const n = table.numbers.allocate();
    // Counted either way; the hook is asked only when a number was free.
    if (this.engine.allocationCall('NdisMAllocatePort', owner, 0, 0, -1, n !== 0) < 0) {
      table.numbers.free(n);
      return NDIS_STATUS_RESOURCES;
    }
    if (n === 0) return NDIS_STATUS_RESOURCES;
    e.PortNumber = n;
    return NDIS_STATUS_SUCCESS;
  }

  /**
   * NdisMFreePort: the status (D11). `replayed`: the status a trace says it returned; the rules see
   * the status decided here when it is a failure, else the trace's, and the port goes if the trace
   * says it succeeded.
   */
  free(NdisMiniportHandle: unknown, PortNumber: unknown, replayed?: number): number {
    const engine = this.engine;
    const owner = this.adapterOf(NdisMiniportHandle);
    engine.enterDdi('NdisMFreePort', owner, NdisMiniportHandle, PortNumber);
    const e = this.freeEvent;
    e.irql = engine.context.irql;
    e.NdisMiniportHandle = NdisMiniportHandle;
    e.PortNumber = PortNumber;
    e.owner = owner;
    e.port = null;
    let status: number;
    let table: AdapterPorts | null = null;
    if (owner === null) {
      // No adapter, so no port of it: "the port number was invalid".
      status = NDIS_STATUS_INVALID_PORT;
      this.misuse(
        'NdisMFreePort',
        'handle',
        0,
        'it returns NDIS_STATUS_INVALID_PORT',
        null,
        NdisMiniportHandle,
        PortNumber,
      );
    } else if (!isUlong(PortNumber)) {
      status = NDIS_STATUS_INVALID_DATA;
      this.misuse(
        'NdisMFreePort',
        'argument',
        1,
        'it returns NDIS_STATUS_INVALID_DATA',
        owner,
        NdisMiniportHandle,
        PortNumber,
      );
    } else if (PortNumber >= NDIS_MAXIMUM_PORTS) {
      status = NDIS_STATUS_INVALID_DATA; // D11: no port can have this number
    } else {
      table = this.openTable(owner);
      const port = table.get(PortNumber);
      e.port = port ?? null;
      if (PortNumber === 0 || port === undefined)
        status = NDIS_STATUS_INVALID_PORT; // D11
      else if (port.state === PortState.Activated)
        status = NDIS_STATUS_INVALID_PORT_STATE; // D11
      else status = NDIS_STATUS_SUCCESS;
    }
    if (replayed !== undefined && status === NDIS_STATUS_SUCCESS) status = replayed;
    e.status = status;
    engine.verifier.on.portFree(engine.verifier, e);
    if (replayed !== undefined) {
      // The trace's word, for a port this adapter has (not the default port, which NDIS keeps).
      if (replayed !== NDIS_STATUS_SUCCESS || e.port === null || PortNumber === 0) return replayed;
      status = replayed;
    }
    if (status !== NDIS_STATUS_SUCCESS) return status;
    const t = table as AdapterPorts;
    t.numbers.free(PortNumber as number);
    t.ports[PortNumber as number] = undefined;
    return status;
  }

  private misuseOfAllocate(e: PortAllocateEvent): void {
    const handle = e.problem === PortProblem.InvalidHandle;
    this.misuse(
      'NdisMAllocatePort',
      handle ? 'handle' : 'argument',
      handle ? 0 : 1,
      handle ? 'it returns NDIS_STATUS_CLOSING' : 'it returns NDIS_STATUS_INVALID_DATA',
      e.owner,
      e.NdisMiniportHandle,
      e.PortCharacteristics,
    );
  }

  /**
   * Cold path: argument `index` of `ddi` is not what its parameter takes; reported by
   * Ndis_InvalidHandle (kind 'handle') or Ddi_InvalidArgument (kind 'argument').
   */
  misuse(
    ddi: 'NdisMAllocatePort' | 'NdisMFreePort' | 'NdisMNetPnPEvent' | 'NdisMOidRequestComplete',
    kind: PortsMisuseEvent['kind'],
    index: number,
    outcome: string,
    owner: NdisObject | null,
    a0: unknown,
    a1: unknown,
    a2?: unknown,
  ): void {
    const engine = this.engine;
    const params = IRQL_TABLE[ddi].params;
    const value = index === 0 ? a0 : index === 1 ? a1 : a2;
    const e: PortsMisuseEvent = {
      ddi,
      irql: engine.context.irql,
      kind,
      parameter: params[index],
      value,
      outcome,
      owner,
      params,
      a0,
      a1,
      a2,
    };
    engine.verifier.on.portsMisuse(engine.verifier, e);
  }
}
