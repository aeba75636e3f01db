/** `ndis-sim explore <driver>` and `ndis-sim merge <results...>`. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { defaultJobs, explore } from '../host/explore.js';
import { Host } from '../host/host.js';
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
    engine: { policy: options.policy, rulesOff: options.ruleOff, seed: options.seed },
    root: `${path.dirname(file)}${path.sep}`,
    onProgress: bar
      ? (done, total) => {
          if (done === 1) bar.start(total, 0);
          bar.update(done);
        }
      : undefined,
  });
  bar?.stop();
  return exploreReport(result, { driver: displayPath(file), scenarioArgs });
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
