import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import { activate, NDIS_STATUS_NOT_SUPPORTED } from '../../src/index.js';
import { expectLifecycleFinding, kitDriver, type Response } from '../host/driver-kit.js';

const ID = 'MiniportPause_Return';

afterEach(() => {
  activate(null);
});

function run(pause: Response) {
  return new Host(kitDriver({ pause: () => pause }), { driverName: 'Kit' }).run(SCENARIOS['full-lifecycle']);
}

describe('MiniportPause_Return', () => {
  it('breaks: MiniportPause returns NDIS_STATUS_FAILURE (a pause cannot fail); NDIS completes the pause', () => {
    const result = run('FAILURE');
    expect(result.violations.map((v) => v.rule)).toEqual([ID, ID]);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportPause',
      message: [
        'MiniportPause returned NDIS_STATUS_FAILURE',
        'only NDIS_STATUS_SUCCESS or NDIS_STATUS_PENDING',
      ],
      args: { Status: 'NDIS_STATUS_FAILURE' },
      adapter: 'nic0',
      driver: 'Kit',
      bugCheck: null,
    });
    expect(result.steps[6].adapters.nic0).toBe('Paused');
    expect(result.outcome).toBe('completed');
  });

  it('breaks: any other value, or none at all', () => {
    expect(run(NDIS_STATUS_NOT_SUPPORTED).violations[0].args).toEqual({
      Status: 'NDIS_STATUS_NOT_SUPPORTED',
    });
    const none = new Host(kitDriver({ overrides: { PauseHandler: () => undefined } })).run(
      SCENARIOS['full-lifecycle'],
    );
    expect(none.violations[0].args).toEqual({ Status: 'undefined' });
  });

  it('breaks: under the bug-check policy the run stops (the rule has no bug-check code, D39)', () => {
    const result = new Host(kitDriver({ pause: () => 'FAILURE' }), { policy: 'bugcheck' }).run(
      SCENARIOS['full-lifecycle'],
    );
    expect(result.outcome).toBe('bugcheck');
    expect(result.error?.bugCheck).toBeNull();
  });

  it('keeps: NDIS_STATUS_SUCCESS and NDIS_STATUS_PENDING (completed later)', () => {
    expect(run('SUCCESS').violations).toEqual([]);
    expect(run('PENDING').violations).toEqual([]);
  });
});
