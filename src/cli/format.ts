/** Text pieces shared by the commands' reports. */
import type { RunError } from '../host/result.js';
import { formatAddress } from '../machine/address.js';
import { frameText } from '../report/text.js';

/** How a run ended early, like a bug-check screen. */
export function formatRunError(error: RunError): string {
  const where = [
    error.callback ? `in ${error.callback}` : null,
    error.adapter ? `adapter ${error.adapter}` : null,
  ]
    .filter((x) => x !== null)
    .join(', ');
  const lines = [`  ${error.kind.toUpperCase()}${where ? ` (${where})` : ''}: ${error.message}`];
  if (error.bugCheck) {
    // Parameters are 64-bit (addresses, pointers): printed whole, as the violation report prints them.
    const p = error.bugCheck.parameters.map((x) => formatAddress(x)).join(', ');
    lines.push(
      `  bug check 0x${error.bugCheck.code.toString(16).toUpperCase()} (${p}) ${error.bugCheck.name}`,
    );
  }
  for (const frame of error.stack.slice(0, 6)) lines.push(`    at ${frameText(frame)}`);
  return lines.join('\n');
}

/** A fixed-width text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Counts by rule as `rule xN, rule xM` (empty when there are none): the summary line of the reports. */
export function ruleCounts(byRule: Readonly<Record<string, number>>): string {
  return Object.entries(byRule)
    .map(([rule, n]) => `${rule} x${n}`)
    .join(', ');
}
