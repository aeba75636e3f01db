/** Check points around driver callbacks and lifecycle edges, shared by every family. */
import type { Engine } from '../../engine/engine.js';
import type { MiniportAdapter, MiniportDriver } from '../../engine/objects.js';

/** A driver callback returned (normally or by throwing); its frame is still on the context. */
export interface CallbackReturnEvent {
  engine: Engine;
  /** The callback's documented name (MiniportInitializeEx, MiniportHaltEx, a timer function, ...). */
  callback: string;
  driver: MiniportDriver | null;
  adapter: MiniportAdapter | null;
  /** IRQL the callback was entered at, and the IRQL it returned at. */
  entryIrql: number;
  exitIrql: number;
}

/**
 * A lifecycle edge where resources must all have been released (SPEC §2.6, §2.10, §2.4):
 * MiniportInitializeEx returned a failure, MiniportHaltEx returned, or the driver unloaded.
 * Leak rules observe it and report, one violation per resource, what the adapter (or, at unload,
 * the driver and its adapters) still holds. Not emitted for an adapter that ended in Shutdown (D9).
 */
export interface LifecycleEdgeEvent {
  engine: Engine;
  edge: 'initializeFailed' | 'haltReturned' | 'driverUnload';
  driver: MiniportDriver;
  /** The adapter for initializeFailed/haltReturned; null at driverUnload. */
  adapter: MiniportAdapter | null;
}

export interface CallbackEvents {
  callbackReturn: CallbackReturnEvent;
  lifecycleEdge: LifecycleEdgeEvent;
}

export const CALLBACK_EVENT_NAMES: readonly (keyof CallbackEvents)[] = ['callbackReturn', 'lifecycleEdge'];
