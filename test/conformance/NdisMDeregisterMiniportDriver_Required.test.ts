import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate, NdisMDeregisterMiniportDriver } from '../../src/index.js';
import { expectLifecycleFinding, kitDriver } from '../host/driver-kit.js';

const ID = 'NdisMDeregisterMiniportDriver_Required';

afterEach(() => {
  activate(null);
});

describe('NdisMDeregisterMiniportDriver_Required', () => {
  it('breaks: MiniportDriverUnload returns without deregistering (NDIS deregisters it; reported once)', () => {
    const result = new Host(kitDriver({ bugs: ['no-deregister'] }), { driverName: 'Kit' }).run(
      SCENARIOS['full-lifecycle'],
    );
    expect(result.violations.map((v) => v.rule)).toEqual([ID]);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportDriverUnload',
      message: ['MiniportDriverUnload returned without calling NdisMDeregisterMiniportDriver', 'Kit'],
      args: { DriverObject: 'Kit' },
      driver: 'Kit',
      adapter: null,
      bugCheck: null,
    });
  });

  it('breaks: DriverEntry fails after a successful registration without deregistering', () => {
    const result = new Host(kitDriver({ bugs: ['fail-after-register'] }), { driverName: 'Kit' }).run([
      { step: 'load' },
    ]);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'DriverEntry',
      message: ['DriverEntry returned NDIS_STATUS_FAILURE after NdisMRegisterMiniportDriver succeeded'],
      args: { Status: 'NDIS_STATUS_FAILURE' },
      driver: 'Kit',
    });
  });

  it('breaks: deregistering from MiniportHaltEx instead of MiniportDriverUnload', () => {
    const kit = kitDriver({
      overrides: {
        HaltHandlerEx: () => NdisMDeregisterMiniportDriver(kit.state.handle),
      },
    });
    const result = new Host(kit, { driverName: 'Kit' }).run(SCENARIOS['full-lifecycle']);
    const found = result.violations.filter((v) => v.rule === ID);
    expect(found).toHaveLength(1);
    expectLifecycleFinding(found[0], ID, {
      ddi: 'NdisMDeregisterMiniportDriver',
      message: ['called from MiniportHaltEx', 'belongs in MiniportDriverUnload'],
      callback: 'MiniportHaltEx',
    });
    // Unload then deregisters a stale handle.
    expect(result.violations.some((v) => v.rule === 'Ndis_InvalidHandle')).toBe(true);
  });

  it('keeps: deregistering in MiniportDriverUnload, or before a failing DriverEntry returns', () => {
    const full = new Host(kitDriver()).run(SCENARIOS['full-lifecycle']);
    expect(full.violations).toEqual([]);
    const failing = new Host(kitDriver({ bugs: ['fail-after-register-deregistered'] })).run([
      { step: 'load' },
    ]);
    expect(failing.violations).toEqual([]);
  });
});
