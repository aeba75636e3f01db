/** Renders the rule catalogue as docs/rules.md (generated; a test keeps the file in step). */
import type { RuleDef } from './rule.js';

function bugCheckText(r: RuleDef): string {
  if (!r.bugCheck) return '—';
  const code = `0x${r.bugCheck.code.toString(16).toUpperCase()}`;
  return `${code} / 0x${r.bugCheck.p1.toString(16).toUpperCase().padStart(2, '0')} ${r.bugCheck.name}`;
}

/** The Markdown of docs/rules.md for `catalogue`. */
export function renderRulesDoc(catalogue: readonly RuleDef[]): string {
  const lines = [
    '# Rules',
    '',
    'Generated from the rule catalogue (`src/verifier/catalogue.ts`) by `npm run docs:rules`; do not edit by hand.',
    'Rule ids are the official names where the documentation gives one, else descriptive ids in the same style.',
    '"Bug check" is what a run stops with under `--policy bugcheck` (SPEC §9.3, §9.4, D39); rules without a',
    'documented code stop the run with no code. Some rules carry a different code per DDI (see each rule file).',
    '',
    '| Rule | Severity | What it requires | Bug check | Official page |',
    '|---|---|---|---|---|',
  ];
  for (const r of catalogue) {
    lines.push(
      `| \`${r.id}\` | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} | ${bugCheckText(r)} | [page](${r.link}) |`,
    );
  }
  lines.push('', `${catalogue.length} rules.`, '');
  return lines.join('\n');
}
