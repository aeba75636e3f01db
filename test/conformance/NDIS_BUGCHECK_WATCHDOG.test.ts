import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate } from '../../src/index.js';
import { expectLifecycleFinding, kitDriver, ndisBugCheck } from '../host/driver-kit.js';

const ID = 'NDIS_BUGCHECK_WATCHDOG';

afterEach(() => {
  activate(null);
});

describe('NDIS_BUGCHECK_WATCHDOG', () => {
  it('breaks: a pended MiniportPause never completed — 0x7C / 0x25 with NDIS_BUGCHECK_WATCHDOG_MINIPORT_PAUSE (0x21)', () => {
    const kit = kitDriver({ pause: () => 'PENDING', bugs: ['never-complete'] });
    const result = new Host(kit, { driverName: 'Kit', pendingTimeoutMs: 1000 }).run(
      SCENARIOS['full-lifecycle'],
    );
    expect(result.outcome).toBe('hung');
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportPause',
      message: [
        'MiniportPause returned NDIS_STATUS_PENDING and NdisMPauseComplete was not called within 1000 ms',
        'stuck Pausing',
      ],
      args: { Status: 'NDIS_STATUS_PENDING' },
      adapter: 'nic0',
      driver: 'Kit',
      bugCheck: ndisBugCheck(0x25, 0x21),
    });
  });

  it('breaks: a pended MiniportRestart never completed (no documented watchdog code, D39)', () => {
    const kit = kitDriver({ restart: () => 'PENDING', bugs: ['never-complete'] });
    const result = new Host(kit, { pendingTimeoutMs: 10 }).run(SCENARIOS['full-lifecycle']);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportRestart',
      message: ['NdisMRestartComplete was not called within 10 ms', 'stuck Restarting'],
      bugCheck: null,
    });
    expect(result.error).toMatchObject({ kind: 'hung', callback: 'MiniportRestart', adapter: 'nic0' });
  });

  it('breaks: under the bug-check policy the run stops as a bug check, not as hung', () => {
    const kit = kitDriver({ pause: () => 'PENDING', bugs: ['never-complete'] });
    const result = new Host(kit, { policy: 'bugcheck' }).run(SCENARIOS['full-lifecycle']);
    expect(result.outcome).toBe('bugcheck');
    expect(result.error?.bugCheck).toEqual(ndisBugCheck(0x25, 0x21));
  });

  it('keeps: a pended operation completed late but within the budget', () => {
    const kit = kitDriver({ pause: () => 'PENDING', restart: () => 'PENDING', completeAfterMs: 900 });
    const result = new Host(kit, { pendingTimeoutMs: 1000 }).run(SCENARIOS['full-lifecycle']);
    expect(result.violations).toEqual([]);
    expect(result.outcome).toBe('completed');
  });
});
