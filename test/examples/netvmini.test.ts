/**
 * examples/netvmini: the correct driver reports nothing under every scenario and every single and
 * paired fault; its twin's two planted bugs are found only by fault injection, under their rule ids.
 */
import { describe, expect, it } from 'vitest';
import { explore } from '../../src/host/explore.js';
import { Host } from '../../src/host/host.js';
import { SCENARIOS } from '../../src/host/scenario.js';
import { failOrdinals } from '../../src/index.js';
import {
  counters,
  describeFindings,
  EXAMPLES,
  examplePath,
  expectCleanUnderEveryPlan,
  hostAfter,
  ordinalOf,
  poolTag,
  replayPlan,
  rules,
  run,
  scenariosOf,
  startAndRun,
  useDriver,
} from './helpers.js';

const NAMES = [...Object.keys(SCENARIOS), 'long-run'];

describe('netvmini (correct)', () => {
  const driver = useDriver(examplePath('netvmini', 'driver.ts'));

  it('exports DriverEntry and its own long-run scenario on top of the defaults', () => {
    expect(Object.keys(scenariosOf(driver())).sort()).toEqual([...NAMES].sort());
  });

  expectCleanUnderEveryPlan(driver, NAMES);

  it('does its work: the receive timer indicates frames and the work item polls the link', () => {
    const host = hostAfter(driver(), startAndRun(100, false));
    const adapter = host.adapter('nic0')?.context as { Block: number };
    // Signature, FramesReceived, BytesReceived, FramesDropped, LinkPolls.
    const [signature, frames, bytes, dropped, polls] = counters(host, adapter.Block, 5);
    expect(signature).toBe(poolTag('NVMa'));
    expect(frames).toBe(20);
    expect(bytes).toBeGreaterThan(20 * 60);
    expect(dropped).toBe(0);
    expect(polls).toBe(5);
    expect(host.result().violations).toEqual([]);
  });

  it('allocates each pool block with its own tag, and every allocation is a distinct site', () => {
    const baseline = run(driver(), SCENARIOS['full-lifecycle'], null, true);
    expect(baseline.calls.map((c) => c.ddi)).toEqual([
      'NdisMRegisterMiniportDriver',
      'NdisAllocateMemoryWithTagPriority',
      'NdisAllocateMemoryWithTagPriority',
      'NdisAllocateMemoryWithTagPriority',
      'NdisAllocateTimerObject',
      'NdisAllocateIoWorkItem',
    ]);
    expect(baseline.calls.slice(1, 5).map((c) => c.tag)).toEqual(
      ['NVad', 'NVrc', 'NVtc', 'NVtm'].map(poolTag),
    );
    expect(new Set(baseline.calls.map((c) => c.site)).size).toBe(6);
  });
});

describe('netvmini (broken twin)', () => {
  const driver = useDriver(examplePath('netvmini', 'broken.ts'));
  const scenario = SCENARIOS['full-lifecycle'];

  it.each(NAMES)('runs clean without faults in scenario %s (its bugs are on failure paths only)', (name) => {
    const result = run(driver(), scenariosOf(driver())[name]);
    expect(describeFindings(result)).toEqual([]);
  });

  it('NULL used after a failed NdisAllocateMemoryWithTagPriority: fail the RCB allocation, the driver page-faults', () => {
    const { calls } = run(driver(), scenario, null, true);
    const rcb = ordinalOf(calls, (c) => c.tag === poolTag('NVrc'));
    expect(rcb).toBe(3);
    const result = run(driver(), scenario, [rcb]);
    expect(result.outcome).toBe('driver-threw');
    expect(result.error?.name).toBe('PageFault');
    expect(result.error?.callback).toBe('MiniportInitializeEx');
    expect(result.error?.stack[0]).toMatch(/^NICAllocRCBData \(.*netvmini\/broken\.ts:\d+:\d+\)$/);
    expect(rules(result)).toEqual(['Memory_InvalidAccess']);
    expect(result.violations[0].message).toContain('NULL');
  });

  it('leak on one init-failure path: fail the TCB allocation (the 3rd pool block), the adapter block leaks', () => {
    const { calls } = run(driver(), scenario, null, true);
    const tcb = ordinalOf(calls, (c) => c.tag === poolTag('NVtc'));
    expect(tcb).toBe(4);
    const result = run(driver(), scenario, [tcb]);
    expect(result.outcome).toBe('violations');
    expect(rules(result)).toEqual(['Leak_PoolMemory']);
    expect(result.violations[0].message).toContain("'NVad'");
    expect(result.violations[0].message).toContain('MiniportInitializeEx returned a failure');
    expect(result.violations[0].allocationSite[0]).toMatch(/^NICAllocAdapter \(.*netvmini\/broken\.ts/);
  });

  it('every other single fault is handled: only those two plans find something', () => {
    const { allocationCalls } = run(driver(), scenario);
    const found: string[] = [];
    for (let n = 1; n <= allocationCalls + 4; n++) {
      const result = run(driver(), scenario, [n]);
      if (result.violations.length > 0) found.push(`nth:${n} ${rules(result).join(',')}`);
    }
    expect(found).toEqual(['nth:3 Memory_InvalidAccess', 'nth:4 Leak_PoolMemory']);
  });

  it('the public API reaches the same bug: EngineOptions faults = failOrdinals([4])', () => {
    const host = new Host(driver().instantiate(), { faults: failOrdinals([4]), skipIllegalSteps: true });
    const result = host.run(scenario);
    expect(result.outcome).toBe('completed');
    expect(result.violations.map((v) => v.rule)).toEqual(['Leak_PoolMemory']);
  });

  it('explore finds both with plans that replay exactly', async () => {
    const result = await explore(examplePath('netvmini', 'broken.ts'), {
      scenarioName: 'full-lifecycle',
      scenario,
      depth: 1,
      budget: 1000,
      sites: true,
      nth: true,
      random: null,
      jobs: 1,
      shard: null,
      engine: {},
      root: EXAMPLES,
    });
    expect(result.baseline.outcome).toBe('clean');
    const found = (outcome: string, rule: string, kind: string) =>
      result.plans.filter(
        (p) => p.outcome === outcome && p.plan.startsWith(kind) && p.violations.some((v) => v.rule === rule),
      );
    // Each distinct allocation site failed once reaches both bugs...
    expect(found('driver-threw', 'Memory_InvalidAccess', 'site:')).toHaveLength(1);
    expect(found('violations', 'Leak_PoolMemory', 'site:')).toHaveLength(1);
    // ...and so does fail-nth; its plans replay the finding exactly (site ids also hold the caller's
    // frames, so a site plan replays from the command, not from a different test helper).
    const threw = found('driver-threw', 'Memory_InvalidAccess', 'nth:');
    const leak = found('violations', 'Leak_PoolMemory', 'nth:');
    expect([...threw, ...leak].map((p) => p.plan)).toEqual(['nth:3', 'nth:4']);
    for (const found of [threw[0], leak[0]]) {
      const replay = replayPlan(driver(), scenario, found?.plan ?? '');
      expect(replay.outcome).toBe(found?.outcome);
      expect(rules(replay)).toEqual(found?.violations.map((v) => v.rule));
    }
  });
});
