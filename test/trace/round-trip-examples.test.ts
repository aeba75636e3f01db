/**
 * The round trip of issue 6: for every example driver and broken twin (examples/<name>/driver.ts and
 * broken.ts), every scenario the host knows for it (the defaults and the driver's own), without
 * faults and under every single fault plan (nth:1 … nth:N+4, N the baseline's allocation calls, as
 * `explore` plans them: every planted bug of examples/README.md is reached by one of them or by no
 * fault), `run --record` (runPlan with a trace file) then `check` (checkTrace) give the live run's
 * findings, and the recording changes nothing in the live run.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explore } from '../../src/host/explore.js';
import { type PlanResult, runPlan } from '../../src/host/plan-run.js';
import { type FaultPlan, formatPlan, parsePlan } from '../../src/host/plans.js';
import type { Scenario } from '../../src/host/scenario.js';
import { type LoadedDriver, loadDriver } from '../../src/loader/load-driver.js';
import { checkTrace } from '../../src/trace/replay.js';
import type { Violation } from '../../src/verifier/violation.js';
import { EXAMPLES, examplePath, scenariosOf } from '../examples/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ndis-sim-round-trip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FILES: [string, 'driver.ts' | 'broken.ts'][] = readdirSync(EXAMPLES)
  .filter((name) => statSync(join(EXAMPLES, name)).isDirectory())
  .sort()
  .flatMap((name) => [
    [name, 'driver.ts'],
    [name, 'broken.ts'],
  ]);

/**
 * The simulated machine's own frames: the scheduler runs DPCs and work items in a 'DPC' or
 * 'WorkItem' frame around the driver's callback; they are not driver callbacks, so a trace (which
 * logs the callbacks NDIS makes into the driver) does not show them.
 */
const MACHINE_FRAMES = new Set(['DPC', 'WorkItem']);

/**
 * A finding as the round trip compares it: every field but what a trace cannot carry — stacks
 * (`allocationSite`, `site`: a trace has no call stacks), simulated time (`time`: a trace's time
 * counts from its start and moves only with the expiries it shows) and the machine frames in
 * `context.callbacks` (above). Rule, sequence, title, severity, link, message, DDI, args, IRQL,
 * innermost callback, driver, adapter and bug check are compared as they are.
 */
function comparable(v: Violation) {
  const { allocationSite: _a, site: _s, time: _t, context, ...rest } = v;
  return {
    ...rest,
    context: { ...context, callbacks: context.callbacks.filter((c) => !MACHINE_FRAMES.has(c)) },
  };
}

/** A finding with its sites cut to the example's frames (the callers below differ: this test's lines). */
function driverFrames(v: Violation) {
  const own = (frames: readonly string[]) => frames.filter((f) => f.includes(EXAMPLES));
  return { ...v, site: own(v.site), allocationSite: own(v.allocationSite) };
}

/** Every single fault plan `explore` would run, with the slack it allows after the baseline's calls. */
function singleFaults(allocationCalls: number): FaultPlan[] {
  return Array.from({ length: allocationCalls + 4 }, (_, i) => ({ kind: 'nth', ordinals: [i + 1] }));
}

/** What each example's sweep finds through the trace. */
const EXPECTED: Record<string, string[]> = {
  'dma-nic/driver.ts': [],
  'dma-nic/broken.ts': [
    'NdisMFreeSharedMemory',
    'NdisMFreeSharedMemory_ParameterMismatch',
    'NdisMFreeSharedMemory_Subrange',
  ],
  'multiport/driver.ts': [],
  'multiport/broken.ts': ['Leak_Port', 'NdisMFreePort_ActivePort', 'Pool_DoubleFree'],
  'netvmini/driver.ts': [],
  'netvmini/broken.ts': ['Leak_PoolMemory', 'Memory_InvalidAccess'].sort(),
  'provider-rx/driver.ts': [],
  'provider-rx/broken.ts': [
    'Dma_DeregisterWithSharedMemory',
    'Leak_ProviderSharedMemory',
    'Memory_InvalidAccess',
  ],
};

/**
 * Records `plan`'s run of `scenario` (as `run --record`), checks the trace, and expects the live
 * run's findings (`live`: the same plan without recording). Returns the rules the replay found.
 */
async function roundTrip(
  driver: LoadedDriver,
  prefix: string,
  scenarioName: string,
  scenario: Scenario,
  plan: FaultPlan | null,
  live: PlanResult,
): Promise<string[]> {
  const text = plan === null ? 'none' : formatPlan(plan);
  const what = `${scenarioName} ${plan === null ? 'without faults' : text}`;
  const trace = join(dir, `${prefix}-${scenarioName}-${text}.jsonl`);
  const recorded = runPlan(driver, scenario, plan, {}, EXAMPLES, false, {
    file: trace,
    scenario: scenarioName,
    producer: 'round-trip test',
  });
  // Recording changes nothing in the live run (sites included, in the driver's own frames).
  expect(recorded.outcome, what).toBe(live.outcome);
  expect(recorded.violations.map(driverFrames), what).toEqual(live.violations.map(driverFrames));
  const checked = await checkTrace(trace);
  expect(checked.errors.map(String), what).toEqual([]);
  expect(checked.bugCheck, what).toBeNull();
  expect(checked.violations.map(comparable), what).toEqual(live.violations.map(comparable));
  return checked.violations.map((v) => v.rule);
}

describe('round trip: `run --record` then `check` gives the findings of the live run', () => {
  it.each(FILES)('%s/%s: every scenario, without faults and under every single fault', async (name, file) => {
    const driver = await loadDriver(examplePath(name, file));
    const found = new Set<string>();
    try {
      for (const [scenarioName, scenario] of Object.entries(scenariosOf(driver))) {
        const baseline = runPlan(driver, scenario, null, {}, EXAMPLES);
        for (const plan of [null, ...singleFaults(baseline.allocationCalls)]) {
          const live = plan === null ? baseline : runPlan(driver, scenario, plan, {}, EXAMPLES);
          const replayed = await roundTrip(driver, `${name}-${file}`, scenarioName, scenario, plan, live);
          for (const rule of replayed) found.add(rule);
        }
      }
    } finally {
      driver.dispose();
    }
    // The sweep reaches the planted bugs (the comparison is not trivially empty).
    expect([...found].sort()).toEqual(EXPECTED[`${name}/${file}`]);
  });
});

describe('round trip of pairs of faults: each plan with a finding, as `ndis-sim examples` explores', () => {
  const twins = FILES.filter(([, file]) => file === 'broken.ts');
  it.each(twins)('%s/%s: full-lifecycle, every pair of faults that finds something', async (name, file) => {
    const driver = await loadDriver(examplePath(name, file));
    let replayed = 0;
    try {
      const scenario = scenariosOf(driver)['full-lifecycle'];
      const { allocationCalls } = runPlan(driver, scenario, null, {}, EXAMPLES);
      // explore --depth 2: every pair within the baseline's calls plus its slack.
      for (let i = 1; i <= allocationCalls; i++) {
        for (let j = i + 1; j <= allocationCalls + 4; j++) {
          const plan: FaultPlan = { kind: 'nth', ordinals: [i, j] };
          const live = runPlan(driver, scenario, plan, {}, EXAMPLES);
          if (live.violations.length === 0) continue;
          await roundTrip(driver, `${name}-${file}`, 'full-lifecycle', scenario, plan, live);
          replayed++;
        }
      }
    } finally {
      driver.dispose();
    }
    expect(replayed).toBeGreaterThan(0);
  });
});

describe('round trip of every finding of `explore` (site, nth, pairs and random plans), as `explore --record` writes them', () => {
  const twins = FILES.filter(([, file]) => file === 'broken.ts');
  it.each(twins)('%s/%s: each plan with a finding checks to its findings', async (name, file) => {
    const driver = await loadDriver(examplePath(name, file));
    try {
      const scenario = scenariosOf(driver)['full-lifecycle'];
      const result = await explore(examplePath(name, file), {
        scenarioName: 'full-lifecycle',
        scenario,
        depth: 2,
        budget: 1000,
        sites: true,
        nth: true,
        random: { rate: 0.2, runs: 8, seed: 1, tags: [] },
        jobs: 1,
        shard: null,
        engine: {},
        root: EXAMPLES,
      });
      const withFindings = result.plans.filter((p) => p.violations.length > 0);
      expect(withFindings.some((p) => p.plan.startsWith('site:'))).toBe(true);
      for (const found of withFindings) {
        const plan = parsePlan(found.plan);
        if (typeof plan === 'string') throw new Error(plan);
        await roundTrip(driver, `${name}-${file}-explore`, 'full-lifecycle', scenario, plan, found);
      }
    } finally {
      driver.dispose();
    }
  });
});
