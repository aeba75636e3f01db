/**
 * The engine the DDI surface talks to. Driver code imports the DDIs by name (as from ndis.h); the
 * host activates one run's engine before calling into the driver, so a module-level binding is all
 * a call costs. One engine is active per thread at a time.
 */
import type { Engine } from '../engine/engine.js';

let current: Engine | null = null;

/** Makes `engine` the one the DDIs act on; returns the one that was active. */
export function activate(engine: Engine | null): Engine | null {
  const previous = current;
  current = engine;
  return previous;
}

/** The active engine; throws a usage error (not a DDI misuse) when none is active. */
export function active(): Engine {
  if (current === null) {
    throw new Error(
      'ndis-sim: no simulation is active. Create an Engine and call activate(engine), or run the driver through the ndis-sim host.',
    );
  }
  return current;
}
