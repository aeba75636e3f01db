/** Who a spin lock, work item or timer belongs to, and who its callbacks run for. */
import type { Engine } from './engine.js';
import { MiniportAdapter, type MiniportDriver, NdisObject } from './objects.js';

/** The NDIS object the running callback belongs to (its adapter, else its driver), if any. */
export function runningOwner(engine: Engine): NdisObject | null {
  const frame = engine.context.frame;
  if (frame.adapter instanceof NdisObject) return frame.adapter;
  return frame.driver instanceof NdisObject ? frame.driver : null;
}

/** The driver and adapter a callback of `owner` runs for. */
export function callbackParties(owner: NdisObject): [MiniportDriver | null, MiniportAdapter | null] {
  if (owner instanceof MiniportAdapter) return [owner.driver, owner];
  return owner.kind === 'driver' ? [owner as MiniportDriver, null] : [null, null];
}

/** The driver an owner belongs to (itself for a driver). */
export function driverOf(owner: NdisObject): NdisObject {
  return owner instanceof MiniportAdapter ? owner.driver : owner;
}
