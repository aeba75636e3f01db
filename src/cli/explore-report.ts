/** Turning exploration results into the report (JSON and text), and merging shard reports. */
import type { ExploreResult, SiteCoverage } from '../host/explore.js';
import type { PlanResult } from '../host/plan-run.js';
import {
  type ExploreFinding,
  type ExploreReport,
  type PlanReport,
  RESULT_FORMAT,
  RESULT_VERSION,
  type Summary,
} from '../report/json.js';
import { formatViolation } from '../report/text.js';
import { shellQuote, toolVersion } from './common.js';
import { formatRunError, table } from './format.js';

/** How to say `run` again for one plan of this exploration. */
export interface ReplayBase {
  readonly driver: string;
  /** `--scenario name` or `--scenario-file file`. */
  readonly scenarioArgs: readonly string[];
}

function replay(base: ReplayBase, plan: string): string {
  const faults = plan === 'none' ? [] : ['--faults', plan];
  return ['ndis-sim', 'run', base.driver, ...base.scenarioArgs, ...faults].map(shellQuote).join(' ');
}

function planReport(result: PlanResult, base: ReplayBase): PlanReport {
  const rules = [...new Set(result.violations.filter((v) => v.severity !== 'note').map((v) => v.rule))];
  return {
    plan: result.plan,
    outcome: result.outcome,
    rules,
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
    for (const v of result.violations) {
      if (v.severity === 'note' || seen.has(v.rule)) continue;
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
  const all = [result.baseline, ...result.plans];
  const plans = result.plans.map((p) => planReport(p, base));
  const findings = findingsOf(all, base);
  const baselineRules = [...new Set(result.baseline.violations.map((v) => v.rule))];
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    command: 'explore',
    tool: { name: 'ndis-sim', version: toolVersion() },
    driver: base.driver,
    scenario: result.scenario,
    shards: [result.shard ? `${result.shard.index + 1}/${result.shard.count}` : '1/1'],
    baseline: {
      outcome: result.baseline.outcome,
      allocationCalls: result.baseline.allocationCalls,
      sites: new Set(result.baseline.calls.map((c) => c.site)).size,
      rules: baselineRules,
    },
    plans,
    coverage: result.coverage,
    findings,
    summary: summaryOf(findings, plans),
  };
}

/** Joins shard reports of one exploration (same driver and scenario) into one report. */
export function mergeReports(reports: readonly ExploreReport[]): ExploreReport {
  const first = reports[0];
  for (const r of reports) {
    if (r.driver !== first.driver || r.scenario !== first.scenario) {
      throw new Error(
        `cannot merge explorations of different drivers or scenarios (${r.driver} ${r.scenario})`,
      );
    }
  }
  const plans = reports.flatMap((r) => r.plans);
  const coverage = new Map<string, SiteCoverage>();
  for (const row of reports.flatMap((r) => r.coverage)) {
    const seen = coverage.get(row.site);
    if (seen === undefined) {
      coverage.set(row.site, { ...row, outcomes: { ...row.outcomes } });
      continue;
    }
    const outcomes = seen.outcomes as Record<string, number>;
    for (const [k, n] of Object.entries(row.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + (n ?? 0);
  }
  const byRule = new Map<string, ExploreFinding>();
  for (const f of reports.flatMap((r) => r.findings)) {
    const seen = byRule.get(f.rule);
    if (seen === undefined) byRule.set(f.rule, f);
    else
      byRule.set(f.rule, {
        ...seen,
        plans: seen.plans + f.plans - (seen.plan === 'none' && f.plan === 'none' ? 1 : 0),
      });
  }
  const findings = [...byRule.values()];
  return {
    ...first,
    shards: reports.flatMap((r) => r.shards),
    plans,
    coverage: [...coverage.values()],
    findings,
    summary: summaryOf(findings, plans),
  };
}

const COLUMNS = ['clean', 'violations', 'driver-threw', 'bugcheck', 'hung'] as const;

/** The text form of an exploration report. */
export function formatExploreReport(report: ExploreReport): string {
  const b = report.baseline;
  const lines = [
    `ndis-sim explore ${report.driver}, scenario ${report.scenario}${report.shards.length > 1 || report.shards[0] !== '1/1' ? `, shards ${report.shards.join(' ')}` : ''}`,
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
  if (report.findings.length === 0) {
    lines.push('', 'No findings under any plan.');
    return lines.join('\n');
  }
  lines.push('', 'Findings:');
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
  const threw = report.plans.filter((p) => p.error !== null && p.outcome !== 'violations');
  if (threw.length > 0) {
    lines.push('', 'Runs that ended early:');
    for (const p of threw.slice(0, 20)) {
      lines.push(`  ${p.plan}: ${p.outcome}`, `  replay: ${p.replay}`);
      if (p.error) lines.push(formatRunError(p.error));
    }
    if (threw.length > 20) lines.push(`  ... and ${threw.length - 20} more (see --format json)`);
  }
  lines.push(
    '',
    `${report.summary.findings} rule(s) found: ${Object.keys(report.summary.byRule).join(', ')}.`,
  );
  return lines.join('\n');
}
