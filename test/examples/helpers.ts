/**
 * Shared checks of the example drivers (examples/<name>/driver.ts and broken.ts), loaded as a user's
 * driver is (loadDriver: bundled once, a fresh module per run) and run through the host under fault
 * plans exactly as `ndis-sim explore` runs them (runPlan: nth plans, illegal steps skipped).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Host } from '../../src/host/host.js';
import { type PlanResult, runPlan } from '../../src/host/plan-run.js';
import { type AllocationCall, parsePlan } from '../../src/host/plans.js';
import type { Scenario } from '../../src/host/scenario.js';
import { activate, readUInt32LE } from '../../src/index.js';
import { type LoadedDriver, loadDriver } from '../../src/loader/load-driver.js';

export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** The driver file of an example. */
export function examplePath(name: string, file: 'driver.ts' | 'broken.ts'): string {
  return `${EXAMPLES}${name}/${file}`;
}

/** Loads `file` before the suite's tests and disposes of it after them. */
export function useDriver(file: string): () => LoadedDriver {
  let driver: LoadedDriver | null = null;
  beforeAll(async () => {
    driver = await loadDriver(file);
  });
  afterAll(() => driver?.dispose());
  return () => driver as LoadedDriver;
}

/** Runs `scenario` of a fresh instance, failing the listed allocation ordinals (null: no fault). */
export function run(
  driver: LoadedDriver,
  scenario: Scenario,
  ordinals: readonly number[] | null = null,
  recordCalls = false,
): PlanResult {
  const plan = ordinals === null ? null : { kind: 'nth' as const, ordinals };
  return runPlan(driver, scenario, plan, {}, EXAMPLES, recordCalls);
}

/** Runs `scenario` under a plan in its text form (`nth:3`, `site:1a2b3c4d`), as `run --faults` does. */
export function replayPlan(driver: LoadedDriver, scenario: Scenario, text: string): PlanResult {
  const plan = parsePlan(text);
  if (typeof plan === 'string') throw new Error(plan);
  return runPlan(driver, scenario, plan, {}, EXAMPLES);
}

/** The default scenarios plus the driver's own. */
export function scenariosOf(driver: LoadedDriver): Readonly<Record<string, Scenario>> {
  return new Host(driver.instantiate()).scenarios;
}

/** Rule ids of a run's findings, in order. */
export function rules(result: PlanResult): string[] {
  return result.violations.map((v) => v.rule);
}

/** "rule: message" lines, for readable failures. */
export function describeFindings(result: PlanResult): string[] {
  const lines = result.violations.map((v) => `${v.rule}: ${v.message}`);
  if (result.error !== null) lines.push(`${result.outcome}: ${result.error.message}`);
  return lines;
}

/** Plans (ordinal lists) of every single fault and, with `pairs`, every pair within the baseline + 4. */
export function faultPlans(allocationCalls: number, pairs: boolean): number[][] {
  // Cleanup paths may allocate beyond the baseline's last call (as explore allows).
  const last = allocationCalls + 4;
  const plans: number[][] = [];
  for (let i = 1; i <= last; i++) plans.push([i]);
  if (pairs)
    for (let i = 1; i <= allocationCalls; i++) for (let j = i + 1; j <= last; j++) plans.push([i, j]);
  return plans;
}

/**
 * For a correct driver: one test per scenario (defaults and its own) that runs the baseline, every
 * single fault and every pair, and expects no finding of any severity and a completed run each time.
 */
export function expectCleanUnderEveryPlan(getDriver: () => LoadedDriver, names: readonly string[]): void {
  it.each(names)(
    'reports nothing in scenario %s: baseline, every single fault, every pair of faults',
    (name) => {
      const driver = getDriver();
      const scenario = scenariosOf(driver)[name];
      const baseline = run(driver, scenario);
      expect(describeFindings(baseline)).toEqual([]);
      expect(baseline.outcome).toBe('clean');
      const unclean: string[] = [];
      const plans = faultPlans(baseline.allocationCalls, true);
      for (const ordinals of plans) {
        const result = run(driver, scenario, ordinals);
        if (result.outcome !== 'clean' || result.violations.length > 0) {
          unclean.push(`nth:${ordinals.join('+')} ${result.outcome} ${describeFindings(result).join(' | ')}`);
        }
      }
      expect(unclean).toEqual([]);
    },
  );
}

/** The ordinal of the `nth` (1-based) recorded allocation call that `match` accepts. */
export function ordinalOf(
  calls: readonly AllocationCall[],
  match: (call: AllocationCall) => boolean,
  nth = 1,
): number {
  const found = calls.filter(match)[nth - 1];
  expect(found, 'the allocation call the plan fails').toBeDefined();
  return (found as AllocationCall).ordinal;
}

/** The driver function an allocation call was made from (its innermost frame). */
export function callerOf(call: AllocationCall): string {
  return (call.frames[0] ?? '').split(' ')[0];
}

/** A pool tag from its four characters (first in the low byte), as the drivers write them. */
export function poolTag(text: string): number {
  return (
    (text.charCodeAt(0) |
      (text.charCodeAt(1) << 8) |
      (text.charCodeAt(2) << 16) |
      (text.charCodeAt(3) << 24)) >>>
    0
  );
}

/** Runs `steps` on a host of a fresh instance and returns the host (to look inside the adapter). */
export function hostAfter(driver: LoadedDriver, steps: Scenario): Host {
  const host = new Host(driver.instantiate());
  for (const step of steps) host.step(step);
  return host;
}

/** Reads `count` ULONG counters of a pool block of the host's engine (the adapters' statistics). */
export function counters(host: Host, block: number, count: number): number[] {
  const previous = activate(host.engine);
  try {
    return Array.from({ length: count }, (_, i) => readUInt32LE(block + 4 * i));
  } finally {
    activate(previous);
  }
}

/** Load, one NIC, initialize, restart, then `ms` of simulated time. */
export function startAndRun(ms: number, busMaster = true): Scenario {
  return [
    { step: 'load' },
    { step: 'addDevice', name: 'nic0', busMaster },
    { step: 'initialize', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'advance', ms },
  ];
}
