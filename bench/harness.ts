/**
 * Benchmark harness: measures a path and its floor (the least JavaScript doing the same essential
 * work) in the same process with mitata, and prints both with their ratio beside the target.
 */
import { do_not_optimize, measure } from 'mitata';

export interface Comparison {
  readonly name: string;
  readonly nsPerOp: number;
  readonly floorNsPerOp: number;
  readonly ratio: number;
  readonly target: number;
}

async function nsPerOp(fn: () => unknown): Promise<number> {
  const stats = await measure(() => do_not_optimize(fn()), { min_cpu_time: 400 * 1e6 });
  return stats.p50;
}

/** Measures `fn` and `floor` (floor first, then path, then floor again; the lower floor counts). */
export async function compare(
  name: string,
  floor: () => unknown,
  fn: () => unknown,
  target: number,
): Promise<Comparison> {
  const f1 = await nsPerOp(floor);
  const path = await nsPerOp(fn);
  const f2 = await nsPerOp(floor);
  const floorNs = Math.min(f1, f2);
  const result = { name, nsPerOp: path, floorNsPerOp: floorNs, ratio: path / floorNs, target };
  const verdict = result.ratio <= target ? 'within target' : 'ABOVE target';
  console.log(
    `${name.padEnd(58)} ${path.toFixed(1).padStart(9)} ns/op   floor ${floorNs.toFixed(1).padStart(8)} ns/op   ratio ${result.ratio.toFixed(2)}x (target <= ${target}x, ${verdict})`,
  );
  return result;
}

/** Prints a throughput figure (no floor) such as lifecycles per second. */
export function figure(name: string, value: number, unit: string): void {
  console.log(`${name.padEnd(58)} ${value.toFixed(1).padStart(9)} ${unit}`);
}
