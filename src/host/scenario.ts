/**
 * Scenarios: plain, JSON-serialisable lists of host steps (what the PnP manager, the power manager
 * and NDIS do to a driver), and the default scenarios every driver should pass without findings.
 */
import {
  NdisHaltDeviceDisabled,
  NdisHaltDeviceFailed,
  NdisHaltDeviceInitializationFailed,
  NdisHaltDeviceInstanceDeInitialized,
  NdisHaltDevicePoweredDown,
  NdisHaltDeviceStopped,
  NdisHaltDeviceSurpriseRemoved,
  NdisShutdownBugCheck,
  NdisShutdownPowerOff,
} from '../ndis/constants.js';

/** NDIS_HALT_ACTION values by name. */
export const HALT_ACTIONS = Object.freeze({
  NdisHaltDeviceDisabled,
  NdisHaltDeviceInstanceDeInitialized,
  NdisHaltDevicePoweredDown,
  NdisHaltDeviceSurpriseRemoved,
  NdisHaltDeviceFailed,
  NdisHaltDeviceInitializationFailed,
  NdisHaltDeviceStopped,
} as const);
export type HaltActionName = keyof typeof HALT_ACTIONS;

/** NDIS_SHUTDOWN_ACTION values by name. */
export const SHUTDOWN_ACTIONS = Object.freeze({ NdisShutdownPowerOff, NdisShutdownBugCheck } as const);
export type ShutdownActionName = keyof typeof SHUTDOWN_ACTIONS;

/**
 * Low-resources knob of a step: fail every resource-allocating call the driver makes during it
 * ('all'), or the listed ones (1 = its first allocation, 2 = its second, ...).
 */
export type FaultKnob = 'all' | readonly number[];

/** One host step. Adapters are named by the device they run on (`addDevice`'s name). */
export type HostStep =
  /** Loads the driver: DriverEntry at PASSIVE_LEVEL. */
  | { readonly step: 'load'; readonly failAllocations?: FaultKnob }
  /** Plugs in a simulated NIC for the loaded driver (no callback yet). Defaults: bus master, 64-bit DMA. */
  | {
      readonly step: 'addDevice';
      readonly name: string;
      readonly busMaster?: boolean;
      readonly addressBits?: 32 | 64;
    }
  /** MiniportInitializeEx for a Halted adapter. */
  | { readonly step: 'initialize'; readonly adapter: string; readonly failAllocations?: FaultKnob }
  /** MiniportRestart for a Paused adapter; waits for a pended restart unless `wait` is false. */
  | { readonly step: 'restart'; readonly adapter: string; readonly wait?: boolean }
  /** MiniportPause for a Running adapter (PauseReason default NDIS_PAUSE_NDIS_INTERNAL). */
  | { readonly step: 'pause'; readonly adapter: string; readonly reason?: number; readonly wait?: boolean }
  /** MiniportHaltEx (default NdisHaltDeviceDisabled); a Running adapter is paused first (D10). */
  | { readonly step: 'halt'; readonly adapter: string; readonly action?: HaltActionName }
  /** Surprise removal: MiniportDevicePnPEventNotify, then pause and halt with NdisHaltDeviceSurpriseRemoved. */
  | { readonly step: 'surpriseRemove'; readonly adapter: string }
  /** System shutdown: MiniportShutdownEx for every initialized adapter (default NdisShutdownPowerOff). */
  | { readonly step: 'shutdown'; readonly action?: ShutdownActionName }
  /** Lets simulated time pass, running the DPCs, timers and work items that fall due. */
  | { readonly step: 'advance'; readonly ms: number }
  /** Removes every device (halting initialized adapters), then MiniportDriverUnload. */
  | { readonly step: 'unload' };

/** A scenario: steps run in order. */
export type Scenario = readonly HostStep[];

export const STEP_NAMES = Object.freeze([
  'load',
  'addDevice',
  'initialize',
  'restart',
  'pause',
  'halt',
  'surpriseRemove',
  'shutdown',
  'advance',
  'unload',
] as const);

function isKnob(value: unknown): boolean {
  return (
    value === undefined ||
    value === 'all' ||
    (Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1))
  );
}

function field(step: Record<string, unknown>, name: string): unknown {
  return step[name];
}

/** Why `input` is not a well-formed step, or null if it is one. */
export function checkStep(input: unknown): string | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return 'a step is an object with a "step" field';
  }
  const step = input as Record<string, unknown>;
  const name = field(step, 'step');
  if (!(STEP_NAMES as readonly unknown[]).includes(name)) {
    return `unknown step ${JSON.stringify(name)}; the steps are ${STEP_NAMES.join(', ')}`;
  }
  const adapter = field(step, 'adapter');
  const needsAdapter = ['initialize', 'restart', 'pause', 'halt', 'surpriseRemove'].includes(name as string);
  if (needsAdapter && (typeof adapter !== 'string' || adapter === '')) {
    return `step ${String(name)} needs "adapter": the name of a device`;
  }
  if (!isKnob(field(step, 'failAllocations'))) {
    return '"failAllocations" is "all" or a list of allocation numbers (1 = the first)';
  }
  const wait = field(step, 'wait');
  if (wait !== undefined && typeof wait !== 'boolean') return '"wait" is true or false';
  switch (name) {
    case 'addDevice': {
      const deviceName = field(step, 'name');
      if (typeof deviceName !== 'string' || deviceName === '') return 'step addDevice needs "name"';
      const busMaster = field(step, 'busMaster');
      if (busMaster !== undefined && typeof busMaster !== 'boolean') return '"busMaster" is true or false';
      const bits = field(step, 'addressBits');
      if (bits !== undefined && bits !== 32 && bits !== 64) return '"addressBits" is 32 or 64';
      return null;
    }
    case 'pause': {
      const reason = field(step, 'reason');
      const ok =
        reason === undefined || (typeof reason === 'number' && Number.isInteger(reason) && reason >= 0);
      return ok ? null : '"reason" is a ULONG of NDIS_PAUSE_* bits';
    }
    case 'halt': {
      const action = field(step, 'action');
      if (action === undefined || Object.hasOwn(HALT_ACTIONS, action as string)) return null;
      return `"action" is one of ${Object.keys(HALT_ACTIONS).join(', ')}`;
    }
    case 'shutdown': {
      const action = field(step, 'action');
      if (action === undefined || Object.hasOwn(SHUTDOWN_ACTIONS, action as string)) return null;
      return `"action" is one of ${Object.keys(SHUTDOWN_ACTIONS).join(', ')}`;
    }
    case 'advance': {
      const ms = field(step, 'ms');
      return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0
        ? null
        : '"ms" is a number of milliseconds >= 0';
    }
    default:
      return null;
  }
}

const NIC = 'nic0';

function define(steps: readonly HostStep[]): Scenario {
  return Object.freeze([...steps]);
}

const start: Scenario = define([
  { step: 'load' },
  { step: 'addDevice', name: NIC, busMaster: true, addressBits: 64 },
  { step: 'initialize', adapter: NIC },
  { step: 'restart', adapter: NIC },
  { step: 'advance', ms: 10 },
]);

/** Start, run, then halt with `action` and unload. */
export function haltScenario(action: HaltActionName): Scenario {
  return define([...start, { step: 'halt', adapter: NIC, action }, { step: 'unload' }]);
}

const cycles: HostStep[] = [];
for (let i = 0; i < 5; i++) {
  cycles.push({ step: 'pause', adapter: NIC }, { step: 'restart', adapter: NIC }, { step: 'advance', ms: 5 });
}

/** The default scenarios (kebab-case names), each ending with the driver unloaded or the system shut down. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.freeze({
  'full-lifecycle': define([
    ...start,
    { step: 'advance', ms: 100 },
    { step: 'pause', adapter: NIC },
    { step: 'restart', adapter: NIC },
    { step: 'pause', adapter: NIC },
    { step: 'halt', adapter: NIC, action: 'NdisHaltDeviceDisabled' },
    { step: 'unload' },
  ]),
  'surprise-removal': define([...start, { step: 'surpriseRemove', adapter: NIC }, { step: 'unload' }]),
  'shutdown-power-off': define([...start, { step: 'shutdown', action: 'NdisShutdownPowerOff' }]),
  'shutdown-bug-check': define([...start, { step: 'shutdown', action: 'NdisShutdownBugCheck' }]),
  'initialize-failure': define([
    { step: 'load' },
    { step: 'addDevice', name: NIC },
    { step: 'initialize', adapter: NIC, failAllocations: 'all' },
    { step: 'initialize', adapter: NIC },
    { step: 'restart', adapter: NIC },
    { step: 'halt', adapter: NIC },
    { step: 'unload' },
  ]),
  'load-failure': define([{ step: 'load', failAllocations: 'all' }]),
  'pause-restart-cycles': define([...start, ...cycles, { step: 'halt', adapter: NIC }, { step: 'unload' }]),
  'two-adapters': define([
    { step: 'load' },
    { step: 'addDevice', name: 'nic0', busMaster: true, addressBits: 64 },
    { step: 'addDevice', name: 'nic1', busMaster: true, addressBits: 32 },
    { step: 'initialize', adapter: 'nic0' },
    { step: 'initialize', adapter: 'nic1' },
    { step: 'restart', adapter: 'nic0' },
    { step: 'restart', adapter: 'nic1' },
    { step: 'advance', ms: 10 },
    { step: 'halt', adapter: 'nic0', action: 'NdisHaltDeviceStopped' },
    { step: 'unload' },
  ]),
  ...Object.fromEntries(
    (Object.keys(HALT_ACTIONS) as HaltActionName[]).map((action) => [`halt-${action}`, haltScenario(action)]),
  ),
});
