import { afterEach, describe, expect, it } from 'vitest';
import { Host, SCENARIOS } from '../../src/host/index.js';
import {
  activate,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_NOT_SUPPORTED,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../../src/index.js';
import { expectLifecycleFinding, kitDriver, type Response } from '../host/driver-kit.js';

const ID = 'MiniportRestart_Return';
const START = SCENARIOS['full-lifecycle'].slice(0, 4);

afterEach(() => {
  activate(null);
});

function run(restart: Response, restartCompletes = NDIS_STATUS_SUCCESS) {
  return new Host(kitDriver({ restart: () => restart, restartCompletes: () => restartCompletes }), {
    driverName: 'Kit',
  }).run(START);
}

describe('MiniportRestart_Return', () => {
  it('breaks: MiniportRestart returns an undocumented status; NDIS treats it as a failure (Paused)', () => {
    const result = run(NDIS_STATUS_NOT_SUPPORTED);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'MiniportRestart',
      message: ['MiniportRestart returned NDIS_STATUS_NOT_SUPPORTED', 'stays Paused'],
      args: { Status: 'NDIS_STATUS_NOT_SUPPORTED' },
      adapter: 'nic0',
      bugCheck: null,
    });
    expect(result.adapters.nic0).toBe('Paused');
  });

  it('breaks: NdisMRestartComplete with a Status that is not SUCCESS, RESOURCES or FAILURE', () => {
    const result = run('PENDING', NDIS_STATUS_PENDING);
    expectLifecycleFinding(result.violations[0], ID, {
      ddi: 'NdisMRestartComplete',
      message: ['NdisMRestartComplete completed the restart with NDIS_STATUS_PENDING'],
      args: { MiniportAdapterHandle: 'nic0', Status: 'NDIS_STATUS_PENDING' },
      callback: 'MiniportInterruptDPC',
    });
    expect(result.adapters.nic0).toBe('Paused');
  });

  it('keeps: the four documented returns and the three documented completion statuses', () => {
    for (const restart of ['SUCCESS', 'PENDING', 'RESOURCES', 'FAILURE'] as const) {
      expect(run(restart).violations).toEqual([]);
    }
    for (const status of [NDIS_STATUS_SUCCESS, NDIS_STATUS_RESOURCES, NDIS_STATUS_FAILURE]) {
      expect(run('PENDING', status).violations).toEqual([]);
    }
  });
});
