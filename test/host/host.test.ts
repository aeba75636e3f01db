/**
 * The host: default scenarios against a correct driver (no findings, under every halt action),
 * drivers with planted bugs (the expected rule ids), the ways a run ends (driver threw, bug check,
 * hung, refused), and what NDIS does around each callback (IRQL, D9, D10, D34, D36, surprise removal,
 * unload). Leak rules fire end to end through the host's lifecycle edges.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkStep,
  HALT_ACTIONS,
  type HaltActionName,
  Host,
  haltScenario,
  runScenario,
  SCENARIOS,
  type Scenario,
} from '../../src/host/index.js';
import {
  activate,
  HIGH_LEVEL,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_SUCCESS,
  NdisDevicePnPEventSurpriseRemoved,
  NdisHaltDeviceInitializationFailed,
  NdisHaltDeviceSurpriseRemoved,
  NdisShutdownBugCheck,
  PASSIVE_LEVEL,
} from '../../src/index.js';
import { type Bug, characteristics, type KitOptions, kitDriver } from './driver-kit.js';

afterEach(() => {
  activate(null);
});

function run(scenario: Scenario, options: KitOptions = {}, host = {}) {
  const driver = kitDriver(options);
  const result = new Host(driver, { driverName: 'Kit', ...host }).run(scenario);
  return { driver, result, rules: result.violations.map((v) => v.rule) };
}

/** Initialize fails at the driver's second allocation (after it allocated its context block). */
const INIT_FAILS_LATE: Scenario = [
  { step: 'load' },
  { step: 'addDevice', name: 'nic0' },
  { step: 'initialize', adapter: 'nic0', failAllocations: [2] },
  { step: 'unload' },
];

const START: Scenario = [
  { step: 'load' },
  { step: 'addDevice', name: 'nic0' },
  { step: 'initialize', adapter: 'nic0' },
  { step: 'restart', adapter: 'nic0' },
];

describe('a correct driver', () => {
  const responses: [string, KitOptions][] = [
    ['completing at once', {}],
    ['pending its pauses and restarts', { pause: () => 'PENDING', restart: () => 'PENDING' }],
  ];
  for (const [how, options] of responses) {
    it.each(Object.keys(SCENARIOS))(`keeps every rule in scenario %s (${how})`, (name) => {
      const { result } = run(SCENARIOS[name], options);
      expect(result.error).toBeNull();
      expect(result.outcome).toBe('completed');
      expect(result.violations.map((v) => `${v.rule}: ${v.message}`)).toEqual([]);
    });
  }

  it.each(Object.keys(HALT_ACTIONS) as HaltActionName[])('is halted with %s without findings', (action) => {
    const { result, driver } = run(haltScenario(action));
    expect(result.violations).toEqual([]);
    expect(driver.state.calls).toContain('MiniportHaltEx nic0');
    const halt = result.steps.flatMap((s) => s.calls).find((c) => c.callback === 'MiniportHaltEx');
    expect(halt?.irql).toBe(PASSIVE_LEVEL);
  });

  it('lets the scenario list of the module extend the defaults', () => {
    const own: Scenario = [{ step: 'load' }, { step: 'unload' }];
    const host = new Host({ ...kitDriver(), scenarios: { mine: own } });
    expect(host.scenarios.mine).toBe(own);
    expect(host.scenarios['full-lifecycle']).toBe(SCENARIOS['full-lifecycle']);
    expect(host.run(host.scenarios.mine).outcome).toBe('completed');
  });

  it('gives a JSON-serialisable result with the step log, the calls and their IRQLs', () => {
    const { result } = run(SCENARIOS['full-lifecycle']);
    const copy = JSON.parse(JSON.stringify(result));
    expect(copy.outcome).toBe('completed');
    expect(copy.adapters).toEqual({ nic0: 'Halted' });
    expect(result.steps.map((s) => s.outcome)).toEqual(result.steps.map(() => 'ok'));
    const calls = result.steps.flatMap((s) => s.calls.map((c) => c.callback));
    expect(calls).toEqual([
      'DriverEntry',
      'MiniportInitializeEx',
      'MiniportRestart',
      'MiniportPause',
      'MiniportRestart',
      'MiniportPause',
      'MiniportHaltEx',
      'MiniportDriverUnload',
    ]);
    expect(result.steps.flatMap((s) => s.calls).every((c) => c.irql === PASSIVE_LEVEL)).toBe(true);
    expect(result.timeMs).toBe(110);
    expect(Object.isFrozen(result)).toBe(true);
  });
});

describe('planted bugs produce their rules', () => {
  const cases: [Bug, Scenario, string[]][] = [
    // Reported once, at the halt that leaked it; not again at unload.
    ['leak-in-halt', SCENARIOS['full-lifecycle'], ['Leak_PoolMemory']],
    ['leak-driver-block', SCENARIOS['full-lifecycle'], ['Leak_PoolMemory']],
    ['no-deregister', SCENARIOS['full-lifecycle'], ['NdisMDeregisterMiniportDriver_Required']],
    ['fail-after-register', [{ step: 'load' }], ['NdisMDeregisterMiniportDriver_Required']],
    ['fail-after-register-deregistered', [{ step: 'load' }], []],
    ['no-general-attributes', START, ['MiniportInitializeEx_Attributes']],
    ['general-first', SCENARIOS['full-lifecycle'], ['NdisMSetMiniportAttributes_Order']],
  ];
  it.each(cases)('%s', (bug, scenario, expected) => {
    const { result, rules } = run(scenario, { bugs: [bug] });
    expect(rules).toEqual(expected);
    expect(['completed', 'refused']).toContain(result.outcome);
  });

  it('leak-on-init-failure: Leak_PoolMemory at the failed MiniportInitializeEx', () => {
    const { result } = run(INIT_FAILS_LATE, { bugs: ['leak-on-init-failure'] });
    const leaks = result.violations.filter((v) => v.rule === 'Leak_PoolMemory');
    expect(leaks[0].message).toContain('MiniportInitializeEx returned a failure');
    expect(leaks[0].adapter).toBe('nic0');
    expect(leaks[0].allocationSite.join('\n')).toContain('driver-kit.ts');
  });

  it('complete-twice: 0x7C / 0x1F for the second completion', () => {
    const { rules } = run(SCENARIOS['full-lifecycle'], {
      bugs: ['complete-twice'],
      pause: () => 'PENDING',
      restart: () => 'PENDING',
    });
    expect(new Set(rules)).toEqual(new Set(['NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION']));
    expect(rules).toHaveLength(4);
  });

  it('a pause returning FAILURE breaks MiniportPause_Return and still completes the pause', () => {
    const { result, rules } = run(SCENARIOS['full-lifecycle'], { pause: () => 'FAILURE' });
    expect(rules).toEqual(['MiniportPause_Return', 'MiniportPause_Return']);
    expect(result.outcome).toBe('completed');
  });
});

describe('leak rules fire through the host edges', () => {
  it('haltReturned, initializeFailed and driverUnload each report Leak_PoolMemory', () => {
    const edges = (bugs: Bug[], scenario: Scenario) =>
      run(scenario, { bugs })
        .result.violations.filter((v) => v.rule === 'Leak_PoolMemory')
        .map((v) => v.message);
    expect(edges(['leak-in-halt'], haltScenario('NdisHaltDeviceStopped'))[0]).toContain(
      'MiniportHaltEx returned',
    );
    expect(edges(['leak-on-init-failure'], INIT_FAILS_LATE)[0]).toContain(
      'MiniportInitializeEx returned a failure',
    );
    expect(edges(['leak-driver-block'], SCENARIOS['full-lifecycle'])).toEqual([
      expect.stringContaining('the driver unloaded'),
    ]);
  });

  it('none for an adapter that ended in Shutdown (D9)', () => {
    const { result } = run(SCENARIOS['shutdown-power-off'], { bugs: ['leak-in-halt', 'leak-driver-block'] });
    expect(result.violations).toEqual([]);
    expect(result.adapters.nic0).toBe('Shutdown');
  });

  it('a DriverEntry that fails after allocating is unloaded with its leaks reported', () => {
    const { rules, result } = run([{ step: 'load' }], {
      bugs: ['fail-after-register-deregistered', 'leak-driver-block'],
    });
    expect(rules).toEqual(['Leak_PoolMemory']);
    expect(result.violations[0].message).toContain('the driver unloaded');
    expect(result.violations[0].bugCheck?.parameters[0]).toBe(0x60);
  });
});

describe('what NDIS does around the callbacks', () => {
  it('D10: halting a Running adapter pauses it first', () => {
    const { result } = run([...START, { step: 'halt', adapter: 'nic0' }]);
    const calls = result.steps[4].calls;
    expect(calls.map((c) => c.callback)).toEqual(['MiniportPause', 'MiniportHaltEx']);
    expect(calls[0].reason).toContain('D10');
  });

  it('D36: success without general attributes is followed by MiniportHaltEx(NdisHaltDeviceInitializationFailed)', () => {
    const actions: number[] = [];
    const { result } = run(START, {
      bugs: ['no-general-attributes'],
      overrides: { HaltHandlerEx: (_: unknown, action: number) => actions.push(action) },
    });
    expect(actions).toEqual([NdisHaltDeviceInitializationFailed]);
    expect(result.steps[2].calls.map((c) => c.callback)).toEqual(['MiniportInitializeEx', 'MiniportHaltEx']);
    expect(result.adapters.nic0).toBe('Halted');
    // The device stays: it can be initialized again, so the restart step is refused, not the device.
    expect(result.outcome).toBe('refused');
    expect(result.error?.message).toContain('is Halted');
  });

  it('surprise removal: MiniportDevicePnPEventNotify, pause, halt with NdisHaltDeviceSurpriseRemoved; the device is gone', () => {
    const events: unknown[] = [];
    const kit = kitDriver({
      overrides: {
        DevicePnPEventNotifyHandler: (_: unknown, event: unknown) => events.push(event),
      },
    });
    const host = new Host(kit);
    host.run([...START]);
    const adapter = host.adapter('nic0');
    const record = host.step({ step: 'surpriseRemove', adapter: 'nic0' });
    expect(record.calls.map((c) => [c.callback, c.irql])).toEqual([
      ['MiniportDevicePnPEventNotify', PASSIVE_LEVEL],
      ['MiniportPause', PASSIVE_LEVEL],
      ['MiniportHaltEx', PASSIVE_LEVEL],
    ]);
    expect(events).toEqual([
      {
        Header: { Type: 0x80, Revision: 1, Size: 44 },
        PortNumber: 0,
        DevicePnPEvent: NdisDevicePnPEventSurpriseRemoved,
        InformationBuffer: null,
        InformationBufferLength: 0,
      },
    ]);
    expect(adapter?.surpriseRemoved).toBe(true);
    expect(adapter?.live).toBe(false);
    expect(adapter?.haltAction).toBe(NdisHaltDeviceSurpriseRemoved);
    expect(host.step({ step: 'restart', adapter: 'nic0' }).message).toBe('device nic0 was removed');
    expect(host.result().violations).toEqual([]);
  });

  it('surprise removal of a device that was never initialized calls nothing', () => {
    const host = new Host(kitDriver());
    host.run([{ step: 'load' }, { step: 'addDevice', name: 'nic0' }]);
    const record = host.step({ step: 'surpriseRemove', adapter: 'nic0' });
    expect(record.calls).toEqual([]);
    expect(host.adapter('nic0')?.live).toBe(false);
    expect(host.step({ step: 'addDevice', name: 'nic0' }).outcome).toBe('ok');
  });

  it('shutdown: PowerOff at PASSIVE_LEVEL, BugCheck at HIGH_LEVEL; nothing is called afterwards', () => {
    const power = run(SCENARIOS['shutdown-power-off']);
    const bug = run(SCENARIOS['shutdown-bug-check']);
    const last = (r: typeof power) => r.result.steps[r.result.steps.length - 1].calls;
    expect(last(power).map((c) => [c.callback, c.irql])).toEqual([['MiniportShutdownEx', PASSIVE_LEVEL]]);
    expect(last(bug).map((c) => [c.callback, c.irql])).toEqual([['MiniportShutdownEx', HIGH_LEVEL]]);
    expect(bug.driver.state.calls.at(-1)).toBe(`MiniportShutdownEx nic0 ${NdisShutdownBugCheck}`);
    const after = new Host(kitDriver());
    after.run(SCENARIOS['shutdown-power-off']);
    for (const step of [{ step: 'unload' }, { step: 'advance', ms: 1 }, { step: 'shutdown' }]) {
      const record = after.step(step);
      expect(record.outcome).toBe('refused');
      expect(record.calls).toEqual([]);
    }
  });

  it('from NDIS 6.30 a bug-check shutdown reaches only adapters with REGISTER_BUGCHECK_CALLBACK', () => {
    const shutdowns = (options: KitOptions) =>
      run(SCENARIOS['shutdown-bug-check'], options).driver.state.calls.filter((c) =>
        c.startsWith('MiniportShutdownEx'),
      );
    expect(shutdowns({ minor: 30 })).toHaveLength(1);
    expect(shutdowns({ minor: 30, bugCheckCallback: false })).toEqual([]);
    expect(shutdowns({ minor: 20 })).toHaveLength(1);
  });

  it('D34: shutdown skips Halted adapters and may reach a Pausing one', () => {
    const kit = kitDriver({ pause: () => 'PENDING', bugs: ['never-complete'] });
    const host = new Host(kit);
    host.run([
      ...START,
      { step: 'addDevice', name: 'nic1' },
      { step: 'pause', adapter: 'nic0', wait: false },
      { step: 'shutdown' },
    ]);
    expect(host.result().adapters).toEqual({ nic0: 'Shutdown', nic1: 'Halted' });
    expect(host.result().violations).toEqual([]);
  });

  it('unload removes every device first (halting initialized adapters), then MiniportDriverUnload', () => {
    const { result } = run([
      ...START,
      { step: 'addDevice', name: 'nic1' },
      { step: 'addDevice', name: 'nic2' },
      { step: 'initialize', adapter: 'nic1' },
      { step: 'unload' },
    ]);
    const calls = result.steps.at(-1)?.calls ?? [];
    expect(calls.map((c) => `${c.callback} ${c.adapter}`)).toEqual([
      'MiniportPause nic0',
      'MiniportHaltEx nic0',
      'MiniportHaltEx nic1',
      'MiniportDriverUnload null',
    ]);
    expect(calls[1].reason).toContain('removes every device');
    expect(result.violations).toEqual([]);
  });

  it('the driver can be loaded again after unload', () => {
    const { result } = run([...SCENARIOS['full-lifecycle'], ...SCENARIOS['full-lifecycle']]);
    expect(result.outcome).toBe('completed');
    expect(result.violations).toEqual([]);
  });

  it('a failed initialize leaves the adapter Halted and it can be initialized again', () => {
    const { result } = run(SCENARIOS['initialize-failure']);
    expect(result.steps[2].calls[0].status).not.toBe(NDIS_STATUS_SUCCESS);
    expect(result.steps[2].adapters.nic0).toBe('Halted');
    expect(result.steps[3].adapters.nic0).toBe('Paused');
  });

  it('the knob can fail one allocation: the second allocation of initialize', () => {
    const { result } = run(INIT_FAILS_LATE);
    expect(result.steps[2].adapters.nic0).toBe('Halted');
    expect(result.violations).toEqual([]);
  });

  it('a failing registration (injected) makes DriverEntry fail; nothing more can be done', () => {
    const { result, driver } = run([
      { step: 'load', failAllocations: [1] },
      { step: 'addDevice', name: 'nic0' },
    ]);
    expect(driver.state.handle).toBeNull();
    expect(result.outcome).toBe('refused');
    expect(result.error?.message).toBe('no driver is loaded');
  });

  it('passes the init parameters NDIS fills (header 0x81/1/64, IfIndex, NetLuid, default port states)', () => {
    let seen: Record<string, unknown> = {};
    const c = characteristics();
    run(START.slice(0, 3), {
      overrides: {
        InitializeHandlerEx: (_handle: object, context: unknown, parameters: Record<string, unknown>) => {
          seen = { ...parameters, context };
          return (c.InitializeHandlerEx as () => number)();
        },
      },
    });
    expect(seen.Header).toEqual({ Type: 0x81, Revision: 1, Size: 64 });
    expect(seen.IfIndex).toBe(11);
    expect(seen.NetLuid).toBe(6 * 2 ** 48 + 2 ** 24);
    expect(seen.context).toEqual({ name: 'kit' });
    expect((seen.DefaultPortAuthStates as { Header: unknown }).Header).toEqual({
      Type: 0x80,
      Revision: 1,
      Size: 20,
    });
  });
});

describe('how a run ends', () => {
  it('driver-threw: the error, the callback it came from, the adapter; everything recorded so far kept', () => {
    const { result } = run(SCENARIOS['full-lifecycle'], { bugs: ['throw-in-restart', 'leak-in-halt'] });
    expect(result.outcome).toBe('driver-threw');
    expect(result.error).toMatchObject({
      kind: 'driver-threw',
      callback: 'MiniportRestart',
      adapter: 'nic0',
      name: 'Error',
      step: 3,
    });
    expect(result.error?.message).toContain('restart exploded');
    expect(result.error?.stack.join('\n')).toContain('driver-kit.ts');
    expect(result.steps.at(-1)?.outcome).toBe('ended');
    expect(result.adapters.nic0).toBe('Restarting');
    expect(result.steps).toHaveLength(4);
  });

  it('a throw inside a DPC is charged to the DPC callback', () => {
    const kit = kitDriver({ pause: () => 'PENDING' });
    const host = new Host(kit);
    host.run(START);
    const adapter = host.adapter('nic0');
    const engine = host.engine;
    engine.scheduler.queueDpc(() =>
      engine.invoke('MiniportInterruptDPC', adapter?.driver ?? null, adapter ?? null, 2, () => {
        throw new TypeError('bad pointer');
      }),
    );
    const record = host.step({ step: 'advance', ms: 1 });
    expect(record.outcome).toBe('ended');
    expect(host.result().error).toMatchObject({
      kind: 'driver-threw',
      callback: 'MiniportInterruptDPC',
      name: 'TypeError',
    });
    expect(engine.context.depth).toBe(0);
  });

  it('bugcheck: a violation under the bug-check policy stops the run with the bug check', () => {
    const { result } = run(
      SCENARIOS['full-lifecycle'],
      { bugs: ['complete-twice'], pause: () => 'PENDING' },
      { policy: 'bugcheck' },
    );
    expect(result.outcome).toBe('bugcheck');
    expect(result.error?.bugCheck).toEqual({
      code: 0x7c,
      name: 'BUGCODE_NDIS_DRIVER',
      parameters: [0x1f, 0, 1, 0],
    });
    expect(result.error?.callback).toBe('MiniportInterruptDPC');
    expect(result.violations.map((v) => v.rule)).toEqual(['NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION']);
  });

  it('hung: a pended pause that never completes, with the watchdog finding (0x7C / 0x25)', () => {
    const { result } = run(SCENARIOS['full-lifecycle'], { pause: () => 'PENDING', bugs: ['never-complete'] });
    expect(result.outcome).toBe('hung');
    expect(result.error).toMatchObject({ kind: 'hung', callback: 'MiniportPause', adapter: 'nic0' });
    const [finding] = result.violations;
    expect(finding.rule).toBe('NDIS_BUGCHECK_WATCHDOG');
    expect(finding.bugCheck?.parameters).toEqual([0x25, 0x21, 0, 0]);
    expect(result.adapters.nic0).toBe('Pausing');
    expect(result.timeMs).toBe(110 + 30_000);
  });

  it('hung: a pended restart that never completes (no documented watchdog code)', () => {
    const { result } = run(
      START,
      { restart: () => 'PENDING', bugs: ['never-complete'] },
      { pendingTimeoutMs: 50 },
    );
    expect(result.outcome).toBe('hung');
    expect(result.violations[0].bugCheck).toBeNull();
    expect(result.violations[0].message).toContain('within 50 ms');
  });

  it('hung: an operation left pending at the end of the scenario must still complete', () => {
    const pending = run([...START, { step: 'pause', adapter: 'nic0', wait: false }], {
      pause: () => 'PENDING',
      bugs: ['never-complete'],
    });
    expect(pending.result.outcome).toBe('hung');
    const completes = run([...START, { step: 'pause', adapter: 'nic0', wait: false }], {
      pause: () => 'PENDING',
    });
    expect(completes.result.outcome).toBe('completed');
    expect(completes.result.adapters.nic0).toBe('Paused');
  });

  it('hung: the scheduler step limit (work requeueing itself forever)', () => {
    const host = new Host(kitDriver());
    host.run(START);
    const scheduler = host.engine.scheduler;
    const forever = () => scheduler.queuePassive(forever);
    scheduler.queuePassive(forever);
    const record = host.step({ step: 'advance', ms: 1 });
    expect(record.outcome).toBe('ended');
    expect(host.result().error).toMatchObject({ kind: 'hung', callback: null });
    expect(host.result().error?.message).toContain('step limit');
  }, 60_000);

  it('refused: an illegal step is refused with a reason, nothing is called, and no violation is recorded', () => {
    const host = new Host(kitDriver());
    const refusals = [
      host.step({ step: 'restart', adapter: 'nic0' }),
      host.step({ step: 'addDevice', name: 'nic0' }),
      host.step({ step: 'unload' }),
    ];
    expect(refusals.map((r) => r.message)).toEqual([
      'no device named nic0',
      'no driver is loaded',
      'no driver is loaded',
    ]);
    host.run(START);
    expect(host.step({ step: 'restart', adapter: 'nic0' }).message).toBe(
      'adapter nic0 is Running: NDIS calls MiniportRestart only for an adapter that is Paused',
    );
    expect(host.step({ step: 'initialize', adapter: 'nic0' }).message).toContain(
      'only for an adapter that is Halted',
    );
    expect(host.step({ step: 'load' }).message).toBe('the driver is already loaded');
    expect(host.step({ step: 'addDevice', name: 'nic0' }).message).toBe(
      'a device named nic0 is already present',
    );
    expect(host.result().violations).toEqual([]);
    expect(host.result().outcome).toBe('completed');
  });

  it('refused: run() stops at the first refused step', () => {
    const result = runScenario(kitDriver(), [
      { step: 'load' },
      { step: 'pause', adapter: 'nic9' },
      { step: 'unload' },
    ]);
    expect(result.outcome).toBe('refused');
    expect(result.error).toMatchObject({ kind: 'refused', step: 1, message: 'no device named nic9' });
    expect(result.steps).toHaveLength(2);
  });

  it('refused: malformed steps and scenarios', () => {
    expect(checkStep(null)).toContain('object');
    expect(checkStep({ step: 'dance' })).toContain('unknown step "dance"');
    expect(checkStep({ step: 'halt', adapter: 'nic0', action: 'NdisHaltDeviceBored' })).toContain('"action"');
    expect(checkStep({ step: 'advance', ms: -1 })).toContain('"ms"');
    expect(checkStep({ step: 'addDevice', name: 'x', addressBits: 48 })).toContain('32 or 64');
    expect(checkStep({ step: 'initialize', adapter: 'nic0', failAllocations: [0] })).toContain(
      'failAllocations',
    );
    expect(checkStep({ step: 'pause' })).toContain('"adapter"');
    expect(runScenario(kitDriver(), 'load' as never).outcome).toBe('refused');
    expect(runScenario({}, [{ step: 'load' }]).error?.message).toBe(
      'the driver module exports no DriverEntry function',
    );
  });

  it('internal-error: something thrown outside driver code', () => {
    const host = new Host(kitDriver());
    host.run(START.slice(0, 2));
    host.engine.lifecycle.initializeBegin = () => {
      throw new RangeError('engine bug');
    };
    host.step({ step: 'initialize', adapter: 'nic0' });
    expect(host.result().error).toMatchObject({ kind: 'internal-error', callback: null, name: 'RangeError' });
  });

  it('the status each callback returns is logged', () => {
    const { result } = run(START, { restart: () => 'PENDING' });
    expect(result.steps[3].calls[0]).toEqual({
      callback: 'MiniportRestart',
      adapter: 'nic0',
      irql: PASSIVE_LEVEL,
      status: NDIS_STATUS_PENDING,
      reason: null,
    });
    expect(result.steps[2].calls[0].status).toBe(NDIS_STATUS_SUCCESS);
  });
});
