/**
 * What NDIS keeps per port and per adapter (SPEC §7.1): the port records by number, the number
 * allocator, the default port, and where the adapter is in its life as far as ports care
 * (registration attributes seen, halt begun, halted).
 */
import type { SiteCapture } from '../verifier/site.js';
import type { MiniportAdapter } from './objects.js';
import { PortNumbers } from './port-numbers.js';

/** The two initialization states of a port [ndis-port-states]. */
export const PortState = {
  /** After NdisMAllocatePort, or after a successful deactivation: inactive. */
  Allocated: 0,
  /** After a successful NetEventPortActivation. */
  Activated: 1,
} as const;
export type PortState = (typeof PortState)[keyof typeof PortState];

/** One allocated port (or the default port, number 0). */
export class Port {
  state: PortState = PortState.Allocated;
  /** Stamp of the last port event that listed this port: a second listing in one event is a duplicate. */
  mark = 0;
  constructor(
    readonly adapter: MiniportAdapter,
    readonly PortNumber: number,
    /** NDIS_PORT_CHARACTERISTICS.Type and .Flags at allocation (reports). */
    readonly Type: number,
    readonly Flags: number,
    /** Ordinal of the allocating call (see faults.ts); 0 for the default port. */
    readonly ordinal: number,
    /** Where NdisMAllocatePort was called (null for the default port or when not captured). */
    readonly site: SiteCapture | null,
  ) {}
}

/** The ports of one adapter. */
export class AdapterPorts {
  readonly numbers: PortNumbers;
  /** Port records by number; [0] is the default port while NDIS holds it. */
  readonly ports: (Port | undefined)[] = [];
  /** True while the default port is active because the driver's own activation event made it so. */
  defaultActivatedByDriver = false;
  /** Where the driver activated the default port (DefaultPort_ActiveAtHalt), when captured. */
  defaultActivationSite: SiteCapture | null = null;
  /** NdisMSetMiniportAttributes set the registration attributes (NDIS then activated the default port). */
  attributesSeen = false;
  /** MiniportHaltEx has begun (D37: allocation returns NDIS_STATUS_CLOSING). */
  halting = false;
  /** MiniportHaltEx returned (or initialization failed): NDIS freed the ports; nothing is left. */
  closed = false;

  /** `closed`: the table of a halted adapter (NDIS freed the default port too). */
  constructor(
    readonly adapter: MiniportAdapter,
    limit: number,
    closed = false,
  ) {
    this.numbers = new PortNumbers(limit);
    this.closed = closed;
    // NDIS always allocates the default port [default-ndis-port]; it starts inactive.
    if (!closed) this.ports[0] = new Port(adapter, 0, 0, 0, 0, null);
  }

  /** The live port numbered `n` (0 = the default port while NDIS holds it), if any. */
  get(n: number): Port | undefined {
    return this.ports[n];
  }

  /** Live ports the driver allocated, lowest number first (leak reports, cold path). */
  *allocated(): IterableIterator<Port> {
    const ports = this.ports;
    for (let n = 1; n < ports.length; n++) {
      const port = ports[n];
      if (port !== undefined) yield port;
    }
  }
}
