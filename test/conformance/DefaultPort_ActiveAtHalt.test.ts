/**
 * DefaultPort_ActiveAtHalt: a driver that activated the default port itself
 * (NDIS_MINIPORT_ATTRIBUTES_CONTROLS_DEFAULT_PORT) deactivates it before MiniportHaltEx returns.
 */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import { activation, deactivation, portSim } from '../engine/ports-helpers.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL, theFinding } from './helpers.js';

const RULE = 'DefaultPort_ActiveAtHalt';

describe('DefaultPort_ActiveAtHalt', () => {
  it('breaks: the driver activated the default port and MiniportHaltEx returns with it active', () => {
    const s = portSim({ controlsDefaultPort: true });
    expect(s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([0])))).toBe(NDIS_STATUS_SUCCESS);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectFinding(theFinding(s, RULE), RULE, {
      ddi: 'NdisMNetPnPEvent',
      irql: PASSIVE_LEVEL,
      callback: null,
      args: { MiniportAdapterHandle: 'TestAdapter', PortNumber: 0 },
      message: ['default port', 'still active when MiniportHaltEx returned', 'NetEventPortDeactivation'],
      allocationSite: true,
    });
  });

  it('keeps: the driver deactivates it in MiniportHaltEx; and a driver without CONTROLS_DEFAULT_PORT never has to', () => {
    const s = portSim({ controlsDefaultPort: true });
    s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([0])));
    s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () =>
      NdisMNetPnPEvent(s.adapter, deactivation([0])),
    );
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expectNoFinding(s, RULE);

    const n = portSim();
    n.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(n.adapter, deactivation([0])));
    n.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(n.adapter, activation([0])));
    n.engine.lifecycleEdge('haltReturned', n.driver, n.adapter);
    expectNoFinding(n, RULE);
  });
});
