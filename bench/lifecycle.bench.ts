/**
 * Full lifecycles per second (issue 3): load → initialize with SG DMA and 64 shared-memory
 * allocations → restart → pause → halt (64 exact frees, deregistration) → unload, every DDI verified.
 * A figure, not a ratio: there is no smaller JavaScript doing the same work.
 */
import { Host } from '../src/host/host.js';
import { SCENARIOS } from '../src/host/scenario.js';
import {
  NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
  NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_SG_DMA_64_BIT_ADDRESS,
  NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
  NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
  NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
  NDIS_STATUS_SUCCESS,
  NdisInterfacePci,
  NdisMAllocateSharedMemory,
  NdisMDeregisterMiniportDriver,
  NdisMDeregisterScatterGatherDma,
  NdisMFreeSharedMemory,
  NdisMRegisterMiniportDriver,
  NdisMRegisterScatterGatherDma,
  NdisMSetMiniportAttributes,
} from '../src/index.js';
import { NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2 } from '../src/ndis/lifecycle.js';
import { figure } from './harness.js';

const BLOCKS = 64;
const LENGTH = 2048;

interface Adapter {
  handle: object;
  dma: object | null;
  blocks: Array<{ VirtualAddress: number; PhysicalAddress: number }>;
}

/** A bus-master miniport whose initialize makes 64 shared-memory allocations. */
function driverModule() {
  let handle: object | null = null;
  const noop = () => undefined;
  const ok = () => NDIS_STATUS_SUCCESS;
  return {
    DriverEntry(DriverObject: object, RegistryPath: string): number {
      const r = NdisMRegisterMiniportDriver(DriverObject, RegistryPath, null, {
        Header: {
          Type: NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
          Revision: 2,
          Size: NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2,
        },
        MajorNdisVersion: 6,
        MinorNdisVersion: 30,
        MajorDriverVersion: 1,
        MinorDriverVersion: 0,
        Flags: 0,
        SetOptionsHandler: null,
        InitializeHandlerEx: (h: object) => {
          const ctx: Adapter = { handle: h, dma: null, blocks: [] };
          NdisMSetMiniportAttributes(h, {
            Header: {
              Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
              Revision: 1,
              Size: NDIS_SIZEOF_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES_REVISION_1,
            },
            MiniportAdapterContext: ctx,
            AttributeFlags: NDIS_MINIPORT_ATTRIBUTES_HARDWARE_DEVICE | NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER,
            CheckForHangTimeInSeconds: 0,
            InterfaceType: NdisInterfacePci,
          });
          NdisMSetMiniportAttributes(h, {
            Header: {
              Type: NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
              Revision: 2,
              Size: NDIS_SIZEOF_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES_REVISION_2,
            },
            MediaType: 0,
            MtuSize: 1500,
          } as never);
          const sg = NdisMRegisterScatterGatherDma(h, {
            Header: {
              Type: NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
              Revision: 1,
              Size: NDIS_SIZEOF_SG_DMA_DESCRIPTION_REVISION_1,
            },
            Flags: NDIS_SG_DMA_64_BIT_ADDRESS,
            MaximumPhysicalMapping: 65536,
            ProcessSGListHandler: noop,
            SharedMemAllocateCompleteHandler: null,
            ScatterGatherListSize: 0,
          } as never);
          ctx.dma = sg.NdisMiniportDmaHandle;
          for (let i = 0; i < BLOCKS; i++) ctx.blocks.push(NdisMAllocateSharedMemory(h, LENGTH, false));
          return NDIS_STATUS_SUCCESS;
        },
        HaltHandlerEx: (ctx: Adapter) => {
          for (const b of ctx.blocks)
            NdisMFreeSharedMemory(ctx.handle, LENGTH, false, b.VirtualAddress, b.PhysicalAddress);
          if (ctx.dma !== null) NdisMDeregisterScatterGatherDma(ctx.dma);
        },
        UnloadHandler: () => {
          if (handle !== null) NdisMDeregisterMiniportDriver(handle);
        },
        PauseHandler: ok,
        RestartHandler: ok,
        OidRequestHandler: ok,
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
      } as never);
      handle = r.NdisMiniportDriverHandle;
      return r.Status;
    },
  };
}

/** Runs the lifecycle benchmark. */
export async function lifecycleBenchmarks(): Promise<void> {
  const scenario = SCENARIOS['full-lifecycle'];
  const once = () => {
    const module = driverModule();
    return new Host(module, { captureAllocationSites: false, captureSites: false }).run(scenario);
  };
  const first = once();
  const rounds = 300;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) once();
  const perSecond = (rounds / (performance.now() - start)) * 1000;
  figure(
    `full lifecycle with ${BLOCKS} shared-memory blocks (${first.violations.length} findings)`,
    perSecond,
    'lifecycles/s',
  );
}
