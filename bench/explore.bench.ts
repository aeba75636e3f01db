/**
 * Exploration throughput on the DMA NIC example: fault plans explored per second, and the overhead
 * of exploring against running the same number of plain scenario runs (target <= 1.2x).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { explore } from '../src/host/explore.js';
import { runPlan } from '../src/host/plan-run.js';
import { SCENARIOS } from '../src/host/scenario.js';
import { loadDriver } from '../src/loader/load-driver.js';
import { figure } from './harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const file = path.join(root, 'examples/dma-nic/driver.ts');

/** Runs the exploration benchmark. */
export async function exploreBenchmarks(): Promise<void> {
  const scenario = SCENARIOS['full-lifecycle'];
  const options = {
    scenarioName: 'full-lifecycle',
    scenario,
    depth: 2 as const,
    budget: 300,
    sites: true,
    nth: true,
    random: null,
    shard: null,
    engine: { seed: 1 },
    root: `${path.dirname(file)}${path.sep}`,
  };
  await explore(file, { ...options, jobs: 1, budget: 20 }); // warm-up
  const t0 = performance.now();
  const result = await explore(file, { ...options, jobs: 1 });
  const exploreMs = performance.now() - t0;
  const plans = result.plans.length + 1;

  const driver = await loadDriver(file);
  for (let i = 0; i < 20; i++)
    runPlan(driver, scenario, null, { seed: 1, captureAllocationSites: false }, options.root);
  const runs = 200;
  const t1 = performance.now();
  for (let i = 0; i < runs; i++)
    runPlan(driver, scenario, null, { seed: 1, captureAllocationSites: false }, options.root);
  const plainMs = (performance.now() - t1) / runs;
  driver.dispose();

  const t2 = performance.now();
  const parallel = await explore(file, { ...options, jobs: 2, forceWorkers: true });
  const parallelMs = performance.now() - t2;

  figure('explore dma-nic: plans explored per second (1 thread)', (plans / exploreMs) * 1000, 'plans/s');
  figure(
    'explore dma-nic: plans explored per second (2 worker threads)',
    ((parallel.plans.length + 1) / parallelMs) * 1000,
    'plans/s',
  );
  figure('explore dma-nic: one plain scenario run', plainMs, 'ms');
  const ratio = exploreMs / (plans * plainMs);
  console.log(
    `${'explore overhead vs plans x plain run'.padEnd(58)} ${ratio.toFixed(2).padStart(9)}x      (${plans} plans; target <= 1.2x, ${ratio <= 1.2 ? 'within target' : 'ABOVE target'})`,
  );
}
