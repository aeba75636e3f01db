/** Shared pieces of the ndis-sim command: options, scenarios, output, exit codes. */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Scenario } from '../host/scenario.js';
import { checkStep } from '../host/scenario.js';
import type { Summary } from '../report/json.js';
import type { Violation } from '../verifier/violation.js';

/** Exit codes: 0 no findings, 1 findings, 2 usage or load error. */
export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A usage error (bad option, unreadable scenario file): exit code 2 with its message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
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

/** Parses a positive integer option. */
export function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${name} takes a whole number, not '${text}'`);
  return n;
}

/** Writes `text` to `file` (or standard output when no file). */
export function emit(text: string, file: string | undefined): void {
  if (file === undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  else writeFileSync(file, text);
}

/** Findings (errors and warnings) counted by rule. */
export function summarize(violations: readonly Violation[], outcomes: readonly string[]): Summary {
  const byRule: Record<string, number> = {};
  let findings = 0;
  for (const v of violations) {
    if (v.severity === 'note') continue;
    findings++;
    byRule[v.rule] = (byRule[v.rule] ?? 0) + 1;
  }
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return { findings, byRule, outcomes: counts };
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
