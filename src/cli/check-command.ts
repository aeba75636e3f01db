/**
 * `ndis-sim check <trace.jsonl | trace.jsonl.gz | ->`: replays a recorded trace through the same
 * engine and rules as `run` (no driver code runs), streaming; same findings, formats and exit codes.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { findings } from '../host/plan-run.js';
import { type RunReport, toJson } from '../report/json.js';
import { type CheckResult, checkTrace } from '../trace/replay.js';
import type { Policy } from '../verifier/verifier.js';
import {
  displayPath,
  EXIT_FINDINGS,
  EXIT_USAGE,
  emit,
  prepareOutput,
  reportExitCode,
  UsageError,
} from './common.js';
import { formatRunReport, makeRunReport } from './run-command.js';

export interface CheckCommandOptions {
  readonly format: 'text' | 'json';
  readonly policy: Policy;
  readonly ruleOff: readonly string[];
  readonly seed: number;
  readonly strict?: boolean;
  readonly out?: string;
  readonly progress?: boolean;
}

/** The trace errors as report lines (`file:line: message`). */
function errorLines(result: CheckResult): string[] {
  const lines = result.errors.map((e) => String(e));
  if (result.errorCount > result.errors.length)
    lines.push(`... and ${result.errorCount - result.errors.length} more`);
  return lines;
}

/**
 * The size of the trace file at `input`, opened once to be sure it can be read at all: a trace
 * that cannot be opened (missing, a folder, no permission) is a usage error, not a trace error.
 */
function traceSize(input: string): number {
  let fd: number;
  try {
    fd = openSync(input, 'r');
  } catch (error) {
    throw new UsageError(`cannot read trace ${input}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`cannot read trace ${input}: it is a folder`);
    return stat.size;
  } finally {
    closeSync(fd);
  }
}

/** Runs `check`; returns the exit code. */
export async function checkCommand(input: string, options: CheckCommandOptions): Promise<number> {
  prepareOutput(options.out);
  const size = input === '-' ? 0 : traceSize(input);
  const showProgress = (options.progress ?? process.stderr.isTTY === true) && size > 0;
  const bar = showProgress
    ? new SingleBar({ stream: process.stderr, format: 'checking {bar} {percentage}% of the trace' })
    : null;
  bar?.start(size, 0);
  const result = await checkTrace(input, {
    policy: options.policy,
    rulesOff: options.ruleOff,
    seed: options.seed,
    strict: options.strict,
    onProgress: bar ? (bytes) => bar.update(bytes) : undefined,
  });
  bar?.stop();
  const outcome =
    result.bugCheck !== null ? 'bugcheck' : findings(result.violations).length > 0 ? 'violations' : 'clean';
  const report: RunReport & {
    readonly trace: { events: number; lines: number; bytes: number; errors: readonly string[] };
  } = {
    ...makeRunReport('check', input === '-' ? '<stdin>' : displayPath(input), options, [
      { scenario: 'trace', faults: null, outcome, error: null, violations: result.violations, timeMs: 0 },
    ]),
    trace: { events: result.events, lines: result.lines, bytes: result.bytes, errors: errorLines(result) },
  };
  if (options.format === 'json') emit(toJson(report), options.out);
  else {
    const text = [formatRunReport(report)];
    if (result.errorCount > 0)
      text.push('', `${result.errorCount} trace error(s):`, ...errorLines(result).map((l) => `  ${l}`));
    text.push(`${result.events} event(s) in ${result.lines} line(s) checked.`);
    emit(text.join('\n'), options.out);
  }
  if (options.strict && result.errorCount > 0) return EXIT_USAGE;
  return result.errorCount > 0 ? EXIT_FINDINGS : reportExitCode(report);
}
