/** Check points around driver callbacks and lifecycle edges, shared by every family. */
import type { Engine } from '../../engine/engine.js';
import type { MiniportAdapter, MiniportDriver, NdisObject } from '../../engine/objects.js';
import type { IrqlEntry } from '../irql-table.js';

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

/**
 * Entry into a DDI (other than the general-memory ones, which have their own events): the IRQL
 * rules check it against src/verifier/irql-table.ts. Raw arguments in documented order.
 */
export interface DdiEnterEvent {
  ddi: string;
  irql: number;
  /** The NDIS object the call is charged to, when the handle resolved. */
  owner: NdisObject | null;
  /** The DDI's documented IRQL (undefined if the table has no entry). */
  entry: IrqlEntry | undefined;
  /** True if the call is outside the documented IRQL range: the IRQL rules look no further otherwise. */
  outOfRange: boolean;
  a0: unknown;
  a1: unknown;
  a2: unknown;
  a3: unknown;
  a4: unknown;
}

export interface CallbackEvents {
  callbackReturn: CallbackReturnEvent;
  lifecycleEdge: LifecycleEdgeEvent;
  ddiEnter: DdiEnterEvent;
}

export const CALLBACK_EVENT_NAMES: readonly (keyof CallbackEvents)[] = [
  'callbackReturn',
  'lifecycleEdge',
  'ddiEnter',
];
