/** Turning exploration results into the report (JSON and text), and merging shard reports. */
import { coverage, type ExploreResult } from '../host/explore.js';
import { endedEarly, findings, type PlanResult } from '../host/plan-run.js';
import type { DriverLoader } from '../loader/load.js';
import {
  type ExploreFinding,
  type ExploreReport,
  type PlanReport,
  RESULT_FORMAT,
  RESULT_VERSION,
  type Summary,
} from '../report/json.js';
import { formatViolation } from '../report/text.js';
import type { Policy } from '../verifier/verifier.js';
import { DEFAULT_POLICY, DEFAULT_SEED, shellQuote, toolVersion, UsageError } from './common.js';
import { formatRunError, table } from './format.js';

/** How to say `run` again for one plan of this exploration: the driver, scenario and settings. */
export interface ReplayBase {
  readonly driver: string;
  /** `--scenario name` or `--scenario-file file`. */
  readonly scenarioArgs: readonly string[];
  readonly seed: number;
  readonly policy: Policy;
  readonly rulesOff: readonly string[];
  readonly loader?: DriverLoader;
}

/** The `run` command that replays `plan`: every setting that differs from run's default is named. */
function replay(base: ReplayBase, plan: string): string {
  const args = ['ndis-sim', 'run', base.driver, ...base.scenarioArgs];
  if (plan !== 'none') args.push('--faults', plan);
  if (base.policy !== DEFAULT_POLICY) args.push('--policy', base.policy);
  for (const rule of base.rulesOff) args.push('--rule-off', rule);
  if (base.seed !== DEFAULT_SEED) args.push('--seed', String(base.seed));
  if (base.loader === 'esm') args.push('--loader', 'esm');
  return args.map(shellQuote).join(' ');
}

/** The rule ids of a run's findings (errors and warnings), each once, in order of first appearance. */
function rulesOf(result: PlanResult): string[] {
  return [...new Set(findings(result.violations).map((v) => v.rule))];
}

function planReport(result: PlanResult & { readonly index: number }, base: ReplayBase): PlanReport {
  return {
    plan: result.plan,
    index: result.index,
    outcome: result.outcome,
    rules: rulesOf(result),
    injected: result.injected,
    error: result.error,
    replay: replay(base, result.plan),
  };
}

/** Findings grouped by rule, each with the first plan that produced it. */
function findingsOf(results: readonly PlanResult[], base: ReplayBase): ExploreFinding[] {
  const byRule = new Map<string, { finding: ExploreFinding; plans: number }>();
  for (const result of results) {
    const seen = new Set<string>();
    for (const v of findings(result.violations)) {
      if (seen.has(v.rule)) continue;
      seen.add(v.rule);
      const entry = byRule.get(v.rule);
      if (entry) entry.plans++;
      else {
        byRule.set(v.rule, {
          plans: 1,
          finding: {
            rule: v.rule,
            severity: v.severity,
            title: v.title,
            link: v.link,
            plans: 1,
            plan: result.plan,
            replay: replay(base, result.plan),
            example: v,
          },
        });
      }
    }
  }
  return [...byRule.values()].map(({ finding, plans }) => ({ ...finding, plans }));
}

function summaryOf(findings: readonly ExploreFinding[], plans: readonly PlanReport[]): Summary {
  const byRule: Record<string, number> = {};
  for (const f of findings) byRule[f.rule] = f.plans;
  const outcomes: Record<string, number> = {};
  for (const p of plans) outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1;
  return { findings: findings.length, byRule, outcomes };
}

/** The report of one exploration (or one shard of it). */
export function exploreReport(result: ExploreResult, base: ReplayBase): ExploreReport {
  const plans = result.plans.map((p) => planReport(p, base));
  const found = findingsOf([result.baseline, ...result.plans], base);
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    command: 'explore',
    tool: { name: 'ndis-sim', version: toolVersion() },
    driver: base.driver,
    scenario: result.scenario,
    seed: base.seed,
    policy: base.policy,
    rulesOff: base.rulesOff,
    shards: [result.shard ? `${result.shard.index + 1}/${result.shard.count}` : '1/1'],
    baseline: {
      outcome: result.baseline.outcome,
      allocationCalls: result.baseline.allocationCalls,
      sites: new Set(result.baseline.calls.map((c) => c.site)).size,
      rules: rulesOf(result.baseline),
    },
    plans,
    coverage: result.coverage,
    findings: found,
    summary: summaryOf(found, plans),
  };
}

/** `"i/n"` as numbers (1-based i); null when it is not that. */
function shardOf(text: string): { i: number; n: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const i = Number(m[1]);
  const n = Number(m[2]);
  return n >= 1 && i >= 1 && i <= n ? { i, n } : null;
}

/** The shards the reports hold, sorted; a usage error unless they are exactly 1/n .. n/n, once each. */
function shardsOf(reports: readonly ExploreReport[]): string[] {
  const shards = reports.flatMap((r) =>
    r.shards.map((text) => {
      const shard = shardOf(text);
      if (shard === null) throw new UsageError(`cannot merge: '${text}' is not a shard (i/n)`);
      return shard;
    }),
  );
  const n = shards[0].n;
  if (shards.some((s) => s.n !== n))
    throw new UsageError(
      `cannot merge shards of different splits (${shards.map((s) => `${s.i}/${s.n}`).join(' ')})`,
    );
  const seen = new Set<number>();
  for (const s of shards) {
    if (seen.has(s.i)) throw new UsageError(`cannot merge: shard ${s.i}/${n} is given twice`);
    seen.add(s.i);
  }
  const missing = Array.from({ length: n }, (_, k) => k + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new UsageError(`cannot merge: shard(s) ${missing.map((i) => `${i}/${n}`).join(', ')} missing`);
  return Array.from({ length: n }, (_, k) => `${k + 1}/${n}`);
}

/**
 * A report's plans with their index in the whole exploration: stored, or (results of older
 * versions) derived from the one shard the report holds, whose k-th plan is plan k*n + i-1.
 */
function indexedPlans(report: ExploreReport): Array<PlanReport & { readonly index: number }> {
  const shard = report.shards.length === 1 ? shardOf(report.shards[0]) : null;
  return report.plans.map((p, k) => {
    if (p.index !== undefined) return { ...p, index: p.index };
    if (shard === null)
      throw new UsageError(
        'cannot merge: a result without plan indices (older ndis-sim) holds several shards',
      );
    return { ...p, index: k * shard.n + shard.i - 1 };
  });
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Joins the shard reports of one exploration (same driver, scenario and settings; every shard of one
 * split, once) into the report the unsharded exploration gives: plans in their global order, each
 * finding with its first plan, coverage recounted. Argument order does not matter.
 */
export function mergeReports(reports: readonly ExploreReport[]): ExploreReport {
  const first = reports[0];
  for (const r of reports) {
    if (r.driver !== first.driver || r.scenario !== first.scenario) {
      throw new UsageError(
        `cannot merge explorations of different drivers or scenarios (${r.driver} ${r.scenario})`,
      );
    }
    if (r.seed !== first.seed || r.policy !== first.policy || !same(r.rulesOff, first.rulesOff))
      throw new UsageError('cannot merge explorations run with different --seed, --policy or --rule-off');
  }
  const shards = shardsOf(reports);
  const plans = reports.flatMap(indexedPlans).sort((a, b) => a.index - b.index);
  for (let k = 1; k < plans.length; k++) {
    if (plans[k].index === plans[k - 1].index)
      throw new UsageError(`cannot merge: plan ${plans[k].plan} appears in two results`);
  }

  // A finding's first plan is the lowest-indexed plan that found the rule (the baseline before all).
  const indexOf = new Map<string, number>(plans.map((p) => [p.plan, p.index]));
  indexOf.set('none', -1);
  const rulesAt = (plan: string): readonly string[] =>
    plan === 'none' ? first.baseline.rules : (plans.find((p) => p.plan === plan)?.rules ?? []);
  const earliest = new Map<string, ExploreFinding>();
  for (const f of reports.flatMap((r) => r.findings)) {
    const seen = earliest.get(f.rule);
    const at = indexOf.get(f.plan) ?? Number.POSITIVE_INFINITY;
    if (seen === undefined || at < (indexOf.get(seen.plan) ?? Number.POSITIVE_INFINITY))
      earliest.set(f.rule, f);
  }
  const position = (f: ExploreFinding) => [
    indexOf.get(f.plan) ?? Number.POSITIVE_INFINITY,
    rulesAt(f.plan).indexOf(f.rule),
  ];
  const found = [...earliest.values()]
    .map((f) => ({
      ...f,
      plans:
        (first.baseline.rules.includes(f.rule) ? 1 : 0) +
        plans.filter((p) => p.rules.includes(f.rule)).length,
    }))
    .sort((a, b) => {
      const [pa, ra] = position(a);
      const [pb, rb] = position(b);
      return pa - pb || ra - rb;
    });
  // Every shard's coverage starts with the baseline's sites (the same baseline each time).
  const baselineRows = first.coverage.slice(0, first.baseline.sites);
  return {
    ...first,
    shards,
    plans,
    coverage: coverage(baselineRows, plans),
    findings: found,
    summary: summaryOf(found, plans),
  };
}

const COLUMNS = ['clean', 'violations', 'driver-threw', 'bugcheck', 'hung'] as const;

/** The text form of an exploration report. */
export function formatExploreReport(report: ExploreReport): string {
  const b = report.baseline;
  const sharded = report.shards.length > 1 || report.shards[0] !== '1/1';
  const lines = [
    `ndis-sim explore ${report.driver}, scenario ${report.scenario}${sharded ? `, shards ${report.shards.join(' ')}` : ''}`,
    `baseline: ${b.outcome}, ${b.allocationCalls} resource-allocating call(s) at ${b.sites} site(s)${b.rules.length ? `, findings: ${b.rules.join(', ')}` : ''}`,
    `explored ${report.plans.length} fault plan(s): ${Object.entries(report.summary.outcomes)
      .map(([o, n]) => `${o} ${n}`)
      .join(', ')}`,
    '',
    'Coverage (allocation site x outcome of the plans that failed it):',
    table(
      ['site', 'call', ...COLUMNS, 'where'],
      report.coverage.map((row) => [
        row.site,
        row.ddi,
        ...COLUMNS.map((c) => String(row.outcomes[c] ?? 0)),
        row.frames[0] ?? '',
      ]),
    ),
  ];
  if (report.findings.length === 0) lines.push('', 'No findings under any plan.');
  else lines.push('', 'Findings:');
  for (const f of report.findings) {
    lines.push(
      '',
      `${f.rule} [${f.severity}] ${f.title}`,
      `  ${f.link}`,
      `  in ${f.plans} plan(s); first under ${f.plan}`,
    );
    lines.push(`  replay: ${f.replay}`);
    lines.push(formatViolation(f.example, 1));
  }
  const ended = report.plans.filter((p) => endedEarly(p.outcome));
  if (ended.length > 0) {
    lines.push('', 'Runs that ended early:');
    for (const p of ended.slice(0, 20)) {
      lines.push(`  ${p.plan}: ${p.outcome}`, `  replay: ${p.replay}`);
      if (p.error) lines.push(formatRunError(p.error));
    }
    if (ended.length > 20) lines.push(`  ... and ${ended.length - 20} more (see --format json)`);
  }
  if (report.findings.length > 0)
    lines.push(
      '',
      `${report.summary.findings} rule(s) found: ${Object.keys(report.summary.byRule).join(', ')}.`,
    );
  return lines.join('\n');
}
