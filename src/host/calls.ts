/**
 * The NDIS side of the host: calling the driver's handlers at their documented IRQL through
 * engine.invoke, between the engine's begin/end pairs (engine/lifecycle-states.ts), and waiting for
 * pended operations the way NDIS does (it starts no PnP operation while one is pending). Host builds
 * the steps on these.
 */
import type { Engine } from '../engine/engine.js';
import type { Lifecycle } from '../engine/lifecycle.js';
import type { MiniportAdapter, MiniportDriver } from '../engine/objects.js';
import { PASSIVE } from '../machine/context.js';
import { TICKS_PER_MS } from '../machine/scheduler.js';
import {
  NDIS_PAUSE_LOW_POWER,
  NDIS_PAUSE_MINIPORT_DEVICE_REMOVE,
  NdisHaltDeviceDisabled,
  NdisHaltDeviceFailed,
  NdisHaltDeviceInitializationFailed,
  NdisHaltDeviceInstanceDeInitialized,
  NdisHaltDevicePoweredDown,
  NdisHaltDeviceSurpriseRemoved,
} from '../ndis/constants.js';
import type { MINIPORT_HALT, MINIPORT_INITIALIZE, MINIPORT_PAUSE, MINIPORT_RESTART } from '../ndis/types.js';
import type { CallRecord } from './result.js';
import type { FaultKnob } from './scenario.js';
import { initParameters, pauseParameters, restartParameters } from './structures.js';

/** Halt actions after which the device is gone (its handle stale); after the others it may be initialized again. */
const REMOVING = new Set<number>([
  NdisHaltDeviceDisabled,
  NdisHaltDeviceInstanceDeInitialized,
  NdisHaltDeviceSurpriseRemoved,
  NdisHaltDeviceFailed,
]);

/** Ends a run as 'hung' (internal to the host). */
export class Hung extends Error {
  constructor(
    message: string,
    readonly callback: string | null,
    readonly adapter: string | null,
  ) {
    super(message);
  }
}

/** Calls into the driver and waits for it, as NDIS does. */
export class DriverCalls {
  protected readonly lifecycle: Lifecycle;
  /** Calls made during the step in progress. */
  protected calls: CallRecord[] = [];
  /** Interface numbers (IfIndex, NetLuidIndex) by adapter. */
  protected readonly interfaces = new Map<MiniportAdapter, number>();
  private readonly pendingTimeout: number;

  constructor(
    readonly engine: Engine,
    pendingTimeoutMs: number,
    private readonly maxWaitSteps: number,
  ) {
    this.lifecycle = engine.lifecycle;
    this.pendingTimeout = pendingTimeoutMs * TICKS_PER_MS;
  }

  /** MiniportInitializeEx at PASSIVE_LEVEL; D36: halts an adapter that succeeded without its attributes. */
  protected initialize(adapter: MiniportAdapter, knob: FaultKnob | undefined): void {
    const driver = adapter.driver;
    const handler = this.handlers(driver).InitializeHandlerEx as MINIPORT_INITIALIZE;
    const n = this.interfaces.get(adapter) ?? 0;
    const parameters = initParameters(10 + n, n);
    this.lifecycle.initializeBegin(adapter);
    const status = this.withFaults(knob, () =>
      this.call('MiniportInitializeEx', driver, adapter, PASSIVE, () =>
        handler(adapter, driver.context, parameters),
      ),
    );
    if (this.lifecycle.initializeEnd(adapter, status) === 'HaltRequired') {
      this.halt(
        adapter,
        NdisHaltDeviceInitializationFailed,
        'D36: initialize succeeded without the mandatory attributes',
      );
    }
  }

  /** MiniportRestart at PASSIVE_LEVEL; waits for a pended restart unless `wait` is false. */
  protected restart(adapter: MiniportAdapter, wait: boolean): void {
    const handler = this.handlers(adapter.driver).RestartHandler as MINIPORT_RESTART;
    this.lifecycle.restartBegin(adapter);
    const status = this.call('MiniportRestart', adapter.driver, adapter, PASSIVE, () =>
      handler(adapter.context, restartParameters()),
    );
    this.lifecycle.restartEnd(adapter, status);
    if (wait) this.settle(adapter);
  }

  /** MiniportPause at PASSIVE_LEVEL with `reason`; waits for a pended pause unless `wait` is false. */
  protected pause(adapter: MiniportAdapter, reason: number, wait: boolean, why: string | null): void {
    const handler = this.handlers(adapter.driver).PauseHandler as MINIPORT_PAUSE;
    this.lifecycle.pauseBegin(adapter);
    const status = this.call(
      'MiniportPause',
      adapter.driver,
      adapter,
      PASSIVE,
      () => handler(adapter.context, pauseParameters(reason)),
      why,
    );
    this.lifecycle.pauseEnd(adapter, status);
    if (wait) this.settle(adapter);
  }

  /** Halts an initialized adapter: waits for a pending operation, pauses a Running one (D10), then MiniportHaltEx. */
  protected halt(adapter: MiniportAdapter, action: number, why: string | null): void {
    this.settle(adapter);
    if (adapter.state === 'Running') {
      const reason =
        action === NdisHaltDevicePoweredDown ? NDIS_PAUSE_LOW_POWER : NDIS_PAUSE_MINIPORT_DEVICE_REMOVE;
      this.pause(adapter, reason, true, 'D10: NDIS pauses a Running adapter before halting it');
    }
    // D6: pending asynchronous shared-memory completions are delivered before MiniportHaltEx.
    this.engine.dma.drainCompletions(adapter);
    const handler = this.handlers(adapter.driver).HaltHandlerEx as MINIPORT_HALT;
    this.lifecycle.haltBegin(adapter, action);
    this.call(
      'MiniportHaltEx',
      adapter.driver,
      adapter,
      PASSIVE,
      () => handler(adapter.context, action),
      why,
      { HaltAction: action },
    );
    this.lifecycle.haltEnd(adapter);
    if (REMOVING.has(action)) this.lifecycle.removeDevice(adapter);
  }

  /** Runs the DPCs, timers and work items due now (time does not move). */
  protected runScheduler(): void {
    if (this.engine.scheduler.runUntilIdle(0) === 'step-limit') {
      throw new Hung(
        'the scheduler ran its step limit: DPCs, timers or work items requeue themselves forever',
        null,
        null,
      );
    }
  }

  /**
   * Waits for a pending pause or restart of `adapter` to complete, running the scheduler (time moves
   * to each timer that falls due) for at most the pending timeout. If it does not complete, the
   * watchdog finding is recorded and the run is 'hung'.
   */
  protected settle(adapter: MiniportAdapter): void {
    const state = adapter.state;
    if (state !== 'Pausing' && state !== 'Restarting') return;
    const scheduler = this.engine.scheduler;
    const start = scheduler.now;
    const deadline = start + this.pendingTimeout;
    let steps = 0;
    while (adapter.state === state) {
      const idle = scheduler.pendingDpcs === 0 && scheduler.pendingPassive === 0;
      if (idle && scheduler.nextTimerDue > deadline) {
        scheduler.advance(Math.max(0, deadline - scheduler.now));
        break;
      }
      if (++steps > this.maxWaitSteps) break;
      scheduler.step();
    }
    if (adapter.state !== state) return;
    const operation = state === 'Pausing' ? 'pause' : 'restart';
    this.lifecycle.pendingTimedOut(adapter, operation, scheduler.now - start);
    const callback = operation === 'pause' ? 'MiniportPause' : 'MiniportRestart';
    throw new Hung(
      `${callback} of ${adapter.name} returned NDIS_STATUS_PENDING and was never completed`,
      callback,
      adapter.name,
    );
  }

  /** Calls into the driver through engine.invoke, logging the call; `args` as engine.invoke's. */
  protected call<T>(
    callback: string,
    driver: MiniportDriver | null,
    adapter: MiniportAdapter | null,
    irql: number,
    fn: () => T,
    reason: string | null = null,
    args?: Readonly<Record<string, unknown>>,
  ): T {
    const record = { callback, adapter: adapter?.name ?? null, irql, status: null as number | null, reason };
    this.calls.push(record);
    const value = this.engine.invoke(callback, driver, adapter, irql, fn, args);
    if (typeof value === 'number') record.status = value;
    return value;
  }

  /** Runs `fn` failing the resource-allocating calls `knob` names (counted from the start of `fn`). */
  protected withFaults<T>(knob: FaultKnob | undefined, fn: () => T): T {
    if (knob === undefined) return fn();
    const engine = this.engine;
    const previous = engine.faults;
    const first = engine.allocationCalls;
    const listed = knob === 'all' ? null : new Set(knob);
    engine.faults = (request) =>
      listed === null || listed.has(request.ordinal - first) || (previous?.(request) ?? false);
    try {
      return fn();
    } finally {
      engine.faults = previous;
    }
  }

  /** The registered characteristics NDIS calls the driver through. */
  protected handlers(driver: MiniportDriver): Readonly<Record<string, unknown>> {
    return (driver.characteristics ?? {}) as Readonly<Record<string, unknown>>;
  }
}
