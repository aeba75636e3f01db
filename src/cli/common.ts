/** Shared pieces of the ndis-sim command: options, scenarios, output, exit codes. */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { endedEarly, findings } from '../host/plan-run.js';
import type { Scenario } from '../host/scenario.js';
import { checkStep } from '../host/scenario.js';
import type { ExploreReport, RunReport, Summary } from '../report/json.js';
import type { Policy } from '../verifier/verifier.js';
import type { Violation } from '../verifier/violation.js';

/** Exit codes: 0 no findings, 1 findings, 2 usage, load or output error. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** The default of `--seed` (a replay command names only the settings that differ from the defaults). */
export const DEFAULT_SEED = 1;
/** The default of `--policy`: record every finding and run on. */
export const DEFAULT_POLICY: Policy = 'record';

/** A usage error (bad option, unreadable scenario file): exit code 2 with its message. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** An output (`-o`, `--record`) that cannot be written: exit code 2 with its message. */
export class OutputError extends UsageError {
  override readonly name = 'OutputError';
}

/** The package version. */
export function toolVersion(): string {
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}

/** Reads a scenario file (a JSON array of host steps), checking every step. */
export function readScenarioFile(file: string): Scenario {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read scenario file ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(value))
    throw new UsageError(`scenario file ${file}: a scenario is a JSON array of steps`);
  value.forEach((step, i) => {
    const problem = checkStep(step);
    if (problem !== null) throw new UsageError(`scenario file ${file}, step ${i}: ${problem}`);
  });
  return value as Scenario;
}

/** The scenario called `name` among `known` (a host's defaults and the driver's own); usage error if none. */
export function scenarioByName(known: Readonly<Record<string, Scenario>>, name: string): Scenario {
  const scenario = known[name];
  if (scenario === undefined)
    throw new UsageError(`no scenario '${name}'; known: ${Object.keys(known).join(', ')}`);
  return scenario;
}

/** Parses `--shard i/n` (1-based i on the command line). */
export function parseShard(text: string | undefined): { index: number; count: number } | null {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const i = m ? Number(m[1]) : 0;
  const n = m ? Number(m[2]) : 0;
  if (!m || n < 1 || i < 1 || i > n)
    throw new UsageError(`--shard takes i/n with 1 <= i <= n, not '${text}'`);
  return { index: i - 1, count: n };
}

/** Parses a whole-number option (a safe integer: seeds feed the seeded generator, which needs one). */
export function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0 || text.trim() === '')
    throw new UsageError(`${name} takes a whole number, not '${text}'`);
  return n;
}

/**
 * Makes sure `file` can be written before any work is done (its folder is created when missing):
 * an output that cannot be written fails at once, with its reason, not after a long exploration.
 */
export function prepareOutput(file: string | undefined): void {
  if (file === undefined) return;
  try {
    const dir = path.dirname(path.resolve(file));
    mkdirSync(dir, { recursive: true });
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) throw new Error('it is a folder');
      accessSync(file, constants.W_OK);
    } else accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new OutputError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Makes sure `dir` is a folder that can be written (created when missing), before any work. */
export function prepareFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('it is not a folder');
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new OutputError(`cannot write into ${dir}: ${(error as Error).message}`);
  }
}

/** Writes `text` to `file` (or standard output when no file). */
export function emit(text: string, file: string | undefined): void {
  if (file === undefined) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new OutputError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Findings (errors and warnings) counted by rule. */
export function summarize(violations: readonly Violation[], outcomes: readonly string[]): Summary {
  const byRule: Record<string, number> = {};
  const found = findings(violations);
  for (const v of found) byRule[v.rule] = (byRule[v.rule] ?? 0) + 1;
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return { findings: found.length, byRule, outcomes: counts };
}

/** The outcome of every run a report holds: `run`'s scenarios; `explore`'s baseline and plans. */
export function reportOutcomes(report: RunReport | ExploreReport): string[] {
  return report.command === 'explore'
    ? [report.baseline.outcome, ...report.plans.map((p) => p.outcome)]
    : report.scenarios.map((s) => s.outcome);
}

/**
 * The exit code of a report: 1 when it has a finding or a run that ended early (threw, hung,
 * bug-checked, refused a step, failed inside ndis-sim), else 0. `run`, `explore`, `check`, `merge`
 * and `examples` all decide through it.
 */
export function reportExitCode(report: RunReport | ExploreReport): number {
  return report.summary.findings > 0 || reportOutcomes(report).some(endedEarly) ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** A path as the user would type it again (relative to the working directory when inside it). */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** Quotes a shell argument when it needs it. */
export function shellQuote(text: string): string {
  return /^[\w./:@+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
