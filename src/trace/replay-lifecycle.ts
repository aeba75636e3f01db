/**
 * Replay of the lifecycle family (SPEC §2): the lifecycle DDIs, and the enter/exit of the lifecycle
 * callbacks driving the same begin/end pairs of engine/lifecycle-states.ts the live host drives, so
 * the same rules fire and the same edges are announced. A `begin` hook runs where the host calls
 * the begin (before the callback's frame), an `end` hook where it calls the end (after the frame).
 *
 * A trace may show only part of a driver's life (a C driver logs what its macros wrap), so what the
 * trace leaves out is not held against the driver: an adapter whose MiniportInitializeEx the trace
 * has not shown is in whatever state its first callback implies; a driver whose
 * NdisMRegisterMiniportDriver is not in the trace is taken to set its adapter attributes; a callback
 * exit without `status` is taken as a success that is not checked. A sequence NDIS never makes for
 * an adapter whose state is known (halt while Running, pause while Paused, ...) is a reader error,
 * and the replay goes on from the state the callback implies.
 */
import {
  ADAPTER_EVENT_STATES,
  type AdapterEvent,
  canStart,
  LifecycleStateError,
} from '../engine/lifecycle.js';
import { REQUIRED_HANDLERS } from '../engine/lifecycle-characteristics.js';
import { MiniportAdapter, type MiniportDriver, resolveHandle } from '../engine/objects.js';
import {
  NDIS_MINIPORT_MAJOR_VERSION,
  NDIS_MINIPORT_MINOR_VERSIONS,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1,
  NDIS_STATUS_SUCCESS,
  NdisHaltDeviceDisabled,
  ndisStatusName,
} from '../ndis/constants.js';
import { NdisDevicePnPEventSurpriseRemoved } from '../ndis/lifecycle.js';
import { decodeValue, FAIL } from './decode.js';
import type { EnterEvent } from './events.js';
import { hex64 } from './hex.js';
import type { CallbackHooks, ReplayEntry, ReplayState } from './replay.js';

type Args = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Structures as a trace writes them
// ---------------------------------------------------------------------------------------------

const STRUCT_DEPTH = 4;

/**
 * A copy of a structure argument with its hex strings decoded to numbers (pointers, and ULONGs a
 * producer wrote in hex), nested structures included; other values as written. The engine then
 * reads it as it reads a live driver's structure.
 */
export function decodeStruct(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const n = decodeValue(value, 'pointer');
    return n === FAIL ? value : n;
  }
  if (typeof value !== 'object' || value === null || depth >= STRUCT_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => decodeStruct(v, depth + 1));
  const out: Args = {};
  for (const key of Object.keys(value)) out[key] = decodeStruct((value as Args)[key], depth + 1);
  return out;
}

/**
 * A function pointer from a trace as the engine takes a live one: NULL as null, another value as a
 * stand-in function named by the address (never called: no driver code runs in a replay).
 */
export function functionPointer(value: unknown, cache: Map<number, unknown>): unknown {
  if (value === 0 || value === null || value === undefined) return null;
  if (typeof value !== 'number') return value;
  let fn = cache.get(value);
  if (fn === undefined) {
    const name = hex64(value);
    fn = { [name]: () => undefined }[name];
    cache.set(value, fn);
  }
  return fn;
}

/** Handler members of NDIS_MINIPORT_DRIVER_CHARACTERISTICS, every revision. */
const HANDLERS = [
  'SetOptionsHandler',
  'InitializeHandlerEx',
  'HaltHandlerEx',
  'UnloadHandler',
  'PauseHandler',
  'RestartHandler',
  'OidRequestHandler',
  'SendNetBufferListsHandler',
  'ReturnNetBufferListsHandler',
  'CancelSendHandler',
  'CheckForHangHandlerEx',
  'ResetHandlerEx',
  'DevicePnPEventNotifyHandler',
  'ShutdownHandlerEx',
  'CancelOidRequestHandler',
  'DirectOidRequestHandler',
  'CancelDirectOidRequestHandler',
  'SynchronousOidRequestHandler',
] as const;

const REQUIRED: ReadonlySet<string> = new Set(REQUIRED_HANDLERS);

/**
 * NDIS_MINIPORT_DRIVER_CHARACTERISTICS from a trace, for the live check: a handler written in the
 * trace is present unless NULL; a handler the trace leaves out is taken as present if it is
 * required (the producer did not log it), NULL otherwise. Only a pointer (no fields): accepted, as
 * the newest NDIS 6 version (nothing is known to check).
 */
function driverCharacteristics(raw: unknown, functions: Map<number, unknown>): unknown {
  if (typeof raw === 'number' && raw !== 0) {
    const c: Args = {
      Header: {
        Type: NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
        Revision: 1,
        Size: NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1,
      },
      MajorNdisVersion: NDIS_MINIPORT_MAJOR_VERSION,
      MinorNdisVersion: NDIS_MINIPORT_MINOR_VERSIONS[NDIS_MINIPORT_MINOR_VERSIONS.length - 1],
    };
    for (const name of REQUIRED) c[name] = functionPointer(raw, functions);
    return c;
  }
  const c = decodeStruct(raw);
  if (typeof c !== 'object' || c === null) return c;
  const fields = c as Args;
  for (const name of HANDLERS) {
    if (Object.hasOwn(fields, name)) fields[name] = functionPointer(fields[name], functions);
    else fields[name] = REQUIRED.has(name) ? functionPointer(1, functions) : null;
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// What the replay knows of the lifecycle, per trace
// ---------------------------------------------------------------------------------------------

interface LifecycleReplay {
  /** Adapters whose MiniportInitializeEx the trace has shown: their state is known. */
  readonly seen: WeakSet<MiniportAdapter>;
  /** Adapters whose attributes are taken as set (their driver's registration is not in the trace). */
  readonly assumed: WeakSet<MiniportAdapter>;
  /** DriverEntry runs: the DriverObject of each (its args, or its first registration). */
  readonly entries: { DriverObject: unknown }[];
  /** MiniportDriverUnload runs: the DriverObject and the drivers each unloads. */
  readonly unloads: { DriverObject: unknown; drivers: readonly MiniportDriver[] }[];
  /** The driver of the last MiniportSetOptions, until its NdisMRegisterMiniportDriver call. */
  setOptions: MiniportDriver | null;
  /** Stand-in functions by address. */
  readonly functions: Map<number, unknown>;
}

const REPLAYS = new WeakMap<ReplayState, LifecycleReplay>();

function replayOf(s: ReplayState): LifecycleReplay {
  let r = REPLAYS.get(s);
  if (r === undefined) {
    r = {
      seen: new WeakSet(),
      assumed: new WeakSet(),
      entries: [],
      unloads: [],
      setOptions: null,
      functions: new Map(),
    };
    REPLAYS.set(s, r);
  }
  return r;
}

/** The driver registered with NDIS in the trace (else its attributes are taken as set). */
function registeredInTrace(driver: MiniportDriver): boolean {
  return driver.driverObject !== null;
}

// ---------------------------------------------------------------------------------------------
// DDIs
// ---------------------------------------------------------------------------------------------

/** As src/ndis/lifecycle.ts, with the trace's status and handle. */
export const LIFECYCLE_REPLAY: Readonly<Record<string, ReplayEntry>> = {
  NdisMRegisterMiniportDriver(s, e) {
    const a = e.args;
    const status = e.status as number;
    const value = (e.result as Args).NdisMiniportDriverHandle as number;
    const r = replayOf(s);
    let driver: MiniportDriver | null = null;
    if (status !== NDIS_STATUS_SUCCESS) driver = r.setOptions;
    else if (value === 0)
      s.error(
        'NdisMRegisterMiniportDriver returned NDIS_STATUS_SUCCESS and a NULL handle: the trace contradicts itself; nothing is registered',
      );
    else driver = s.driver(value) ?? null;
    r.setOptions = null;
    const entry = r.entries[r.entries.length - 1];
    if (entry !== undefined && entry.DriverObject === null) entry.DriverObject = a.DriverObject;
    const characteristics = driverCharacteristics(a.MiniportDriverCharacteristics, r.functions);
    const out = s.engine.lifecycle.registerMiniportDriver(
      a.DriverObject,
      a.RegistryPath,
      a.MiniportDriverContext,
      characteristics,
      { Status: status, driver },
    );
    if (out.Status !== status) {
      s.error(
        `the trace says NdisMRegisterMiniportDriver returned ${ndisStatusName(status)}; NDIS returns ${ndisStatusName(out.Status)} for these characteristics, and registers nothing`,
      );
    }
  },
  NdisMDeregisterMiniportDriver(s, e) {
    s.engine.lifecycle.deregisterMiniportDriver(s.handle(e.args.NdisMiniportDriverHandle as number));
  },
  NdisMSetMiniportAttributes(s, e) {
    const a = e.args;
    const handle = s.handle(a.NdisMiniportHandle as number);
    const r = replayOf(s);
    const engine = s.engine;
    const adapter = handle instanceof MiniportAdapter ? handle : null;
    const raw = a.MiniportAttributes;
    if (typeof raw === 'number' && raw !== 0) {
      // Only the pointer was logged: nothing to check but the IRQL; what it set stays unknown.
      engine.enterDdi('NdisMSetMiniportAttributes', resolveHandle(engine, handle), handle, raw);
      return;
    }
    if (adapter !== null && r.assumed.has(adapter)) {
      // The trace logs the attributes after all: judge what it logs.
      r.assumed.delete(adapter);
      adapter.registrationAttributesSet = false;
      adapter.generalAttributesSet = false;
    }
    const status = engine.lifecycle.setMiniportAttributes(handle, decodeStruct(raw));
    if (status !== e.status) {
      s.error(
        `the trace says NdisMSetMiniportAttributes returned ${ndisStatusName(e.status as number)}; NDIS returns ${ndisStatusName(status)} for these attributes`,
      );
    }
  },
  NdisMPauseComplete(s, e) {
    s.engine.lifecycle.pauseComplete(s.handle(e.args.MiniportAdapterHandle as number));
  },
  NdisMRestartComplete(s, e) {
    const a = e.args;
    s.engine.lifecycle.restartComplete(s.handle(a.MiniportAdapterHandle as number), a.Status);
  },
};

// ---------------------------------------------------------------------------------------------
// Callbacks: the state machine
// ---------------------------------------------------------------------------------------------

/** What NDIS does, for the error message of a sequence it never makes. */
const WHEN: Readonly<Record<AdapterEvent, string>> = {
  initialize: 'initializes only a Halted adapter',
  restart: 'restarts only a Paused adapter',
  pause: 'pauses only a Running adapter',
  halt: 'halts only a Paused adapter (D10: it pauses a Running one first)',
  shutdown: 'calls MiniportShutdownEx only for an initialized adapter (D34)',
};

/** The adapter of an adapter callback, brought to a state `event` may start from; null if none. */
function ready(s: ReplayState, e: EnterEvent, adapter: MiniportAdapter | null, event: AdapterEvent) {
  if (adapter === null) {
    s.error(`${e.callback} entered without an adapter handle: the adapter state machine does not follow it`);
    return null;
  }
  const state = adapter.state;
  if (adapter.live && canStart(state, event)) return adapter;
  const from = ADAPTER_EVENT_STATES[event][0];
  // An adapter the trace has not shown initialized is wherever its first callback says it is.
  if (replayOf(s).seen.has(adapter)) {
    const pending =
      state === 'Pausing'
        ? ' (MiniportPause returned NDIS_STATUS_PENDING and the trace shows no NdisMPauseComplete)'
        : state === 'Restarting'
          ? ' (MiniportRestart returned NDIS_STATUS_PENDING and the trace shows no NdisMRestartComplete)'
          : '';
    s.error(
      `${e.callback} entered for adapter ${adapter.name} in state ${state}${pending}: NDIS ${WHEN[event]}; replay goes on as if it were ${from}`,
    );
  }
  adapter.state = from;
  return adapter;
}

/** Runs a begin or end of the engine's state machine; a transition it refuses is a reader error. */
function transition(s: ReplayState, step: () => void): void {
  try {
    step();
  } catch (error) {
    if (!(error instanceof LifecycleStateError)) throw error;
    s.error(`${error.message}; the trace is followed without it`);
  }
}

function pointerArg(e: EnterEvent, name: string): unknown {
  const value = e.args?.[name];
  return typeof value === 'number' ? value : null;
}

export const LIFECYCLE_HOOKS: Readonly<Record<string, CallbackHooks>> = {
  DriverEntry: {
    begin(s, e) {
      replayOf(s).entries.push({ DriverObject: pointerArg(e, 'DriverObject') });
    },
    end(s, e) {
      const entry = replayOf(s).entries.pop();
      if (entry === undefined || entry.DriverObject === null || e.status === undefined) return;
      s.engine.lifecycle.driverEntryEnd(entry.DriverObject, e.status);
    },
  },
  MiniportSetOptions: {
    begin(s, _e, driver) {
      replayOf(s).setOptions = driver;
    },
  },
  MiniportInitializeEx: {
    begin(s, e, _driver, adapter) {
      const a = ready(s, e, adapter, 'initialize');
      if (a === null) return;
      const r = replayOf(s);
      transition(s, () => s.engine.lifecycle.initializeBegin(a));
      r.seen.add(a);
      if (!registeredInTrace(a.driver)) {
        a.registrationAttributesSet = true;
        a.generalAttributesSet = true;
        r.assumed.add(a);
      }
    },
    end(s, e, _driver, adapter) {
      if (adapter === null || adapter.state !== 'Initializing') return;
      replayOf(s).assumed.delete(adapter);
      if (e.status === undefined) adapter.state = 'Paused';
      else transition(s, () => s.engine.lifecycle.initializeEnd(adapter, e.status));
    },
  },
  MiniportRestart: {
    begin(s, e, _driver, adapter) {
      const a = ready(s, e, adapter, 'restart');
      if (a !== null) transition(s, () => s.engine.lifecycle.restartBegin(a));
    },
    end(s, e, _driver, adapter) {
      if (adapter === null) return;
      if (e.status !== undefined) s.engine.lifecycle.restartEnd(adapter, e.status);
      else if (adapter.state === 'Restarting') adapter.state = 'Running';
    },
  },
  MiniportPause: {
    begin(s, e, _driver, adapter) {
      const a = ready(s, e, adapter, 'pause');
      if (a !== null) transition(s, () => s.engine.lifecycle.pauseBegin(a));
    },
    end(s, e, _driver, adapter) {
      if (adapter === null) return;
      if (e.status !== undefined) s.engine.lifecycle.pauseEnd(adapter, e.status);
      else if (adapter.state === 'Pausing') adapter.state = 'Paused';
    },
  },
  MiniportHaltEx: {
    begin(s, e, _driver, adapter) {
      const a = ready(s, e, adapter, 'halt');
      if (a === null) return;
      const action = e.args?.HaltAction;
      transition(s, () => s.engine.lifecycle.haltBegin(a, NdisHaltDeviceDisabled));
      // The handle stays usable after the halt: a trace may show the same value for a new device.
      a.haltAction = typeof action === 'number' ? action : null;
    },
    end(s, _e, _driver, adapter) {
      if (adapter !== null) transition(s, () => s.engine.lifecycle.haltEnd(adapter));
    },
  },
  MiniportShutdownEx: {
    begin(s, e, _driver, adapter) {
      const a = ready(s, e, adapter, 'shutdown');
      if (a !== null) transition(s, () => s.engine.lifecycle.shutdownBegin(a));
    },
  },
  MiniportDevicePnPEventNotify: {
    begin(s, e, _driver, adapter) {
      const event = e.args?.NetDevicePnPEvent;
      if (adapter === null || typeof event !== 'object' || event === null) return;
      if (decodeValue((event as Args).DevicePnPEvent, 'ulong') === NdisDevicePnPEventSurpriseRemoved)
        s.engine.lifecycle.surpriseRemoved(adapter);
    },
  },
  MiniportDriverUnload: {
    begin(s, e, driver) {
      const lifecycle = s.engine.lifecycle;
      const DriverObject = pointerArg(e, 'DriverObject') ?? driver?.driverObject ?? null;
      let drivers = DriverObject === null ? [] : lifecycle.registrationsOf(DriverObject);
      if (drivers.length === 0 && driver !== null) drivers = [driver];
      const unload = { DriverObject, drivers: [...drivers] };
      replayOf(s).unloads.push(unload);
      lifecycle.unloadBegin(DriverObject, unload.drivers);
    },
    end(s) {
      const unload = replayOf(s).unloads.pop();
      if (unload !== undefined) s.engine.lifecycle.unloadEnd(unload.DriverObject, unload.drivers);
    },
  },
};
