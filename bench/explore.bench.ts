/**
 * Exploration on the DMA NIC example: the load (bundling) on its own, plans explored per second, and
 * the overhead of exploring against its floor: the same runs (baseline, then every plan explore ran)
 * made by a bare loop over runPlan, without exploration's machinery (enumeration, sharding,
 * coverage, progress). Median of several rounds, each timing both (target <= 1.2x).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ExploreOptions, explore } from '../src/host/explore.js';
import { runPlan } from '../src/host/plan-run.js';
import { type FaultPlan, parsePlan } from '../src/host/plans.js';
import { SCENARIOS } from '../src/host/scenario.js';
import { driverRoot, loadDriver } from '../src/loader/load-driver.js';
import { figure } from './harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const file = path.join(root, 'examples/dma-nic/driver.ts');
const ROUNDS = 7;
const TARGET = 1.2;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

/** Runs the exploration benchmark. */
export async function exploreBenchmarks(): Promise<void> {
  const t0 = performance.now();
  const driver = await loadDriver(file);
  const loadMs = performance.now() - t0;
  try {
    const scenario = SCENARIOS['full-lifecycle'];
    const options: ExploreOptions = {
      scenarioName: 'full-lifecycle',
      scenario,
      depth: 2,
      budget: 300,
      sites: true,
      nth: true,
      random: null,
      shard: null,
      engine: { seed: 1 },
      root: driverRoot(file),
      jobs: 1,
    };
    await explore(driver, { ...options, budget: 20 }); // warm-up

    // The plans exploration runs, as data: the floor runs exactly these.
    const first = await explore(driver, options);
    const plans = first.plans.map((p) => parsePlan(p.plan) as FaultPlan);
    const floor = () => {
      runPlan(driver, scenario, null, options.engine, options.root, true);
      for (const plan of plans) runPlan(driver, scenario, plan, options.engine, options.root);
    };
    floor(); // warm-up

    const exploreMs: number[] = [];
    const floorMs: number[] = [];
    const exploreRound = async () => {
      const t = performance.now();
      await explore(driver, options);
      exploreMs.push(performance.now() - t);
    };
    // Alternate which goes first, so neither always runs on the other's garbage.
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) await exploreRound();
      floorMs.push(timed(floor)[1]);
      if (round % 2 === 1) await exploreRound();
    }
    const runs = plans.length + 1;
    const exploring = median(exploreMs);
    const bare = median(floorMs);

    const t2 = performance.now();
    const parallel = await explore(driver, { ...options, jobs: 2, forceWorkers: true });
    const parallelMs = performance.now() - t2;

    figure('explore dma-nic: load (bundle the driver once)', loadMs, 'ms');
    figure('explore dma-nic: plans explored per second (1 thread)', (runs / exploring) * 1000, 'plans/s');
    figure(
      'explore dma-nic: plans explored per second (2 worker threads)',
      ((parallel.plans.length + 1) / parallelMs) * 1000,
      'plans/s',
    );
    const ratio = exploring / bare;
    console.log(
      `${`explore dma-nic: ${runs} runs vs the same runs bare`.padEnd(58)} ${exploring.toFixed(1).padStart(9)} ms      floor ${bare.toFixed(1).padStart(8)} ms      ratio ${ratio.toFixed(2)}x (median of ${ROUNDS}; target <= ${TARGET}x, ${ratio <= TARGET ? 'within target' : 'ABOVE target'})`,
    );
  } finally {
    driver.dispose();
  }
}
