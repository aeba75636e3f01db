import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import {
  activate,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_SUCCESS,
  NdisMPauseComplete,
  NdisMRestartComplete,
} from '../../src/index.js';
import { expectLifecycleFinding, kitDriver, later, ndisBugCheck } from '../host/driver-kit.js';

const ID = 'NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION';
const START = SCENARIOS['full-lifecycle'].slice(0, 4);

afterEach(() => {
  activate(null);
});

describe('NDIS_BUGCHECK_ILLEGAL_MINIPORT_STATE_TRANSITION', () => {
  it('breaks: NdisMPauseComplete with no pause pending (Running adapter); nothing changes', () => {
    const host = new Host(kitDriver(), { driverName: 'Kit' });
    host.run(START);
    const adapter = host.adapter('nic0');
    if (adapter === undefined) throw new Error('no adapter');
    later(adapter, 1, () => NdisMPauseComplete(adapter));
    host.step({ step: 'advance', ms: 5 });
    const result = host.result();
    expect(result.adapters.nic0).toBe('Running');
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMPauseComplete',
      message: ['NdisMPauseComplete called for adapter nic0 in state Running, with no pause pending'],
      args: { MiniportAdapterHandle: 'nic0' },
      adapter: 'nic0',
      driver: 'Kit',
      callback: 'MiniportInterruptDPC',
      // P2: sub-reason value undocumented (0); P3: the adapter's serial number.
      bugCheck: ndisBugCheck(0x1f, 0, 1, 0),
    });
  });

  it('breaks: NdisMRestartComplete with no restart pending (Paused adapter)', () => {
    const host = new Host(kitDriver());
    host.run(START.slice(0, 3));
    const adapter = host.adapter('nic0');
    if (adapter === undefined) throw new Error('no adapter');
    later(adapter, 1, () => NdisMRestartComplete(adapter, NDIS_STATUS_SUCCESS));
    host.step({ step: 'advance', ms: 5 });
    const [finding] = host.result().violations;
    expect(finding.args).toEqual({ MiniportAdapterHandle: 'nic0', Status: 0 });
    expect(finding.message).toContain('in state Paused, with no restart pending');
    expect(host.result().adapters.nic0).toBe('Paused');
  });

  it('breaks: a pause completed twice — by NdisMPauseComplete and then by returning SUCCESS', () => {
    const kit = kitDriver({
      overrides: {
        PauseHandler: (context: { handle: object }) => {
          NdisMPauseComplete(context.handle);
          return NDIS_STATUS_SUCCESS;
        },
      },
    });
    const result = new Host(kit).run(SCENARIOS['full-lifecycle']);
    expect(result.violations.map((v) => v.rule)).toEqual([ID, ID]);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportPause',
      message: [
        'MiniportPause returned NDIS_STATUS_SUCCESS after the pause was already completed with NdisMPauseComplete',
      ],
      args: { Status: 'NDIS_STATUS_SUCCESS' },
    });
  });

  it('breaks: under the bug-check policy the run stops with 0x7C / 0x1F', () => {
    const result = new Host(kitDriver({ bugs: ['complete-twice'], restart: () => 'PENDING' }), {
      policy: 'bugcheck',
    }).run(START);
    expect(result.outcome).toBe('bugcheck');
    expect(result.error?.bugCheck).toEqual(ndisBugCheck(0x1f, 0, 1, 0));
  });

  it('keeps: each completion of a pended operation, including one inside the callback that then returns PENDING', () => {
    const kit = kitDriver({
      restart: () => 'PENDING',
      overrides: {
        PauseHandler: (context: { handle: object }) => {
          NdisMPauseComplete(context.handle);
          return NDIS_STATUS_PENDING;
        },
      },
    });
    const result = new Host(kit).run(SCENARIOS['pause-restart-cycles']);
    expect(result.violations).toEqual([]);
    expect(result.outcome).toBe('completed');
  });
});
