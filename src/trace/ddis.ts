/**
 * The shape of every DDI and driver callback in a trace (docs/trace-format.md): parameter names as
 * in the headers, their value types, what the call returns. The reader decodes by it, the writer
 * encodes by it, the JSON Schema is built from it. Replay support is a separate table (replay.ts).
 */

/**
 * How a value is written in a trace:
 * - handle, pointer, physical: `"0x…"`, the unsigned 64-bit value (NULL is `"0x0"`);
 * - ulong: an integer 0..0xFFFFFFFF or `"0x…"` (ULONG, UINT, enumerations, tags);
 * - long: an integer −2^31..2^31−1; int64: an integer or `"0x…"` (LARGE_INTEGER);
 * - boolean: 0, 1 (any UCHAR) or true/false; status: `"0x…"` unsigned, or an integer (signed accepted);
 * - struct: an object with the structure's field names, or `"0x…"` when only the pointer is logged.
 */
export type ValueType =
  | 'handle'
  | 'pointer'
  | 'physical'
  | 'ulong'
  | 'long'
  | 'int64'
  | 'boolean'
  | 'status'
  | 'struct';

/** One named value of a call or callback. */
export interface Field {
  readonly name: string;
  readonly type: ValueType;
  /** May be left out (a missing optional value is not decoded). */
  readonly optional: boolean;
}

/** A DDI or a callback as it appears in a trace. */
export interface Shape {
  readonly name: string;
  /** SPEC section. */
  readonly section: string;
  /** Arguments (`args`), by documented name. */
  readonly params: readonly Field[];
  /** Returns NDIS_STATUS (the event's `status`). */
  readonly status: boolean;
  /** Out values (`result`), by documented name: out-parameters and a returned non-status value. */
  readonly out: readonly Field[];
  /** The out value that is the C return value (e.g. VirtualAddress), if it is not a status. */
  readonly ret: string | null;
}

function fields(list: string): Field[] {
  if (list === '') return [];
  return list.split(' ').map((item) => {
    const [name, type] = item.split(':');
    const optional = name.endsWith('?');
    return Object.freeze({ name: optional ? name.slice(0, -1) : name, type: type as ValueType, optional });
  });
}

interface Extra {
  readonly status?: boolean;
  readonly out?: string;
  readonly ret?: string;
}

function shape(section: string, name: string, params: string, extra: Extra = {}): Shape {
  const ret = extra.ret ? fields(extra.ret) : [];
  const out = [...ret, ...fields(extra.out ?? '')];
  return Object.freeze({
    name,
    section,
    params: Object.freeze(fields(params)),
    status: extra.status ?? false,
    out: Object.freeze(out),
    ret: ret.length > 0 ? ret[0].name : null,
  });
}

const S = { status: true } as const;

const DDI_LIST: readonly Shape[] = [
  // Driver and adapter lifecycle (SPEC §2)
  shape(
    '§2.1',
    'NdisMRegisterMiniportDriver',
    'DriverObject:pointer RegistryPath:pointer MiniportDriverContext:pointer MiniportDriverCharacteristics:struct',
    { status: true, out: 'NdisMiniportDriverHandle:handle' },
  ),
  shape('§2.4', 'NdisMDeregisterMiniportDriver', 'NdisMiniportDriverHandle:handle'),
  shape('§2.7', 'NdisMSetMiniportAttributes', 'NdisMiniportHandle:handle MiniportAttributes:struct', S),
  shape('§2.8', 'NdisMPauseComplete', 'MiniportAdapterHandle:handle'),
  shape('§2.9', 'NdisMRestartComplete', 'MiniportAdapterHandle:handle Status:status'),
  shape(
    '§5.1',
    'NdisWriteErrorLogEntry',
    'NdisAdapterHandle:handle ErrorCode:ulong NumberOfErrorValues:ulong',
  ),
  shape('§6.1', 'NdisSetOptionalHandlers', 'NdisHandle:handle OptionalHandlers:struct', S),
  // General memory (SPEC §3)
  shape(
    '§3.1',
    'NdisAllocateMemoryWithTagPriority',
    'NdisHandle:handle Length:ulong Tag:ulong Priority:ulong',
    {
      ret: 'VirtualAddress:pointer',
    },
  ),
  shape('§3.2', 'NdisFreeMemory', 'VirtualAddress:pointer Length:ulong MemoryFlags:ulong'),
  shape('§3.3', 'NdisFreeMemoryWithTagPriority', 'NdisHandle:handle VirtualAddress:pointer Tag:ulong'),
  shape('§3.4', 'NdisFreeMemoryWithTag', 'VirtualAddress:pointer Tag:ulong'),
  // DMA registration (SPEC §4)
  shape('§4.1', 'NdisMRegisterScatterGatherDma', 'MiniportAdapterHandle:handle DmaDescription:struct', {
    status: true,
    out: 'NdisMiniportDmaHandle:handle ScatterGatherListSize:ulong',
  }),
  shape('§4.2', 'NdisMDeregisterScatterGatherDma', 'NdisMiniportDmaHandle:handle'),
  shape(
    '§4.3',
    'NdisMRegisterDmaChannel',
    'MiniportAdapterHandle:handle DmaChannel:ulong Dma32BitAddresses:boolean DmaDescription:struct MaximumLength:ulong',
    { status: true, out: 'MiniportDmaHandle:handle' },
  ),
  shape('§4.4', 'NdisMDeregisterDmaChannel', 'MiniportDmaHandle:handle'),
  // Miniport shared memory (SPEC §5)
  shape('§5.1', 'NdisMAllocateSharedMemory', 'MiniportAdapterHandle:handle Length:ulong Cached:boolean', {
    out: 'VirtualAddress:pointer PhysicalAddress:physical',
  }),
  shape(
    '§5.2',
    'NdisMAllocateSharedMemoryAsyncEx',
    'MiniportDmaHandle:handle Length:ulong Cached:boolean Context:pointer',
    S,
  ),
  shape(
    '§5.4',
    'NdisMFreeSharedMemory',
    'MiniportAdapterHandle:handle Length:ulong Cached:boolean VirtualAddress:pointer PhysicalAddress:physical',
  ),
  // Shared memory from providers (SPEC §6)
  shape('§6.6', 'NdisAllocateSharedMemory', 'NdisHandle:handle SharedMemoryParameters:struct', {
    status: true,
    out: 'AllocationHandle:handle VirtualAddress:pointer SharedMemoryHandle:handle SGListBuffer?:struct',
  }),
  shape('§6.7', 'NdisFreeSharedMemory', 'NdisHandle:handle AllocationHandle:handle'),
  // Ports (SPEC §7)
  shape('§7.3', 'NdisMAllocatePort', 'NdisMiniportHandle:handle PortCharacteristics:struct', {
    status: true,
    out: 'PortNumber:ulong',
  }),
  shape('§7.4', 'NdisMNetPnPEvent', 'MiniportAdapterHandle:handle NetPnPEventNotification:struct', S),
  shape('§7.7', 'NdisMFreePort', 'NdisMiniportHandle:handle PortNumber:ulong', S),
  shape('§7.4', 'NdisMOidRequestComplete', 'MiniportAdapterHandle:handle OidRequest:struct Status:status'),
  // Spin locks, I/O work items, timer objects (outside SPEC §2–§7; IRQL table)
  shape('sync', 'NdisAllocateSpinLock', 'SpinLock:pointer'),
  shape('sync', 'NdisFreeSpinLock', 'SpinLock:pointer'),
  shape('sync', 'NdisAcquireSpinLock', 'SpinLock:pointer'),
  shape('sync', 'NdisReleaseSpinLock', 'SpinLock:pointer'),
  shape('sync', 'NdisDprAcquireSpinLock', 'SpinLock:pointer'),
  shape('sync', 'NdisDprReleaseSpinLock', 'SpinLock:pointer'),
  shape('sync', 'NdisAllocateIoWorkItem', 'NdisObjectHandle:handle', { ret: 'NdisIoWorkItemHandle:handle' }),
  shape('sync', 'NdisQueueIoWorkItem', 'NdisIoWorkItemHandle:handle Routine:pointer WorkItemContext:pointer'),
  shape('sync', 'NdisFreeIoWorkItem', 'NdisIoWorkItemHandle:handle'),
  shape('sync', 'NdisAllocateTimerObject', 'NdisHandle:handle TimerCharacteristics:struct', {
    status: true,
    out: 'TimerObject:handle',
  }),
  shape(
    'sync',
    'NdisSetTimerObject',
    'TimerObject:handle DueTime:int64 MillisecondsPeriod:long FunctionContext:pointer',
    { ret: 'InQueue:boolean' },
  ),
  shape('sync', 'NdisCancelTimerObject', 'TimerObject:handle', { ret: 'InQueue:boolean' }),
  shape('sync', 'NdisFreeTimerObject', 'TimerObject:handle'),
];

/**
 * Driver callbacks NDIS calls (enter/exit events). Every callback argument is optional in a trace
 * (the `driver` and `adapter` handles of the event say whose callback it is); any other callback
 * name is accepted too, with its `args` kept as written.
 */
const CALLBACK_LIST: readonly Shape[] = [
  shape('§2.1', 'DriverEntry', 'DriverObject?:pointer RegistryPath?:pointer', S),
  shape('§2.3', 'MiniportSetOptions', 'DriverContext?:pointer', S),
  shape('§2.6', 'MiniportInitializeEx', 'MiniportDriverContext?:pointer MiniportInitParameters?:struct', S),
  shape('§2.8', 'MiniportPause', 'PauseParameters?:struct', S),
  shape('§2.9', 'MiniportRestart', 'RestartParameters?:struct', S),
  shape('§2.10', 'MiniportHaltEx', 'HaltAction?:ulong'),
  shape('§2.11', 'MiniportShutdownEx', 'ShutdownAction?:ulong'),
  shape('§2.4', 'MiniportDriverUnload', 'DriverObject?:pointer'),
  shape('§2.5', 'MiniportDevicePnPEventNotify', 'NetDevicePnPEvent?:struct'),
  shape('§7.4', 'MiniportOidRequest', 'OidRequest?:struct', S),
  shape(
    '§5.3',
    'MiniportSharedMemoryAllocateComplete',
    'VirtualAddress?:pointer PhysicalAddress?:physical Length?:ulong Context?:pointer',
  ),
  shape('§6.3', 'NetAllocateSharedMemory', 'ProviderContext?:pointer SharedMemoryParameters?:struct', {
    status: true,
    out: 'SharedMemoryProviderContext?:handle',
  }),
  shape('§6.4', 'NetFreeSharedMemory', 'ProviderContext?:pointer SharedMemoryProviderContext?:handle'),
  shape('sync', 'NdisTimerFunction', 'FunctionContext?:pointer'),
  shape('sync', 'NdisIoWorkItemFunction', 'WorkItemContext?:pointer NdisIoWorkItemHandle?:handle'),
];

function byName(list: readonly Shape[]): ReadonlyMap<string, Shape> {
  return new Map(list.map((s) => [s.name, s]));
}

/** Every DDI a trace may call, by name. */
export const DDIS: ReadonlyMap<string, Shape> = byName(DDI_LIST);

/** The callbacks whose arguments and results have a documented shape, by name. */
export const CALLBACKS: ReadonlyMap<string, Shape> = byName(CALLBACK_LIST);

/** The lifecycle edges of an `edge` event (src/verifier/events/callback.ts). */
export const EDGES = ['initializeFailed', 'haltReturned', 'driverUnload'] as const;
