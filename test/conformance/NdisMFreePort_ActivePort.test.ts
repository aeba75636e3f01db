/** NdisMFreePort_ActivePort: an activated port is deactivated before it is freed (D11: INVALID_PORT_STATE, recorded). */
import { describe, expect, it } from 'vitest';
import { PortState } from '../../src/engine/ports-state.js';
import { NDIS_STATUS_INVALID_PORT_STATE, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort, NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import { activation, characteristics, deactivation, portSim } from '../engine/ports-helpers.js';
import { DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisMFreePort_ActivePort';

describe('NdisMFreePort_ActivePort', () => {
  it('breaks: freeing an active port returns NDIS_STATUS_INVALID_PORT_STATE; it stays allocated and active', () => {
    const s = portSim();
    const c = characteristics();
    s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c));
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([c.PortNumber])))).toBe(
      NDIS_STATUS_SUCCESS,
    );
    expect(s.at(DISPATCH_LEVEL, () => NdisMFreePort(s.adapter, c.PortNumber))).toBe(
      NDIS_STATUS_INVALID_PORT_STATE,
    );
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMFreePort',
      irql: DISPATCH_LEVEL,
      args: { NdisMiniportHandle: 'TestAdapter', PortNumber: 1 },
      message: ['port 1', 'still active', 'NetEventPortDeactivation', 'NDIS_STATUS_INVALID_PORT_STATE'],
      allocationSite: true,
    });
    expect(s.engine.ports.port(s.adapter, 1)?.state).toBe(PortState.Activated);
  });

  it('keeps: deactivate, then free', () => {
    const s = portSim();
    const c = characteristics();
    s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c));
    s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([c.PortNumber])));
    s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, deactivation([c.PortNumber])));
    expect(s.at(DISPATCH_LEVEL, () => NdisMFreePort(s.adapter, c.PortNumber))).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
