/**
 * The miniport driver and adapter lifecycle (SPEC §2): the lifecycle DDIs the driver calls
 * (registration, attributes, pause/restart completion), over the NDIS side of the adapter state
 * machine (lifecycle-states.ts). The engine itself calls driver code only for MiniportSetOptions,
 * inside the registration.
 */
import { PASSIVE } from '../machine/context.js';
import {
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
  NDIS_STATUS_BAD_VERSION,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
} from '../ndis/constants.js';
import type { NDIS_HANDLE, NDIS_MINIPORT_DRIVER_CHARACTERISTICS, SET_OPTIONS } from '../ndis/types.js';
import type { AttributesOrderProblem, AttributesSetEvent } from '../verifier/events/lifecycle.js';
import { describeHandle } from '../verifier/format.js';
import type { Engine } from './engine.js';
import { type AttributesCheck, checkAttributes, unpairedCapabilities } from './lifecycle-attributes.js';
import {
  type CharacteristicsFinding,
  checkCharacteristics,
  isStructure,
  member,
} from './lifecycle-characteristics.js';
import { AdapterLifecycle, ntSuccess, statusOf } from './lifecycle-states.js';
import { MiniportAdapter, MiniportDriver, type NdisObject, resolveHandle } from './objects.js';
import { isUlong } from './pool.js';

export * from './lifecycle-states.js';

const NO_NAMES: readonly string[] = Object.freeze([]);

/** A trace's outcome of NdisMRegisterMiniportDriver (see Lifecycle.registerMiniportDriver). */
export interface ReplayedRegistration {
  /** The status the trace says the call returned. */
  readonly Status: number;
  /**
   * On SUCCESS, the driver the returned handle stands for; on a failure, the driver whose
   * MiniportSetOptions ran and failed (null if none did). Null with SUCCESS: nothing registered.
   */
  readonly driver: MiniportDriver | null;
}

/** Lifecycle state and DDI outcomes of one engine. */
export class Lifecycle extends AdapterLifecycle {
  private readonly check: AttributesCheck = {
    type: -1,
    revision: -1,
    size: -1,
    structure: null,
    problem: null,
    expected: null,
  };
  private readonly attributesEvent: AttributesSetEvent;

  constructor(engine: Engine) {
    super(engine);
    this.attributesEvent = {
      engine,
      adapter: null as unknown as MiniportAdapter,
      attributes: null,
      type: -1,
      revision: -1,
      size: -1,
      structure: null,
      status: 0,
      problem: null,
      expected: null,
      order: null,
      outsideInitialize: false,
      unpaired: NO_NAMES,
    };
  }

  // -------------------------------------------------------------------------------------------
  // DDIs
  // -------------------------------------------------------------------------------------------

  /**
   * NdisMRegisterMiniportDriver (SPEC §2.1-§2.3, D17, D26, D27). `replayed` is a trace's outcome
   * (src/trace/replay-lifecycle.ts): the status it returned and the driver its handle stands for
   * (on a failure, the driver whose MiniportSetOptions ran, if any). The characteristics are
   * checked as in a live call; nothing is allocated or called for the trace.
   */
  registerMiniportDriver(
    DriverObject: unknown,
    RegistryPath: unknown,
    MiniportDriverContext: unknown,
    MiniportDriverCharacteristics: unknown,
    replayed?: ReplayedRegistration,
  ): { Status: number; NdisMiniportDriverHandle: NDIS_HANDLE } {
    const engine = this.engine;
    engine.enterDdi(
      'NdisMRegisterMiniportDriver',
      null,
      DriverObject,
      RegistryPath,
      MiniportDriverContext,
      MiniportDriverCharacteristics,
    );
    const check = checkCharacteristics(MiniportDriverCharacteristics);
    for (const f of check.findings)
      this.reportCharacteristics(MiniportDriverCharacteristics, f, check.status);
    if (check.copy === null) return { Status: check.status, NdisMiniportDriverHandle: null };
    if (replayed !== undefined)
      return this.replayRegistration(DriverObject, MiniportDriverContext, check.copy, replayed);
    // NDIS allocates its driver block here: injected low resources fail it with RESOURCES (SPEC §9.2).
    if (engine.allocationCall('NdisMRegisterMiniportDriver', null) < 0)
      return { Status: NDIS_STATUS_RESOURCES, NdisMiniportDriverHandle: null };
    const name = isStructure(DriverObject) ? member(DriverObject, 'DriverName') : undefined;
    const driver = engine.createDriver(typeof name === 'string' && name !== '' ? name : undefined);
    driver.driverObject = DriverObject;
    driver.characteristics = check.copy;
    driver.context = MiniportDriverContext;
    driver.registered = true;
    const list = this.registrations.get(DriverObject);
    if (list === undefined) this.registrations.set(DriverObject, [driver]);
    else list.push(driver);
    const setOptions = check.copy.SetOptionsHandler;
    if (typeof setOptions === 'function') {
      const status = engine.invoke('MiniportSetOptions', driver, null, PASSIVE, () =>
        (setOptions as SET_OPTIONS)(driver, MiniportDriverContext),
      );
      // SET_OPTIONS failures propagate as the registration's status (nc-ndis-set_options). Any other
      // value but SUCCESS (PENDING: the registration cannot pend; no value at all) fails it with
      // FAILURE, so a non-SUCCESS status never comes with a NULL handle as if it had succeeded.
      const value = statusOf(status);
      if (value !== NDIS_STATUS_SUCCESS) {
        driver.registered = false;
        driver.live = false;
        const failure = value !== -1 && !ntSuccess(value);
        return { Status: failure ? value : NDIS_STATUS_FAILURE, NdisMiniportDriverHandle: null };
      }
    }
    return { Status: NDIS_STATUS_SUCCESS, NdisMiniportDriverHandle: driver };
  }

  /** The registration a trace shows: its driver takes NDIS's copy; MiniportSetOptions ran in the trace. */
  private replayRegistration(
    DriverObject: unknown,
    MiniportDriverContext: unknown,
    copy: Readonly<NDIS_MINIPORT_DRIVER_CHARACTERISTICS>,
    replayed: ReplayedRegistration,
  ): { Status: number; NdisMiniportDriverHandle: NDIS_HANDLE } {
    ++this.engine.allocationCalls;
    const driver = replayed.driver;
    if (driver === null) return { Status: replayed.Status, NdisMiniportDriverHandle: null };
    driver.driverObject = DriverObject;
    driver.characteristics = copy;
    driver.context = MiniportDriverContext;
    const list = this.registrations.get(DriverObject);
    if (list === undefined) this.registrations.set(DriverObject, [driver]);
    else if (!list.includes(driver)) list.push(driver);
    if (replayed.Status === NDIS_STATUS_SUCCESS) {
      driver.registered = true;
      return { Status: NDIS_STATUS_SUCCESS, NdisMiniportDriverHandle: driver };
    }
    // A failure after MiniportSetOptions ran: the driver block is gone, as in a live failure.
    driver.registered = false;
    driver.live = false;
    return { Status: replayed.Status, NdisMiniportDriverHandle: null };
  }

  /** NdisMDeregisterMiniportDriver (SPEC §2.4). */
  deregisterMiniportDriver(NdisMiniportDriverHandle: unknown): void {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisMiniportDriverHandle);
    engine.enterDdi('NdisMDeregisterMiniportDriver', owner, NdisMiniportDriverHandle);
    if (!(owner instanceof MiniportDriver)) {
      this.invalidHandle(
        'NdisMDeregisterMiniportDriver',
        'NdisMiniportDriverHandle',
        NdisMiniportDriverHandle,
        owner,
        'a miniport driver handle from NdisMRegisterMiniportDriver',
        'does nothing',
      );
      return;
    }
    const context = engine.context;
    const where = context.within('MiniportDriverUnload')
      ? 'MiniportDriverUnload'
      : context.within('DriverEntry')
        ? 'DriverEntry'
        : context.callback;
    const initialized = [...owner.adapters].filter(
      (a) => a.live && a.state !== 'Halted' && a.state !== 'Shutdown',
    );
    engine.verifier.on.driverDeregister(engine.verifier, { engine, driver: owner, where, initialized });
    owner.registered = false;
    owner.live = false;
  }

  /** NdisMSetMiniportAttributes (SPEC §2.7, D17, D28, D37). */
  setMiniportAttributes(NdisMiniportHandle: unknown, MiniportAttributes: unknown): number {
    const engine = this.engine;
    const owner = resolveHandle(engine, NdisMiniportHandle);
    engine.enterDdi('NdisMSetMiniportAttributes', owner, NdisMiniportHandle, MiniportAttributes);
    if (!(owner instanceof MiniportAdapter)) {
      // The page documents no status for a bad handle; FAILURE is NDIS's default error status.
      this.invalidHandle(
        'NdisMSetMiniportAttributes',
        'NdisMiniportHandle',
        NdisMiniportHandle,
        owner,
        'the miniport adapter handle MiniportInitializeEx received',
        'returns NDIS_STATUS_FAILURE',
        MiniportAttributes,
      );
      return NDIS_STATUS_FAILURE;
    }
    const adapter = owner;
    const check = this.check;
    checkAttributes(MiniportAttributes, this.minorVersion(adapter.driver), check);
    // D17: a malformed header, an unknown member or an unsupported revision is BAD_VERSION.
    const status = check.problem === null ? NDIS_STATUS_SUCCESS : NDIS_STATUS_BAD_VERSION;
    const type = check.type;
    const context = engine.context;
    const outside =
      type === NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES
        ? !context.within('MiniportAddDevice')
        : !(context.within('MiniportInitializeEx') && adapter.state === 'Initializing');
    const e = this.attributesEvent;
    e.adapter = adapter;
    e.attributes = MiniportAttributes;
    e.type = type;
    e.revision = check.revision;
    e.size = check.size;
    e.structure = check.structure;
    e.status = status;
    e.problem = check.problem;
    e.expected = check.expected;
    e.outsideInitialize = outside;
    e.order = status === NDIS_STATUS_SUCCESS ? orderProblem(adapter, type) : null;
    e.unpaired =
      status === NDIS_STATUS_SUCCESS && type === NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES
        ? unpairedCapabilities(MiniportAttributes as Record<string, unknown>, check.revision)
        : NO_NAMES;
    engine.verifier.on.attributesSet(engine.verifier, e);
    e.attributes = null;
    if (status !== NDIS_STATUS_SUCCESS) return status;
    // D37: ordering and context rules are recorded; the call keeps its normal outcome.
    const attributes = MiniportAttributes as Record<string, unknown>;
    if (type === NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES) {
      adapter.context = member(attributes, 'MiniportAdapterContext') ?? null;
      const flags = member(attributes, 'AttributeFlags');
      adapter.attributeFlags = isUlong(flags) ? flags : 0;
      adapter.registrationAttributesSet = true;
      // NDIS activates the default port here unless the driver controls it (SPEC §7.1).
      engine.ports.registrationAttributesSet(adapter);
    } else if (type === NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES) {
      adapter.generalAttributesSet = true;
    }
    return NDIS_STATUS_SUCCESS;
  }

  /** NdisMPauseComplete (SPEC §2.8). */
  pauseComplete(MiniportAdapterHandle: unknown): void {
    const adapter = this.adapterFor('NdisMPauseComplete', MiniportAdapterHandle);
    if (adapter !== null) this.complete(adapter, 'pause', 'NdisMPauseComplete', NDIS_STATUS_SUCCESS);
  }

  /** NdisMRestartComplete (SPEC §2.9). */
  restartComplete(MiniportAdapterHandle: unknown, Status: unknown): void {
    const adapter = this.adapterFor('NdisMRestartComplete', MiniportAdapterHandle, Status);
    if (adapter !== null) this.complete(adapter, 'restart', 'NdisMRestartComplete', Status);
  }

  // -------------------------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------------------------

  private adapterFor(ddi: string, handle: unknown, Status?: unknown): MiniportAdapter | null {
    const engine = this.engine;
    const owner = resolveHandle(engine, handle);
    engine.enterDdi(ddi, owner, handle, Status);
    if (owner instanceof MiniportAdapter) return owner;
    this.invalidHandle(
      ddi,
      'MiniportAdapterHandle',
      handle,
      owner,
      'the miniport adapter handle MiniportInitializeEx received',
      'does nothing',
      Status,
    );
    return null;
  }

  private reportCharacteristics(characteristics: unknown, f: CharacteristicsFinding, status: number): void {
    const engine = this.engine;
    engine.verifier.on.driverRegister(engine.verifier, {
      engine,
      characteristics,
      problem: f.problem,
      fields: f.fields,
      found: f.found,
      expected: f.expected,
      // A record-only finding on accepted characteristics: the call still succeeds.
      status:
        f.problem === 'im-check-for-hang' && status === NDIS_STATUS_SUCCESS ? NDIS_STATUS_SUCCESS : status,
      header: f.header,
    });
  }

  /** Cold path: a handle that is not a live one of the kind the DDI takes (Ndis_InvalidHandle). */
  private invalidHandle(
    ddi: string,
    parameter: string,
    value: unknown,
    owner: NdisObject | null,
    expected: string,
    outcome: string,
    second?: unknown,
  ): void {
    const engine = this.engine;
    const stale = isStaleHandle(engine, value);
    const args: Record<string, unknown> = { [parameter]: describeHandle(value) };
    if (ddi === 'NdisMRestartComplete') args.Status = second;
    if (ddi === 'NdisMSetMiniportAttributes') args.MiniportAttributes = describeHandle(second);
    engine.verifier.on.lifecycleHandle(engine.verifier, {
      ddi,
      parameter,
      value,
      expected,
      stale,
      outcome,
      owner,
      args: Object.freeze(args),
    });
  }
}

/** The ordering rule a successful NdisMSetMiniportAttributes of `type` breaks, if any (SPEC §2.6). */
function orderProblem(adapter: MiniportAdapter, type: number): AttributesOrderProblem | null {
  if (type === NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES) return null;
  if (type === NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES) return null;
  if (!adapter.registrationAttributesSet) {
    return type === NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES
      ? 'general-before-registration'
      : 'before-registration';
  }
  if (type !== NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES && !adapter.generalAttributesSet)
    return 'before-general';
  return null;
}

/** A handle of this engine whose object is gone. */
function isStaleHandle(engine: Engine, value: unknown): boolean {
  return (
    (value instanceof MiniportDriver || value instanceof MiniportAdapter) &&
    value.owner === engine &&
    !value.live
  );
}
