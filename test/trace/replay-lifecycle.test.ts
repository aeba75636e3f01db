/**
 * Replaying the lifecycle: hand-written traces drive the adapter state machine through the
 * enter/exit of the lifecycle callbacks, so the lifecycle rules and the leak edges fire as in a live
 * run; and a live host run of the kit driver, recorded, checks to the same findings.
 */
import { describe, expect, it, vi } from 'vitest';
import { SCENARIOS, type Scenario } from '../../src/host/scenario.js';
import {
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2 as CHARACTERISTICS_SIZE,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES as GENERAL,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES as REGISTRATION,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1 as REGISTRATION_SIZE,
} from '../../src/ndis/constants.js';
import { NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 as GENERAL_SIZE } from '../../src/ndis/lifecycle.js';
import { type CheckResult, checkTrace } from '../../src/trace/replay.js';
import { essence, recordRun, withoutEdges } from './recorded-host.js';

// The kit driver imports the DDIs from src/index.js: record them there.
vi.mock('../../src/index.js', async (original) =>
  (await import('./recorded-host.js')).recordedIndex(original),
);

const { kitDriver } = await import('../host/driver-kit.js');
type KitOptions = NonNullable<Parameters<typeof kitDriver>[0]>;

const D = '0xffffc60a10000000';
const A = '0xffffc60a20000000';
const DO = '0xffffc60a0d000000';
const HEADER =
  '{"format":"ndis-sim-trace","version":1,"producer":"test","pointerSize":8,"driver":{"name":"e1000ns"}}';

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const enter = (callback: string, extra: Record<string, unknown> = {}) =>
  line({ kind: 'enter', callback, driver: D, adapter: A, irql: 0, ...extra });
const exit = (callback: string, status?: string) =>
  line(status === undefined ? { kind: 'exit', callback } : { kind: 'exit', callback, status });
const call = (ddi: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  line({ kind: 'call', ddi, irql: 0, args, ...extra });
const alloc = (va: string, length = 256) =>
  call(
    'NdisAllocateMemoryWithTagPriority',
    { NdisHandle: A, Length: length, Tag: '0x2074694b', Priority: 16 },
    { result: { VirtualAddress: va } },
  );
const free = (va: string) => call('NdisFreeMemory', { VirtualAddress: va, Length: 0, MemoryFlags: 0 });

const HANDLERS = {
  SetOptionsHandler: '0x0',
  InitializeHandlerEx: '0xfffff80010001000',
  HaltHandlerEx: '0xfffff80010001100',
  UnloadHandler: '0xfffff80010001200',
  PauseHandler: '0xfffff80010001300',
  RestartHandler: '0xfffff80010001400',
  OidRequestHandler: '0xfffff80010001500',
  SendNetBufferListsHandler: '0xfffff80010001600',
  ReturnNetBufferListsHandler: '0xfffff80010001700',
  CancelSendHandler: '0xfffff80010001800',
  CheckForHangHandlerEx: '0x0',
  ResetHandlerEx: '0x0',
  DevicePnPEventNotifyHandler: '0xfffff80010001900',
  ShutdownHandlerEx: '0xfffff80010001a00',
  CancelOidRequestHandler: '0xfffff80010001b00',
  DirectOidRequestHandler: '0x0',
  CancelDirectOidRequestHandler: '0x0',
};
const characteristics = (handlers: Record<string, unknown> = HANDLERS) => ({
  Header: { Type: 138, Revision: 2, Size: CHARACTERISTICS_SIZE },
  MajorNdisVersion: 6,
  MinorNdisVersion: 30,
  MajorDriverVersion: 1,
  MinorDriverVersion: 0,
  Flags: 0,
  ...handlers,
});
const register = (chars: unknown = characteristics(), status = '0x0', handle = D) =>
  call(
    'NdisMRegisterMiniportDriver',
    {
      DriverObject: DO,
      RegistryPath: '0xffffc60a0e000000',
      MiniportDriverContext: '0x0',
      MiniportDriverCharacteristics: chars,
    },
    { status, result: { NdisMiniportDriverHandle: status === '0x0' ? handle : '0x0' } },
  );
const load = (chars?: unknown) => [
  line({ kind: 'enter', callback: 'DriverEntry', irql: 0, args: { DriverObject: DO } }),
  register(chars),
  exit('DriverEntry', '0x0'),
];
const attributes = (type: number, size: number, revision = 1) =>
  call(
    'NdisMSetMiniportAttributes',
    {
      NdisMiniportHandle: A,
      MiniportAttributes: {
        Header: { Type: type, Revision: revision, Size: size },
        MiniportAdapterContext: '0xffffc60a2a000000',
        AttributeFlags: '0x20',
      },
    },
    { status: '0x0' },
  );
const initialize = (...body: string[]) => [
  enter('MiniportInitializeEx', { adapterName: 'Ethernet 2' }),
  attributes(REGISTRATION, REGISTRATION_SIZE),
  attributes(GENERAL, GENERAL_SIZE, 2),
  ...body,
  exit('MiniportInitializeEx', '0x0'),
];
const callback = (name: string, status?: string, extra: Record<string, unknown> = {}, ...body: string[]) => [
  enter(name, extra),
  ...body,
  exit(name, status),
];
const unload = (...body: string[]) => [
  line({ kind: 'enter', callback: 'MiniportDriverUnload', driver: D, irql: 0 }),
  ...body,
  exit('MiniportDriverUnload'),
];
const deregister = call('NdisMDeregisterMiniportDriver', { NdisMiniportDriverHandle: D });

function check(lines: string[]): Promise<CheckResult> {
  return checkTrace([Buffer.from(`${[HEADER, ...lines].join('\n')}\n`)], { file: 'trace.jsonl' });
}
const rules = (r: CheckResult) => r.violations.map((v) => v.rule);
const errors = (r: CheckResult) => r.errors.map(String);

/** The life of a correct driver: load, initialize, restart, a pended pause, halt, unload. */
const CORRECT = [
  ...load(),
  ...initialize(alloc('0xffffc60a1b2c1000')),
  ...callback('MiniportRestart', '0x0'),
  ...callback('MiniportPause', '0x103'),
  line({ kind: 'enter', callback: 'MiniportInterruptDPC', driver: D, adapter: A, irql: 2 }),
  call('NdisMPauseComplete', { MiniportAdapterHandle: A }, { irql: 2 }),
  exit('MiniportInterruptDPC'),
  ...callback('MiniportHaltEx', undefined, { args: { HaltAction: 0 } }, free('0xffffc60a1b2c1000')),
  ...unload(deregister),
];

describe('replaying the lifecycle', () => {
  it('a correct driver checks clean, and the state machine follows the trace', async () => {
    const r = await check(CORRECT);
    expect(errors(r)).toEqual([]);
    expect(r.violations).toEqual([]);
    // Up to the halt (the unload forgets the registration).
    const halted = await check(CORRECT.slice(0, -3));
    const driver = halted.engine.lifecycle.registrationsOf(-0x39f5f3000000)[0];
    expect(driver?.name).toBe('e1000ns');
    expect(driver?.characteristics?.MinorNdisVersion).toBe(30);
    expect([driver?.registered, driver?.live]).toEqual([true, true]);
    const adapter = [...(driver?.adapters ?? [])][0];
    expect([adapter.name, adapter.state, adapter.haltAction, adapter.attributeFlags]).toEqual([
      'Ethernet 2',
      'Halted',
      0,
      0x20,
    ]);
    const running = await check(CORRECT.slice(0, 10));
    expect([...running.engine.lifecycle.registrationsOf(-0x39f5f3000000)[0].adapters][0].state).toBe(
      'Running',
    );
  });

  it('accepts characteristics whose handlers the trace does not log, or only their pointer', async () => {
    const bare = {
      Header: { Type: 138, Revision: 2, Size: CHARACTERISTICS_SIZE },
      MajorNdisVersion: 6,
      MinorNdisVersion: 30,
    };
    for (const chars of [bare, '0xffffc60a0f000000']) {
      const r = await check([
        ...load(chars),
        ...initialize(),
        ...callback('MiniportHaltEx'),
        ...unload(deregister),
      ]);
      expect(errors(r)).toEqual([]);
      expect(r.violations).toEqual([]);
    }
  });

  it('validates characteristics as a live call: a NULL required handler is a finding', async () => {
    const r = await check(load(characteristics({ ...HANDLERS, PauseHandler: '0x0' })));
    expect(rules(r)).toEqual(['NdisMRegisterMiniportDriver_Characteristics']);
    expect(r.violations[0].message).toContain('lacks required handlers (PauseHandler: expected a function)');
    expect(errors(r)).toEqual([
      'trace.jsonl:3: the trace says NdisMRegisterMiniportDriver returned NDIS_STATUS_SUCCESS; NDIS returns NDIS_STATUS_BAD_CHARACTERISTICS for these characteristics, and registers nothing',
    ]);
  });

  it('MiniportPause returning FAILURE is MiniportPause_Return, and the pause completes', async () => {
    const r = await check([
      ...initialize(),
      ...callback('MiniportRestart', '0x0'),
      ...callback('MiniportPause', '0xc0000001'),
      ...callback('MiniportHaltEx'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['MiniportPause_Return']);
    expect(r.violations[0].message).toContain('MiniportPause returned NDIS_STATUS_FAILURE');
    expect(r.violationLines).toEqual([9]);
  });

  it('reports a leak at the haltReturned edge the exit of MiniportHaltEx implies', async () => {
    const r = await check([...initialize(alloc('0xffffc60a1b2c1000', 2048)), ...callback('MiniportHaltEx')]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
    expect(r.violations[0].message).toContain('are still allocated when MiniportHaltEx returned');
    expect(r.violations[0].context.callback).toBeNull();
    expect(r.violationLines).toEqual([8]);
  });

  it('reports a leak at the initializeFailed edge a failing MiniportInitializeEx implies', async () => {
    const r = await check([
      enter('MiniportInitializeEx'),
      alloc('0xffffc60a1b2c1000'),
      exit('MiniportInitializeEx', '0xc000009a'),
    ]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
    expect(r.violations[0].message).toContain('when MiniportInitializeEx returned a failure');
  });

  it('an explicit edge and the inferred one are one edge, whichever comes first', async () => {
    const edge = line({ kind: 'edge', edge: 'haltReturned', driver: D, adapter: A });
    const after = await check([
      ...initialize(alloc('0xffffc60a1b2c1000')),
      ...callback('MiniportHaltEx'),
      edge,
    ]);
    const inside = await check([
      ...initialize(alloc('0xffffc60a1b2c1000')),
      enter('MiniportHaltEx'),
      edge,
      exit('MiniportHaltEx'),
    ]);
    expect(rules(after)).toEqual(['Leak_PoolMemory']);
    expect(after.violationLines).toEqual([8]);
    expect(rules(inside)).toEqual(['Leak_PoolMemory']);
    expect(inside.violationLines).toEqual([8]);
    expect(inside.violations[0].context.callback).toBe('MiniportHaltEx');
    const unloadEdge = line({ kind: 'edge', edge: 'driverUnload', driver: D });
    const twice = await check([
      ...initialize(),
      ...callback('MiniportHaltEx'),
      ...unload(),
      unloadEdge,
      unloadEdge,
    ]);
    expect(errors(twice)).toEqual([]);
    expect(twice.violations).toEqual([]);
  });

  it('an edge the trace states without the callbacks still halts the adapter', async () => {
    const r = await check([
      ...initialize(alloc('0xffffc60a1b2c1000')),
      line({ kind: 'edge', edge: 'haltReturned', driver: D, adapter: A }),
      ...initialize(),
      ...callback('MiniportHaltEx'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
  });

  it('a sequence NDIS never makes is a reader error, and the replay goes on', async () => {
    const r = await check([
      ...initialize(alloc('0xffffc60a1b2c1000')),
      ...callback('MiniportRestart', '0x0'),
      ...callback('MiniportHaltEx'),
      ...callback('MiniportPause', '0x0'),
      line({ kind: 'enter', callback: 'MiniportHaltEx', irql: 0 }),
      exit('MiniportHaltEx'),
    ]);
    expect(errors(r)).toEqual([
      'trace.jsonl:9: MiniportHaltEx entered for adapter Ethernet 2 in state Running: NDIS halts only a Paused adapter (D10: it pauses a Running one first); replay goes on as if it were Paused',
      'trace.jsonl:11: MiniportPause entered for adapter Ethernet 2 in state Halted: NDIS pauses only a Running adapter; replay goes on as if it were Running',
      'trace.jsonl:13: MiniportHaltEx entered without an adapter handle: the adapter state machine does not follow it',
    ]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
    expect(r.violationLines).toEqual([10]);
  });

  it('a pended pause the trace never completes: the next callback says so', async () => {
    const r = await check([
      ...initialize(),
      ...callback('MiniportRestart', '0x0'),
      ...callback('MiniportPause', '0x103'),
      ...callback('MiniportHaltEx'),
    ]);
    expect(errors(r)[0]).toMatch(
      /^trace\.jsonl:10: MiniportHaltEx entered for adapter Ethernet 2 in state Pausing \(MiniportPause returned NDIS_STATUS_PENDING and the trace shows no NdisMPauseComplete\)/,
    );
  });

  it('follows an adapter whose initialize the trace does not show from its first callback, silently', async () => {
    const r = await check([
      enter('MiniportInterruptDPC'),
      alloc('0xffffc60a1b2c1000'),
      exit('MiniportInterruptDPC'),
      ...callback('MiniportPause', '0x0'),
      ...callback('MiniportHaltEx'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
  });

  it('completions with nothing pending are NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION (0x7C / 0x1F)', async () => {
    const r = await check([
      ...initialize(),
      call('NdisMPauseComplete', { MiniportAdapterHandle: A }),
      ...callback('MiniportRestart', '0x103'),
      call('NdisMRestartComplete', { MiniportAdapterHandle: A, Status: '0x0' }),
      call('NdisMRestartComplete', { MiniportAdapterHandle: A, Status: '0x0' }),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual([
      'NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION',
      'NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION',
    ]);
    expect(r.violations[0].bugCheck?.parameters[0]).toBe(0x1f);
    expect(r.violations[0].message).toBe(
      'NdisMPauseComplete called for adapter Ethernet 2 in state Paused, with no pause pending; nothing changes.',
    );
  });

  it('judges attributes only when the registration is in the trace (D36)', async () => {
    const noGeneral = [
      enter('MiniportInitializeEx'),
      attributes(REGISTRATION, REGISTRATION_SIZE),
      exit('MiniportInitializeEx', '0x0'),
    ];
    const registered = await check([...load(), ...noGeneral]);
    expect(rules(registered)).toEqual(['MiniportInitializeEx_Attributes']);
    expect(registered.violations[0].message).toContain('without setting general attributes');
    const logsAttributes = await check(noGeneral);
    expect(rules(logsAttributes)).toEqual(['MiniportInitializeEx_Attributes']);
    const logsNone = await check([enter('MiniportInitializeEx'), exit('MiniportInitializeEx', '0x0')]);
    expect(logsNone.violations).toEqual([]);
    const outside = await check([...load(), ...noGeneral, attributes(GENERAL, GENERAL_SIZE, 2)]);
    expect(rules(outside)).toEqual(['MiniportInitializeEx_Attributes', 'NdisMSetMiniportAttributes_Context']);
  });

  it('checks the attribute structures the trace logs', async () => {
    const r = await check([
      ...load(),
      enter('MiniportInitializeEx'),
      attributes(REGISTRATION, 8),
      exit('MiniportInitializeEx', '0xc0000001'),
    ]);
    expect(rules(r)).toEqual(['NdisMSetMiniportAttributes_Header']);
    expect(errors(r)).toEqual([
      'trace.jsonl:6: the trace says NdisMSetMiniportAttributes returned NDIS_STATUS_SUCCESS; NDIS returns NDIS_STATUS_BAD_VERSION for these attributes',
    ]);
  });

  it('unload: adapters not halted, and no deregistration, are findings at the unload', async () => {
    const r = await check([...load(), ...initialize(), ...unload()]);
    expect(rules(r)).toEqual([
      'NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED',
      'NdisMDeregisterMiniportDriver_Required',
    ]);
    expect(r.violations[0].context.callback).toBeNull();
    expect(r.violationLines).toEqual([9, 10]);
  });

  it('a DriverEntry that fails after registering is NdisMDeregisterMiniportDriver_Required, and unloads the driver', async () => {
    const r = await check([
      line({ kind: 'enter', callback: 'DriverEntry', irql: 0 }),
      line({ kind: 'enter', callback: 'MiniportSetOptions', driver: D, irql: 0 }),
      call(
        'NdisAllocateMemoryWithTagPriority',
        { NdisHandle: D, Length: 64, Tag: '0x2074694b', Priority: 16 },
        { result: { VirtualAddress: '0xffffc60a1b2c1000' } },
      ),
      exit('MiniportSetOptions', '0x0'),
      register(),
      exit('DriverEntry', '0xc0000001'),
      line({ kind: 'edge', edge: 'driverUnload', driver: D }),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['NdisMDeregisterMiniportDriver_Required', 'Leak_PoolMemory']);
    expect(r.violations[1].message).toContain('when the driver unloaded');
  });

  it('a registration that fails in MiniportSetOptions unloads the driver whose SetOptions ran', async () => {
    const r = await check([
      line({ kind: 'enter', callback: 'DriverEntry', irql: 0 }),
      line({ kind: 'enter', callback: 'MiniportSetOptions', driver: D, irql: 0 }),
      call(
        'NdisAllocateMemoryWithTagPriority',
        { NdisHandle: D, Length: 64, Tag: '0x2074694b', Priority: 16 },
        { result: { VirtualAddress: '0xffffc60a1b2c1000' } },
      ),
      exit('MiniportSetOptions', '0xc000009a'),
      register(characteristics(), '0xc000009a'),
      exit('DriverEntry', '0xc000009a'),
    ]);
    expect(errors(r)).toEqual([]);
    expect(rules(r)).toEqual(['Leak_PoolMemory']);
  });
});

// -------------------------------------------------------------------------------------------------
// Round trip: the kit driver run live by the host, recorded, then checked
// -------------------------------------------------------------------------------------------------

const NIC = 'nic0';
const CUSTOM: Readonly<Record<string, Scenario>> = {
  'load only': [{ step: 'load' }],
  'SetOptions fails': [{ step: 'load', failAllocations: [2] }],
  'initialize, unload': [
    { step: 'load' },
    { step: 'addDevice', name: NIC },
    { step: 'initialize', adapter: NIC },
    { step: 'unload' },
  ],
  'second allocation of initialize fails': [
    { step: 'load' },
    { step: 'addDevice', name: NIC },
    { step: 'initialize', adapter: NIC, failAllocations: [2] },
    { step: 'unload' },
  ],
  'restart, halt': [
    { step: 'load' },
    { step: 'addDevice', name: NIC },
    { step: 'initialize', adapter: NIC },
    { step: 'restart', adapter: NIC },
    { step: 'halt', adapter: NIC },
    { step: 'unload' },
  ],
};
const scenarioOf = (name: string): Scenario => CUSTOM[name] ?? SCENARIOS[name];

const CASES: readonly [string, string, KitOptions][] = [
  ['correct', 'full-lifecycle', {}],
  [
    'correct, pended pause and restart',
    'pause-restart-cycles',
    { pause: () => 'PENDING', restart: () => 'PENDING' },
  ],
  ['correct, two adapters', 'two-adapters', {}],
  ['correct, surprise removal', 'surprise-removal', {}],
  ['correct, shutdown', 'shutdown-power-off', {}],
  ['correct, initialize failure', 'initialize-failure', {}],
  ['correct, load failure', 'load-failure', {}],
  ['correct, MiniportSetOptions fails', 'SetOptions fails', {}],
  ['leak in halt', 'full-lifecycle', { bugs: ['leak-in-halt'] }],
  ['leak on init failure', 'second allocation of initialize fails', { bugs: ['leak-on-init-failure'] }],
  ['leak of the driver block', 'full-lifecycle', { bugs: ['leak-driver-block'] }],
  ['no deregistration', 'full-lifecycle', { bugs: ['no-deregister'] }],
  ['DriverEntry fails after registering', 'load only', { bugs: ['fail-after-register'] }],
  ['no general attributes (D36)', 'initialize, unload', { bugs: ['no-general-attributes'] }],
  ['general attributes first', 'full-lifecycle', { bugs: ['general-first'] }],
  ['completes twice', 'pause-restart-cycles', { pause: () => 'PENDING', bugs: ['complete-twice'] }],
  ['pause returns FAILURE', 'full-lifecycle', { pause: () => 'FAILURE' }],
  ['restart returns an undocumented status', 'restart, halt', { restart: () => 0xc0000bad }],
  [
    'restart completes with an undocumented status',
    'restart, halt',
    { restart: () => 'PENDING', restartCompletes: () => 0xc0000bad },
  ],
];

describe('round trip: a recorded kit-driver run checks to the live findings', () => {
  it.each(CASES)('%s (%s)', async (_name, scenario, options) => {
    const live = recordRun(kitDriver(options), scenarioOf(scenario));
    expect(live.result.outcome).toBe('completed');
    const replay = await checkTrace([Buffer.from(`${live.lines.join('\n')}\n`)]);
    expect(replay.errors.map(String)).toEqual([]);
    expect(replay.violations.map(essence)).toEqual(live.result.violations.map(essence));
    // The same findings when the trace leaves the edges to the callbacks' returns.
    const inferred = await checkTrace([Buffer.from(`${withoutEdges(live.lines).join('\n')}\n`)]);
    expect(inferred.errors.map(String)).toEqual([]);
    expect(inferred.violations.map(essence)).toEqual(live.result.violations.map(essence));
  });

  it('the bugs are found (the round trip is not trivially empty)', () => {
    const found = CASES.filter(([name]) => !name.startsWith('correct')).map(([, scenario, options]) => [
      ...new Set(recordRun(kitDriver(options), scenarioOf(scenario)).result.violations.map((v) => v.rule)),
    ]);
    expect(found).toEqual([
      ['Leak_PoolMemory'],
      ['Leak_PoolMemory'],
      ['Leak_PoolMemory'],
      ['NdisMDeregisterMiniportDriver_Required'],
      ['NdisMDeregisterMiniportDriver_Required'],
      ['MiniportInitializeEx_Attributes'],
      ['NdisMSetMiniportAttributes_Order'],
      ['NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION'],
      ['MiniportPause_Return'],
      ['MiniportRestart_Return'],
      ['MiniportRestart_Return'],
    ]);
  });
});
