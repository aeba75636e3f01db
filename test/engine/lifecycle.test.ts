/**
 * The lifecycle family's documented outcomes: NdisMRegisterMiniportDriver's statuses (SPEC §2.1-§2.3,
 * D17, D26, D27), the copy and MiniportSetOptions, fault injection; NdisMDeregisterMiniportDriver;
 * NdisMSetMiniportAttributes' union, statuses and effects (§2.7, D28); the pause/restart
 * completions; the NDIS side of the state machine (§2.5), which refuses what the table forbids.
 */
import { describe, expect, it } from 'vitest';
import {
  ADAPTER_EVENT_STATES,
  type AdapterEvent,
  canStart,
  LifecycleStateError,
  ntSuccess,
  statusOf,
} from '../../src/engine/lifecycle.js';
import type { AdapterState, MiniportAdapter } from '../../src/engine/objects.js';
import { MiniportDriver } from '../../src/engine/objects.js';
import { DriverObject } from '../../src/host/index.js';
import {
  DISPATCH_LEVEL,
  NDIS_INTERMEDIATE_DRIVER,
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_STATUS_BAD_CHARACTERISTICS,
  NDIS_STATUS_BAD_VERSION,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NdisMDeregisterMiniportDriver,
  NdisMPauseComplete,
  NdisMRegisterMiniportDriver,
  NdisMRestartComplete,
  NdisMSetMiniportAttributes,
  PASSIVE_LEVEL,
} from '../../src/index.js';
import type { NDIS_MINIPORT_DRIVER_CHARACTERISTICS } from '../../src/ndis/types.js';
import { type Sim, sim } from '../harness.js';
import { characteristics, generalAttributes, registrationAttributes } from '../host/driver-kit.js';

const STATES: readonly AdapterState[] = [
  'Halted',
  'Initializing',
  'Paused',
  'Restarting',
  'Running',
  'Pausing',
  'Shutdown',
];

function register(s: Sim, chars: unknown, context: unknown = { ctx: 1 }) {
  const object = new DriverObject('Reg');
  return s.at(
    PASSIVE_LEVEL,
    () => NdisMRegisterMiniportDriver(object, 'path', context, chars as NDIS_MINIPORT_DRIVER_CHARACTERISTICS),
    'DriverEntry',
  );
}

function withChanges(changes: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const c = characteristics() as unknown as Record<string, unknown>;
  return { ...c, ...changes, Header: { ...(c.Header as object), ...header } };
}

describe('NdisMRegisterMiniportDriver', () => {
  const statusCases: [string, unknown, number][] = [
    ['valid characteristics (revision 2, NDIS 6.30)', withChanges({}), NDIS_STATUS_SUCCESS],
    ['not a structure', 42, NDIS_STATUS_BAD_CHARACTERISTICS],
    ['NULL', null, NDIS_STATUS_BAD_CHARACTERISTICS],
    ['no Header', { ...characteristics(), Header: 7 }, NDIS_STATUS_BAD_CHARACTERISTICS],
    ['a wrong Header.Type (D26)', withChanges({}, { Type: 0x8b }), NDIS_STATUS_BAD_CHARACTERISTICS],
    ['MajorNdisVersion 5', withChanges({ MajorNdisVersion: 5 }), NDIS_STATUS_BAD_VERSION],
    [
      'MinorNdisVersion 2 (not in the header list)',
      withChanges({ MinorNdisVersion: 2 }),
      NDIS_STATUS_BAD_VERSION,
    ],
    ['MinorNdisVersion 87 (header list, D27)', withChanges({ MinorNdisVersion: 87 }), NDIS_STATUS_SUCCESS],
    ['MinorNdisVersion 1 with revision 2 (D27)', withChanges({ MinorNdisVersion: 1 }), NDIS_STATUS_SUCCESS],
    ['revision 2 for NDIS 6.0 (D26)', withChanges({ MinorNdisVersion: 0 }), NDIS_STATUS_BAD_VERSION],
    ['revision 3 for NDIS 6.60 (D26)', withChanges({}, { Revision: 3, Size: 160 }), NDIS_STATUS_BAD_VERSION],
    [
      'revision 3 for NDIS 6.80',
      withChanges({ MinorNdisVersion: 80 }, { Revision: 3, Size: 160 }),
      NDIS_STATUS_SUCCESS,
    ],
    ['revision 4', withChanges({}, { Revision: 4, Size: 200 }), NDIS_STATUS_BAD_VERSION],
    ['revision 1 with its size', withChanges({}, { Revision: 1, Size: 136 }), NDIS_STATUS_SUCCESS],
    [
      'a Size below the revision (D17)',
      withChanges({}, { Revision: 1, Size: 135 }),
      NDIS_STATUS_BAD_CHARACTERISTICS,
    ],
    ['a Size above the revision (sizeof, D17)', withChanges({}, { Size: 160 }), NDIS_STATUS_SUCCESS],
    ['a missing required handler', withChanges({ PauseHandler: null }), NDIS_STATUS_BAD_CHARACTERISTICS],
    [
      'a handler that is not a function',
      withChanges({ HaltHandlerEx: 'halt' }),
      NDIS_STATUS_BAD_CHARACTERISTICS,
    ],
    [
      'CheckForHangHandlerEx without ResetHandlerEx',
      withChanges({ CheckForHangHandlerEx: () => false }),
      NDIS_STATUS_BAD_CHARACTERISTICS,
    ],
    [
      'CheckForHangHandlerEx with ResetHandlerEx',
      withChanges({ CheckForHangHandlerEx: () => false, ResetHandlerEx: () => 0 }),
      NDIS_STATUS_SUCCESS,
    ],
    [
      'one direct-OID handler',
      withChanges({ DirectOidRequestHandler: () => 0 }),
      NDIS_STATUS_BAD_CHARACTERISTICS,
    ],
    [
      'both direct-OID handlers',
      withChanges({ DirectOidRequestHandler: () => 0, CancelDirectOidRequestHandler: () => 0 }),
      NDIS_STATUS_SUCCESS,
    ],
    [
      'one direct-OID handler beyond a revision-1 structure (not read)',
      withChanges({ DirectOidRequestHandler: () => 0 }, { Revision: 1, Size: 136 }),
      NDIS_STATUS_SUCCESS,
    ],
  ];
  it.each(statusCases)('%s', (_, chars, status) => {
    const s = sim();
    const result = register(s, chars);
    expect(result.Status).toBe(status);
    if (status === NDIS_STATUS_SUCCESS) {
      expect(result.NdisMiniportDriverHandle).toBeInstanceOf(MiniportDriver);
      expect(s.engine.violations).toEqual([]);
    } else {
      expect(result.NdisMiniportDriverHandle).toBeNull();
      expect(s.findings('NdisMRegisterMiniportDriver_Characteristics')).toHaveLength(1);
    }
  });

  it('records every missing handler in one finding', () => {
    const s = sim();
    register(s, withChanges({ PauseHandler: null, RestartHandler: undefined, OidRequestHandler: null }));
    const [finding] = s.findings('NdisMRegisterMiniportDriver_Characteristics');
    expect(finding.args).toEqual({ PauseHandler: 'NULL', RestartHandler: 'NULL', OidRequestHandler: 'NULL' });
  });

  it('accepts an intermediate driver with CheckForHangHandlerEx but records it', () => {
    const s = sim();
    const chars = withChanges({
      Flags: NDIS_INTERMEDIATE_DRIVER,
      CheckForHangHandlerEx: () => false,
      ResetHandlerEx: () => 0,
    });
    expect(register(s, chars).Status).toBe(NDIS_STATUS_SUCCESS);
    expect(s.findings('NdisMRegisterMiniportDriver_Characteristics')[0].message).toContain(
      'intermediate driver',
    );
  });

  it('copies the characteristics: later changes by the driver have no effect', () => {
    const s = sim();
    const chars = characteristics();
    const pause = chars.PauseHandler;
    const { NdisMiniportDriverHandle } = register(s, chars);
    chars.PauseHandler = () => NDIS_STATUS_FAILURE;
    const driver = NdisMiniportDriverHandle as MiniportDriver;
    expect(driver.characteristics?.PauseHandler).toBe(pause);
    expect(Object.isFrozen(driver.characteristics)).toBe(true);
    expect(driver.registered).toBe(true);
    expect(driver.name).toBe('Reg');
    expect(driver.context).toEqual({ ctx: 1 });
  });

  it('calls MiniportSetOptions within the call, at PASSIVE_LEVEL, with the driver handle and context', () => {
    const s = sim();
    const seen: unknown[] = [];
    const chars = characteristics();
    chars.SetOptionsHandler = (handle, context) => {
      seen.push(handle, context, s.engine.context.irql, s.engine.context.callback);
      return NDIS_STATUS_SUCCESS;
    };
    const context = { mine: true };
    const { NdisMiniportDriverHandle } = register(s, chars, context);
    expect(seen).toEqual([NdisMiniportDriverHandle, context, PASSIVE_LEVEL, 'MiniportSetOptions']);
  });

  it.each([
    [NDIS_STATUS_RESOURCES, NDIS_STATUS_RESOURCES],
    [0xc0000022, 0xc0000022],
    [-0x3fffff66, NDIS_STATUS_RESOURCES],
    [undefined, NDIS_STATUS_FAILURE],
    // Not failures, not SUCCESS: the registration fails with FAILURE rather than returning them.
    [NDIS_STATUS_PENDING, NDIS_STATUS_FAILURE],
    [1, NDIS_STATUS_FAILURE],
    [0x40000000, NDIS_STATUS_FAILURE],
    [0.5, NDIS_STATUS_FAILURE],
  ])('propagates a MiniportSetOptions failure %s as %s; the handle is NULL and dead', (returned, status) => {
    const s = sim();
    let handle: unknown = null;
    const chars = characteristics();
    chars.SetOptionsHandler = (h) => {
      handle = h;
      return returned as number;
    };
    const result = register(s, chars);
    expect(result).toEqual({ Status: status, NdisMiniportDriverHandle: null });
    expect((handle as MiniportDriver).live).toBe(false);
  });

  it('fails with NDIS_STATUS_RESOURCES when the fault hook fails it (one resource-allocating call)', () => {
    const seen: string[] = [];
    const s = sim({
      faults: (request) => {
        seen.push(`${request.ddi} #${request.ordinal}`);
        return true;
      },
    });
    expect(register(s, characteristics())).toEqual({
      Status: NDIS_STATUS_RESOURCES,
      NdisMiniportDriverHandle: null,
    });
    expect(seen).toEqual(['NdisMRegisterMiniportDriver #1']);
    expect(s.engine.violations).toEqual([]);
  });

  it('announces itself to the IRQL rules (PASSIVE_LEVEL only)', () => {
    const s = sim();
    const result = s.at(DISPATCH_LEVEL, () =>
      NdisMRegisterMiniportDriver(new DriverObject('X'), 'p', null, characteristics()),
    );
    expect(result.Status).toBe(NDIS_STATUS_SUCCESS);
    expect(s.engine.violations.map((v) => [v.rule, v.ddi])).toEqual([
      ['Irql_Miniport_Driver_Function', 'NdisMRegisterMiniportDriver'],
    ]);
  });
});

describe('NdisMDeregisterMiniportDriver', () => {
  it('deregisters: the handle is stale afterwards (a second call is Ndis_InvalidHandle)', () => {
    const s = sim();
    const { NdisMiniportDriverHandle } = register(s, characteristics());
    s.at(
      PASSIVE_LEVEL,
      () => NdisMDeregisterMiniportDriver(NdisMiniportDriverHandle),
      'MiniportDriverUnload',
    );
    const driver = NdisMiniportDriverHandle as MiniportDriver;
    expect(driver.registered).toBe(false);
    expect(driver.live).toBe(false);
    expect(s.engine.violations).toEqual([]);
    s.at(
      PASSIVE_LEVEL,
      () => NdisMDeregisterMiniportDriver(NdisMiniportDriverHandle),
      'MiniportDriverUnload',
    );
    const [finding] = s.findings('Ndis_InvalidHandle');
    expect(finding.message).toContain('is gone');
    expect(finding.args).toEqual({ NdisMiniportDriverHandle: 'Reg' });
  });

  it.each([
    ['a forged handle', { name: 'forged' }],
    ['a number', 0x1234],
    ['NULL', null],
  ])('%s is Ndis_InvalidHandle and does nothing', (_, handle) => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisMDeregisterMiniportDriver(handle as object), 'MiniportDriverUnload');
    expect(s.findings('Ndis_InvalidHandle')).toHaveLength(1);
  });

  it('an adapter handle is not a driver handle', () => {
    const s = sim();
    s.at(PASSIVE_LEVEL, () => NdisMDeregisterMiniportDriver(s.adapter), 'MiniportDriverUnload');
    const [finding] = s.findings('Ndis_InvalidHandle');
    expect(finding.message).toContain('is not a miniport driver handle');
    expect(s.adapter.live).toBe(true);
  });
});

describe('NdisMSetMiniportAttributes', () => {
  function initializing(s: Sim): MiniportAdapter {
    s.engine.lifecycle.initializeBegin(s.adapter);
    return s.adapter;
  }
  function set(s: Sim, attributes: unknown): number {
    return s.at(
      PASSIVE_LEVEL,
      () => NdisMSetMiniportAttributes(s.adapter, attributes as never),
      'MiniportInitializeEx',
    );
  }

  it('registration attributes set the adapter context and flags; general attributes are recorded', () => {
    const s = sim();
    initializing(s);
    const context = { adapter: 1 };
    expect(set(s, registrationAttributes(context))).toBe(NDIS_STATUS_SUCCESS);
    expect(s.adapter.context).toBe(context);
    expect(s.adapter.attributeFlags & NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER).not.toBe(0);
    expect(s.adapter.registrationAttributesSet).toBe(true);
    expect(set(s, generalAttributes())).toBe(NDIS_STATUS_SUCCESS);
    expect(s.adapter.generalAttributesSet).toBe(true);
    expect(s.engine.violations).toEqual([]);
  });

  const header = (Type: number, Revision: number, Size: number) => ({ Header: { Type, Revision, Size } });
  const cases: [string, unknown, number][] = [
    ['registration revision 1', header(0x9e, 1, 28), NDIS_STATUS_SUCCESS],
    ['registration revision 2 (sizeof 32)', header(0x9e, 2, 32), NDIS_STATUS_SUCCESS],
    ['registration revision 3', header(0x9e, 3, 32), NDIS_STATUS_BAD_VERSION],
    ['registration Size 27', header(0x9e, 1, 27), NDIS_STATUS_BAD_VERSION],
    ['general revision 1', header(0x9f, 1, 216), NDIS_STATUS_SUCCESS],
    ['general revision 2 with the revision-1 size', header(0x9f, 2, 216), NDIS_STATUS_BAD_VERSION],
    ['hardware assist revision 4 (D28)', header(0xaf, 4, 96), NDIS_STATUS_SUCCESS],
    ['hardware assist revision 5', header(0xaf, 5, 96), NDIS_STATUS_BAD_VERSION],
    ['offload attributes (plausible header)', header(0xa0, 1, 40), NDIS_STATUS_SUCCESS],
    ['offload attributes of header size only', header(0xa0, 1, 4), NDIS_STATUS_BAD_VERSION],
    ['an unknown Type', header(0x42, 1, 64), NDIS_STATUS_BAD_VERSION],
    ['not a structure', 'attributes', NDIS_STATUS_BAD_VERSION],
    ['a Header that is not one', { Header: null }, NDIS_STATUS_BAD_VERSION],
  ];
  it.each(cases)('%s', (_, attributes, status) => {
    const s = sim();
    initializing(s);
    // Registration and general attributes first, so only the header under test can be wrong.
    if ((attributes as { Header?: { Type?: number } })?.Header?.Type !== 0x9e) {
      set(s, registrationAttributes(null));
      if ((attributes as { Header?: { Type?: number } })?.Header?.Type !== 0x9f) set(s, generalAttributes());
    }
    expect(set(s, attributes)).toBe(status);
    expect(s.findings('NdisMSetMiniportAttributes_Header')).toHaveLength(
      status === NDIS_STATUS_SUCCESS ? 0 : 1,
    );
  });

  it('refuses a revision newer than the NDIS version the driver registered (D28)', () => {
    const s = sim();
    const chars = characteristics(20);
    const { NdisMiniportDriverHandle } = register(s, chars);
    const adapter = s.engine.createAdapter(NdisMiniportDriverHandle as MiniportDriver, 'nic');
    s.engine.lifecycle.initializeBegin(adapter);
    const status = s.at(
      PASSIVE_LEVEL,
      () =>
        NdisMSetMiniportAttributes(adapter, {
          ...registrationAttributes(null),
          Header: { Type: 0x9e, Revision: 2, Size: 28 },
        }),
      'MiniportInitializeEx',
    );
    expect(status).toBe(NDIS_STATUS_BAD_VERSION);
    expect(adapter.registrationAttributesSet).toBe(false);
    expect(s.findings('NdisMSetMiniportAttributes_Header')[0].bugCheck).toBeNull();
  });

  it('a bad handle returns NDIS_STATUS_FAILURE (Ndis_InvalidHandle)', () => {
    const s = sim();
    const status = s.at(
      PASSIVE_LEVEL,
      () => NdisMSetMiniportAttributes(s.driver, generalAttributes()),
      'MiniportInitializeEx',
    );
    expect(status).toBe(NDIS_STATUS_FAILURE);
    expect(s.findings('Ndis_InvalidHandle')[0].args).toEqual({
      NdisMiniportHandle: 'TestDriver',
      MiniportAttributes: '<object that is not an NDIS handle>',
    });
  });
});

describe('pause and restart completions', () => {
  function running(s: Sim): MiniportAdapter {
    const l = s.engine.lifecycle;
    l.initializeBegin(s.adapter);
    s.adapter.registrationAttributesSet = true;
    s.adapter.generalAttributesSet = true;
    expect(l.initializeEnd(s.adapter, NDIS_STATUS_SUCCESS)).toBe('Paused');
    l.restartBegin(s.adapter);
    l.restartEnd(s.adapter, NDIS_STATUS_SUCCESS);
    expect(s.adapter.state).toBe('Running');
    return s.adapter;
  }

  it('NdisMPauseComplete completes a pended pause: Pausing → Paused', () => {
    const s = sim();
    const adapter = running(s);
    s.engine.lifecycle.pauseBegin(adapter);
    s.engine.lifecycle.pauseEnd(adapter, NDIS_STATUS_PENDING);
    expect(adapter.state).toBe('Pausing');
    s.at(DISPATCH_LEVEL, () => NdisMPauseComplete(adapter));
    expect(adapter.state).toBe('Paused');
    expect(s.engine.violations).toEqual([]);
  });

  it.each([
    [NDIS_STATUS_SUCCESS, 'Running'],
    [NDIS_STATUS_RESOURCES, 'Paused'],
    [NDIS_STATUS_FAILURE, 'Paused'],
  ] as const)('NdisMRestartComplete(%s) completes a pended restart: → %s', (status, state) => {
    const s = sim();
    const adapter = running(s);
    s.engine.lifecycle.pauseBegin(adapter);
    s.engine.lifecycle.pauseEnd(adapter, NDIS_STATUS_SUCCESS);
    s.engine.lifecycle.restartBegin(adapter);
    s.engine.lifecycle.restartEnd(adapter, NDIS_STATUS_PENDING);
    s.at(DISPATCH_LEVEL, () => NdisMRestartComplete(adapter, status));
    expect(adapter.state).toBe(state);
    expect(s.engine.violations).toEqual([]);
  });

  it('a restart that returns a failure leaves the adapter Paused', () => {
    const s = sim();
    const adapter = running(s);
    s.engine.lifecycle.pauseBegin(adapter);
    s.engine.lifecycle.pauseEnd(adapter, NDIS_STATUS_SUCCESS);
    s.engine.lifecycle.restartBegin(adapter);
    s.engine.lifecycle.restartEnd(adapter, NDIS_STATUS_RESOURCES);
    expect(adapter.state).toBe('Paused');
  });

  it('a completion with nothing pending changes nothing (0x7C / 0x1F)', () => {
    const s = sim();
    const adapter = running(s);
    s.at(DISPATCH_LEVEL, () => NdisMPauseComplete(adapter));
    s.at(DISPATCH_LEVEL, () => NdisMRestartComplete(adapter, NDIS_STATUS_FAILURE));
    expect(adapter.state).toBe('Running');
    expect(s.findings('NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION')).toHaveLength(2);
  });

  it('a completion at a raised IRQL above DISPATCH_LEVEL is an IRQL finding; it still completes', () => {
    const s = sim();
    const adapter = running(s);
    s.engine.lifecycle.pauseBegin(adapter);
    s.engine.lifecycle.pauseEnd(adapter, NDIS_STATUS_PENDING);
    s.at(3, () => NdisMPauseComplete(adapter));
    expect(adapter.state).toBe('Paused');
    expect(s.engine.violations.map((v) => v.rule)).toEqual(['Irql_Miniport_Driver_Function']);
  });

  it('a bad handle is Ndis_InvalidHandle and completes nothing', () => {
    const s = sim();
    s.at(DISPATCH_LEVEL, () => NdisMPauseComplete({}));
    s.at(DISPATCH_LEVEL, () => NdisMRestartComplete(s.driver, NDIS_STATUS_SUCCESS));
    expect(s.findings('Ndis_InvalidHandle').map((v) => v.ddi)).toEqual([
      'NdisMPauseComplete',
      'NdisMRestartComplete',
    ]);
    expect(s.findings('Ndis_InvalidHandle')[1].args).toEqual({
      MiniportAdapterHandle: 'TestDriver',
      Status: 0,
    });
  });
});

describe('the NDIS side of the state machine (SPEC §2.5)', () => {
  it('the table: each NDIS-initiated event starts only from its documented states', () => {
    const table: Record<AdapterEvent, AdapterState[]> = {
      initialize: ['Halted'],
      restart: ['Paused'],
      pause: ['Running'],
      halt: ['Paused'],
      shutdown: ['Paused', 'Restarting', 'Running', 'Pausing'],
    };
    for (const event of Object.keys(table) as AdapterEvent[]) {
      for (const state of STATES) expect(canStart(state, event)).toBe(table[event].includes(state));
      expect([...ADAPTER_EVENT_STATES[event]]).toEqual(table[event]);
    }
  });

  it('refuses an illegal transition with LifecycleStateError (a caller bug, not a violation)', () => {
    const s = sim();
    const l = s.engine.lifecycle;
    expect(() => l.pauseBegin(s.adapter)).toThrow(LifecycleStateError);
    expect(() => l.restartBegin(s.adapter)).toThrow(
      /cannot start restart on adapter TestAdapter in state Halted/,
    );
    expect(() => l.haltBegin(s.adapter, 0)).toThrow(LifecycleStateError);
    expect(() => l.haltEnd(s.adapter)).toThrow(LifecycleStateError);
    expect(() => l.shutdownBegin(s.adapter)).toThrow(LifecycleStateError);
    expect(() => l.initializeEnd(s.adapter, 0)).toThrow(LifecycleStateError);
    l.initializeBegin(s.adapter);
    expect(() => l.initializeBegin(s.adapter)).toThrow(LifecycleStateError);
    expect(() => l.removeDevice(s.adapter)).toThrow(LifecycleStateError);
    expect(s.engine.violations).toEqual([]);
  });

  it('initialize resets the attributes of a previous initialization', () => {
    const s = sim();
    const l = s.engine.lifecycle;
    l.initializeBegin(s.adapter);
    s.at(
      PASSIVE_LEVEL,
      () => NdisMSetMiniportAttributes(s.adapter, registrationAttributes({ a: 1 })),
      'MiniportInitializeEx',
    );
    expect(l.initializeEnd(s.adapter, NDIS_STATUS_FAILURE)).toBe('Halted');
    l.initializeBegin(s.adapter);
    expect(s.adapter.registrationAttributesSet).toBe(false);
    expect(s.adapter.context).toBeNull();
  });

  it('a removed device cannot be initialized again', () => {
    const s = sim();
    s.engine.lifecycle.removeDevice(s.adapter);
    expect(() => s.engine.lifecycle.initializeBegin(s.adapter)).toThrow(/removed/);
  });
});

describe('IRQL: every lifecycle DDI announces itself (Irql_Miniport_Driver_Function)', () => {
  const calls: [string, number, (s: Sim) => unknown][] = [
    [
      'NdisMRegisterMiniportDriver',
      DISPATCH_LEVEL,
      () => NdisMRegisterMiniportDriver(new DriverObject('I'), 'p', null, characteristics()),
    ],
    ['NdisMDeregisterMiniportDriver', DISPATCH_LEVEL, (s) => NdisMDeregisterMiniportDriver(s.driver)],
    [
      'NdisMSetMiniportAttributes',
      DISPATCH_LEVEL,
      (s) => NdisMSetMiniportAttributes(s.adapter, generalAttributes()),
    ],
    ['NdisMPauseComplete', 3, (s) => NdisMPauseComplete(s.adapter)],
    ['NdisMRestartComplete', 3, (s) => NdisMRestartComplete(s.adapter, NDIS_STATUS_SUCCESS)],
  ];
  it.each(calls)('%s above its documented IRQL', (ddi, irql, call) => {
    const s = sim();
    s.at(irql, () => call(s), 'MiniportTest');
    const found = s.findings('Irql_Miniport_Driver_Function');
    expect(found.map((v) => [v.ddi, v.irql])).toEqual([[ddi, irql]]);
  });
});

describe('status helpers', () => {
  it('statusOf normalises signed and unsigned 32-bit values and rejects the rest', () => {
    expect(statusOf(-0x3fffff66)).toBe(NDIS_STATUS_RESOURCES);
    expect(statusOf(NDIS_STATUS_RESOURCES)).toBe(NDIS_STATUS_RESOURCES);
    expect(statusOf(2 ** 32)).toBe(-1);
    expect(statusOf(1.5)).toBe(-1);
    expect(statusOf('0')).toBe(-1);
  });

  it('ntSuccess is NT_SUCCESS (severity success or informational)', () => {
    expect(ntSuccess(NDIS_STATUS_SUCCESS)).toBe(true);
    expect(ntSuccess(NDIS_STATUS_PENDING)).toBe(true);
    expect(ntSuccess(NDIS_STATUS_FAILURE)).toBe(false);
    expect(ntSuccess(-1)).toBe(false);
    expect(ntSuccess(undefined)).toBe(false);
  });
});
