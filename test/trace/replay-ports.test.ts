/**
 * Replay of the ports family from traces: NdisMAllocatePort with the number the trace says NDIS
 * assigned, NdisMFreePort, port activation and deactivation through NdisMNetPnPEvent, and OID
 * requests (MiniportOidRequest enter/exit, NdisMOidRequestComplete). Hand-written traces: correct
 * usage checks clean, planted bugs give the rules' findings.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { MiniportAdapter } from '../../src/engine/objects.js';
import { PortState } from '../../src/engine/ports-state.js';
import { parseHex64 } from '../../src/trace/hex.js';
import { type CheckResult, checkTrace, ReplayState } from '../../src/trace/replay.js';

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const OID = '0xffffc60a70000000';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8,"driver":{"name":"e1000ns"}}';

type Json = Record<string, unknown>;
const enter = (callback: string, extra: Json = {}) =>
  JSON.stringify({ kind: 'enter', callback, driver: D, adapter: A, irql: 0, ...extra });
const exit = (callback: string, extra: Json = {}) => JSON.stringify({ kind: 'exit', callback, ...extra });
const call = (ddi: string, args: Json, extra: Json = {}) =>
  JSON.stringify({ kind: 'call', ddi, irql: 0, args, ...extra });
const edge = () => JSON.stringify({ kind: 'edge', edge: 'haltReturned', driver: D, adapter: A });

const characteristics = (extra: Json = {}) => ({
  Header: { Type: 128, Revision: 1, Size: 60 },
  Flags: '0x0',
  Type: 0,
  MediaConnectState: 0,
  XmitLinkSpeed: '0xffffffffffffffff',
  RcvLinkSpeed: '0xffffffffffffffff',
  Direction: 0,
  SendControlState: 0,
  RcvControlState: 0,
  SendAuthorizationState: 0,
  RcvAuthorizationState: 0,
  ...extra,
});
const allocatePort = (n: number, status = '0x0') =>
  call(
    'NdisMAllocatePort',
    { NdisMiniportHandle: A, PortCharacteristics: characteristics() },
    { status, result: { PortNumber: n } },
  );
const freePort = (n: number, status = '0x0') =>
  call('NdisMFreePort', { NdisMiniportHandle: A, PortNumber: n }, { status });
const notification = (NetEvent: number, Buffer: unknown, BufferLength: number) => ({
  Header: { Type: 128, Revision: 1, Size: 164 },
  PortNumber: 0,
  NetPnPEvent: { NetEvent, Buffer, BufferLength },
  Flags: 0,
});
/** Activation of ports `numbers`, written as nested NDIS_PORT objects linked by Next. */
function activate(numbers: number[], status = '0x0'): string {
  let list: unknown = '0x0';
  for (const n of [...numbers].reverse())
    list = { Next: list, PortCharacteristics: characteristics({ PortNumber: n }) };
  return call(
    'NdisMNetPnPEvent',
    { MiniportAdapterHandle: A, NetPnPEventNotification: notification(10, list, 96 * numbers.length) },
    { status },
  );
}
const deactivate = (numbers: number[], status = '0x0') =>
  call(
    'NdisMNetPnPEvent',
    { MiniportAdapterHandle: A, NetPnPEventNotification: notification(11, numbers, 4 * numbers.length) },
    { status },
  );
const oidRequest = (status: string, inside: string[] = [], request: unknown = OID) => [
  enter('MiniportOidRequest', request === null ? {} : { args: { OidRequest: request } }),
  ...inside,
  exit('MiniportOidRequest', { status }),
];
const completeOid = (request: unknown = OID) =>
  call(
    'NdisMOidRequestComplete',
    { MiniportAdapterHandle: A, OidRequest: request, Status: '0x0' },
    { irql: 2 },
  );

function life(inside: string[], halt: string[]): string[] {
  return [
    enter('MiniportInitializeEx', { adapterName: 'Ethernet 2' }),
    ...inside,
    exit('MiniportInitializeEx', { status: '0x0' }),
    enter('MiniportHaltEx'),
    ...halt,
    exit('MiniportHaltEx'),
    edge(),
  ];
}

function check(lines: string[]): Promise<CheckResult> {
  return checkTrace([Buffer.from(`${[HEADER, ...lines].join('\n')}\n`)], { file: 'trace.jsonl' });
}
const rules = (r: CheckResult) => r.violations.map((v) => v.rule);
const errors = (r: CheckResult) => r.errors.map(String);

describe('replay of the ports family', () => {
  it('checks correct usage clean: ports allocated, activated, deactivated and freed; an OID pended and completed', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      allocatePort(1),
      allocatePort(2),
      activate([1, 2]),
      exit('MiniportInitializeEx', { status: '0x0' }),
      ...oidRequest('0x103'),
      completeOid(),
      enter('MiniportHaltEx'),
      deactivate([1, 2]),
      freePort(2),
      freePort(1),
      exit('MiniportHaltEx'),
      edge(),
    ]);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(r.engine.oid.outstanding()).toBe(0);
  });

  it('takes the port numbers the trace says NDIS assigned, and the port states the events set', () => {
    const engine = new Engine({ captureAllocationSites: false });
    const state = new ReplayState(engine, 'trace.jsonl');
    const lines = [HEADER, enter('MiniportInitializeEx'), allocatePort(7), allocatePort(3), activate([7])];
    for (const [i, text] of lines.entries()) state.feed(text, i + 1);
    state.flush();
    expect(state.errors.map(String)).toEqual([]);
    const adapter = state.handle(parseHex64(A)) as MiniportAdapter;
    expect([...engine.ports.allocated(adapter)].map((p) => [p.PortNumber, p.state])).toEqual([
      [3, PortState.Allocated],
      [7, PortState.Activated],
    ]);
  });

  it('reports freeing a port that is still active (NdisMFreePort_ActivePort); it stays allocated', async () => {
    const r = await check(
      life([allocatePort(1), activate([1])], [freePort(1, '0xc023002e'), deactivate([1]), freePort(1)]),
    );
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['NdisMFreePort_ActivePort']);
    expect(r.violationLines).toEqual([7]);
  });

  it('reports a port still allocated when MiniportHaltEx returns (Leak_Port)', async () => {
    const r = await check(life([allocatePort(1), allocatePort(2)], [freePort(1)]));
    expect(rules(r)).toEqual(['Leak_Port']);
    expect(r.violations[0].message).toContain(
      'Port 2 (type 0) is still allocated when MiniportHaltEx returned',
    );
  });

  it('reports freeing the default port (NdisMFreePort_DefaultPort)', async () => {
    const r = await check(life([], [freePort(0, '0xc023002d')]));
    expect(rules(r)).toEqual(['NdisMFreePort_DefaultPort']);
  });

  it('reports NdisMNetPnPEvent from MiniportOidRequest and while a pended OID is outstanding', async () => {
    const r = await check(
      life(
        [allocatePort(1)],
        [
          ...oidRequest('0x0', [activate([1])]),
          ...oidRequest('0x103'),
          deactivate([1]),
          completeOid(),
          freePort(1),
        ],
      ),
    );
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['NdisMNetPnPEventInOIDRequest', 'NdisMNetPnPEventInOIDRequest']);
    expect(r.violations[0].message).toContain('from MiniportOidRequest');
    expect(r.violations[1].message).toContain('while an OID request it returned NDIS_STATUS_PENDING');
  });

  it('reports completing an OID request that is not pending (NdisOidDoubleComplete)', async () => {
    const r = await check(life([], [...oidRequest('0x0'), completeOid(), completeOid('0xffffc60a7000ff00')]));
    expect(rules(r)).toEqual(['NdisOidDoubleComplete', 'NdisOidDoubleComplete']);
    expect(r.violations[0].message).toContain('not pending on Ethernet 2');
    expect(r.violations[0].args.OidRequest).toBe(OID);
  });

  it('matches a completion made inside MiniportOidRequest before it returns PENDING', async () => {
    const early = await check(life([], oidRequest('0x103', [completeOid()])));
    expect(early.violations).toEqual([]);
    const twice = await check(life([], oidRequest('0x0', [completeOid()])));
    expect(rules(twice)).toEqual(['NdisOidDoubleComplete']);
  });

  it('reads an activation list written as an array of NDIS_PORT objects; a malformed one is reported', async () => {
    const list = [1, 2].map((n) => ({ PortCharacteristics: characteristics({ PortNumber: n }) }));
    const event = (Buffer: unknown, status = '0x0') =>
      call(
        'NdisMNetPnPEvent',
        { MiniportAdapterHandle: A, NetPnPEventNotification: notification(10, Buffer, 192) },
        { status },
      );
    const r = await check(
      life([allocatePort(1), allocatePort(2), event(list)], [deactivate([2, 1]), freePort(1), freePort(2)]),
    );
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    const bad = [{ PortCharacteristics: characteristics({ PortNumber: 1, Type: 99 }) }];
    const refused = await check(life([allocatePort(1), event(bad, '0xc00000bb')], [freePort(1)]));
    expect(rules(refused)).toEqual(['NdisMNetPnPEvent_InvalidNotification']);
  });

  it('reports what contradicts the trace or cannot be replayed as errors, and goes on', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      allocatePort(1),
      allocatePort(1),
      allocatePort(0),
      call(
        'NdisMNetPnPEvent',
        { MiniportAdapterHandle: A, NetPnPEventNotification: notification(10, '0xffffc60a80000000', 96) },
        { status: '0x0' },
      ),
      completeOid({ Oid: 1 }),
      exit('MiniportInitializeEx', { status: '0x0' }),
      ...oidRequest('0x103', [], null),
    ]);
    expect(errors(r)).toEqual([
      'trace.jsonl:4: NdisMAllocatePort returned port number 1, which is still allocated on this adapter: the trace contradicts itself; the call is ignored',
      'trace.jsonl:5: NdisMAllocatePort returned port number 0, which NDIS never assigns; the call is ignored',
      "trace.jsonl:6: NdisMNetPnPEvent: the port event's Buffer is the pointer 0xffffc60a80000000 only; the call is ignored",
      'trace.jsonl:7: NdisMOidRequestComplete: "args.OidRequest" must be logged as its pointer, which matches the request to its MiniportOidRequest; the call is ignored',
      'trace.jsonl:10: MiniportOidRequest returned NDIS_STATUS_PENDING, but its enter gives no "adapter" and "args.OidRequest" pointer: its completion cannot be matched',
    ]);
    expect(r.violations).toEqual([]);
  });

  it('keeps memory to what is outstanding: 10 000 ports and OID requests', async () => {
    const engine = new Engine({ captureAllocationSites: false });
    const state = new ReplayState(engine, 'trace.jsonl');
    let line = 0;
    state.feed(HEADER, ++line);
    for (let i = 0; i < 10_000; i++) {
      const request = `0x${(0x70000000 + i * 0x100).toString(16)}`;
      const lines = [
        enter('MiniportInitializeEx'),
        allocatePort(1 + (i % 3)),
        freePort(1 + (i % 3)),
        exit('MiniportInitializeEx', { status: '0x0' }),
        ...oidRequest('0x103', [], request),
        completeOid(request),
        enter('MiniportHaltEx'),
        exit('MiniportHaltEx'),
        edge(),
      ];
      for (const text of lines) state.feed(text, ++line);
    }
    state.flush();
    expect(state.errors.map(String)).toEqual([]);
    expect(engine.violations).toEqual([]);
    expect(engine.oid.outstanding()).toBe(0);
    expect((engine.oid as unknown as { replayed: Map<number, unknown> }).replayed.size).toBe(0);
    expect(state.objects.size).toBe(0);
  });
});
