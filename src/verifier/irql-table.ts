/**
 * The documented IRQL of every DDI outside general memory (SPEC §8, D30, D31), the rule that names
 * it, and its parameter names for reports. DDIs no official rule covers are reported under a
 * descriptive `Irql_<DDI>` rule (D30).
 */

/** The IRQL range a DDI may be called at, and the rule that reports a call outside it. */
export interface IrqlEntry {
  readonly min: number;
  readonly max: number;
  /** Official rule id, or undefined for a descriptive `Irql_<DDI>` rule. */
  readonly rule?:
    | 'Irql_Miniport_Driver_Function'
    | 'Irql_Gather_DMA_Function'
    | 'Irql_Protocol_Driver_Function'
    | 'Irql_Miscellaneous_Function';
  readonly params: readonly string[];
  /** Official page slug under /ddi/ndis/. */
  readonly page: string;
}

const P = 0;
const D = 2;
/** HIGH_LEVEL: the top of the range of a DDI callable at any IRQL. */
const H = 15;
const IMDF = 'Irql_Miniport_Driver_Function' as const;
const IGDF = 'Irql_Gather_DMA_Function' as const;
const IPDF = 'Irql_Protocol_Driver_Function' as const;
const IMF = 'Irql_Miscellaneous_Function' as const;

/** DDI name → documented IRQL. */
export const IRQL_TABLE: Readonly<Record<string, IrqlEntry>> = Object.freeze({
  // Driver and adapter lifecycle (SPEC §2)
  NdisMRegisterMiniportDriver: {
    min: P,
    max: P,
    rule: IMDF,
    params: [
      'DriverObject',
      'RegistryPath',
      'MiniportDriverContext',
      'MiniportDriverCharacteristics',
      'NdisMiniportDriverHandle',
    ],
    page: 'nf-ndis-ndismregisterminiportdriver',
  },
  NdisMDeregisterMiniportDriver: {
    min: P,
    max: P,
    rule: IMDF,
    params: ['NdisMiniportDriverHandle'],
    page: 'nf-ndis-ndismderegisterminiportdriver',
  },
  NdisMSetMiniportAttributes: {
    min: P,
    max: P,
    rule: IMDF,
    params: ['NdisMiniportHandle', 'MiniportAttributes'],
    page: 'nf-ndis-ndismsetminiportattributes',
  },
  NdisMPauseComplete: {
    min: P,
    max: D,
    rule: IMDF,
    params: ['MiniportAdapterHandle'],
    page: 'nf-ndis-ndismpausecomplete',
  },
  NdisMRestartComplete: {
    min: P,
    max: D,
    rule: IMDF,
    params: ['MiniportAdapterHandle', 'Status'],
    page: 'nf-ndis-ndismrestartcomplete',
  },
  NdisWriteErrorLogEntry: {
    min: P,
    max: D,
    rule: IMF,
    params: ['NdisAdapterHandle', 'ErrorCode', 'NumberOfErrorValues'],
    page: 'nf-ndis-ndiswriteerrorlogentry',
  },
  NdisSetOptionalHandlers: {
    min: P,
    max: P,
    rule: IMF,
    params: ['NdisHandle', 'OptionalHandlers'],
    page: 'nf-ndis-ndissetoptionalhandlers',
  },
  // DMA registration and miniport shared memory (SPEC §4, §5)
  NdisMRegisterScatterGatherDma: {
    min: P,
    max: P,
    rule: IGDF,
    params: ['MiniportAdapterHandle', 'DmaDescription', 'NdisMiniportDmaHandle'],
    page: 'nf-ndis-ndismregisterscattergatherdma',
  },
  NdisMDeregisterScatterGatherDma: {
    min: P,
    max: P,
    rule: IGDF,
    params: ['NdisMiniportDmaHandle'],
    page: 'nf-ndis-ndismderegisterscattergatherdma',
  },
  NdisMAllocateSharedMemoryAsyncEx: {
    min: P,
    max: D,
    rule: IGDF,
    params: ['MiniportDmaHandle', 'Length', 'Cached', 'Context'],
    page: 'nf-ndis-ndismallocatesharedmemoryasyncex',
  },
  NdisMRegisterDmaChannel: {
    min: P,
    max: P,
    rule: IMDF,
    params: [
      'MiniportDmaHandle',
      'MiniportAdapterHandle',
      'DmaChannel',
      'Dma32BitAddresses',
      'DmaDescription',
      'MaximumLength',
    ],
    page: 'nf-ndis-ndismregisterdmachannel',
  },
  NdisMDeregisterDmaChannel: {
    min: P,
    max: P,
    rule: IMDF,
    params: ['MiniportDmaHandle'],
    page: 'nf-ndis-ndismderegisterdmachannel',
  },
  NdisMFreeSharedMemory: {
    min: P,
    max: D,
    rule: IMDF,
    params: ['MiniportAdapterHandle', 'Length', 'Cached', 'VirtualAddress', 'PhysicalAddress'],
    page: 'nf-ndis-ndismfreesharedmemory',
  },
  // Provider shared memory and ports (SPEC §6, §7)
  NdisAllocateSharedMemory: {
    min: P,
    max: P,
    params: ['NdisHandle', 'SharedMemoryParameters', 'pAllocationHandle'],
    page: 'nf-ndis-ndisallocatesharedmemory',
  },
  NdisFreeSharedMemory: {
    min: P,
    max: P,
    params: ['NdisHandle', 'AllocationHandle'],
    page: 'nf-ndis-ndisfreesharedmemory',
  },
  NdisMAllocatePort: {
    min: P,
    max: D,
    params: ['NdisMiniportHandle', 'PortCharacteristics'],
    page: 'nf-ndis-ndismallocateport',
  },
  NdisMFreePort: {
    min: P,
    max: D,
    rule: IMDF,
    params: ['NdisMiniportHandle', 'PortNumber'],
    page: 'nf-ndis-ndismfreeport',
  },
  NdisMNetPnPEvent: {
    min: P,
    max: P,
    rule: IPDF,
    params: ['MiniportAdapterHandle', 'NetPnPEventNotification'],
    page: 'nf-ndis-ndismnetpnpevent',
  },
  NdisMOidRequestComplete: {
    min: P,
    max: D,
    params: ['MiniportAdapterHandle', 'OidRequest', 'Status'],
    page: 'nf-ndis-ndismoidrequestcomplete',
  },
  // Spin locks, IO work items, timers
  NdisAllocateSpinLock: { min: P, max: D, params: ['SpinLock'], page: 'nf-ndis-ndisallocatespinlock' },
  // Its page: "Callers of NdisFreeSpinLock can run at any IRQL" (IRQL: Any level).
  NdisFreeSpinLock: { min: P, max: H, rule: IMF, params: ['SpinLock'], page: 'nf-ndis-ndisfreespinlock' },
  NdisAcquireSpinLock: { min: P, max: D, params: ['SpinLock'], page: 'nf-ndis-ndisacquirespinlock' },
  NdisReleaseSpinLock: { min: D, max: D, params: ['SpinLock'], page: 'nf-ndis-ndisreleasespinlock' },
  NdisDprAcquireSpinLock: { min: D, max: D, params: ['SpinLock'], page: 'nf-ndis-ndisdpracquirespinlock' },
  NdisDprReleaseSpinLock: { min: D, max: D, params: ['SpinLock'], page: 'nf-ndis-ndisdprreleasespinlock' },
  NdisAllocateIoWorkItem: {
    min: P,
    max: D,
    rule: IMF,
    params: ['NdisObjectHandle'],
    page: 'nf-ndis-ndisallocateioworkitem',
  },
  NdisQueueIoWorkItem: {
    min: P,
    max: D,
    rule: IMF,
    params: ['NdisIoWorkItemHandle', 'Routine', 'WorkItemContext'],
    page: 'nf-ndis-ndisqueueioworkitem',
  },
  NdisFreeIoWorkItem: {
    min: P,
    max: D,
    rule: IMF,
    params: ['NdisIoWorkItemHandle'],
    page: 'nf-ndis-ndisfreeioworkitem',
  },
  NdisAllocateTimerObject: {
    min: P,
    max: D,
    params: ['NdisHandle', 'TimerCharacteristics', 'pTimerObject'],
    page: 'nf-ndis-ndisallocatetimerobject',
  },
  NdisSetTimerObject: {
    min: P,
    max: D,
    params: ['TimerObject', 'DueTime', 'MillisecondsPeriod', 'FunctionContext'],
    page: 'nf-ndis-ndissettimerobject',
  },
  NdisCancelTimerObject: { min: P, max: D, params: ['TimerObject'], page: 'nf-ndis-ndiscanceltimerobject' },
  NdisFreeTimerObject: { min: P, max: D, params: ['TimerObject'], page: 'nf-ndis-ndisfreetimerobject' },
});

/** The table as a Map: one hashed look-up per DDI call (the engine resolves it once per call). */
export const IRQL_INDEX: ReadonlyMap<string, IrqlEntry> = new Map(Object.entries(IRQL_TABLE));
