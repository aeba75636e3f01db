/**
 * `ndis-sim check <trace.jsonl | trace.jsonl.gz | ->`: replays a recorded trace through the same
 * engine and rules as `run` (no driver code runs), streaming; same findings, formats and exit codes.
 */
import { statSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { RESULT_FORMAT, RESULT_VERSION, type RunReport, toJson } from '../report/json.js';
import { type CheckResult, checkTrace } from '../trace/replay.js';
import type { Policy } from '../verifier/verifier.js';
import {
  displayPath,
  EXIT_CLEAN,
  EXIT_FINDINGS,
  EXIT_USAGE,
  emit,
  summarize,
  toolVersion,
} from './common.js';
import { formatRunReport } from './run-command.js';

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

/** Runs `check`; returns the exit code. */
export async function checkCommand(input: string, options: CheckCommandOptions): Promise<number> {
  let size = 0;
  if (input !== '-') {
    try {
      size = statSync(input).size;
    } catch {
      process.stderr.write(`ndis-sim: cannot read trace ${input}: no such file\n`);
      return EXIT_USAGE;
    }
  }
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
    result.bugCheck !== null
      ? 'bugcheck'
      : result.violations.some((v) => v.severity !== 'note')
        ? 'violations'
        : 'clean';
  const report: RunReport & {
    readonly trace: { events: number; lines: number; bytes: number; errors: readonly string[] };
  } = {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    command: 'check',
    tool: { name: 'ndis-sim', version: toolVersion() },
    driver: input === '-' ? '<stdin>' : displayPath(input),
    seed: options.seed,
    policy: options.policy,
    scenarios: [
      { scenario: 'trace', faults: null, outcome, error: null, violations: result.violations, timeMs: 0 },
    ],
    summary: summarize(result.violations, [outcome]),
    trace: { events: result.events, lines: result.lines, bytes: result.bytes, errors: errorLines(result) },
  };
  if (options.format === 'json') emit(toJson(report), options.out);
  else {
    const text = [formatRunReport(report).replace(/^ndis-sim run /, 'ndis-sim check ')];
    if (result.errorCount > 0)
      text.push('', `${result.errorCount} trace error(s):`, ...errorLines(result).map((l) => `  ${l}`));
    text.push(`${result.events} event(s) in ${result.lines} line(s) checked.`);
    emit(text.join('\n'), options.out);
  }
  if (options.strict && result.errorCount > 0) return EXIT_USAGE;
  return report.summary.findings > 0 || result.errorCount > 0 || outcome === 'bugcheck'
    ? EXIT_FINDINGS
    : EXIT_CLEAN;
}
