/** `ndis-sim run <driver>`: runs scenarios through the host and prints the findings. */
import path from 'node:path';
import { Host } from '../host/host.js';
import { runPlan } from '../host/plan-run.js';
import { type FaultPlan, parsePlan } from '../host/plans.js';
import type { Scenario } from '../host/scenario.js';
import { loadDriver } from '../loader/load-driver.js';
import { loadDriverEsm } from '../loader/load-esm.js';
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
  EXIT_CLEAN,
  EXIT_FINDINGS,
  emit,
  readScenarioFile,
  summarize,
  toolVersion,
  UsageError,
} from './common.js';
import { formatRunError } from './format.js';

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
  readonly loader?: 'bundle' | 'esm';
}

/** The trace file for `scenario`: the path itself for one scenario, `<name>.<scenario>.jsonl` for several. */
function recordFile(record: string, scenario: string, several: boolean): string {
  if (!several) return record;
  const m = /^(.*?)(\.jsonl(?:\.gz)?)?$/.exec(record) as RegExpExecArray;
  return `${m[1]}.${scenario}${m[2] ?? '.jsonl'}`;
}

/** Runs the command; returns the exit code. */
export async function runCommand(target: string, options: RunCommandOptions): Promise<number> {
  const report = await runReport(target, options);
  emit(options.format === 'json' ? toJson(report) : formatRunReport(report), options.out);
  const ended = report.scenarios.some((s) => s.outcome !== 'clean' && s.outcome !== 'violations');
  return report.summary.findings > 0 || ended ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** Runs the scenarios and returns the report (no output). */
export async function runReport(target: string, options: RunCommandOptions): Promise<RunReport> {
  let plan: FaultPlan | null = null;
  if (options.faults !== undefined) {
    const parsed = parsePlan(options.faults);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    plan = parsed;
  }
  const driver = options.loader === 'esm' ? await loadDriverEsm(target) : await loadDriver(target);
  try {
    const known = new Host(driver.instantiate()).scenarios;
    const chosen: Array<[string, Scenario]> = [];
    if (options.scenarioFile !== undefined) {
      chosen.push([path.basename(options.scenarioFile), readScenarioFile(options.scenarioFile)]);
    }
    const names = options.allScenarios ? Object.keys(known) : (options.scenario ?? []);
    for (const name of names) {
      const scenario = known[name];
      if (scenario === undefined) {
        throw new UsageError(`no scenario '${name}'; known: ${Object.keys(known).join(', ')}`);
      }
      chosen.push([name, scenario]);
    }
    if (chosen.length === 0) chosen.push(['full-lifecycle', known['full-lifecycle']]);

    const engine = {
      policy: options.policy,
      rulesOff: options.ruleOff,
      seed: options.seed,
      // Sites by deterministic replay unless switched off (see runPlan).
      captureAllocationSites: options.sites ? undefined : false,
    };
    const root = `${path.dirname(driver.file)}${path.sep}`;
    const scenarios: ScenarioReport[] = chosen.map(([name, steps]) => {
      const record =
        options.record === undefined
          ? undefined
          : {
              file: recordFile(options.record, name, chosen.length > 1),
              scenario: name,
              producer: `ndis-sim ${toolVersion()} run`,
            };
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
    const report: RunReport = {
      format: RESULT_FORMAT,
      version: RESULT_VERSION,
      command: 'run',
      tool: { name: 'ndis-sim', version: toolVersion() },
      driver: displayPath(driver.file),
      seed: options.seed,
      policy: options.policy,
      scenarios,
      summary: summarize(
        scenarios.flatMap((s) => s.violations),
        scenarios.map((s) => s.outcome),
      ),
    };
    return report;
  } finally {
    driver.dispose();
  }
}

/** The text form of a run report. */
export function formatRunReport(report: RunReport): string {
  const lines = [`ndis-sim run ${report.driver} (seed ${report.seed}, policy ${report.policy})`];
  for (const s of report.scenarios) {
    const count = s.violations.filter((v) => v.severity !== 'note').length;
    lines.push(
      '',
      `== scenario ${s.scenario}${s.faults ? ` with faults ${s.faults}` : ''}: ${s.outcome}, ${count} finding(s)`,
    );
    if (s.error) lines.push(formatRunError(s.error));
    if (s.violations.length > 0) lines.push(formatFindings(s.violations));
  }
  const rules = Object.entries(report.summary.byRule)
    .map(([rule, n]) => `${rule} x${n}`)
    .join(', ');
  lines.push('', `${report.summary.findings} finding(s)${rules ? `: ${rules}` : ''}.`);
  return lines.join('\n');
}
