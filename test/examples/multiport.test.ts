/**
 * examples/multiport: the correct driver reports nothing under every scenario and every single and
 * paired fault (port events that fail included); its twin's planted bugs are found under their rule
 * ids: an active port freed and a port leaked at halt by plain runs, a double free by fault injection.
 */
import { describe, expect, it } from 'vitest';
import type { MiniportAdapter } from '../../src/engine/objects.js';
import { SCENARIOS } from '../../src/host/scenario.js';
import {
  counters,
  describeFindings,
  examplePath,
  expectCleanUnderEveryPlan,
  hostAfter,
  ordinalOf,
  poolTag,
  rules,
  run,
  scenariosOf,
  startAndRun,
  useDriver,
} from './helpers.js';

const NAMES = [...Object.keys(SCENARIOS), 'vif-churn'];

/** The ports the driver holds on nic0 (number: 'active' | 'inactive'), default port excluded. */
function driverPorts(host: ReturnType<typeof hostAfter>): Record<number, string> {
  const adapter = host.adapter('nic0') as MiniportAdapter;
  const ports: Record<number, string> = {};
  for (const port of host.engine.ports.allocated(adapter)) {
    if (port.PortNumber !== 0) ports[port.PortNumber] = port.state === 1 ? 'active' : 'inactive';
  }
  return ports;
}

describe('multiport (correct)', () => {
  const driver = useDriver(examplePath('multiport', 'driver.ts'));

  it('exports its own vif-churn scenario on top of the defaults', () => {
    expect(Object.keys(scenariosOf(driver())).sort()).toEqual([...NAMES].sort());
  });

  expectCleanUnderEveryPlan(driver, NAMES);

  it('does its work: ports are allocated, activated, deactivated, kept as the spare and freed as vifs come and go', () => {
    // Init allocates the spare (port 1). Tick 1: vif 1 takes it; tick 3: vif 2 gets port 2.
    const host = hostAfter(driver(), startAndRun(15, false));
    expect(driverPorts(host)).toEqual({ 1: 'active', 2: 'active' });
    // Tick 6: vif 3 (port 3); tick 7: vif 1 leaves, its port becomes the spare.
    host.step({ step: 'advance', ms: 20 });
    expect(driverPorts(host)).toEqual({ 1: 'inactive', 2: 'active', 3: 'active' });
    // Ticks 10, 11: vifs 2 and 3 leave (the spare is taken: their ports are freed).
    host.step({ step: 'advance', ms: 25 });
    expect(driverPorts(host)).toEqual({ 1: 'inactive' });
    const adapter = host.adapter('nic0')?.context as { Block: number };
    // Arrivals, departures, failed arrivals.
    expect(counters(host, adapter.Block, 3)).toEqual([3, 3, 0]);
    host.step({ step: 'halt', adapter: 'nic0' });
    expect(driverPorts(host)).toEqual({});
    expect(host.result().violations).toEqual([]);
  });
});

describe('multiport (broken twin)', () => {
  const driver = useDriver(examplePath('multiport', 'broken.ts'));
  const active = 'NdisMFreePort_ActivePort';
  const leak = 'Leak_Port';
  const expected: Record<string, string[]> = {
    'full-lifecycle': [active, active, active, leak, leak, leak, leak],
    'initialize-failure': [leak],
    'pause-restart-cycles': [leak],
    'vif-churn': [...Array<string>(12).fill(active), ...Array<string>(12).fill(leak)],
  };

  it.each(NAMES)('scenario %s finds exactly the planted bugs it reaches', (name) => {
    const result = run(driver(), scenariosOf(driver())[name]);
    expect(rules(result)).toEqual(expected[name] ?? []);
  });

  it('freeing an active port: NdisMFreePort before the deactivation, refused with INVALID_PORT_STATE', () => {
    const result = run(driver(), SCENARIOS['full-lifecycle']);
    const first = result.violations.find((v) => v.rule === active);
    expect(first?.message).toContain('port 2, which is still active');
    expect(first?.context.callback).toBe('NdisIoWorkItemFunction');
    expect(first?.site[0]).toMatch(/^MPVifDepart \(.*multiport\/broken\.ts:\d+:\d+\)$/);
  });

  it('port leaked at halt: the spare port, allocated at initialize and never activated', () => {
    const result = run(driver(), SCENARIOS['pause-restart-cycles']);
    const [v] = result.violations;
    expect(v.rule).toBe(leak);
    expect(v.message).toContain('Port 1');
    expect(v.message).toContain('MiniportHaltEx returned');
    expect(v.allocationSite[0]).toMatch(/^MPInitializeEx \(.*multiport\/broken\.ts/);
  });

  it('double free when a cleanup allocation fails: fail the deactivation list at halt', () => {
    const scenario = SCENARIOS['halt-NdisHaltDeviceDisabled'];
    const { calls, violations } = run(driver(), scenario, null, true);
    expect(violations).toEqual([]);
    const list = ordinalOf(calls, (c) => c.tag === poolTag('MPpl'));
    expect(list).toBe(8);
    const result = run(driver(), scenario, [list]);
    expect(rules(result)).toEqual(['Pool_DoubleFree']);
    expect(result.violations[0].context.callback).toBe('MiniportHaltEx');
    expect(result.violations[0].ddi).toBe('NdisFreeMemoryWithTagPriority');
    // The second free of the vif's block, by the common path after the fallback freed it.
    expect(result.violations[0].site[0]).toMatch(/^MPFreeAdapter \(.*multiport\/broken\.ts/);
    // Every other single fault of that scenario finds only the spare-port leak (init failures after it).
    const others: string[] = [];
    for (let n = 1; n <= calls.length + 4; n++) {
      if (n === list) continue;
      const r = run(driver(), scenario, [n]);
      if (r.violations.some((v) => v.rule !== leak))
        others.push(`nth:${n} ${describeFindings(r).join(' | ')}`);
    }
    expect(others).toEqual([]);
  });
});
