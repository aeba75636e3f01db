/** Worker thread of `explore`: loads the driver once, runs its share of plans, posts each result. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDriver } from '../loader/load-driver.js';
import type { RunEngineOptions } from './plan-run.js';
import { runPlan } from './plan-run.js';
import type { FaultPlan } from './plans.js';
import type { Scenario } from './scenario.js';

interface Job {
  readonly file: string;
  readonly plans: readonly FaultPlan[];
  readonly scenario: Scenario;
  readonly engine: RunEngineOptions;
  readonly root: string;
}

const job = workerData as Job;
const driver = await loadDriver(job.file);
for (const plan of job.plans) {
  const result = runPlan(driver, job.scenario, plan, job.engine, job.root);
  // Violations are frozen plain data; structured clone copies them.
  parentPort?.postMessage(result);
}
driver.dispose();
