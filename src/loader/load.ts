/** Loading a driver the way the command was asked to (`--loader bundle|esm`). */
import { type LoadedDriver, loadDriver } from './load-driver.js';
import { loadDriverEsm } from './load-esm.js';

/** 'bundle' (default: esbuild, a fresh instance per run) or 'esm' (tsx; top-level await, shared state). */
export type DriverLoader = 'bundle' | 'esm';

/** Loads the driver at `target` (a file or a package folder) with `loader`. */
export function loadDriverWith(target: string, loader: DriverLoader = 'bundle'): Promise<LoadedDriver> {
  return loader === 'esm' ? loadDriverEsm(target) : loadDriver(target);
}
