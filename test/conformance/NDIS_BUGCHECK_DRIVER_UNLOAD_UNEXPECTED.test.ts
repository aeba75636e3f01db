import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate, NDIS_STATUS_SUCCESS } from '../../src/index.js';
import { sim } from '../harness.js';
import { expectLifecycleFinding, kitDriver, ndisBugCheck } from '../host/driver-kit.js';
import { catchBugCheck } from './helpers.js';

const ID = 'NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED';

afterEach(() => {
  activate(null);
});

/** A driver registered by its DriverEntry, with one adapter initialized (the NDIS side driven directly, as a trace would). */
function initializedAdapter(policy: 'record' | 'bugcheck' = 'record') {
  const host = new Host(kitDriver(), { driverName: 'Kit', policy });
  host.run(SCENARIOS['full-lifecycle'].slice(0, 4));
  return host;
}

describe('NDIS_BUGCHECK_DRIVER_UNLOAD_UNEXPECTED', () => {
  it('breaks: the driver unloads while an adapter is still initialized', () => {
    const host = initializedAdapter();
    host.engine.lifecycle.unloadBegin(host.driverObject);
    const [finding] = host.engine.violations;
    expectLifecycleFinding(finding, ID, {
      ddi: 'MiniportDriverUnload',
      message: ['Driver Kit is unloading while 1 adapter(s) are not halted: nic0 (Running)'],
      args: { DriverObject: 'Kit' },
      driver: 'Kit',
      adapter: null,
      // P2: the driver's serial number, P3: DRIVER_OBJECT (0), P4: adapters still initialized.
      bugCheck: ndisBugCheck(0x0a, 1, 0, 1),
    });
  });

  it('breaks: under the bug-check policy it stops with 0x7C / 0x0A', () => {
    const host = initializedAdapter('bugcheck');
    const bugCheck = catchBugCheck(() => host.engine.lifecycle.unloadBegin(host.driverObject));
    expect(bugCheck.info).toEqual(ndisBugCheck(0x0a, 1, 0, 1));
  });

  it('keeps: the host unloads only after halting every adapter (it removes the devices first)', () => {
    const host = initializedAdapter();
    const record = host.step({ step: 'unload' });
    expect(record.calls.map((c) => c.callback)).toEqual([
      'MiniportPause',
      'MiniportHaltEx',
      'MiniportDriverUnload',
    ]);
    expect(host.result().violations).toEqual([]);
    const s = sim();
    s.engine.lifecycle.unloadBegin(s.driver.driverObject);
    expect(s.engine.violations).toEqual([]);
    expect(NDIS_STATUS_SUCCESS).toBe(0);
  });
});
