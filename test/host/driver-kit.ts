/**
 * A small, correct NDIS 6 miniport for the host and lifecycle tests, with knobs for its responses
 * (pause/restart SUCCESS, PENDING, FAILURE, ...) and for planted bugs. It allocates pool memory in
 * MiniportSetOptions (driver-wide) and MiniportInitializeEx (per adapter) and frees it where the
 * documentation says, so the leak rules fire through the lifecycle edges when a bug is planted.
 * Pended operations complete from a simulated interrupt DPC after `completeAfterMs`.
 */
import { expect } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { MiniportAdapter } from '../../src/engine/objects.js';
import type { HostDriver } from '../../src/host/index.js';
import {
  DISPATCH_LEVEL,
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE,
  NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_PENDING,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NdisAllocateMemoryWithTagPriority,
  NdisFreeMemory,
  NdisInterfacePci,
  NdisMDeregisterMiniportDriver,
  NdisMPauseComplete,
  NdisMRegisterMiniportDriver,
  NdisMRestartComplete,
  NdisMSetMiniportAttributes,
  NormalPoolPriority,
} from '../../src/index.js';
import { TICKS_PER_MS } from '../../src/machine/scheduler.js';
import type {
  NDIS_HANDLE,
  NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_MINIPORT_DRIVER_CHARACTERISTICS,
} from '../../src/ndis/types.js';
import { findRule } from '../../src/verifier/catalogue.js';
import type { BugCheckInfo, Violation } from '../../src/verifier/violation.js';

/** 'Kit ' in memory. */
export const KIT_TAG = 0x2074694b;

/** How the kit answers MiniportPause / MiniportRestart: a documented word, or a raw value. */
export type Response = 'SUCCESS' | 'PENDING' | 'FAILURE' | 'RESOURCES' | number | undefined;

export type Bug =
  /** MiniportHaltEx forgets to free the adapter's receive area. */
  | 'leak-in-halt'
  /** A failing MiniportInitializeEx forgets to free what it allocated. */
  | 'leak-on-init-failure'
  /** MiniportDriverUnload forgets the driver-wide block from MiniportSetOptions. */
  | 'leak-driver-block'
  /** MiniportDriverUnload does not call NdisMDeregisterMiniportDriver. */
  | 'no-deregister'
  /** DriverEntry fails after registering, without deregistering. */
  | 'fail-after-register'
  /** DriverEntry fails after registering, and deregisters (correct). */
  | 'fail-after-register-deregistered'
  /** MiniportInitializeEx returns SUCCESS without general attributes. */
  | 'no-general-attributes'
  /** MiniportInitializeEx sets general attributes before registration attributes. */
  | 'general-first'
  /** A pended pause or restart is never completed. */
  | 'never-complete'
  /** NdisMPauseComplete / NdisMRestartComplete is called a second time after completing. */
  | 'complete-twice'
  /** MiniportRestart throws. */
  | 'throw-in-restart';

export interface KitOptions {
  /** MinorNdisVersion (default 30: NDIS 6.30). */
  readonly minor?: number;
  /** MiniportPause's answer for each call (default SUCCESS). */
  readonly pause?: () => Response;
  /** MiniportRestart's answer for each call (default SUCCESS). */
  readonly restart?: () => Response;
  /** Status a pended restart completes with (default SUCCESS). */
  readonly restartCompletes?: () => number;
  /** Delay before a pended operation completes (default 2 ms). */
  readonly completeAfterMs?: number;
  readonly bugs?: readonly Bug[];
  /** Sets NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK (NDIS 6.30+; default true). */
  readonly bugCheckCallback?: boolean;
  /** Replaces characteristics members just before registration (to plant other bugs). */
  readonly overrides?: Partial<Record<keyof NDIS_MINIPORT_DRIVER_CHARACTERISTICS, unknown>>;
}

/** What a kit driver remembers (for assertions). */
export interface KitState {
  handle: NDIS_HANDLE;
  driverBlock: number;
  /** Adapter contexts by adapter name. */
  readonly adapters: Map<string, AdapterContext>;
  /** Callbacks the kit saw, in order ("MiniportPause nic0", ...). */
  readonly calls: string[];
  surpriseRemoved: string[];
}

export interface AdapterContext {
  readonly handle: MiniportAdapter;
  block: number;
  receive: number;
}

function word(response: Response): number {
  switch (response) {
    case undefined:
    case 'SUCCESS':
      return NDIS_STATUS_SUCCESS;
    case 'PENDING':
      return NDIS_STATUS_PENDING;
    case 'FAILURE':
      return NDIS_STATUS_FAILURE;
    case 'RESOURCES':
      return NDIS_STATUS_RESOURCES;
    default:
      return response;
  }
}

/** Runs `fn` as the adapter's interrupt DPC `ms` from now (simulated hardware finishing its work). */
export function later(adapter: MiniportAdapter, ms: number, fn: () => void): void {
  const engine = adapter.owner as Engine;
  engine.scheduler.setTimer(engine.scheduler.now + ms * TICKS_PER_MS, () => {
    engine.invoke('MiniportInterruptDPC', adapter.driver, adapter, DISPATCH_LEVEL, fn);
  });
}

/** Registration attributes for `context`. */
export function registrationAttributes(
  context: unknown,
  flags = 0,
): NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
      Revision: 1,
      Size: NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
    },
    MiniportAdapterContext: context,
    AttributeFlags: NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE | NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER | flags,
    CheckForHangTimeInSeconds: 0,
    InterfaceType: NdisInterfacePci,
  };
}

/** General attributes of an Ethernet NIC (revision 2, NDIS 6.20+). */
export function generalAttributes(): NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES {
  const mac = [0x02, 0x00, 0x5e, 0x10, 0x00, 0x01];
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
      Revision: 2,
      Size: NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
    },
    MediaType: 0,
    MtuSize: 1500,
    MaxXmitLinkSpeed: 1_000_000_000,
    MaxRcvLinkSpeed: 1_000_000_000,
    MediaConnectState: 1,
    MacAddressLength: 6,
    PermanentMacAddress: mac,
    CurrentMacAddress: mac,
  };
}

/** Valid characteristics for NDIS 6.`minor` (revision 2), every required handler a no-op. */
export function characteristics(minor = 30): NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
  const noop = () => undefined;
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
      Revision: 2,
      Size: NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
    },
    MajorNdisVersion: 6,
    MinorNdisVersion: minor,
    MajorDriverVersion: 1,
    MinorDriverVersion: 0,
    Flags: 0,
    SetOptionsHandler: null,
    InitializeHandlerEx: () => NDIS_STATUS_SUCCESS,
    HaltHandlerEx: noop,
    UnloadHandler: noop,
    PauseHandler: () => NDIS_STATUS_SUCCESS,
    RestartHandler: () => NDIS_STATUS_SUCCESS,
    OidRequestHandler: () => NDIS_STATUS_SUCCESS,
    SendNetBufferListsHandler: noop,
    ReturnNetBufferListsHandler: noop,
    CancelSendHandler: noop,
    CheckForHangHandlerEx: null,
    ResetHandlerEx: null,
    DevicePnPEventNotifyHandler: noop,
    ShutdownHandlerEx: noop,
    CancelOidRequestHandler: noop,
    DirectOidRequestHandler: null,
    CancelDirectOidRequestHandler: null,
  };
}

/** A kit driver module (DriverEntry) and its state. */
export function kitDriver(options: KitOptions = {}): HostDriver & { readonly state: KitState } {
  const bugs = new Set(options.bugs ?? []);
  const minor = options.minor ?? 30;
  const delay = options.completeAfterMs ?? 2;
  const state: KitState = {
    handle: null,
    driverBlock: 0,
    adapters: new Map(),
    calls: [],
    surpriseRemoved: [],
  };
  const driverContext = { name: 'kit' };

  function pended(ctx: AdapterContext, complete: () => void): void {
    if (bugs.has('never-complete')) return;
    later(ctx.handle, delay, () => {
      complete();
      if (bugs.has('complete-twice')) complete();
    });
  }

  const c = characteristics(minor);
  c.SetOptionsHandler = (NdisDriverHandle) => {
    state.calls.push('MiniportSetOptions');
    state.driverBlock = NdisAllocateMemoryWithTagPriority(NdisDriverHandle, 64, KIT_TAG, NormalPoolPriority);
    return state.driverBlock === 0 ? NDIS_STATUS_RESOURCES : NDIS_STATUS_SUCCESS;
  };
  c.InitializeHandlerEx = (NdisMiniportHandle) => {
    const handle = NdisMiniportHandle as MiniportAdapter;
    state.calls.push(`MiniportInitializeEx ${handle.name}`);
    const block = NdisAllocateMemoryWithTagPriority(handle, 256, KIT_TAG, NormalPoolPriority);
    if (block === 0) return NDIS_STATUS_RESOURCES;
    const ctx: AdapterContext = { handle, block, receive: 0 };
    const flags =
      minor >= 30 && options.bugCheckCallback !== false
        ? NDIS_MINIPORT_ATTRIBUTES_REGISTER_BUGCHECK_CALLBACK
        : 0;
    if (bugs.has('general-first')) NdisMSetMiniportAttributes(handle, generalAttributes());
    let status = NdisMSetMiniportAttributes(handle, registrationAttributes(ctx, flags));
    if (status === NDIS_STATUS_SUCCESS && !bugs.has('no-general-attributes') && !bugs.has('general-first')) {
      status = NdisMSetMiniportAttributes(handle, generalAttributes());
    }
    if (status === NDIS_STATUS_SUCCESS) {
      ctx.receive = NdisAllocateMemoryWithTagPriority(handle, 1024, KIT_TAG, NormalPoolPriority);
      if (ctx.receive === 0) status = NDIS_STATUS_RESOURCES;
    }
    if (status !== NDIS_STATUS_SUCCESS) {
      if (!bugs.has('leak-on-init-failure')) NdisFreeMemory(block, 0, 0);
      return status;
    }
    state.adapters.set(handle.name, ctx);
    return NDIS_STATUS_SUCCESS;
  };
  c.HaltHandlerEx = (context) => {
    const ctx = context as AdapterContext;
    state.calls.push(`MiniportHaltEx ${ctx.handle.name}`);
    if (!bugs.has('leak-in-halt')) NdisFreeMemory(ctx.receive, 0, 0);
    NdisFreeMemory(ctx.block, 0, 0);
    state.adapters.delete(ctx.handle.name);
  };
  c.PauseHandler = (context) => {
    const ctx = context as AdapterContext;
    state.calls.push(`MiniportPause ${ctx.handle.name}`);
    const status = word(options.pause?.());
    if (status === NDIS_STATUS_PENDING) pended(ctx, () => NdisMPauseComplete(ctx.handle));
    return status;
  };
  c.RestartHandler = (context) => {
    const ctx = context as AdapterContext;
    state.calls.push(`MiniportRestart ${ctx.handle.name}`);
    if (bugs.has('throw-in-restart')) throw new Error('restart exploded');
    const status = word(options.restart?.());
    if (status === NDIS_STATUS_PENDING) {
      const final = options.restartCompletes?.() ?? NDIS_STATUS_SUCCESS;
      pended(ctx, () => NdisMRestartComplete(ctx.handle, final));
    }
    return status;
  };
  c.ShutdownHandlerEx = (context, action) => {
    state.calls.push(`MiniportShutdownEx ${(context as AdapterContext).handle.name} ${action}`);
  };
  c.DevicePnPEventNotifyHandler = ((context: unknown) => {
    state.surpriseRemoved.push((context as AdapterContext).handle.name);
  }) as never;
  c.UnloadHandler = () => {
    state.calls.push('MiniportDriverUnload');
    if (!bugs.has('leak-driver-block')) NdisFreeMemory(state.driverBlock, 0, 0);
    if (!bugs.has('no-deregister')) NdisMDeregisterMiniportDriver(state.handle);
  };
  Object.assign(c, options.overrides ?? {});

  return {
    state,
    DriverEntry(DriverObject, RegistryPath) {
      state.calls.push('DriverEntry');
      const { Status, NdisMiniportDriverHandle } = NdisMRegisterMiniportDriver(
        DriverObject,
        RegistryPath,
        driverContext,
        c,
      );
      if (Status !== NDIS_STATUS_SUCCESS) return Status;
      state.handle = NdisMiniportDriverHandle;
      if (bugs.has('fail-after-register') || bugs.has('fail-after-register-deregistered')) {
        if (!bugs.has('leak-driver-block')) NdisFreeMemory(state.driverBlock, 0, 0);
        if (bugs.has('fail-after-register-deregistered')) NdisMDeregisterMiniportDriver(state.handle);
        return NDIS_STATUS_FAILURE;
      }
      return NDIS_STATUS_SUCCESS;
    },
  };
}

/** What a lifecycle finding must say. */
export interface ExpectedLifecycleFinding {
  readonly ddi: string;
  /** Fragments the message must contain. */
  readonly message: readonly string[];
  readonly args?: Readonly<Record<string, unknown>>;
  readonly adapter?: string | null;
  readonly driver?: string | null;
  /** The bug check it maps to (null: none documented). */
  readonly bugCheck?: BugCheckInfo | null;
  /** The callback running when it was found. */
  readonly callback?: string | null;
}

/** Asserts a finding of rule `id`: catalogue identity, DDI, message, arguments, charge, bug check. */
export function expectLifecycleFinding(
  v: Violation | undefined,
  id: string,
  expected: ExpectedLifecycleFinding,
): void {
  expect(v, `a ${id} finding`).toBeDefined();
  const finding = v as Violation;
  const def = findRule(id);
  expect(def, `${id} is in the catalogue`).toBeDefined();
  expect(finding.rule).toBe(id);
  expect(finding.title).toBe(def?.title);
  expect(finding.severity).toBe(def?.severity);
  expect(finding.link).toBe(def?.link);
  expect(finding.ddi).toBe(expected.ddi);
  for (const fragment of expected.message) expect(finding.message).toContain(fragment);
  if (expected.args !== undefined) expect(finding.args).toEqual(expected.args);
  if (expected.adapter !== undefined) expect(finding.adapter).toBe(expected.adapter);
  if (expected.driver !== undefined) expect(finding.driver).toBe(expected.driver);
  if (expected.bugCheck !== undefined) expect(finding.bugCheck).toEqual(expected.bugCheck);
  if (expected.callback !== undefined) expect(finding.context.callback).toBe(expected.callback);
  expect(Object.isFrozen(finding)).toBe(true);
}

/** 0x7C with its parameters. */
export function ndisBugCheck(p1: number, p2 = 0, p3 = 0, p4 = 0): BugCheckInfo {
  return { code: 0x7c, name: 'BUGCODE_NDIS_DRIVER', parameters: [p1, p2, p3, p4] };
}
