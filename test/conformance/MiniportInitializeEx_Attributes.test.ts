import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate, NDIS_STATUS_SUCCESS, NdisHaltDeviceInitializationFailed } from '../../src/index.js';
import { expectLifecycleFinding, kitDriver } from '../host/driver-kit.js';

const ID = 'MiniportInitializeEx_Attributes';
const INITIALIZE = SCENARIOS['full-lifecycle'].slice(0, 3);

afterEach(() => {
  activate(null);
});

describe('MiniportInitializeEx_Attributes', () => {
  it('breaks: SUCCESS without general attributes — recorded, then MiniportHaltEx(InitializationFailed) (D36)', () => {
    const host = new Host(kitDriver({ bugs: ['no-general-attributes'] }), { driverName: 'Kit' });
    const result = host.run(INITIALIZE);
    expect(result.violations.map((v) => v.rule)).toEqual([ID]);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportInitializeEx',
      message: ['without setting general attributes', 'NdisHaltDeviceInitializationFailed'],
      args: { Status: 'NDIS_STATUS_SUCCESS' },
      adapter: 'nic0',
      driver: 'Kit',
      bugCheck: null,
    });
    expect(host.adapter('nic0')?.haltAction).toBe(NdisHaltDeviceInitializationFailed);
    expect(result.adapters.nic0).toBe('Halted');
  });

  it('breaks: SUCCESS without any attributes at all', () => {
    const host = new Host(kitDriver({ overrides: { InitializeHandlerEx: () => NDIS_STATUS_SUCCESS } }));
    const result = host.run(INITIALIZE);
    expect(result.violations[0].message).toContain(
      'without setting registration attributes or general attributes',
    );
  });

  it('keeps: registration and general attributes set before SUCCESS; a failing initialize needs none', () => {
    expect(new Host(kitDriver()).run(INITIALIZE).violations).toEqual([]);
    const failing = new Host(kitDriver()).run([
      ...INITIALIZE.slice(0, 2),
      { step: 'initialize', adapter: 'nic0', failAllocations: 'all' },
    ]);
    expect(failing.violations).toEqual([]);
  });
});
