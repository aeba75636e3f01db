/**
 * Lifecycle check points (SPEC §2): driver registration and deregistration, adapter attributes,
 * completions of pause and restart, the statuses lifecycle callbacks return, DriverEntry and unload.
 * These are cold paths (a handful per adapter); the engine still fills reused event objects.
 */
import type { Engine } from '../../engine/engine.js';
import type { AdapterState, MiniportAdapter, MiniportDriver, NdisObject } from '../../engine/objects.js';

/** Why NdisMRegisterMiniportDriver rejected (or, for record-only ones, flagged) the characteristics. */
export type CharacteristicsProblem =
  /** Not a structure, or its Header is not one. */
  | 'not-a-structure'
  /** Header.Type is not NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS. */
  | 'header-type'
  | 'major-version'
  | 'minor-version'
  /** An unknown Revision, or one the minor version does not allow (D26). */
  | 'revision'
  /** Header.Size below NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_n (D17). */
  | 'size'
  /** A handler member that is neither a function nor NULL. */
  | 'handler-type'
  | 'missing-handler'
  /** CheckForHangHandlerEx without ResetHandlerEx. */
  | 'reset-handler'
  /** One of DirectOidRequestHandler / CancelDirectOidRequestHandler without the other. */
  | 'direct-oid-pair'
  /** An intermediate driver gave CheckForHangHandlerEx (must be NULL; recorded, not rejected). */
  | 'im-check-for-hang';

/** NdisMRegisterMiniportDriver found a problem with its characteristics (one event per problem). */
export interface DriverRegisterEvent {
  engine: Engine;
  /** The raw MiniportDriverCharacteristics argument. */
  characteristics: unknown;
  problem: CharacteristicsProblem;
  /** The members concerned (handler names, `Header.Size`, ...). */
  fields: readonly string[];
  /** The value found and what was expected, for the message. */
  found: unknown;
  expected: unknown;
  /** What the call returns (NDIS_STATUS_SUCCESS when the problem is record-only). */
  status: number;
  /** Header problems map to bug check 0x7C / 0x21 (D17). */
  header: boolean;
}

/** Why NdisMSetMiniportAttributes returned NDIS_STATUS_BAD_VERSION. */
export type AttributesProblem =
  | 'not-a-structure'
  /** Header.Type selects no member of NDIS_MINIPORT_ADAPTER_ATTRIBUTES. */
  | 'unknown-type'
  /** A Revision the structure does not have. */
  | 'revision'
  /** A Revision newer than the NDIS version the driver registered with (D28). */
  | 'revision-too-new'
  /** Header.Size below the revision's NDIS_SIZEOF_…_REVISION_n (D17). */
  | 'size';

/** Ordering rules of NdisMSetMiniportAttributes (SPEC §2.6, D37). */
export type AttributesOrderProblem =
  /** General attributes before registration attributes. */
  | 'general-before-registration'
  /** Another attribute type before registration attributes. */
  | 'before-registration'
  /** Another attribute type before general attributes. */
  | 'before-general';

/** NdisMSetMiniportAttributes, after its outcome is decided. */
export interface AttributesSetEvent {
  engine: Engine;
  adapter: MiniportAdapter;
  /** The raw MiniportAttributes argument and what its header says (-1 when unreadable). */
  attributes: unknown;
  type: number;
  revision: number;
  size: number;
  /** The attribute structure's name, or null for an unknown Type. */
  structure: string | null;
  status: number;
  problem: AttributesProblem | null;
  /** What was expected, for the message (a size, the revisions, the NDIS version). */
  expected: unknown;
  order: AttributesOrderProblem | null;
  /** Called outside MiniportInitializeEx of this adapter (MiniportAddDevice for add-device attributes). */
  outsideInitialize: boolean;
  /** Hardware-assist capability pointers set without their documented partner (record only). */
  unpaired: readonly string[];
}

/** A pause or restart was completed: by NdisMPauseComplete / NdisMRestartComplete or by the callback's return. */
export interface StateCompleteEvent {
  engine: Engine;
  ddi: 'NdisMPauseComplete' | 'NdisMRestartComplete' | 'MiniportPause' | 'MiniportRestart';
  adapter: MiniportAdapter;
  operation: 'pause' | 'restart';
  /** The completion status (NdisMRestartComplete's Status; SUCCESS for a pause). */
  Status: unknown;
  /** True if the operation was pending (the completion is legal). */
  pending: boolean;
  /** The adapter state before the completion. */
  state: AdapterState;
}

/** A lifecycle callback returned its status to NDIS (the host, or a trace, reports it). */
export interface LifecycleReturnEvent {
  engine: Engine;
  callback: 'MiniportInitializeEx' | 'MiniportPause' | 'MiniportRestart';
  driver: MiniportDriver;
  adapter: MiniportAdapter;
  /** The raw returned value. */
  status: unknown;
}

/** DriverEntry returned; `registered` are the registrations it leaves in place. */
export interface DriverEntryReturnEvent {
  engine: Engine;
  DriverObject: unknown;
  status: unknown;
  /** DriverEntry failed (the status is not an NT_SUCCESS value). */
  failed: boolean;
  registered: readonly MiniportDriver[];
}

/** NdisMDeregisterMiniportDriver on a registered driver; `where` is the callback it ran in. */
export interface DriverDeregisterEvent {
  engine: Engine;
  driver: MiniportDriver;
  /** 'DriverEntry', 'MiniportDriverUnload', or the callback it was called from instead. */
  where: string;
  /** Adapters of the driver that are still initialized. */
  initialized: readonly MiniportAdapter[];
}

/** The driver is unloading: before MiniportDriverUnload ('begin') and after it returned ('end'). */
export interface DriverUnloadEvent {
  engine: Engine;
  driver: MiniportDriver;
  phase: 'begin' | 'end';
  /** Adapters not halted (begin) — NDIS unloads only after every MiniportHaltEx. */
  remaining: readonly MiniportAdapter[];
  /** Still registered (end): MiniportDriverUnload did not call NdisMDeregisterMiniportDriver. */
  registered: boolean;
}

/** A pended pause or restart did not complete within the host's time budget (NDIS's watchdog). */
export interface PendingTimeoutEvent {
  engine: Engine;
  adapter: MiniportAdapter;
  operation: 'pause' | 'restart';
  /** Simulated time waited, in 100-ns ticks. */
  waited: number;
}

/** A lifecycle DDI got a handle that is not a live one of the kind it takes (Ndis_InvalidHandle). */
export interface LifecycleHandleEvent {
  ddi: string;
  /** The parameter's documented name and raw value. */
  parameter: string;
  value: unknown;
  /** What it should have been ("a miniport adapter handle", ...). */
  expected: string;
  /** It names an object that is gone (a deregistered driver, a removed adapter). */
  stale: boolean;
  /** What the call does instead ("returns NDIS_STATUS_FAILURE", "does nothing"). */
  outcome: string;
  /** The object it resolved to, if any (e.g. a driver handle where an adapter handle belongs). */
  owner: NdisObject | null;
  /** The call's arguments by their documented names. */
  args: Readonly<Record<string, unknown>>;
}

export interface LifecycleEvents {
  driverRegister: DriverRegisterEvent;
  driverDeregister: DriverDeregisterEvent;
  driverEntryReturn: DriverEntryReturnEvent;
  driverUnload: DriverUnloadEvent;
  attributesSet: AttributesSetEvent;
  stateComplete: StateCompleteEvent;
  lifecycleReturn: LifecycleReturnEvent;
  pendingTimeout: PendingTimeoutEvent;
  lifecycleHandle: LifecycleHandleEvent;
}

export const LIFECYCLE_EVENT_NAMES: readonly (keyof LifecycleEvents)[] = [
  'driverRegister',
  'driverDeregister',
  'driverEntryReturn',
  'driverUnload',
  'attributesSet',
  'stateComplete',
  'lifecycleReturn',
  'pendingTimeout',
  'lifecycleHandle',
];
