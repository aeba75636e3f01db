import { afterEach, describe, expect, it } from 'vitest';
import { Host } from '../../src/host/index.js';
import {
  activate,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_ACCEPTED,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
} from '../../src/index.js';
import { expectLifecycleFinding, kitDriver } from '../host/driver-kit.js';

const ID = 'MiniportInitializeEx_Return';

afterEach(() => {
  activate(null);
});

function initialize(returned: unknown) {
  const kit = kitDriver({ overrides: { InitializeHandlerEx: () => returned } });
  return new Host(kit, { driverName: 'Kit' }).run([
    { step: 'load' },
    { step: 'addDevice', name: 'nic0' },
    { step: 'initialize', adapter: 'nic0' },
  ]);
}

describe('MiniportInitializeEx_Return', () => {
  it('breaks: NDIS_STATUS_PENDING (initialization cannot pend); NDIS treats it as a failure', () => {
    const result = initialize(NDIS_STATUS_PENDING);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportInitializeEx',
      message: ['MiniportInitializeEx returned NDIS_STATUS_PENDING', 'the adapter stays Halted'],
      args: { Status: 'NDIS_STATUS_PENDING' },
      adapter: 'nic0',
      driver: 'Kit',
      bugCheck: null,
    });
    expect(result.adapters.nic0).toBe('Halted');
  });

  it('breaks: no status at all (a missing return)', () => {
    const result = initialize(undefined);
    expect(result.violations.map((v) => v.rule)).toEqual([ID]);
    expect(result.violations[0].args).toEqual({ Status: 'undefined' });
    expect(result.adapters.nic0).toBe('Halted');
  });

  it('keeps: NOT_ACCEPTED, RESOURCES and FAILURE are documented failures', () => {
    for (const status of [NDIS_STATUS_NOT_ACCEPTED, NDIS_STATUS_RESOURCES, NDIS_STATUS_FAILURE]) {
      const result = initialize(status);
      expect(result.violations).toEqual([]);
      expect(result.adapters.nic0).toBe('Halted');
    }
    expect(
      new Host(kitDriver()).run([
        { step: 'load' },
        { step: 'addDevice', name: 'n' },
        { step: 'initialize', adapter: 'n' },
      ]).violations,
    ).toEqual([]);
  });
});
