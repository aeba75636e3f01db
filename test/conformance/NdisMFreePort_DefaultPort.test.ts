/** NdisMFreePort_DefaultPort: the driver never frees the default port (D11: INVALID_PORT, recorded). */
import { describe, expect, it } from 'vitest';
import { PortState } from '../../src/engine/ports-state.js';
import { NDIS_STATUS_INVALID_PORT, NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort } from '../../src/ndis/ports.js';
import { characteristics, portSim } from '../engine/ports-helpers.js';
import { DISPATCH_LEVEL, expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'NdisMFreePort_DefaultPort';

describe('NdisMFreePort_DefaultPort', () => {
  it('breaks: NdisMFreePort(adapter, 0) returns NDIS_STATUS_INVALID_PORT; the default port stays', () => {
    const s = portSim();
    expect(s.at(DISPATCH_LEVEL, () => NdisMFreePort(s.adapter, 0))).toBe(NDIS_STATUS_INVALID_PORT);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMFreePort',
      irql: DISPATCH_LEVEL,
      args: { NdisMiniportHandle: 'TestAdapter', PortNumber: 0 },
      message: ['default port', 'NDIS_STATUS_INVALID_PORT', 'D11'],
      allocationSite: false,
    });
    expect(s.engine.ports.port(s.adapter, 0)?.state).toBe(PortState.Activated);
  });

  it('keeps: freeing the ports the driver allocated', () => {
    const s = portSim();
    const c = characteristics();
    s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c));
    expect(s.at(PASSIVE_LEVEL, () => NdisMFreePort(s.adapter, c.PortNumber))).toBe(NDIS_STATUS_SUCCESS);
    expectNoFinding(s, RULE);
  });
});
