/** `ndis-sim run <driver>`: runs scenarios through the host and prints the findings. */
import path from 'node:path';
import { Host } from '../host/host.js';
import { findings, runPlan } from '../host/plan-run.js';
import { type FaultPlan, parsePlan } from '../host/plans.js';
import type { Scenario } from '../host/scenario.js';
import { type DriverLoader, loadDriverWith } from '../loader/load.js';
import { driverRoot, type LoadedDriver } from '../loader/load-driver.js';
import {
  RESULT_FORMAT,
  RESULT_VERSION,
  type RunReport,
  type ScenarioReport,
  toJson,
} from '../report/json.js';
import { formatFindings } from '../report/text.js';
import type { Policy } from '../verifier/verifier.js';
import {
  displayPath,
  emit,
  prepareOutput,
  readScenarioFile,
  reportExitCode,
  scenarioByName,
  summarize,
  toolVersion,
  UsageError,
} from './common.js';
import { formatRunError, ruleCounts } from './format.js';

export interface RunCommandOptions {
  readonly scenario?: readonly string[];
  readonly scenarioFile?: string;
  readonly allScenarios?: boolean;
  readonly format: 'text' | 'json';
  readonly policy: Policy;
  readonly ruleOff: readonly string[];
  readonly seed: number;
  readonly faults?: string;
  readonly out?: string;
  readonly sites: boolean;
  /** Record each scenario's run as a trace (docs/trace-format.md). */
  readonly record?: string;
  /** 'bundle' (default: esbuild, a fresh instance per run) or 'esm' (tsx; top-level await). */
  readonly loader?: DriverLoader;
}

/** The trace file for `scenario`: the path itself for one scenario, `<name>.<scenario>.jsonl` for several. */
function recordFile(record: string, scenario: string, several: boolean): string {
  if (!several) return record;
  const m = /^(.*?)(\.jsonl(?:\.gz)?)?$/.exec(record) as RegExpExecArray;
  return `${m[1]}.${scenario}${m[2] ?? '.jsonl'}`;
}

/** Runs the command; returns the exit code. */
export async function runCommand(target: string, options: RunCommandOptions): Promise<number> {
  prepareOutput(options.out);
  const report = await runReport(target, options);
  emit(options.format === 'json' ? toJson(report) : formatRunReport(report), options.out);
  return reportExitCode(report);
}

/** A `run` (or `check`) report of `scenarios`: the versioned header and the summary around them. */
export function makeRunReport(
  command: RunReport['command'],
  driver: string,
  options: Pick<RunCommandOptions, 'seed' | 'policy'>,
  scenarios: readonly ScenarioReport[],
): RunReport {
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    command,
    tool: { name: 'ndis-sim', version: toolVersion() },
    driver,
    seed: options.seed,
    policy: options.policy,
    scenarios,
    summary: summarize(
      scenarios.flatMap((s) => s.violations),
      scenarios.map((s) => s.outcome),
    ),
  };
}

/**
 * Runs the scenarios and returns the report (no output). `loaded`: the driver at `target`, already
 * loaded by the caller (who disposes of it); else it is loaded here with `options.loader`.
 */
export async function runReport(
  target: string,
  options: RunCommandOptions,
  loaded?: LoadedDriver,
): Promise<RunReport> {
  let plan: FaultPlan | null = null;
  if (options.faults !== undefined) {
    const parsed = parsePlan(options.faults);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    plan = parsed;
  }
  const driver = loaded ?? (await loadDriverWith(target, options.loader));
  try {
    const known = new Host(driver.instantiate()).scenarios;
    const chosen: Array<[string, Scenario]> = [];
    if (options.scenarioFile !== undefined) {
      chosen.push([path.basename(options.scenarioFile), readScenarioFile(options.scenarioFile)]);
    }
    const names = options.allScenarios ? Object.keys(known) : (options.scenario ?? []);
    for (const name of names) chosen.push([name, scenarioByName(known, name)]);
    if (chosen.length === 0) chosen.push(['full-lifecycle', known['full-lifecycle']]);
    const records = chosen.map(([name]) =>
      options.record === undefined ? undefined : recordFile(options.record, name, chosen.length > 1),
    );
    for (const file of records) prepareOutput(file);

    const engine = {
      policy: options.policy,
      rulesOff: options.ruleOff,
      seed: options.seed,
      // Sites by deterministic replay unless switched off (see runPlan).
      captureAllocationSites: options.sites ? undefined : false,
    };
    const root = driverRoot(driver.file);
    const producer = `ndis-sim ${toolVersion()} run`;
    const scenarios: ScenarioReport[] = chosen.map(([name, steps], i) => {
      const file = records[i];
      const record = file === undefined ? undefined : { file, scenario: name, producer };
      const result = runPlan(driver, steps, plan, engine, root, false, record);
      return {
        scenario: name,
        faults: plan === null ? null : (options.faults ?? null),
        outcome: result.outcome,
        error: result.error,
        violations: result.violations,
        timeMs: result.timeMs,
      };
    });
    return makeRunReport('run', displayPath(driver.file), options, scenarios);
  } finally {
    if (loaded === undefined) driver.dispose();
  }
}

/** The text form of a run (or check) report. */
export function formatRunReport(report: RunReport): string {
  const lines = [
    `ndis-sim ${report.command} ${report.driver} (seed ${report.seed}, policy ${report.policy})`,
  ];
  for (const s of report.scenarios) {
    const count = findings(s.violations).length;
    lines.push(
      '',
      `== scenario ${s.scenario}${s.faults ? ` with faults ${s.faults}` : ''}: ${s.outcome}, ${count} finding(s)`,
    );
    if (s.error) lines.push(formatRunError(s.error));
    if (s.violations.length > 0) lines.push(formatFindings(s.violations));
  }
  const rules = ruleCounts(report.summary.byRule);
  lines.push('', `${report.summary.findings} finding(s)${rules ? `: ${rules}` : ''}.`);
  return lines.join('\n');
}
