/**
 * The engine's check points. At each one the engine fills a reused event object (no allocation on
 * the hot path) and calls the dispatcher of the active rules. Each family declares its own events.
 */
import { CALLBACK_EVENT_NAMES, type CallbackEvents } from './events/callback.js';
import { DMA_EVENT_NAMES, type DmaEvents } from './events/dma.js';
import { LIFECYCLE_EVENT_NAMES, type LifecycleEvents } from './events/lifecycle.js';
import { POOL_EVENT_NAMES, type PoolEvents } from './events/pool.js';
import { PORTS_EVENT_NAMES, type PortsEvents } from './events/ports.js';
import { PROVIDER_EVENT_NAMES, type ProviderEvents } from './events/provider.js';
import { SYNC_EVENT_NAMES, type SyncEvents } from './events/sync.js';

export * from './events/callback.js';
export * from './events/pool.js';

/** Every check point by name. */
export interface Events
  extends PoolEvents,
    CallbackEvents,
    LifecycleEvents,
    DmaEvents,
    SyncEvents,
    ProviderEvents,
    PortsEvents {}

/** The names of all check points (so every dispatcher exists, even with no observer). */
export const EVENT_NAMES: readonly (keyof Events)[] = [
  ...POOL_EVENT_NAMES,
  ...CALLBACK_EVENT_NAMES,
  ...LIFECYCLE_EVENT_NAMES,
  ...DMA_EVENT_NAMES,
  ...SYNC_EVENT_NAMES,
  ...PROVIDER_EVENT_NAMES,
  ...PORTS_EVENT_NAMES,
];
