/** `ndis-sim explore <driver>` and `ndis-sim merge <results...>`. */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { defaultJobs, type ExploreResult, explore } from '../host/explore.js';
import { Host } from '../host/host.js';
import { findings, type RunEngineOptions, runPlan } from '../host/plan-run.js';
import { parsePlan } from '../host/plans.js';
import type { Scenario } from '../host/scenario.js';
import { loadDriver } from '../loader/load-driver.js';
import { loadDriverEsm } from '../loader/load-esm.js';
import { type ExploreReport, RESULT_FORMAT, toJson } from '../report/json.js';
import type { Policy } from '../verifier/verifier.js';
import {
  displayPath,
  EXIT_CLEAN,
  EXIT_FINDINGS,
  emit,
  parseShard,
  readScenarioFile,
  toolVersion,
  UsageError,
} from './common.js';
import { exploreReport, formatExploreReport, mergeReports } from './explore-report.js';

export interface ExploreCommandOptions {
  readonly scenario: string;
  readonly scenarioFile?: string;
  readonly depth: number;
  readonly budget: number;
  readonly sites: boolean;
  readonly nth: boolean;
  readonly randomRate?: number;
  readonly randomRuns: number;
  readonly randomTags: readonly string[];
  readonly seed: number;
  readonly jobs?: number;
  readonly shard?: string;
  readonly format: 'text' | 'json';
  readonly policy: Policy;
  readonly ruleOff: readonly string[];
  readonly out?: string;
  readonly progress?: boolean;
  readonly loader?: 'bundle' | 'esm';
  /** A folder: the trace of each plan with a finding, `<plan>.jsonl` (docs/trace-format.md). */
  readonly record?: string;
}

/** Resolves the scenario to explore and how a replay command names it. */
async function scenarioOf(
  target: string,
  options: ExploreCommandOptions,
): Promise<[string, Scenario, string[]]> {
  if (options.scenarioFile !== undefined) {
    return [
      path.basename(options.scenarioFile),
      readScenarioFile(options.scenarioFile),
      ['--scenario-file', displayPath(path.resolve(options.scenarioFile))],
    ];
  }
  const driver = options.loader === 'esm' ? await loadDriverEsm(target) : await loadDriver(target);
  try {
    const known = new Host(driver.instantiate()).scenarios;
    const scenario = known[options.scenario];
    if (scenario === undefined) {
      throw new UsageError(`no scenario '${options.scenario}'; known: ${Object.keys(known).join(', ')}`);
    }
    return [options.scenario, scenario, ['--scenario', options.scenario]];
  } finally {
    driver.dispose();
  }
}

/** Runs `explore`; returns the exit code. */
export async function exploreCommand(target: string, options: ExploreCommandOptions): Promise<number> {
  const report = await exploreReportFor(target, options);
  emit(options.format === 'json' ? toJson(report) : formatExploreReport(report), options.out);
  return exitCode(report);
}

/** Explores and returns the report (no output). */
export async function exploreReportFor(
  target: string,
  options: ExploreCommandOptions,
): Promise<ExploreReport> {
  if (options.depth !== 1 && options.depth !== 2) throw new UsageError('--depth is 1 or 2');
  const shard = parseShard(options.shard);
  const [name, scenario, scenarioArgs] = await scenarioOf(target, options);
  const showProgress = options.progress ?? process.stderr.isTTY === true;
  const bar = showProgress
    ? new SingleBar({ stream: process.stderr, format: 'exploring {bar} {value}/{total} plans' })
    : null;
  const file = path.resolve(target);
  const engine: RunEngineOptions = { policy: options.policy, rulesOff: options.ruleOff, seed: options.seed };
  const root = `${path.dirname(file)}${path.sep}`;
  const result = await explore(file, {
    scenarioName: name,
    scenario,
    depth: options.depth,
    budget: options.budget,
    sites: options.sites,
    nth: options.nth,
    random:
      options.randomRate !== undefined
        ? { rate: options.randomRate, runs: options.randomRuns, seed: options.seed, tags: options.randomTags }
        : null,
    jobs: options.jobs ?? defaultJobs(),
    forceWorkers: options.jobs !== undefined,
    loader: options.loader,
    shard,
    engine,
    root,
    onProgress: bar
      ? (done, total) => {
          if (done === 1) bar.start(total, 0);
          bar.update(done);
        }
      : undefined,
  });
  bar?.stop();
  if (options.record !== undefined)
    await recordFindings(file, options.record, options.loader, name, scenario, result, engine, root);
  return exploreReport(result, { driver: displayPath(file), scenarioArgs });
}

/** A plan's text as a file name: `nth:3+7` is `nth-3+7`, `random:0.05@2[Rx*]` is `random-0.05-2-Rx-`. */
export function planFileName(plan: string): string {
  return plan.replace(/[^A-Za-z0-9.+_-]+/g, '-');
}

/**
 * `explore --record <dir>`: writes `<dir>/<plan>.jsonl`, the trace of each plan with a finding (the
 * baseline too, as `none.jsonl`, if it has one). Each plan runs again here, recording, with the
 * exploration's scenario, seed, policy and rules: the same run, so the same findings.
 */
async function recordFindings(
  file: string,
  dir: string,
  loader: 'bundle' | 'esm' | undefined,
  scenarioName: string,
  scenario: Scenario,
  result: ExploreResult,
  engine: RunEngineOptions,
  root: string,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const plans = [result.baseline, ...result.plans].filter((p) => findings(p.violations).length > 0);
  if (plans.length === 0) return;
  const driver = loader === 'esm' ? await loadDriverEsm(file) : await loadDriver(file);
  try {
    const producer = `ndis-sim ${toolVersion()} explore`;
    for (const p of plans) {
      const plan = p.plan === 'none' ? null : parsePlan(p.plan);
      // Every plan explore ran has the text form it parses back from.
      if (typeof plan === 'string') throw new Error(plan);
      const trace = path.join(dir, `${planFileName(p.plan)}.jsonl`);
      runPlan(driver, scenario, plan, engine, root, false, { file: trace, scenario: scenarioName, producer });
    }
  } finally {
    driver.dispose();
  }
}

/** 1 when the exploration found anything (a finding, or a run that ended early), else 0. */
export function exitCode(report: ExploreReport): number {
  const ended = report.plans.some((p) => p.outcome !== 'clean' && p.outcome !== 'violations');
  return report.summary.findings > 0 || ended || report.baseline.outcome !== 'clean'
    ? EXIT_FINDINGS
    : EXIT_CLEAN;
}

/** Runs `merge`; returns the exit code of the merged result. */
export function mergeCommand(
  files: readonly string[],
  options: { format: 'text' | 'json'; out?: string },
): number {
  const reports = files.map((file) => {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const report = value as Partial<ExploreReport>;
    if (report.format !== RESULT_FORMAT || report.command !== 'explore') {
      throw new UsageError(`${file} is not an explore result of ndis-sim (--format json)`);
    }
    return report as ExploreReport;
  });
  if (reports.length === 0) throw new UsageError('merge needs at least one result file');
  let merged: ExploreReport;
  try {
    merged = mergeReports(reports);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  emit(options.format === 'json' ? toJson(merged) : formatExploreReport(merged), options.out);
  return exitCode(merged);
}
