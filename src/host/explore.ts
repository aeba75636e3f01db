/**
 * Systematic fault injection over a scenario (`ndis-sim explore`): a baseline run records every
 * resource-allocating call and its driver-relative call stack; then each distinct allocation site is
 * failed once (as Driver Verifier's systematic low resources simulation does), each call ordinal is
 * failed once (fail-nth), pairs of ordinals within a budget (depth 2, so failures inside cleanup
 * paths are reached), and seeded random low-resource runs. Plan lists derive from the baseline only,
 * so `--shard i/n` splits them deterministically and `merge` joins the shards.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type DriverLoader, loadDriverWith } from '../loader/load.js';
import type { LoadedDriver } from '../loader/load-driver.js';
import { type PlanOutcome, type PlanResult, type RunEngineOptions, runPlan } from './plan-run.js';
import type { AllocationCall, FaultPlan } from './plans.js';
import type { Scenario } from './scenario.js';

export interface ExploreOptions {
  readonly scenarioName: string;
  readonly scenario: Scenario;
  /** 1: single faults; 2: also pairs of faults. */
  readonly depth: 1 | 2;
  /** Most plans to run (pairs are cut first). */
  readonly budget: number;
  readonly sites: boolean;
  readonly nth: boolean;
  /** Random low-resource runs: rate, runs, first seed, pool-tag filter. */
  readonly random: {
    readonly rate: number;
    readonly runs: number;
    readonly seed: number;
    readonly tags: readonly string[];
  } | null;
  /** Worker threads (1: in this thread). */
  readonly jobs: number;
  /** Use workers even when the plans would finish sooner in one thread (the user asked for --jobs). */
  readonly forceWorkers?: boolean;
  /** 'esm' loads the driver once with tsx (top-level await); runs then share its module state. */
  readonly loader?: DriverLoader;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly engine: RunEngineOptions;
  /** Path prefix stripped from stack frames, so sites do not depend on where the driver lives. */
  readonly root: string;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One allocation site of the baseline and what failing it led to. */
export interface SiteCoverage {
  readonly site: string;
  readonly ddi: string;
  readonly frames: readonly string[];
  /** Outcome counts of every plan whose injected faults hit this site. */
  readonly outcomes: Partial<Record<PlanOutcome, number>>;
}

/** One plan's result and its place in the whole exploration. */
export interface ExplorePlanResult extends PlanResult {
  /**
   * The plan's position (0-based) in the whole exploration's plan list, whatever the shard: shard
   * i of n holds every n-th plan, so `merge` puts the shards' plans back in this order.
   */
  readonly index: number;
}

/** The result of an exploration (plain data; `merge` joins several). */
export interface ExploreResult {
  readonly driver: string;
  readonly scenario: string;
  readonly baseline: PlanResult;
  readonly plans: readonly ExplorePlanResult[];
  readonly coverage: readonly SiteCoverage[];
  readonly shard: { readonly index: number; readonly count: number } | null;
}

/** The plans an exploration runs, from the baseline's allocation calls (deterministic). */
function enumeratePlans(calls: readonly AllocationCall[], options: ExploreOptions): FaultPlan[] {
  const plans: FaultPlan[] = [];
  const n = calls.length;
  if (options.sites) {
    const seen = new Set<string>();
    for (const call of calls) {
      if (seen.has(call.site)) continue;
      seen.add(call.site);
      plans.push({ kind: 'site', site: call.site });
    }
  }
  if (options.nth) for (let i = 1; i <= n; i++) plans.push({ kind: 'nth', ordinals: [i] });
  if (options.random) {
    for (let k = 0; k < options.random.runs; k++) {
      plans.push({
        kind: 'random',
        rate: options.random.rate,
        seed: options.random.seed + k,
        tags: options.random.tags,
      });
    }
  }
  if (options.depth === 2) {
    // Cleanup paths may allocate beyond the baseline's last call: allow a little slack.
    const last = n + 4;
    for (let i = 1; i <= n && plans.length < options.budget; i++) {
      for (let j = i + 1; j <= last && plans.length < options.budget; j++)
        plans.push({ kind: 'nth', ordinals: [i, j] });
    }
  }
  return plans.slice(0, options.budget);
}

/** Runs plans in this thread. */
function runHere(
  driver: LoadedDriver,
  plans: readonly FaultPlan[],
  options: ExploreOptions,
  done: () => void,
): PlanResult[] {
  return plans.map((plan) => {
    const result = runPlan(driver, options.scenario, plan, options.engine, options.root);
    done();
    return result;
  });
}

/**
 * Runs plans on `jobs` worker threads (static split by index; results back in plan order). Plans
 * cross as data (structured clone), never as text to parse again.
 */
async function runOnWorkers(
  file: string,
  plans: readonly FaultPlan[],
  options: ExploreOptions,
  done: () => void,
): Promise<PlanResult[]> {
  const jobs = Math.max(1, Math.min(options.jobs, plans.length));
  const results: PlanResult[] = new Array(plans.length);
  const workerUrl = new URL('./explore-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: jobs }, (_, job) => {
      const indices = plans.map((_, i) => i).filter((i) => i % jobs === job);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl, {
          workerData: {
            file,
            plans: indices.map((i) => plans[i]),
            scenario: options.scenario,
            engine: options.engine,
            root: options.root,
          },
        });
        let next = 0;
        worker.on('message', (message: PlanResult) => {
          results[indices[next++]] = message;
          done();
        });
        worker.on('error', reject);
        worker.on('exit', (code) =>
          code === 0 && next === indices.length
            ? resolve()
            : reject(new Error(`explore worker exited with ${code}`)),
        );
      });
    }),
  );
  return results;
}

const WORKER_START_MS = 500;

/** True when this module runs as built JavaScript (worker threads need a .js entry). */
function canUseWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

/** Default worker count: both cores of the machine (at most 8). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Explores the driver at `target` (a file or package folder, loaded with `options.loader`) under
 * `options`. An already loaded driver is used as is in this thread (and not disposed of); worker
 * threads always load their own from its file.
 */
export async function explore(
  target: string | LoadedDriver,
  options: ExploreOptions,
): Promise<ExploreResult> {
  const esm = options.loader === 'esm';
  const driver = typeof target === 'string' ? await loadDriverWith(target, options.loader) : target;
  try {
    const started = performance.now();
    const baseline = runPlan(driver, options.scenario, null, options.engine, options.root, true);
    const baselineMs = performance.now() - started;
    const all = enumeratePlans(baseline.calls, options);
    const shard = options.shard;
    const indices = all.map((_, i) => i).filter((i) => shard === null || i % shard.count === shard.index);
    const plans = indices.map((i) => all[i]);
    let completed = 0;
    const done = () => options.onProgress?.(++completed, plans.length);
    // A worker costs about half a second to start (it loads ndis-sim and bundles the driver): use
    // workers only when the plans take longer than that in one thread. Results are the same either way.
    const worthIt =
      options.forceWorkers === true || plans.length * baselineMs > WORKER_START_MS * options.jobs;
    const results =
      !esm && options.jobs > 1 && canUseWorkers() && plans.length > 1 && worthIt
        ? await runOnWorkers(driver.file, plans, options, done)
        : runHere(driver, plans, options, done);
    return {
      driver: driver.file,
      scenario: options.scenarioName,
      baseline,
      plans: results.map((result, k) => ({ ...result, index: indices[k] })),
      coverage: coverage(baseline.calls, results),
      shard: options.shard,
    };
  } finally {
    if (typeof target === 'string') driver.dispose();
  }
}

/**
 * Site × outcome counts: for every baseline site (in `calls` order), then every other site a fault
 * hit (in plan order), the outcomes of the plans that failed it. `merge` recounts the shards' plans
 * through it, from the baseline's rows, so a merged matrix is the unsharded one.
 */
export function coverage(
  calls: readonly Pick<AllocationCall, 'site' | 'ddi' | 'frames'>[],
  results: readonly Pick<PlanResult, 'injected' | 'outcome'>[],
): SiteCoverage[] {
  const bySite = new Map<
    string,
    { site: string; ddi: string; frames: readonly string[]; outcomes: Partial<Record<PlanOutcome, number>> }
  >();
  for (const call of calls) {
    if (!bySite.has(call.site))
      bySite.set(call.site, { site: call.site, ddi: call.ddi, frames: call.frames, outcomes: {} });
  }
  for (const result of results) {
    for (const fault of result.injected) {
      let row = bySite.get(fault.site);
      if (row === undefined) {
        row = { site: fault.site, ddi: fault.ddi, frames: fault.frames, outcomes: {} };
        bySite.set(fault.site, row);
      }
      row.outcomes[result.outcome] = (row.outcomes[result.outcome] ?? 0) + 1;
    }
  }
  return [...bySite.values()];
}
