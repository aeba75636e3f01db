/**
 * Set-up for the DMA family's tests: an active engine with one adapter whose registration attributes
 * are set (bus master unless told otherwise), runs "inside" the documented callbacks through
 * engine.invoke (so callbackReturn fires), and valid DMA descriptions to vary.
 */
import '../harness.js';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import type { MiniportAdapter, MiniportDriver, SimulatedDevice } from '../../src/engine/objects.js';
import { activate } from '../../src/ndis/active.js';
import {
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
} from '../../src/ndis/constants.js';
import {
  NdisMAllocateSharedMemory,
  NdisMRegisterDmaChannel,
  NdisMRegisterScatterGatherDma,
} from '../../src/ndis/dma.js';
import type {
  MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE,
  NDIS_DMA_DESCRIPTION,
  NDIS_HANDLE,
  NDIS_SG_DMA_DESCRIPTION,
} from '../../src/ndis/types.js';
import type { Sim } from '../harness.js';

export interface DmaSimOptions extends EngineOptions {
  readonly device?: SimulatedDevice;
  /** Set the registration attributes (default true). */
  readonly attributes?: boolean;
  /** Declare NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER in them (default true). */
  readonly busMaster?: boolean;
}

export interface DmaSim extends Sim {
  /** Runs `fn` as MiniportInitializeEx of the adapter (PASSIVE). */
  init<T>(fn: () => T): T;
  /** Runs `fn` as MiniportHaltEx of the adapter (PASSIVE). */
  halt<T>(fn: () => T): T;
  /** Runs `fn` as MiniportShutdownEx (PowerOff, PASSIVE). */
  shutdown<T>(fn: () => T): T;
  /** Registers SG DMA inside MiniportInitializeEx; returns the handle (fails the test if it fails). */
  registerSg(flags?: number, handler?: MINIPORT_ALLOCATE_SHARED_MEM_COMPLETE | null): NDIS_HANDLE;
  /** Registers a DMA channel inside MiniportInitializeEx; returns the handle. */
  registerChannel(channel?: number, dma32?: boolean): NDIS_HANDLE;
  /** NdisMAllocateSharedMemory inside MiniportInitializeEx. */
  allocate(length: number, cached?: boolean): { VirtualAddress: number; PhysicalAddress: number };
}

/** A valid NDIS_SG_DMA_DESCRIPTION (revision 1). */
export function sgDescription(overrides: Partial<NDIS_SG_DMA_DESCRIPTION> = {}): NDIS_SG_DMA_DESCRIPTION {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
      Revision: NDIS_SG_DMA_DESCRIPTION_REVISION_1,
      Size: NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
    },
    Flags: 0,
    MaximumPhysicalMapping: 0x10000,
    ProcessSGListHandler: () => {},
    SharedMemAllocateCompleteHandler: null,
    ScatterGatherListSize: 0,
    ...overrides,
  };
}

/** A valid, zeroed-then-filled NDIS_DMA_DESCRIPTION. */
export function channelDescription(overrides: Partial<NDIS_DMA_DESCRIPTION> = {}): NDIS_DMA_DESCRIPTION {
  return {
    DemandMode: false,
    AutoInitialize: false,
    DmaChannelSpecified: true,
    DmaWidth: 1,
    DmaSpeed: 0,
    DmaPort: 0,
    DmaChannel: 5,
    ...overrides,
  };
}

/** Sets an adapter's registration attributes as NdisMSetMiniportAttributes would. */
export function setAttributes(adapter: MiniportAdapter, busMaster: boolean): void {
  adapter.registrationAttributesSet = true;
  adapter.attributeFlags = busMaster ? NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER : 0;
}

/** A fresh, active engine with TestDriver / TestAdapter ready for DMA. */
export function dmaSim(options: DmaSimOptions = {}): DmaSim {
  const engine = new Engine(options);
  activate(engine);
  const driver: MiniportDriver = engine.createDriver('TestDriver');
  const adapter = engine.createAdapter(driver, 'TestAdapter', options.device);
  adapter.context = { adapterContext: true };
  if (options.attributes !== false) setAttributes(adapter, options.busMaster !== false);
  const invoke = <T>(callback: string, fn: () => T): T => engine.invoke(callback, driver, adapter, 0, fn);
  const s: DmaSim = {
    engine,
    driver,
    adapter,
    findings: (rule) => engine.violations.filter((v) => v.rule === rule),
    at: (irql, fn, callback = 'MiniportTest') => engine.context.run(callback, driver, adapter, irql, fn),
    init: (fn) => invoke('MiniportInitializeEx', fn),
    halt: (fn) => invoke('MiniportHaltEx', fn),
    shutdown: (fn) => invoke('MiniportShutdownEx', fn),
    registerSg(flags = 0, handler = null) {
      const result = s.init(() =>
        NdisMRegisterScatterGatherDma(
          adapter,
          sgDescription({ Flags: flags, SharedMemAllocateCompleteHandler: handler }),
        ),
      );
      if (result.Status !== 0) throw new Error(`SG DMA registration failed: 0x${result.Status.toString(16)}`);
      return result.NdisMiniportDmaHandle;
    },
    registerChannel(channel = 5, dma32 = true) {
      const result = s.init(() =>
        NdisMRegisterDmaChannel(adapter, 0, dma32, channelDescription({ DmaChannel: channel }), -1 >>> 0),
      );
      if (result.Status !== 0)
        throw new Error(`DMA channel registration failed: 0x${result.Status.toString(16)}`);
      return result.MiniportDmaHandle;
    },
    allocate: (length, cached = true) => s.init(() => NdisMAllocateSharedMemory(adapter, length, cached)),
  };
  return s;
}
