/** `ndis-sim explore <driver>` and `ndis-sim merge <results...>`. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { defaultJobs, type ExploreResult, explore } from '../host/explore.js';
import { Host } from '../host/host.js';
import { findings, type RunEngineOptions, runPlan } from '../host/plan-run.js';
import { parsePlan, tagPatternProblem } from '../host/plans.js';
import type { Scenario } from '../host/scenario.js';
import { type DriverLoader, loadDriverWith } from '../loader/load.js';
import { driverRoot, type LoadedDriver } from '../loader/load-driver.js';
import { type ExploreReport, RESULT_FORMAT, toJson } from '../report/json.js';
import type { Policy } from '../verifier/verifier.js';
import {
  displayPath,
  emit,
  parseShard,
  prepareFolder,
  prepareOutput,
  readScenarioFile,
  reportExitCode,
  scenarioByName,
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
  readonly loader?: DriverLoader;
  /** A folder: the trace of each plan with a finding, `<plan>.jsonl` (docs/trace-format.md). */
  readonly record?: string;
}

/** The scenario to explore (of the loaded driver, or from the scenario file) and how a replay names it. */
function scenarioOf(driver: LoadedDriver, options: ExploreCommandOptions): [string, Scenario, string[]] {
  if (options.scenarioFile !== undefined) {
    return [
      path.basename(options.scenarioFile),
      readScenarioFile(options.scenarioFile),
      ['--scenario-file', displayPath(path.resolve(options.scenarioFile))],
    ];
  }
  const known = new Host(driver.instantiate()).scenarios;
  return [options.scenario, scenarioByName(known, options.scenario), ['--scenario', options.scenario]];
}

/** Runs `explore`; returns the exit code. */
export async function exploreCommand(target: string, options: ExploreCommandOptions): Promise<number> {
  prepareOutput(options.out);
  const report = await exploreReportFor(target, options);
  emit(options.format === 'json' ? toJson(report) : formatExploreReport(report), options.out);
  return reportExitCode(report);
}

/**
 * Explores and returns the report (no output). `loaded`: the driver at `target`, already loaded by
 * the caller (who disposes of it); else it is loaded here, once, with `options.loader`.
 */
export async function exploreReportFor(
  target: string,
  options: ExploreCommandOptions,
  loaded?: LoadedDriver,
): Promise<ExploreReport> {
  if (options.depth !== 1 && options.depth !== 2) throw new UsageError('--depth is 1 or 2');
  const shard = parseShard(options.shard);
  for (const tag of options.randomTags) {
    const problem = tagPatternProblem(tag);
    if (problem !== null) throw new UsageError(`--random-tags: ${problem}`);
  }
  if (options.record !== undefined) prepareFolder(options.record);
  const driver = loaded ?? (await loadDriverWith(target, options.loader));
  try {
    const [name, scenario, scenarioArgs] = scenarioOf(driver, options);
    const showProgress = options.progress ?? process.stderr.isTTY === true;
    const bar = showProgress
      ? new SingleBar({ stream: process.stderr, format: 'exploring {bar} {value}/{total} plans' })
      : null;
    const engine: RunEngineOptions = {
      policy: options.policy,
      rulesOff: options.ruleOff,
      seed: options.seed,
    };
    // The same root as `run` uses, so every `site:` plan printed here replays there.
    const root = driverRoot(driver.file);
    const result = await explore(driver, {
      scenarioName: name,
      scenario,
      depth: options.depth,
      budget: options.budget,
      sites: options.sites,
      nth: options.nth,
      random:
        options.randomRate !== undefined
          ? {
              rate: options.randomRate,
              runs: options.randomRuns,
              seed: options.seed,
              tags: options.randomTags,
            }
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
      recordFindings(driver, options.record, name, scenario, result, engine, root);
    return exploreReport(result, {
      driver: displayPath(path.resolve(target)),
      scenarioArgs,
      seed: options.seed,
      policy: options.policy,
      rulesOff: options.ruleOff,
      loader: options.loader,
    });
  } finally {
    if (loaded === undefined) driver.dispose();
  }
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
function recordFindings(
  driver: LoadedDriver,
  dir: string,
  scenarioName: string,
  scenario: Scenario,
  result: ExploreResult,
  engine: RunEngineOptions,
  root: string,
): void {
  const plans = [result.baseline, ...result.plans].filter((p) => findings(p.violations).length > 0);
  const producer = `ndis-sim ${toolVersion()} explore`;
  for (const p of plans) {
    const plan = p.plan === 'none' ? null : parsePlan(p.plan);
    // Every plan explore ran reads back from its text form (formatPlan and parsePlan round-trip).
    if (typeof plan === 'string') throw new Error(`internal: plan ${p.plan} does not read back: ${plan}`);
    const trace = path.join(dir, `${planFileName(p.plan)}.jsonl`);
    runPlan(driver, scenario, plan, engine, root, false, { file: trace, scenario: scenarioName, producer });
  }
}

/** Runs `merge`; returns the exit code of the merged result. */
export function mergeCommand(
  files: readonly string[],
  options: { format: 'text' | 'json'; out?: string },
): number {
  prepareOutput(options.out);
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
  const merged = mergeReports(reports);
  emit(options.format === 'json' ? toJson(merged) : formatExploreReport(merged), options.out);
  return reportExitCode(merged);
}
