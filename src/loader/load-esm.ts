/**
 * `--loader esm`: the fallback for drivers that need real ES modules (top-level await). The driver
 * is imported once with tsx, and `ndis-sim` resolves to the command's own copy through a module
 * resolve hook. There is no per-run freshness: every run shares the driver's module state, so
 * prefer the default loader for fault exploration (STACK.md).
 */
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { DriverLoadError, type DriverModule, type LoadedDriver, resolveEntry } from './load-driver.js';

let hooked = false;

/** Maps the bare specifier `ndis-sim` to this package's own entry point, once per process. */
function mapNdisSim(): void {
  if (hooked) return;
  hooked = true;
  const own = new URL('../index.js', import.meta.url).href;
  const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'ndis-sim') return { url: ${JSON.stringify(own)}, shortCircuit: true };
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/** Imports the driver at `target` as an ES module (one shared instance). */
export async function loadDriverEsm(target: string): Promise<LoadedDriver> {
  const file = resolveEntry(target);
  // tsx first, then the ndis-sim mapping: hooks registered later run first, so `ndis-sim` is mapped
  // before tsx resolves it, and to the very module instance the command itself uses.
  const { register: registerTsx } = await import('tsx/esm/api');
  if (!hooked) registerTsx();
  mapNdisSim();
  let namespace: DriverModule;
  try {
    namespace = (await import(pathToFileURL(file).href)) as DriverModule;
  } catch (error) {
    throw new DriverLoadError(file, (error as Error).message);
  }
  return { file, dispose() {}, instantiate: () => namespace };
}
