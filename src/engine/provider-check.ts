/**
 * Validation of the provider family's structures (SPEC §6.2, §6.5, D17, D19, D20, D22, D24): NDIS
 * reads a structure the driver passed the way NDIS reads it and never trusts it — any member may be
 * missing, of the wrong type, or frozen. Each check fills the reused event and returns true when the
 * structure is rejected. Phrases are constants; only a rejection of the list size builds a string.
 */
import { PAGE_SIZE } from '../machine/physical.js';
import {
  MM_ANY_NODE_OK,
  NDIS_OBJECT_TYPE_DEFAULT,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS,
  NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_PORT_STATE,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS,
  NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS,
  NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1,
  NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2,
  NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS,
  NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1,
  NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1,
  NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2,
  NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1,
  NDIS_STATUS_FAILURE,
  NDIS_STATUS_INVALID_PARAMETER,
  NDIS_STATUS_RESOURCES,
  NDIS_STATUS_SUCCESS,
  NdisSharedMemoryUsageOther,
} from '../ndis/constants.js';
import {
  AllocateProblem,
  OptionalHandlersProblem,
  type ProviderAllocateEvent,
  type ProviderReturnEvent,
  ReturnProblem,
  type SetOptionalHandlersEvent,
} from '../verifier/events/provider.js';
import { isStructure } from './lifecycle-characteristics.js';
import { isUlong } from './pool.js';

/** sizeof(NDIS_OBJECT_HEADER): the least any structure's Header.Size can be. */
const HEADER_SIZE = 4;
/** x64 SCATTER_GATHER_LIST: NumberOfElements and Reserved (16 bytes), then 24 bytes per element. */
export const SG_LIST_HEADER_BYTES = 16;
export const SG_ELEMENT_BYTES = 24;
/**
 * Highest NUMA node number accepted in PreferredNode. The simulated machine has one node; a
 * preference for another is only a preference, so any node a 64-node x64 system can have is taken.
 */
const MAX_NODE = 63;

/**
 * Header types of the NDIS structures this package knows that are not optional-handler structures:
 * NdisSetOptionalHandlers rejects them. Types it does not know (the chimney, CoNDIS, PnP, NDK and
 * selective-suspend characteristics) are accepted without being modelled.
 */
const NOT_OPTIONAL_HANDLERS = new Set<number>([
  NDIS_OBJECT_TYPE_MINIPORT_INIT_PARAMETERS,
  NDIS_OBJECT_TYPE_SG_DMA_DESCRIPTION,
  NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_PORT_CHARACTERISTICS,
  NDIS_OBJECT_TYPE_PORT_STATE,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NATIVE_802_11_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADD_DEVICE_REGISTRATION_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_NDK_ATTRIBUTES,
  NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_PACKET_DIRECT_ATTRIBUTES,
]);

function isInteger(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

/** The x64 size of a SCATTER_GATHER_LIST of `elements` elements. */
export function sgListBytes(elements: number): number {
  return SG_LIST_HEADER_BYTES + SG_ELEMENT_BYTES * elements;
}

function rejectSet(
  e: SetOptionalHandlersEvent,
  problem: OptionalHandlersProblem,
  field: string,
  expected: string,
): true {
  e.problem = problem;
  e.field = field;
  e.expected = expected;
  return true;
}

/**
 * Validates OptionalHandlers. A structure of type 0xB0 is an NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS
 * (Revision 1, Size >= 32 by D17, Flags 0 or SUPPORTS_PF_VPORTS by D22, both handlers functions);
 * any other structure needs only a well-formed header and a type that is not known to be something else.
 */
export function checkOptionalHandlers(e: SetOptionalHandlersEvent, value: unknown): boolean {
  const B = OptionalHandlersProblem.BadHeader;
  if (!isStructure(value)) {
    return rejectSet(e, B, 'OptionalHandlers', 'a characteristics structure');
  }
  const header = value.Header;
  if (!isStructure(header)) return rejectSet(e, B, 'Header', 'an NDIS_OBJECT_HEADER');
  const type = header.Type;
  if (!isInteger(type, 0xff)) return rejectSet(e, B, 'Header.Type', 'an NDIS_OBJECT_TYPE_* value (a UCHAR)');
  if (NOT_OPTIONAL_HANDLERS.has(type)) {
    return rejectSet(e, B, 'Header.Type', 'the type of an optional-handlers structure');
  }
  const provider = type === NDIS_OBJECT_TYPE_SHARED_MEMORY_PROVIDER_CHARACTERISTICS;
  e.isProvider = provider;
  const revision = header.Revision;
  if (provider) {
    if (revision !== NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1) {
      return rejectSet(e, B, 'Header.Revision', 'NDIS_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 (1)');
    }
  } else if (!isInteger(revision, 0xff) || revision === 0) {
    return rejectSet(e, B, 'Header.Revision', 'a revision of at least 1 (a UCHAR)');
  }
  const size = header.Size;
  const least = provider ? NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 : HEADER_SIZE;
  if (!isInteger(size, 0xffff) || size < least) {
    return rejectSet(
      e,
      B,
      'Header.Size',
      provider
        ? 'at least NDIS_SIZEOF_SHARED_MEMORY_PROVIDER_CHARACTERISTICS_REVISION_1 (32)'
        : 'at least sizeof(NDIS_OBJECT_HEADER) (4, a USHORT)',
    );
  }
  if (!provider) return false;
  const C = OptionalHandlersProblem.BadCharacteristics;
  const flags = value.Flags;
  if (!isUlong(flags) || (flags & ~NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS) !== 0) {
    return rejectSet(e, C, 'Flags', '0 or NDIS_SHARED_MEMORY_PROVIDER_CHAR_SUPPORTS_PF_VPORTS (0x1)');
  }
  if (typeof value.AllocateSharedMemoryHandler !== 'function') {
    return rejectSet(e, C, 'AllocateSharedMemoryHandler', 'a NetAllocateSharedMemory function');
  }
  if (typeof value.FreeSharedMemoryHandler !== 'function') {
    return rejectSet(e, C, 'FreeSharedMemoryHandler', 'a NetFreeSharedMemory function');
  }
  return false;
}

function rejectParameter(e: ProviderAllocateEvent, field: string, expected: string, header = false): true {
  e.problem = AllocateProblem.InvalidParameter;
  e.field = field;
  e.expected = expected;
  e.header = header;
  e.status = NDIS_STATUS_INVALID_PARAMETER;
  return true;
}

/** A caller's SCATTER_GATHER_LIST buffer NDIS can fill: `{ NumberOfElements, Elements: [] }`, writable. */
function isListBuffer(value: unknown): boolean {
  if (!isStructure(value) || !Object.isExtensible(value)) return false;
  const elements = value.Elements;
  return Array.isArray(elements) && Object.isExtensible(elements);
}

/**
 * Validates NDIS_SHARED_MEMORY_PARAMETERS (SPEC §6.5). `hal` is true when no provider is registered:
 * NDIS then builds the list itself and knows its size up front (one element when CONTIGUOUS, one per
 * page otherwise), so a buffer too small for it is rejected before anything is allocated (D24).
 */
export function checkParameters(e: ProviderAllocateEvent, value: unknown, hal: boolean): boolean {
  if (!isStructure(value)) {
    return rejectParameter(e, 'SharedMemoryParameters', 'an NDIS_SHARED_MEMORY_PARAMETERS structure');
  }
  // NDIS writes SharedMemoryHandle and VirtualAddress back: a sealed or frozen object cannot take them.
  if (!Object.isExtensible(value)) {
    return rejectParameter(e, 'SharedMemoryParameters', 'a writable structure (NDIS writes its out members)');
  }
  const header = value.Header;
  if (!isStructure(header)) return rejectParameter(e, 'Header', 'an NDIS_OBJECT_HEADER', true);
  if (header.Type !== NDIS_OBJECT_TYPE_DEFAULT) {
    return rejectParameter(e, 'Header.Type', 'NDIS_OBJECT_TYPE_DEFAULT (0x80)', true);
  }
  const revision = header.Revision;
  if (
    revision !== NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1 &&
    revision !== NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2
  ) {
    return rejectParameter(
      e,
      'Header.Revision',
      'NDIS_SHARED_MEMORY_PARAMETERS_REVISION_1 (1) or NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2 (2)',
      true,
    );
  }
  const two = revision === NDIS_SHARED_MEMORY_PARAMETERS_REVISION_2;
  const least = two
    ? NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2
    : NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1;
  if (!isInteger(header.Size, 0xffff) || header.Size < least) {
    return rejectParameter(
      e,
      'Header.Size',
      two
        ? 'at least NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_2 (68)'
        : 'at least NDIS_SIZEOF_SHARED_MEMORY_PARAMETERS_REVISION_1 (64)',
      true,
    );
  }
  const flags = value.Flags;
  // D20: a ULONG whose only defined bit is CONTIGUOUS (D19: the CONTIGOUS spelling is the same bit).
  if (!isUlong(flags) || (flags & ~NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS) !== 0) {
    return rejectParameter(e, 'Flags', '0 or NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS (0x1)');
  }
  // VMQ queues are not modelled: any queue identifier is taken.
  if (!isUlong(value.QueueId)) return rejectParameter(e, 'QueueId', 'an NDIS_RECEIVE_QUEUE_ID (a ULONG)');
  const node = value.PreferredNode;
  if (node !== MM_ANY_NODE_OK && !isInteger(node, MAX_NODE)) {
    return rejectParameter(e, 'PreferredNode', 'MM_ANY_NODE_OK (0x80000000) or a NUMA node number (0-63)');
  }
  // NdisSharedMemoryUsageMax (10) is the enumeration's bound, never a valid argument.
  if (!isInteger(value.Usage, NdisSharedMemoryUsageOther)) {
    return rejectParameter(e, 'Usage', 'an NDIS_SHARED_MEMORY_USAGE from Undefined (0) to Other (9)');
  }
  const length = value.Length;
  if (!isUlong(length) || length === 0) return rejectParameter(e, 'Length', 'a ULONG greater than 0');
  if (two && !isUlong(value.VPortId)) {
    return rejectParameter(e, 'VPortId', 'an NDIS_NIC_SWITCH_VPORT_ID (a ULONG) in revision 2');
  }
  if (!isListBuffer(value.SGListBuffer)) {
    return rejectParameter(
      e,
      'SGListBuffer',
      'a writable SCATTER_GATHER_LIST { NumberOfElements, Elements: [] }',
    );
  }
  const bufferLength = value.SGListBufferLength;
  if (!isUlong(bufferLength)) return rejectParameter(e, 'SGListBufferLength', 'a ULONG');
  const elements = hal ? ((flags & NDIS_SHARED_MEM_PARAMETERS_CONTIGUOUS) !== 0 ? 1 : pagesOf(length)) : 1;
  if (bufferLength < sgListBytes(elements)) {
    return rejectParameter(
      e,
      'SGListBufferLength',
      hal
        ? `at least ${sgListBytes(elements)} bytes, the size of the ${elements}-element list NDIS builds (16 + 24 per element, D24)`
        : 'at least 40 bytes (a SCATTER_GATHER_LIST of one element)',
    );
  }
  return false;
}

/** Pages spanned by `length` bytes from a page-aligned base. */
export function pagesOf(length: number): number {
  return Math.ceil(length / PAGE_SIZE);
}

/**
 * Classifies what NetAllocateSharedMemory returned and decides NdisAllocateSharedMemory's status: the
 * provider's own failure status is passed on; anything undocumented is FAILURE. A SUCCESS must come
 * with VirtualAddress and an SG list (within SGListBufferLength) covering Length: the provider fills
 * both in the caller's structure, which NDIS hands it (SPEC §6.3, §6.6).
 */
export function checkReturn(
  e: ProviderReturnEvent,
  result: unknown,
  p: Record<string, unknown>,
  length: number,
): void {
  e.result = result;
  e.field = '';
  e.problem = ReturnProblem.None;
  if (!isStructure(result) || typeof result.Status !== 'number' || !Number.isInteger(result.Status)) {
    e.problem = ReturnProblem.NotAResult;
    e.status = NDIS_STATUS_FAILURE;
    return;
  }
  const status = result.Status >>> 0;
  if (status !== NDIS_STATUS_SUCCESS) {
    const documented =
      status === NDIS_STATUS_RESOURCES ||
      status === NDIS_STATUS_INVALID_PARAMETER ||
      status === NDIS_STATUS_FAILURE;
    if (!documented) e.problem = ReturnProblem.UndocumentedStatus;
    e.status = documented ? status : NDIS_STATUS_FAILURE;
    return;
  }
  // NDIS cannot tell a provider's incomplete success from a complete one: it returns SUCCESS.
  e.status = NDIS_STATUS_SUCCESS;
  const field = incompleteField(p, length);
  if (field !== '') {
    e.problem = ReturnProblem.IncompleteSuccess;
    e.field = field;
  }
}

/** The first out member a provider's SUCCESS left unfilled, or ''. */
function incompleteField(p: Record<string, unknown>, length: number): string {
  const va = p.VirtualAddress;
  if (
    !((typeof va === 'number' && Number.isInteger(va)) || typeof va === 'bigint') ||
    va === 0 ||
    va === 0n
  ) {
    return 'VirtualAddress';
  }
  // The provider holds the structure during the call: re-read everything, it may have changed.
  const list = p.SGListBuffer;
  if (!isStructure(list) || !Array.isArray(list.Elements)) return 'SGListBuffer';
  const count = list.NumberOfElements;
  const elements = list.Elements;
  if (!isUlong(count) || count === 0 || elements.length < count) return 'SGListBuffer.NumberOfElements';
  const room = p.SGListBufferLength;
  if (!isUlong(room) || sgListBytes(count) > room) return 'SGListBufferLength';
  let covered = 0;
  for (let i = 0; i < count; i++) {
    const element = elements[i];
    if (!isStructure(element) || !isUlong(element.Length)) return 'SGListBuffer.Elements';
    covered += element.Length;
  }
  return covered >= length ? '' : 'SGListBuffer.Elements';
}

/**
 * Writes an out member of a driver's structure. The structure is extensible (checked), but a member
 * made read-only must not turn into a TypeError: the write is then lost, as a write to read-only
 * memory would be. A plain store in a try is what V8 keeps fast; Reflect.set is a runtime call.
 */
export function writeOut(p: Record<string, unknown>, member: string, value: unknown): void {
  try {
    p[member] = value;
  } catch {
    // read-only member: nothing written
  }
}
