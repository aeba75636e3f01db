/**
 * The verified port paths beside their floors (issue 4):
 * - NdisMAllocatePort + NdisMFreePort pair; floor: a Set add and delete of the port number.
 * - NetEventPortActivation + NetEventPortDeactivation pair of one port; floor: the least JavaScript
 *   that makes the same documented checks of a one-entry NDIS_PORT list and a one-element array of
 *   port numbers (headers, members, the port's state kept in a Map by number, as the first floor
 *   keeps numbers in a Set) and flips the state twice.
 * Targets, and why: allocate/free <= 3x — both sides cost a hash-table round trip, and the path adds
 * a 15-member structure check, the lowest-free bitmap, a port record and three rule dispatches (IRQL
 * table, allocate, free). Activate/deactivate <= 20x — the floor is a dozen inline compares and two
 * Map operations (about 10-30 ns), while each verified call has fixed costs the floor does not: the
 * IRQL check, the OID-context check (NdisMNetPnPEventInOIDRequest), filling the event and
 * dispatching it to the rules, the fault-hook ordinal, loop and duplicate detection, and a second
 * pass that applies the all-or-nothing outcome. Allocation-site capture is off, as in the pool
 * benchmark's figure without capture.
 */
import { Engine } from '../src/engine/engine.js';
import { activate } from '../src/ndis/active.js';
import {
  MediaConnectStateConnected,
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_SIZEOF_NDIS_PORT,
  NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
  NdisPortAuthorized,
  NdisPortControlStateUncontrolled,
  NdisPortTypeRasConnection,
  NET_IF_DIRECTION_SENDRECEIVE,
  NetEventPortActivation,
  NetEventPortDeactivation,
} from '../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort, NdisMNetPnPEvent } from '../src/ndis/ports.js';
import type { NDIS_PORT_CHARACTERISTICS, NET_PNP_EVENT_NOTIFICATION } from '../src/ndis/types.js';
import { type Comparison, compare } from './harness.js';

function characteristics(): NDIS_PORT_CHARACTERISTICS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_DEFAULT,
      Revision: 1,
      Size: NDIS_SIZEOF_PORT_CHARACTERISTICS_REVISION_1,
    },
    PortNumber: 0,
    Flags: 0,
    Type: NdisPortTypeRasConnection,
    MediaConnectState: MediaConnectStateConnected,
    XmitLinkSpeed: 1e9,
    RcvLinkSpeed: 1e9,
    Direction: NET_IF_DIRECTION_SENDRECEIVE,
    SendControlState: NdisPortControlStateUncontrolled,
    RcvControlState: NdisPortControlStateUncontrolled,
    SendAuthorizationState: NdisPortAuthorized,
    RcvAuthorizationState: NdisPortAuthorized,
  };
}

function header(): NET_PNP_EVENT_NOTIFICATION['Header'] {
  return {
    Type: NDIS_OBJECT_TYPE_DEFAULT,
    Revision: 1,
    Size: NDIS_SIZEOF_NET_PNP_EVENT_NOTIFICATION_REVISION_1,
  };
}

function setUp(): { engine: Engine; adapter: ReturnType<Engine['createAdapter']> } {
  const engine = new Engine({ captureAllocationSites: false, captureSites: false });
  const driver = engine.createDriver('BenchDriver');
  const adapter = engine.createAdapter(driver, 'BenchAdapter');
  adapter.registrationAttributesSet = true;
  engine.ports.registrationAttributesSet(adapter);
  activate(engine);
  return { engine, adapter };
}

function setFloor(): () => unknown {
  const numbers = new Set<number>();
  let n = 0;
  return () => {
    n = (n & 0xffff) + 1;
    numbers.add(n);
    return numbers.delete(n);
  };
}

function allocateFreePair(): () => unknown {
  const { adapter } = setUp();
  // Keep a few ports allocated so the pair does not always run on an empty table.
  for (let i = 0; i < 8; i++) NdisMAllocatePort(adapter, characteristics());
  const c = characteristics();
  return () => {
    NdisMAllocatePort(adapter, c);
    return NdisMFreePort(adapter, c.PortNumber);
  };
}

type Fields = Record<string, unknown>;

/** A ULONG-ranged enumeration member below `count`. */
function member(value: unknown, count: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < count;
}

/** The documented checks of one notification header (D17) and its port-event fields. */
function notificationOk(n: Fields, code: number, minimum: number): boolean {
  const h = n.Header as Fields;
  const e = n.NetPnPEvent as Fields;
  return (
    h.Type === 0x80 &&
    (h.Revision === 1 || h.Revision === 2) &&
    (h.Size as number) >= 164 &&
    n.Flags === 0 &&
    n.PortNumber === 0 &&
    e.NetEvent === code &&
    e.Buffer !== null &&
    (e.BufferLength as number) >= minimum
  );
}

/** The documented checks of one NDIS_PORT_CHARACTERISTICS (D16, D17, the enumerations). */
function characteristicsOk(c: Fields): boolean {
  const h = c.Header as Fields;
  return (
    (h.Type === 0x80 || h.Type === 0x9c) &&
    h.Revision === 1 &&
    (h.Size as number) >= 60 &&
    member(c.PortNumber, 0x1000000) &&
    (c.Flags === 0 || c.Flags === 1) &&
    (c.Type === 0 || c.Type === 2 || c.Type === 3) &&
    member(c.MediaConnectState, 3) &&
    typeof c.XmitLinkSpeed === 'number' &&
    typeof c.RcvLinkSpeed === 'number' &&
    member(c.Direction, 3) &&
    member(c.SendControlState, 3) &&
    member(c.RcvControlState, 3) &&
    member(c.SendAuthorizationState, 4) &&
    member(c.RcvAuthorizationState, 4)
  );
}

/**
 * The floor of the event pair: the same documented checks of a one-entry NDIS_PORT list and a
 * one-element port-number array, a look-up of the port's state, and the flip — no context, no
 * rules, no loop or duplicate detection, no fault hook.
 */
function activationFloor(): () => unknown {
  const states = new Map<number, number>([
    [0, 1],
    [1, 0],
  ]);
  const c = { ...characteristics(), PortNumber: 1 };
  const on: Fields = {
    Header: header(),
    PortNumber: 0,
    Flags: 0,
    NetPnPEvent: { NetEvent: 10, Buffer: { Next: null, PortCharacteristics: c }, BufferLength: 96 },
  };
  const off: Fields = {
    Header: header(),
    PortNumber: 0,
    Flags: 0,
    NetPnPEvent: { NetEvent: 11, Buffer: [1], BufferLength: 4 },
  };
  return () => {
    if (!notificationOk(on, 10, 96)) return -1;
    const entry = (on.NetPnPEvent as Fields).Buffer as Fields;
    const a = entry.PortCharacteristics as Fields;
    if (!characteristicsOk(a) || entry.Next !== null) return -1;
    const p = a.PortNumber as number;
    if (states.get(p) !== 0) return -1;
    states.set(p, 1);
    if (!notificationOk(off, 11, 4)) return -1;
    const n = ((off.NetPnPEvent as Fields).Buffer as number[])[0];
    if (!member(n, 0x1000000) || states.get(n) !== 1) return -1;
    states.set(n, 0);
    return n;
  };
}

function activationPair(): () => unknown {
  const { adapter } = setUp();
  const c = characteristics();
  NdisMAllocatePort(adapter, c);
  const on: NET_PNP_EVENT_NOTIFICATION = {
    Header: header(),
    PortNumber: 0,
    NetPnPEvent: {
      NetEvent: NetEventPortActivation,
      Buffer: { Next: null, PortCharacteristics: c },
      BufferLength: NDIS_SIZEOF_NDIS_PORT,
    },
    Flags: 0,
  };
  const off: NET_PNP_EVENT_NOTIFICATION = {
    Header: header(),
    PortNumber: 0,
    NetPnPEvent: { NetEvent: NetEventPortDeactivation, Buffer: [c.PortNumber], BufferLength: 4 },
    Flags: 0,
  };
  return () => {
    NdisMNetPnPEvent(adapter, on);
    return NdisMNetPnPEvent(adapter, off);
  };
}

/** Runs the port benchmarks. */
export async function portsBenchmarks(): Promise<Comparison[]> {
  const results: Comparison[] = [];
  results.push(await compare('port allocate+free pair', setFloor(), allocateFreePair(), 3));
  results.push(
    await compare('port activate+deactivate pair (one port)', activationFloor(), activationPair(), 20),
  );
  activate(null);
  return results;
}
