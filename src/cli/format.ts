/** Text pieces shared by the commands' reports. */
import type { RunError } from '../host/result.js';
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
    const p = error.bugCheck.parameters.map((x) => `0x${(x >>> 0).toString(16)}`).join(', ');
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
