/** NdisMAllocatePort_DuringHalt: no port allocation once MiniportHaltEx has begun (D37: CLOSING, nothing allocated). */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_CLOSING, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort } from '../../src/ndis/ports.js';
import { characteristics, portSim } from '../engine/ports-helpers.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisMAllocatePort_DuringHalt';

describe('NdisMAllocatePort_DuringHalt', () => {
  it('breaks: NdisMAllocatePort from MiniportHaltEx returns NDIS_STATUS_CLOSING and allocates nothing', () => {
    const s = portSim();
    s.engine.ports.haltStarting(s.adapter);
    const c = characteristics();
    const status = s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisMAllocatePort(s.adapter, c),
    );
    expect(status).toBe(NDIS_STATUS_CLOSING);
    expect(c.PortNumber).toBe(0);
    expect([...s.engine.ports.allocated(s.adapter)]).toEqual([]);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMAllocatePort',
      irql: PASSIVE_LEVEL,
      callback: 'MiniportHaltEx',
      args: {
        NdisMiniportHandle: 'TestAdapter',
        PortCharacteristics: {
          Header: { Type: '0x80', Revision: 1, Size: 60 },
          PortNumber: 0,
          Flags: '0x0',
          Type: 2,
        },
      },
      message: ['while MiniportHaltEx runs', 'NDIS_STATUS_CLOSING', 'D37'],
      allocationSite: false,
    });
  });

  it('breaks: after MiniportHaltEx returned (the adapter is closed)', () => {
    const s = portSim();
    s.engine.ports.adapterHalted(s.adapter);
    expect(s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, characteristics()))).toBe(
      NDIS_STATUS_CLOSING,
    );
    expect(theFinding(s, RULE).message).toContain('after MiniportHaltEx returned');
  });

  it('keeps: allocation before the halt, and freeing from MiniportHaltEx', () => {
    const s = portSim();
    const c = characteristics();
    expect(s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c))).toBe(NDIS_STATUS_SUCCESS);
    s.engine.ports.haltStarting(s.adapter);
    const status = s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisMFreePort(s.adapter, c.PortNumber),
    );
    expect(status).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
