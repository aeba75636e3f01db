/**
 * Leak_Port: every port the driver allocated is deactivated and freed before MiniportHaltEx returns
 * and before a failing MiniportInitializeEx returns; one violation per port, charged to the adapter,
 * with its allocation site.
 */
import { describe, expect, it } from 'vitest';
import { NDIS_STATUS_SUCCESS } from '../../src/ndis/constants.js';
import { NdisMAllocatePort, NdisMFreePort, NdisMNetPnPEvent } from '../../src/ndis/ports.js';
import { activation, characteristics, deactivation, portSim } from '../engine/ports-helpers.js';
import { expectFinding, expectNoFinding, PASSIVE_LEVEL } from './helpers.js';

const RULE = 'Leak_Port';

function allocate(s: ReturnType<typeof portSim>): number {
  const c = characteristics();
  expect(s.at(PASSIVE_LEVEL, () => NdisMAllocatePort(s.adapter, c))).toBe(NDIS_STATUS_SUCCESS);
  return c.PortNumber;
}

describe('Leak_Port', () => {
  it('breaks: MiniportHaltEx returns with one port active and one allocated: one violation each', () => {
    const s = portSim();
    const [a, b, c] = [allocate(s), allocate(s), allocate(s)];
    s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([b])));
    s.at(PASSIVE_LEVEL, () => NdisMFreePort(s.adapter, a));
    s.engine.ports.haltStarting(s.adapter);
    s.engine.invoke('MiniportHaltEx', s.driver, s.adapter, PASSIVE_LEVEL, () => undefined);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    const found = s.findings(RULE);
    expect(found).toHaveLength(2);
    expectFinding(found[0], RULE, {
      ddi: 'NdisMAllocatePort',
      irql: PASSIVE_LEVEL,
      callback: null,
      args: { NdisMiniportHandle: 'TestAdapter', PortNumber: b, Flags: '0x0' },
      message: [`Port ${b}`, 'still active and allocated when MiniportHaltEx returned', 'deactivate it'],
      allocationSite: true,
    });
    expect(found[1].message).toContain(`Port ${c} (type 2) is still allocated when MiniportHaltEx returned`);
    s.engine.ports.adapterHalted(s.adapter);
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    expect(s.findings(RULE)).toHaveLength(2);
  });

  it('breaks: a failing MiniportInitializeEx returns with a port allocated', () => {
    const s = portSim();
    const a = allocate(s);
    s.engine.lifecycleEdge('initializeFailed', s.driver, s.adapter);
    const found = s.findings(RULE);
    expect(found.map((v) => v.message)).toEqual([
      expect.stringContaining(
        `Port ${a} (type 2) is still allocated when MiniportInitializeEx returned a failure`,
      ),
    ]);
    expect(found[0].adapter).toBe('TestAdapter');
  });

  it('keeps: every port deactivated and freed before the halt returns (the default port is NDIS\u2019s)', () => {
    const s = portSim();
    const a = allocate(s);
    s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, activation([a])));
    s.at(PASSIVE_LEVEL, () => NdisMNetPnPEvent(s.adapter, deactivation([a])));
    s.at(PASSIVE_LEVEL, () => NdisMFreePort(s.adapter, a));
    s.engine.lifecycleEdge('haltReturned', s.driver, s.adapter);
    s.engine.lifecycleEdge('driverUnload', s.driver, null);
    expectNoFinding(s, RULE);
  });
});
