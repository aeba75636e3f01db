/**
 * The JSON result format (versioned; documented in docs/result-format.md). Every command writes one
 * object with `format: 'ndis-sim-result'`, `version` and `command`; `merge` reads explore results back.
 */
import type { ExploreResult } from '../host/explore.js';
import type { PlanOutcome, PlanResult } from '../host/plan-run.js';
import type { RunError } from '../host/result.js';
import type { Violation } from '../verifier/violation.js';

export const RESULT_FORMAT = 'ndis-sim-result';
export const RESULT_VERSION = 1;

/** One scenario run by `run`. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly faults: string | null;
  readonly outcome: string;
  readonly error: RunError | null;
  readonly violations: readonly Violation[];
  readonly timeMs: number;
}

/** `run`'s result. */
export interface RunReport {
  readonly format: typeof RESULT_FORMAT;
  readonly version: typeof RESULT_VERSION;
  readonly command: 'run' | 'check';
  readonly tool: { readonly name: 'ndis-sim'; readonly version: string };
  readonly driver: string;
  readonly seed: number;
  readonly policy: string;
  readonly scenarios: readonly ScenarioReport[];
  readonly summary: Summary;
}

/** A finding of `explore`, grouped by rule, with the plan that reproduces it. */
export interface ExploreFinding {
  readonly rule: string;
  readonly severity: string;
  readonly title: string;
  readonly link: string;
  /** Plans in which the rule fired. */
  readonly plans: number;
  /** The first plan that produced it and the command that replays it. */
  readonly plan: string;
  readonly replay: string;
  readonly example: Violation;
}

/** A plan's outcome in the report (the full violations stay in `findings`' examples). */
export interface PlanReport {
  readonly plan: string;
  /**
   * The plan's position (0-based) in the whole exploration's plan list, whatever the shard (absent
   * in results of older versions; `merge` then derives it from the one shard the result holds).
   */
  readonly index?: number;
  readonly outcome: PlanOutcome;
  readonly rules: readonly string[];
  readonly injected: PlanResult['injected'];
  readonly error: RunError | null;
  readonly replay: string;
}

/** `explore`'s (and `merge`'s) result. */
export interface ExploreReport {
  readonly format: typeof RESULT_FORMAT;
  readonly version: typeof RESULT_VERSION;
  readonly command: 'explore';
  readonly tool: { readonly name: 'ndis-sim'; readonly version: string };
  readonly driver: string;
  readonly scenario: string;
  /** The settings every plan ran with (absent in results of older versions). */
  readonly seed?: number;
  readonly policy?: string;
  readonly rulesOff?: readonly string[];
  readonly shards: readonly string[];
  readonly baseline: {
    readonly outcome: string;
    readonly allocationCalls: number;
    readonly sites: number;
    readonly rules: readonly string[];
  };
  readonly plans: readonly PlanReport[];
  readonly coverage: ExploreResult['coverage'];
  readonly findings: readonly ExploreFinding[];
  readonly summary: Summary;
}

export interface Summary {
  readonly findings: number;
  readonly byRule: Readonly<Record<string, number>>;
  readonly outcomes: Readonly<Record<string, number>>;
}

/** JSON text of a report; BigInt values (64-bit fields) become decimal strings. */
export function toJson(report: unknown): string {
  return `${JSON.stringify(report, (_, value) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`;
}
