/**
 * Replay of the ports family (SPEC §7): NdisMAllocatePort (with the number the trace says NDIS
 * assigned), NdisMFreePort, NdisMNetPnPEvent (the activation list and the deactivation array from
 * the trace's fields) and NdisMOidRequestComplete, with MiniportOidRequest's enter and exit, which
 * start and end an OID request (see REPLAY in replay.ts). OID requests are known by their
 * NDIS_OID_REQUEST pointer.
 */
import type { ReplayedPort } from '../engine/ports.js';
import { NDIS_STATUS_PENDING, NetEventPortActivation, NetEventPortDeactivation } from '../ndis/constants.js';
import type { CallEvent, EnterEvent, ExitEvent } from './events.js';
import { hex64 } from './hex.js';
import type { CallbackHooks, ReplayEntry, ReplayState } from './replay.js';
import { adapterAt, fieldValue, HEADER, type StructSpec, structArg, structValue } from './replay-dma.js';

type Args = Record<string, unknown>;

const PORT_CHARACTERISTICS: StructSpec = {
  Header: HEADER,
  PortNumber: 'ulong',
  Flags: 'ulong',
  Type: 'ulong',
  MediaConnectState: 'ulong',
  XmitLinkSpeed: 'int64',
  RcvLinkSpeed: 'int64',
  Direction: 'ulong',
  SendControlState: 'ulong',
  RcvControlState: 'ulong',
  SendAuthorizationState: 'ulong',
  RcvAuthorizationState: 'ulong',
};

/** NET_PNP_EVENT_NOTIFICATION; NetPnPEvent.Buffer depends on the event and is decoded apart. */
const NOTIFICATION: StructSpec = {
  Header: HEADER,
  PortNumber: 'ulong',
  NetPnPEvent: { NetEvent: 'ulong', BufferLength: 'ulong' },
  Flags: 'ulong',
  SwitchId: 'ulong',
  VPortId: 'ulong',
};

/** Reused: the trace's outcome of NdisMAllocatePort. */
const port: ReplayedPort = { Status: 0, PortNumber: 0, conflict: false };

/** Marks a Buffer that could not be decoded (the call is then ignored). */
const BAD = Symbol('BAD');

/**
 * The activation list as the engine walks it: NDIS_PORT objects linked by Next. The trace writes it
 * as nested objects (`{"PortCharacteristics":{…},"Next":{…}}`) or as an array of NDIS_PORT objects.
 */
function portList(s: ReplayState, e: CallEvent, raw: unknown): unknown {
  const entries: unknown[] = Array.isArray(raw) ? raw : [];
  if (!Array.isArray(raw)) {
    for (let node: unknown = raw; node !== null && typeof node === 'object'; ) {
      entries.push(node);
      node = (node as Args).Next;
      if (node !== undefined && node !== null && typeof node !== 'object') {
        const next = fieldValue(
          s,
          e,
          node,
          'pointer',
          'args.NetPnPEventNotification.NetPnPEvent.Buffer.Next',
        );
        if (next === 0) break;
        if (typeof next === 'number')
          s.error(`${e.ddi}: an NDIS_PORT's Next is the pointer ${hex64(next)} only; the call is ignored`);
        return BAD;
      }
    }
  }
  let first: Args | null = null;
  let last: Args | null = null;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const path = `args.NetPnPEventNotification.NetPnPEvent.Buffer[${i}]`;
    if (entry === null || typeof entry !== 'object') {
      s.error(`${e.ddi}: "${path}" is not an NDIS_PORT object; the call is ignored`);
      return BAD;
    }
    const raw = (entry as Args).PortCharacteristics;
    const c = structValue(s, e, raw, PORT_CHARACTERISTICS, `${path}.PortCharacteristics`);
    if (c === undefined) return BAD;
    const node: Args = { Next: null, PortCharacteristics: c };
    if (last === null) first = node;
    else last.Next = node;
    last = node;
  }
  return first;
}

/** NetPnPEvent.Buffer in the engine's form: a port list, an array of port numbers, or as written. */
function eventBuffer(s: ReplayState, e: CallEvent, code: unknown, raw: unknown): unknown {
  if (raw === undefined || raw === null) return raw;
  if (typeof raw !== 'object') {
    const pointer = fieldValue(s, e, raw, 'pointer', 'args.NetPnPEventNotification.NetPnPEvent.Buffer');
    if (typeof pointer !== 'number') return BAD;
    if (pointer === 0) return null;
    if (code !== NetEventPortActivation && code !== NetEventPortDeactivation) return pointer;
    s.error(`${e.ddi}: the port event's Buffer is the pointer ${hex64(pointer)} only; the call is ignored`);
    return BAD;
  }
  if (code === NetEventPortActivation) return portList(s, e, raw);
  if (code === NetEventPortDeactivation && Array.isArray(raw)) {
    const numbers: unknown[] = [];
    for (let i = 0; i < raw.length; i++) {
      const n = fieldValue(s, e, raw[i], 'ulong', `args.NetPnPEventNotification.NetPnPEvent.Buffer[${i}]`);
      if (typeof n !== 'number') return BAD;
      numbers.push(n);
    }
    return numbers;
  }
  return raw;
}

export const PORTS_REPLAY: Readonly<Record<string, ReplayEntry>> = {
  NdisMAllocatePort(s, e) {
    const characteristics = structArg(s, e, 'PortCharacteristics', PORT_CHARACTERISTICS);
    if (characteristics === undefined) return;
    port.Status = e.status as number;
    port.PortNumber = (e.result as Args).PortNumber as number;
    s.engine.ports.allocate(s.handle(e.args.NdisMiniportHandle as number), characteristics, port);
    if (!port.conflict) return;
    const n = port.PortNumber;
    s.error(
      n === 0 || n >= s.engine.ports.limit
        ? `NdisMAllocatePort returned port number ${n}, which NDIS never assigns; the call is ignored`
        : `NdisMAllocatePort returned port number ${n}, which is still allocated on this adapter: the trace contradicts itself; the call is ignored`,
    );
  },
  NdisMFreePort(s, e) {
    const a = e.args;
    s.engine.ports.free(s.handle(a.NdisMiniportHandle as number), a.PortNumber, e.status);
  },
  NdisMNetPnPEvent(s, e) {
    const notification = structArg(s, e, 'NetPnPEventNotification', NOTIFICATION);
    if (notification === undefined) return;
    const raw = (e.args.NetPnPEventNotification as Args | null)?.NetPnPEvent as Args | null | undefined;
    const event = notification?.NetPnPEvent as Args | null | undefined;
    if (event !== null && typeof event === 'object' && raw !== null && typeof raw === 'object') {
      const buffer = eventBuffer(s, e, event.NetEvent, raw.Buffer);
      if (buffer === BAD) return;
      if ('Buffer' in raw) event.Buffer = buffer;
    }
    s.engine.ports.events.netPnPEvent(
      s.handle(e.args.MiniportAdapterHandle as number),
      notification,
      e.status,
    );
  },
  NdisMOidRequestComplete(s, e) {
    const a = e.args;
    const request = a.OidRequest;
    if (typeof request !== 'number') {
      s.error(
        'NdisMOidRequestComplete: "args.OidRequest" must be logged as its pointer, which matches the request to its MiniportOidRequest; the call is ignored',
      );
      return;
    }
    const key = request === 0 ? null : s.engine.oid.replayedRequest(request);
    s.engine.oid.complete(s.handle(a.MiniportAdapterHandle as number), key, a.Status);
  },
};

/** A MiniportOidRequest the trace entered and has not exited: its request pointer (0: not given). */
interface RunningRequest {
  readonly pointer: number;
  readonly thread: number | string | undefined;
}
const runningOf = new WeakMap<ReplayState, RunningRequest[]>();

function oidEnter(s: ReplayState, e: EnterEvent): void {
  const request = e.args?.OidRequest;
  const adapter = adapterAt(s, e.adapter);
  const pointer = typeof request === 'number' && adapter !== null ? request : 0;
  let running = runningOf.get(s);
  if (running === undefined) {
    running = [];
    runningOf.set(s, running);
  }
  running.push({ pointer, thread: e.thread });
  if (pointer !== 0) s.engine.oid.replayEnter(adapter as NonNullable<typeof adapter>, pointer);
}

function oidExit(s: ReplayState, e: ExitEvent): void {
  const running = runningOf.get(s);
  if (running === undefined) return;
  // The innermost request of this thread, as the replay matches the exit to its enter.
  let at = running.length - 1;
  while (
    at >= 0 &&
    !(running[at].thread === undefined || e.thread === undefined || running[at].thread === e.thread)
  )
    at--;
  if (at < 0) return;
  const { pointer } = running[at];
  running.splice(at, 1);
  if (pointer !== 0) s.engine.oid.replayExit(pointer, e.status);
  else if (e.status === NDIS_STATUS_PENDING) {
    s.error(
      'MiniportOidRequest returned NDIS_STATUS_PENDING, but its enter gives no "adapter" and "args.OidRequest" pointer: its completion cannot be matched',
    );
  }
}

export const PORTS_HOOKS: Readonly<Record<string, CallbackHooks>> = {
  MiniportOidRequest: { enter: oidEnter, exit: oidExit },
};
