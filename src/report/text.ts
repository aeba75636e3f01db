/** Plain-text findings report: grouped by rule, each finding with its call, context and sites. */
import { findings } from '../host/plan-run.js';
import { formatAddress } from '../machine/address.js';
import type { Violation } from '../verifier/violation.js';

function call(v: Violation): string {
  const args = Object.entries(v.args)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
  return `${v.ddi}(${args})`;
}

function where(v: Violation): string {
  const parts = [`IRQL ${v.irql}`];
  if (v.context.callback) parts.push(`in ${v.context.callback}`);
  if (v.adapter) parts.push(`adapter ${v.adapter}`);
  if (v.driver) parts.push(`driver ${v.driver}`);
  return parts.join(', ');
}

/** A stack frame with paths under the working directory shown relative to it. */
export function frameText(frame: string): string {
  const cwd = `${process.cwd()}/`;
  return frame.split(cwd).join('');
}

/** One finding, indented under its rule. */
export function formatViolation(v: Violation, index: number): string {
  const lines = [`  ${index}. ${v.message}`, `     call:  ${call(v)}`, `     where: ${where(v)}`];
  if (v.allocationSite.length > 0) lines.push(`     allocated at: ${frameText(v.allocationSite[0])}`);
  if (v.site.length > 0) lines.push(`     called at:    ${frameText(v.site[0])}`);
  if (v.bugCheck) {
    const p = v.bugCheck.parameters.map((x) => formatAddress(x)).join(', ');
    lines.push(`     bug check: 0x${v.bugCheck.code.toString(16).toUpperCase()} (${p}) ${v.bugCheck.name}`);
  }
  return lines.join('\n');
}

/** Every finding, grouped by rule in order of first appearance; a line saying so when there are none. */
export function formatFindings(violations: readonly Violation[]): string {
  if (violations.length === 0) return 'No findings.';
  const byRule = new Map<string, Violation[]>();
  for (const v of violations) {
    const list = byRule.get(v.rule) ?? [];
    list.push(v);
    byRule.set(v.rule, list);
  }
  const blocks: string[] = [];
  for (const [rule, list] of byRule) {
    const first = list[0];
    blocks.push(
      [
        `${rule} [${first.severity}] ${first.title}`,
        `  ${first.link}`,
        ...list.map((v, i) => formatViolation(v, i + 1)),
      ].join('\n'),
    );
  }
  const errors = findings(violations).length;
  blocks.push(`${violations.length} finding(s) under ${byRule.size} rule(s); ${errors} error/warning(s).`);
  return blocks.join('\n\n');
}
