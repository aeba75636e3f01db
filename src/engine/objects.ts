/**
 * NDIS objects that handles stand for. A handle given to a driver is one of these objects; a value
 * that is not one (a forged number, a plain object, a handle of another run) is detected by
 * `resolveHandle` and reported, never dereferenced.
 */
import type { NDIS_MINIPORT_DRIVER_CHARACTERISTICS } from '../ndis/types.js';

/** Live count, bytes and their high-water marks for one owner or one tag. */
export class Accounting {
  liveCount = 0;
  liveBytes = 0;
  highCount = 0;
  highBytes = 0;
  allocations = 0;
  frees = 0;

  /** Charges one allocation of `bytes`. */
  charge(bytes: number): void {
    const count = ++this.liveCount;
    const total = this.liveBytes + bytes;
    this.liveBytes = total;
    this.allocations++;
    if (count > this.highCount) this.highCount = count;
    if (total > this.highBytes) this.highBytes = total;
  }

  /** Credits one free of `bytes`. */
  credit(bytes: number): void {
    this.liveCount--;
    this.liveBytes -= bytes;
    this.frees++;
  }
}

/** What every NDIS object behind a handle has. */
export abstract class NdisObject {
  abstract readonly kind: 'driver' | 'adapter';
  /** False once the object is gone (deregistered driver, halted-and-removed adapter): a stale handle. */
  live = true;
  /** General (pool) memory charged to this object. */
  readonly pool = new Accounting();
  /** Name of the driver a finding about this object is charged to. */
  abstract readonly driverName: string;
  /** Name of the adapter a finding about this object is charged to (null for a driver). */
  abstract readonly adapterName: string | null;

  constructor(
    /** The engine that created it (a handle of another run is foreign). */
    readonly owner: object,
    readonly name: string,
  ) {}
}

/** The miniport driver handle (NdisMiniportDriverHandle). */
export class MiniportDriver extends NdisObject {
  readonly kind = 'driver' as const;
  readonly adapters = new Set<MiniportAdapter>();
  /** The DRIVER_OBJECT it was registered with (null for a driver the engine made directly). */
  driverObject: unknown = null;
  /** NDIS's copy of the registered NDIS_MINIPORT_DRIVER_CHARACTERISTICS (null until registered). */
  characteristics: Readonly<NDIS_MINIPORT_DRIVER_CHARACTERISTICS> | null = null;
  /** The MiniportDriverContext given at registration (passed to MiniportSetOptions and MiniportInitializeEx). */
  context: unknown = null;
  /** Between a successful NdisMRegisterMiniportDriver and NdisMDeregisterMiniportDriver. */
  registered = false;
  get driverName(): string {
    return this.name;
  }
  get adapterName(): null {
    return null;
  }
}

/** Adapter states of SPEC §2.5. */
export type AdapterState =
  | 'Halted'
  | 'Initializing'
  | 'Paused'
  | 'Restarting'
  | 'Running'
  | 'Pausing'
  | 'Shutdown';

/** The simulated device an adapter runs on (what the host plugs in). */
export interface SimulatedDevice {
  /** A bus-master DMA NIC (may register scatter-gather DMA). */
  readonly busMaster: boolean;
  /** Address lines the device drives for DMA: 32 or 64. */
  readonly addressBits: 32 | 64;
}

/** A bus-master NIC with 64-bit DMA, the common case. */
export const DEFAULT_DEVICE: SimulatedDevice = Object.freeze({ busMaster: true, addressBits: 64 });

/** The miniport adapter handle (NdisMiniportHandle / MiniportAdapterHandle). */
export class MiniportAdapter extends NdisObject {
  readonly kind = 'adapter' as const;
  /** Where the adapter is in the state machine of SPEC §2.5. */
  state: AdapterState = 'Halted';
  /** Registration attributes' AttributeFlags (NDIS_MINIPORT_ATTRIBUTES_*), once set. */
  attributeFlags = 0;
  registrationAttributesSet = false;
  generalAttributesSet = false;
  /** The MiniportAdapterContext from the registration attributes (passed to every MiniportXxx). */
  context: unknown = null;
  /** The NDIS_HALT_ACTION of the halt in progress or of the last one (null before any halt). */
  haltAction: number | null = null;
  /** The device was surprise-removed (MiniportDevicePnPEventNotify told the driver). */
  surpriseRemoved = false;
  constructor(
    owner: object,
    name: string,
    readonly driver: MiniportDriver,
    readonly device: SimulatedDevice = DEFAULT_DEVICE,
  ) {
    super(owner, name);
    driver.adapters.add(this);
  }
  get driverName(): string {
    return this.driver.name;
  }
  get adapterName(): string {
    return this.name;
  }
}

/** The NDIS object `handle` stands for in engine `owner`, or null if it is not a live one. */
export function resolveHandle(owner: object, handle: unknown): NdisObject | null {
  return handle instanceof NdisObject && handle.owner === owner && handle.live ? handle : null;
}

/** The adapter a MiniportAdapterHandle stands for, or null (forged, stale, foreign, a driver handle). */
export function adapterOf(engine: object, handle: unknown): MiniportAdapter | null {
  const object = resolveHandle(engine, handle);
  return object instanceof MiniportAdapter ? object : null;
}
