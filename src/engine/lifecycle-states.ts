/**
 * The NDIS side of the miniport lifecycle (SPEC §2.5): DriverEntry's return, the adapter state
 * machine as begin/end pairs around each callback NDIS makes, device removal and unload. The host
 * calls the driver's handlers between a begin and its end; a trace reader can drive the same pairs
 * from recorded edges. Each end announces what the rules check (the status returned, the lifecycle
 * edges where everything must be released). A transition the table forbids is a LifecycleStateError:
 * a bug of the caller, never a finding against the driver.
 */
import { NDIS_STATUS_PENDING, NDIS_STATUS_SUCCESS } from '../ndis/constants.js';
import type { LifecycleEdgeEvent } from '../verifier/events/callback.js';
import type { LifecycleReturnEvent, StateCompleteEvent } from '../verifier/events/lifecycle.js';
import type { Engine } from './engine.js';
import type { AdapterState, MiniportAdapter, MiniportDriver } from './objects.js';

/** The edges of one adapter (driverUnload is the driver's). */
type AdapterEdge = 'initializeFailed' | 'haltReturned';

/** An event NDIS starts on an adapter by calling one of its handlers. */
export type AdapterEvent = 'initialize' | 'restart' | 'pause' | 'halt' | 'shutdown';

/** The states each NDIS-initiated event may start from (SPEC §2.5: every blank cell is illegal). */
export const ADAPTER_EVENT_STATES: Readonly<Record<AdapterEvent, readonly AdapterState[]>> = Object.freeze({
  initialize: Object.freeze(['Halted'] as const),
  restart: Object.freeze(['Paused'] as const),
  pause: Object.freeze(['Running'] as const),
  // D10: halt only from Paused (the host pauses a Running adapter first).
  halt: Object.freeze(['Paused'] as const),
  // D34: never from Initializing or Halted.
  shutdown: Object.freeze(['Paused', 'Restarting', 'Running', 'Pausing'] as const),
});

/** True if NDIS may start `event` on an adapter in `state`. */
export function canStart(state: AdapterState, event: AdapterEvent): boolean {
  return ADAPTER_EVENT_STATES[event].includes(state);
}

/** States in which an adapter has been initialized and not yet halted or shut down. */
export function isInitialized(state: AdapterState): boolean {
  return state === 'Paused' || state === 'Restarting' || state === 'Running' || state === 'Pausing';
}

/** What NDIS does next after MiniportInitializeEx returned. */
export type InitializeOutcome =
  /** Success: the adapter is Paused. */
  | 'Paused'
  /** Failure: the adapter is Halted again. */
  | 'Halted'
  /** Success without the mandatory attributes (D36): NDIS halts it with NdisHaltDeviceInitializationFailed. */
  | 'HaltRequired';

/** The NDIS side asked for a transition the state machine forbids: a bug of the caller, not of the driver. */
export class LifecycleStateError extends Error {
  override readonly name = 'LifecycleStateError';
}

/** An NDIS_STATUS as an unsigned 32-bit value, or -1 for a value that is not one. */
export function statusOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff
    ? value >>> 0
    : -1;
}

/** NT_SUCCESS: a DriverEntry status that keeps the driver loaded. */
export function ntSuccess(value: unknown): boolean {
  return statusOf(value) !== -1 && ((value as number) | 0) >= 0;
}

const NO_DRIVERS: readonly MiniportDriver[] = Object.freeze([]);

/** The NDIS side of the lifecycle of one engine (the DDIs are in lifecycle.ts). */
export class AdapterLifecycle {
  /** Every miniport driver registered with each DRIVER_OBJECT since it was loaded. */
  protected readonly registrations = new Map<unknown, MiniportDriver[]>();
  private readonly halting = new Set<MiniportAdapter>();
  /** The edge last announced for each adapter since its MiniportInitializeEx began (each is announced once). */
  private readonly announced = new WeakMap<MiniportAdapter, AdapterEdge>();
  /** Drivers whose driverUnload edge was announced. */
  private readonly unloadAnnounced = new WeakSet<MiniportDriver>();
  private readonly serials = new WeakMap<object, number>();
  private serial = 0;
  private readonly completeEvent: StateCompleteEvent;
  private readonly returnEvent: LifecycleReturnEvent;

  constructor(readonly engine: Engine) {
    const adapter = null as unknown as MiniportAdapter;
    this.completeEvent = {
      engine,
      ddi: 'NdisMPauseComplete',
      adapter,
      operation: 'pause',
      Status: 0,
      pending: false,
      state: 'Halted',
    };
    this.returnEvent = {
      engine,
      callback: 'MiniportInitializeEx',
      driver: null as unknown as MiniportDriver,
      adapter,
      status: 0,
    };
  }

  /** Every miniport driver registered with `DriverObject` since it was loaded (first = the physical miniport). */
  registrationsOf(DriverObject: unknown): readonly MiniportDriver[] {
    return this.registrations.get(DriverObject) ?? NO_DRIVERS;
  }

  /**
   * DriverEntry returned `status`. A failing DriverEntry must have deregistered what it registered;
   * the driver is then unloaded (its leaks are reported). Returns true if the driver stays loaded.
   */
  driverEntryEnd(DriverObject: unknown, status: unknown): boolean {
    const engine = this.engine;
    const failed = !ntSuccess(status);
    const list = this.registrationsOf(DriverObject);
    const registered = list.filter((d) => d.registered);
    engine.verifier.on.driverEntryReturn(engine.verifier, {
      engine,
      DriverObject,
      status,
      failed,
      registered,
    });
    if (!failed) return true;
    this.registrations.delete(DriverObject);
    for (const driver of list) this.unloaded(driver);
    return false;
  }

  /** NDIS calls MiniportInitializeEx: Halted → Initializing. */
  initializeBegin(adapter: MiniportAdapter): void {
    this.expect(adapter, 'initialize');
    adapter.state = 'Initializing';
    this.announced.delete(adapter);
    adapter.registrationAttributesSet = false;
    adapter.generalAttributesSet = false;
    adapter.attributeFlags = 0;
    adapter.context = null;
    adapter.haltAction = null;
  }

  /** MiniportInitializeEx returned `status`: Paused on success, Halted (and leak checks) on failure. */
  initializeEnd(adapter: MiniportAdapter, status: unknown): InitializeOutcome {
    if (adapter.state !== 'Initializing') this.illegal(adapter, 'end MiniportInitializeEx of');
    this.returned('MiniportInitializeEx', adapter, status);
    if (statusOf(status) === NDIS_STATUS_SUCCESS) {
      adapter.state = 'Paused';
      return adapter.registrationAttributesSet && adapter.generalAttributesSet ? 'Paused' : 'HaltRequired';
    }
    adapter.state = 'Halted';
    this.edge('initializeFailed', adapter);
    return 'Halted';
  }

  /** NDIS calls MiniportRestart: Paused → Restarting. */
  restartBegin(adapter: MiniportAdapter): void {
    this.expect(adapter, 'restart');
    adapter.state = 'Restarting';
  }

  /** MiniportRestart returned: PENDING waits for NdisMRestartComplete; anything else completes it. */
  restartEnd(adapter: MiniportAdapter, status: unknown): void {
    this.returned('MiniportRestart', adapter, status);
    if (statusOf(status) !== NDIS_STATUS_PENDING)
      this.complete(adapter, 'restart', 'MiniportRestart', status);
  }

  /** NDIS calls MiniportPause: Running → Pausing. */
  pauseBegin(adapter: MiniportAdapter): void {
    this.expect(adapter, 'pause');
    adapter.state = 'Pausing';
  }

  /**
   * MiniportPause returned: PENDING waits for NdisMPauseComplete. Any other value completes the
   * pause, as NDIS does: a pause cannot fail (MiniportPause_Return records a value other than SUCCESS).
   */
  pauseEnd(adapter: MiniportAdapter, status: unknown): void {
    this.returned('MiniportPause', adapter, status);
    if (statusOf(status) !== NDIS_STATUS_PENDING) {
      this.complete(adapter, 'pause', 'MiniportPause', NDIS_STATUS_SUCCESS);
    }
  }

  /** NDIS calls MiniportHaltEx (only from Paused, D10): the adapter is Halted from the call on. */
  haltBegin(adapter: MiniportAdapter, HaltAction: number): void {
    this.expect(adapter, 'halt');
    adapter.state = 'Halted';
    adapter.haltAction = HaltAction;
    this.halting.add(adapter);
    this.engine.ports.haltStarting(adapter);
  }

  /** MiniportHaltEx returned: everything of the adapter must have been released. */
  haltEnd(adapter: MiniportAdapter): void {
    if (!this.halting.delete(adapter)) this.illegal(adapter, 'end MiniportHaltEx of');
    this.edge('haltReturned', adapter);
  }

  /** NDIS calls MiniportShutdownEx (D34): the adapter is in Shutdown; no callback follows (D9: no leak checks). */
  shutdownBegin(adapter: MiniportAdapter): void {
    this.expect(adapter, 'shutdown');
    adapter.state = 'Shutdown';
  }

  /** The device was surprise-removed (NDIS then notifies the driver, pauses and halts the adapter). */
  surpriseRemoved(adapter: MiniportAdapter): void {
    adapter.surpriseRemoved = true;
  }

  /** The device is gone (removed after its halt, or never initialized): its handle is stale from now on. */
  removeDevice(adapter: MiniportAdapter): void {
    if (adapter.state !== 'Halted' || this.halting.has(adapter)) this.illegal(adapter, 'remove');
    adapter.live = false;
  }

  /**
   * NDIS is about to call MiniportDriverUnload: every adapter must have been halted. `drivers`
   * (default: every registration of DriverObject) lets a trace name a driver whose registration it
   * did not record.
   */
  unloadBegin(DriverObject: unknown, drivers = this.registrationsOf(DriverObject)): void {
    const engine = this.engine;
    for (const driver of drivers) {
      const remaining = [...driver.adapters].filter((a) => a.state !== 'Halted' && a.state !== 'Shutdown');
      engine.verifier.on.driverUnload(engine.verifier, {
        engine,
        driver,
        phase: 'begin',
        remaining,
        registered: driver.registered,
      });
    }
  }

  /** MiniportDriverUnload returned: it must have deregistered; then the driver's leaks are reported. */
  unloadEnd(DriverObject: unknown, drivers = this.registrationsOf(DriverObject)): void {
    const engine = this.engine;
    const list = drivers;
    this.registrations.delete(DriverObject);
    for (const driver of list) {
      engine.verifier.on.driverUnload(engine.verifier, {
        engine,
        driver,
        phase: 'end',
        remaining: [],
        registered: driver.registered,
      });
      this.unloaded(driver);
    }
  }

  /**
   * True once NDIS delivers no more asynchronous shared-memory completions to the adapter (until it
   * is initialized again): MiniportHaltEx has begun (its completions were drained before the call,
   * D6), an edge ended it (halt returned, initialize failed), or it is shut down.
   */
  completionsClosed(adapter: MiniportAdapter): boolean {
    return adapter.state === 'Shutdown' || this.halting.has(adapter) || this.announced.has(adapter);
  }

  /** A pended pause or restart did not complete within the caller's time budget. */
  pendingTimedOut(adapter: MiniportAdapter, operation: 'pause' | 'restart', waited: number): void {
    const engine = this.engine;
    engine.verifier.on.pendingTimeout(engine.verifier, { engine, adapter, operation, waited });
  }

  /** A small, stable number for an object (bug-check parameters stand in for addresses). */
  serialOf(object: object): number {
    let serial = this.serials.get(object);
    if (serial === undefined) {
      serial = ++this.serial;
      this.serials.set(object, serial);
    }
    return serial;
  }

  /** The minor NDIS 6 version the driver registered with (any version for a driver made directly). */
  minorVersion(driver: MiniportDriver): number {
    return driver.characteristics?.MinorNdisVersion ?? Number.POSITIVE_INFINITY;
  }

  /** Completes a pause or restart; one with nothing pending is recorded and changes nothing. */
  protected complete(
    adapter: MiniportAdapter,
    operation: 'pause' | 'restart',
    ddi: StateCompleteEvent['ddi'],
    Status: unknown,
  ): void {
    const waiting: AdapterState = operation === 'pause' ? 'Pausing' : 'Restarting';
    const state = adapter.state;
    const e = this.completeEvent;
    e.ddi = ddi;
    e.adapter = adapter;
    e.operation = operation;
    e.Status = Status;
    e.pending = state === waiting;
    e.state = state;
    this.engine.verifier.on.stateComplete(this.engine.verifier, e);
    if (state !== waiting) return;
    if (operation === 'pause') adapter.state = 'Paused';
    else adapter.state = statusOf(Status) === NDIS_STATUS_SUCCESS ? 'Running' : 'Paused';
  }

  private returned(
    callback: LifecycleReturnEvent['callback'],
    adapter: MiniportAdapter,
    status: unknown,
  ): void {
    const e = this.returnEvent;
    e.callback = callback;
    e.driver = adapter.driver;
    e.adapter = adapter;
    e.status = status;
    this.engine.verifier.on.lifecycleReturn(this.engine.verifier, e);
  }

  /**
   * A lifecycle edge a trace states explicitly (an `edge` event): announced as the state machine
   * announces it, unless it already was — for the adapter since its MiniportInitializeEx began, or
   * for the driver — so an edge inferred from a callback's return and the same edge written in the
   * trace are one edge. The adapter is Halted from then on (the trace may not show its callbacks);
   * an initializeFailed written inside MiniportInitializeEx leaves the state to the callback's return.
   */
  announceEdge(
    edge: LifecycleEdgeEvent['edge'],
    driver: MiniportDriver,
    adapter: MiniportAdapter | null,
  ): void {
    if (edge === 'driverUnload' || adapter === null) {
      this.unloaded(driver);
      return;
    }
    if (!(edge === 'initializeFailed' && adapter.state === 'Initializing') && adapter.state !== 'Shutdown') {
      adapter.state = 'Halted';
    }
    this.edge(edge, adapter);
  }

  /** Announces an edge where everything must be released, then reclaims what NDIS takes back. */
  private edge(edge: AdapterEdge, adapter: MiniportAdapter): void {
    if (this.announced.get(adapter) === edge) return;
    this.announced.set(adapter, edge);
    this.engine.lifecycleEdge(edge, adapter.driver, adapter);
    // What NDIS takes back once the edge is reported: timers and work items, the default port and
    // the port table, provider memory, DMA registrations and shared memory (leaks are not reported
    // twice, and a correct re-initialize is not refused for what a failed one leaked).
    this.engine.sync.reclaim(adapter);
    this.engine.ports.adapterHalted(adapter);
    this.engine.provider.reclaim(adapter);
    this.engine.dma.reclaim(adapter);
  }

  private unloaded(driver: MiniportDriver): void {
    driver.registered = false;
    driver.live = false;
    if (this.unloadAnnounced.has(driver)) return;
    this.unloadAnnounced.add(driver);
    this.engine.lifecycleEdge('driverUnload', driver, null);
    this.engine.sync.reclaim(driver);
    // Channel claims are engine-wide: an unloaded driver's must not conflict with another driver's.
    for (const adapter of driver.adapters) this.engine.dma.reclaim(adapter);
  }

  private expect(adapter: MiniportAdapter, event: AdapterEvent): void {
    if (!adapter.live || !canStart(adapter.state, event)) this.illegal(adapter, `start ${event} on`);
  }

  private illegal(adapter: MiniportAdapter, what: string): never {
    throw new LifecycleStateError(
      `NDIS cannot ${what} adapter ${adapter.name} in state ${adapter.state}${adapter.live ? '' : ' (removed)'}`,
    );
  }
}
