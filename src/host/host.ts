/**
 * The host: loads a driver module and plays the PnP manager, the power manager and NDIS around it,
 * step by step (scenario.ts). Every call into the driver goes through engine.invoke at its documented
 * IRQL, and the NDIS side of each transition goes through engine.lifecycle, so the verifier sees the
 * same edges a trace would give. The host never makes a transition the adapter state machine forbids
 * (SPEC §2.5): such a step is refused with a reason, nothing is called, and it is not a violation.
 * A driver that throws, a bug check under the bug-check policy, or a pended pause/restart that never
 * completes ends the run cleanly: the result keeps every finding, the step log and the adapter states.
 */

import { PageFault } from '../engine/access.js';
import { Engine, type EngineOptions, type ThrownFrom } from '../engine/engine.js';
import { canStart, isInitialized } from '../engine/lifecycle.js';
import { member } from '../engine/lifecycle-characteristics.js';
import type { AdapterState, MiniportAdapter, MiniportDriver } from '../engine/objects.js';
import { HIGH, PASSIVE } from '../machine/context.js';
import { TICKS_PER_MS } from '../machine/scheduler.js';
import { activate } from '../ndis/active.js';
import {
  NDIS_INTERMEDIATE_DRIVER,
  NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK,
  NDIS_PAUSE_NDIS_INTERNAL,
  NdisHaltDeviceDisabled,
  NdisHaltDeviceSurpriseRemoved,
  NdisShutdownBugCheck,
} from '../ndis/constants.js';
import { NdisDevicePnPEventSurpriseRemoved } from '../ndis/lifecycle.js';
import type {
  DRIVER_OBJECT,
  MINIPORT_DEVICE_PNP_EVENT_NOTIFY,
  MINIPORT_SHUTDOWN,
  MINIPORT_UNLOAD,
  NDIS_STATUS,
} from '../ndis/types.js';
import { siteFrames } from '../verifier/site.js';
import { BugCheck } from '../verifier/violation.js';
import { DriverCalls, Hung } from './calls.js';
import type { HostOutcome, RunError, RunResult, StepRecord } from './result.js';
import {
  checkStep,
  type FaultKnob,
  HALT_ACTIONS,
  type HostStep,
  SCENARIOS,
  type Scenario,
  SHUTDOWN_ACTIONS,
} from './scenario.js';
import { DriverObject, devicePnPEvent } from './structures.js';

/** A driver module: DriverEntry, and optionally scenarios of its own. */
export interface HostDriver {
  DriverEntry(DriverObject: DRIVER_OBJECT, RegistryPath: string): NDIS_STATUS;
  readonly scenarios?: Readonly<Record<string, Scenario>>;
}

export interface HostOptions extends EngineOptions {
  /** Run on this engine instead of a new one made from the other options. */
  readonly engine?: Engine;
  /** The driver's name in reports (DRIVER_OBJECT DriverName). Default DEFAULT_DRIVER_NAME. */
  readonly driverName?: string;
  /** Simulated time a pended pause or restart may take before the run is 'hung'. Default 30 000 ms. */
  readonly pendingTimeoutMs?: number;
  /** Scheduler steps one wait for a pended pause or restart may run. Default 1 000 000. */
  readonly maxWaitSteps?: number;
  /**
   * Skip a step that is not legal in the current state instead of ending the run ('refused'). Fault
   * exploration sets it: once an injected failure correctly fails an initialize, NDIS never
   * restarts that adapter, and the rest of the scenario (unload included) still has to run.
   */
  readonly skipIllegalSteps?: boolean;
}

/** The driver's name in reports when the host is given none (a recorded trace's header names it so). */
export const DEFAULT_DRIVER_NAME = 'Driver';

const OWN_SOURCE = decodeURIComponent(new URL('..', import.meta.url).pathname);

/** True if the top frame of a thrown error is ndis-sim's own code (an internal error, not the driver's). */
function thrownByNdisSim(error: unknown): boolean {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const top = stack.split('\n').find((line) => line.trim().startsWith('at '));
  return (top ?? '').includes(OWN_SOURCE);
}

/** A host for one driver module: run scenarios with `run`, or drive it step by step with `step`. */
export class Host extends DriverCalls {
  readonly driverObject: DriverObject;
  readonly registryPath: string;
  private loaded = false;
  private down = false;
  private ending: RunError | null = null;
  private readonly devices = new Map<string, MiniportAdapter>();
  private readonly log: StepRecord[] = [];
  private readonly skipIllegal: boolean;

  constructor(
    readonly module: HostDriver | Readonly<Record<string, unknown>>,
    options: HostOptions = {},
  ) {
    super(
      options.engine ?? new Engine(options),
      options.pendingTimeoutMs ?? 30_000,
      options.maxWaitSteps ?? 1_000_000,
    );
    this.skipIllegal = options.skipIllegalSteps ?? false;
    const name = options.driverName ?? DEFAULT_DRIVER_NAME;
    this.driverObject = new DriverObject(name);
    this.registryPath = `\\Registry\\Machine\\System\\CurrentControlSet\\Services\\${name}`;
  }

  /** The default scenarios plus the module's own (`scenarios` export), by name. */
  get scenarios(): Readonly<Record<string, Scenario>> {
    const own = member(this.module as Record<string, unknown>, 'scenarios');
    return own !== null && typeof own === 'object'
      ? { ...SCENARIOS, ...(own as Record<string, Scenario>) }
      : SCENARIOS;
  }

  /** The adapter on device `name`, if one was added. */
  adapter(name: string): MiniportAdapter | undefined {
    return this.devices.get(name);
  }

  /** The miniport driver DriverEntry registered (null before load or after unload). */
  get miniportDriver(): MiniportDriver | null {
    return this.primary(true);
  }

  /** How the run stands: 'completed' while it has not ended. */
  get outcome(): HostOutcome {
    return this.ending?.kind ?? 'completed';
  }

  /**
   * Runs the steps in order and returns the result. A refused step ends the run ('refused'); so does
   * anything that ends it during a step. When every step ran, pended operations still open are
   * waited for (they must complete).
   */
  run(scenario: Scenario | readonly unknown[]): RunResult {
    if (!Array.isArray(scenario)) {
      this.ending = this.error('refused', 'a scenario is an array of steps', this.log.length);
      return this.result();
    }
    for (const input of scenario) {
      const record = this.step(input);
      if (this.ending !== null) break;
      if (record.outcome === 'refused' && !(this.skipIllegal && checkStep(input) === null)) {
        this.ending = this.error('refused', record.message ?? 'refused', record.index);
        break;
      }
    }
    if (this.ending === null) this.finish();
    return this.result();
  }

  /** Runs one step. Never throws for anything the driver does: the record (and `result()`) says what happened. */
  step(input: HostStep | unknown): StepRecord {
    const index = this.log.length;
    this.calls = [];
    let outcome: StepRecord['outcome'] = 'ok';
    let message: string | null = null;
    const malformed = this.ending !== null ? `the run has ended (${this.ending.kind})` : checkStep(input);
    if (malformed !== null) {
      outcome = 'refused';
      message = malformed;
    } else {
      const previous = activate(this.engine);
      try {
        message = this.execute(input as HostStep);
        if (message !== null) outcome = 'refused';
        else if (!this.down) this.runScheduler();
      } catch (error) {
        this.end(error, index);
        outcome = 'ended';
        message = this.ending?.message ?? null;
      } finally {
        activate(previous);
      }
    }
    const record: StepRecord = Object.freeze({
      index,
      step: input,
      outcome,
      message,
      calls: Object.freeze(this.calls.map((c) => Object.freeze(c))),
      adapters: this.states(),
      timeMs: this.engine.scheduler.now / TICKS_PER_MS,
    });
    this.log.push(record);
    return record;
  }

  /** The result so far. */
  result(): RunResult {
    return Object.freeze({
      outcome: this.outcome,
      error: this.ending,
      violations: Object.freeze([...this.engine.violations]),
      adapters: this.states(),
      steps: Object.freeze([...this.log]),
      timeMs: this.engine.scheduler.now / TICKS_PER_MS,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Steps
  // -------------------------------------------------------------------------------------------

  /** Runs a well-formed step; returns why it is refused (nothing called), or null. */
  private execute(step: HostStep): string | null {
    if (this.down) return 'the system is shut down: no callback happens any more';
    switch (step.step) {
      case 'load':
        return this.load(step.failAllocations);
      case 'addDevice':
        return this.addDevice(step.name, step.busMaster ?? true, step.addressBits ?? 64);
      case 'advance':
        if (!this.engine.scheduler.advance(step.ms * TICKS_PER_MS)) {
          throw new Hung(
            'the scheduler ran its step limit: DPCs, timers or work items requeue themselves forever',
            null,
            null,
          );
        }
        return null;
      case 'shutdown':
        return this.shutdown(SHUTDOWN_ACTIONS[step.action ?? 'NdisShutdownPowerOff']);
      case 'unload':
        return this.unload();
      default:
        return this.adapterStep(step);
    }
  }

  private adapterStep(step: Extract<HostStep, { adapter: string }>): string | null {
    const adapter = this.devices.get(step.adapter);
    if (adapter === undefined) return `no device named ${step.adapter}`;
    if (!adapter.live) return `device ${step.adapter} was removed`;
    // NDIS starts no PnP operation while a pause or restart is pending: wait for it first.
    this.settle(adapter);
    const state = adapter.state;
    switch (step.step) {
      case 'initialize':
        if (!canStart(state, 'initialize')) return refusal(adapter, 'MiniportInitializeEx', 'Halted');
        this.initialize(adapter, step.failAllocations);
        return null;
      case 'restart':
        if (!canStart(state, 'restart')) return refusal(adapter, 'MiniportRestart', 'Paused');
        this.restart(adapter, step.wait ?? true);
        return null;
      case 'pause':
        if (!canStart(state, 'pause')) return refusal(adapter, 'MiniportPause', 'Running');
        this.pause(adapter, step.reason ?? NDIS_PAUSE_NDIS_INTERNAL, step.wait ?? true, null);
        return null;
      case 'halt':
        if (!isInitialized(state))
          return refusal(adapter, 'MiniportHaltEx', 'initialized (Paused or Running)');
        this.halt(adapter, HALT_ACTIONS[step.action ?? 'NdisHaltDeviceDisabled'], null);
        return null;
      case 'surpriseRemove':
        this.lifecycle.surpriseRemoved(adapter);
        if (isInitialized(state)) {
          const handler = this.handlers(adapter.driver)
            .DevicePnPEventNotifyHandler as MINIPORT_DEVICE_PNP_EVENT_NOTIFY;
          const event = devicePnPEvent(NdisDevicePnPEventSurpriseRemoved);
          this.call(
            'MiniportDevicePnPEventNotify',
            adapter.driver,
            adapter,
            PASSIVE,
            () => (handler as (context: unknown, event: unknown) => unknown)(adapter.context, event),
            null,
            { NetDevicePnPEvent: event },
          );
          this.halt(adapter, NdisHaltDeviceSurpriseRemoved, null);
        } else {
          this.lifecycle.removeDevice(adapter);
        }
        return null;
    }
  }

  private load(knob: FaultKnob | undefined): string | null {
    if (this.loaded) return 'the driver is already loaded';
    const entry = member(this.module as Record<string, unknown>, 'DriverEntry');
    if (typeof entry !== 'function') return 'the driver module exports no DriverEntry function';
    const status = this.withFaults(knob, () =>
      this.call('DriverEntry', null, null, PASSIVE, () => entry(this.driverObject, this.registryPath), null, {
        DriverObject: this.driverObject,
        RegistryPath: this.registryPath,
      }),
    );
    this.loaded = this.lifecycle.driverEntryEnd(this.driverObject, status);
    return null;
  }

  private addDevice(name: string, busMaster: boolean, addressBits: 32 | 64): string | null {
    if (!this.loaded) return 'no driver is loaded';
    const driver = this.primary(true);
    if (driver === null) return 'DriverEntry registered no miniport driver';
    if (this.devices.get(name)?.live) return `a device named ${name} is already present`;
    const adapter = this.engine.createAdapter(driver, name, Object.freeze({ busMaster, addressBits }));
    this.devices.set(name, adapter);
    this.interfaces.set(adapter, this.interfaces.size + 1);
    return null;
  }

  private shutdown(action: number): string | null {
    const bugCheck = action === NdisShutdownBugCheck;
    for (const adapter of this.devices.values()) {
      if (!adapter.live || !canStart(adapter.state, 'shutdown')) continue;
      const driver = adapter.driver;
      // From NDIS 6.30 a bug-check shutdown reaches only adapters that asked for it.
      const registered = (adapter.attributeFlags & NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK) !== 0;
      if (bugCheck && this.lifecycle.minorVersion(driver) >= 30 && !registered) continue;
      const handler = this.handlers(driver).ShutdownHandlerEx as MINIPORT_SHUTDOWN;
      this.lifecycle.shutdownBegin(adapter);
      // D9: PowerOff at PASSIVE_LEVEL, BugCheck at HIGH_LEVEL.
      this.call(
        'MiniportShutdownEx',
        driver,
        adapter,
        bugCheck ? HIGH : PASSIVE,
        () => handler(adapter.context, action),
        null,
        { ShutdownAction: action },
      );
    }
    this.down = true;
    return null;
  }

  private unload(): string | null {
    if (!this.loaded) return 'no driver is loaded';
    // The system unloads a driver only once every device it serves has been removed.
    for (const adapter of this.devices.values()) {
      if (!adapter.live) continue;
      this.settle(adapter);
      if (isInitialized(adapter.state)) {
        this.halt(
          adapter,
          NdisHaltDeviceDisabled,
          'the PnP manager removes every device before unloading the driver',
        );
      } else if (adapter.live) {
        this.lifecycle.removeDevice(adapter);
      }
    }
    this.runScheduler();
    this.lifecycle.unloadBegin(this.driverObject);
    const driver = this.primary(false);
    const unload = driver?.characteristics?.UnloadHandler;
    if (driver !== null && typeof unload === 'function') {
      this.call(
        'MiniportDriverUnload',
        driver,
        null,
        PASSIVE,
        () => (unload as MINIPORT_UNLOAD)(this.driverObject),
        null,
        { DriverObject: this.driverObject },
      );
    }
    this.lifecycle.unloadEnd(this.driverObject);
    this.loaded = false;
    return null;
  }

  // -------------------------------------------------------------------------------------------
  // Ending
  // -------------------------------------------------------------------------------------------

  /** After the last step: pended operations must still complete. */
  private finish(): void {
    if (this.down) return;
    const previous = activate(this.engine);
    try {
      for (const adapter of this.devices.values()) this.settle(adapter);
    } catch (error) {
      this.end(error, this.log.length - 1);
    } finally {
      activate(previous);
    }
  }

  /** Ends the run with what was thrown. */
  private end(error: unknown, step: number): void {
    const engine = this.engine;
    const origin: ThrownFrom | null =
      engine.thrown !== null && engine.thrown.error === error ? engine.thrown : null;
    engine.thrown = null;
    engine.context.reset();
    const name = error instanceof Error ? error.name : null;
    const stack = error instanceof Error ? siteFrames({ stack: error.stack }) : [];
    if (error instanceof Hung) {
      this.ending = this.error('hung', error.message, step, error.callback, error.adapter);
    } else if (error instanceof BugCheck) {
      const v = error.violation;
      this.ending = Object.freeze({
        ...this.error('bugcheck', error.message, step, v.context.callback, v.adapter),
        bugCheck: error.info,
        name,
        stack: v.site,
      });
    } else {
      // A page fault is thrown by ndis-sim's memory model but caused by the driver (NULL or a wild
      // pointer): it is the driver's crash, not an internal error.
      const kind =
        origin !== null && (error instanceof PageFault || !thrownByNdisSim(error))
          ? 'driver-threw'
          : 'internal-error';
      const text = error instanceof Error ? error.message : String(error);
      const where = origin !== null ? ` in ${origin.callback}` : '';
      this.ending = Object.freeze({
        ...this.error(
          kind,
          `${kind === 'driver-threw' ? 'the driver threw' : 'ndis-sim failed'}${where}: ${text}`,
          step,
          origin?.callback ?? null,
          origin?.adapter?.name ?? null,
        ),
        name,
        stack,
      });
    }
  }

  private error(
    kind: RunError['kind'],
    message: string,
    step: number,
    callback: string | null = null,
    adapter: string | null = null,
  ): RunError {
    return Object.freeze({
      kind,
      message,
      step,
      callback,
      adapter,
      bugCheck: null,
      name: null,
      stack: Object.freeze([]),
    });
  }

  // -------------------------------------------------------------------------------------------
  // Helpers
  // -------------------------------------------------------------------------------------------

  /** The physical miniport registration of the loaded driver (not the intermediate one). */
  private primary(registeredOnly: boolean): MiniportDriver | null {
    const list = this.lifecycle
      .registrationsOf(this.driverObject)
      .filter((d) => d.registered || !registeredOnly);
    const physical = list.find((d) => ((d.characteristics?.Flags ?? 0) & NDIS_INTERMEDIATE_DRIVER) === 0);
    return physical ?? list[0] ?? null;
  }

  private states(): Readonly<Record<string, AdapterState>> {
    const states: Record<string, AdapterState> = {};
    for (const [name, adapter] of this.devices) states[name] = adapter.state;
    return Object.freeze(states);
  }
}

function refusal(adapter: MiniportAdapter, callback: string, required: string): string {
  return `adapter ${adapter.name} is ${adapter.state}: NDIS calls ${callback} only for an adapter that is ${required}`;
}

/** Runs `scenario` against a fresh host for `module` and returns the result. */
export function runScenario(
  module: HostDriver | Readonly<Record<string, unknown>>,
  scenario: Scenario | readonly unknown[],
  options: HostOptions = {},
): RunResult {
  return new Host(module, options).run(scenario);
}
