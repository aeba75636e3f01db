/** Report arguments of the provider DDIs by their documented names (cold path; never throws on odd input). */
import type {
  ProviderAllocateEvent,
  ProviderFreeEvent,
  SetOptionalHandlersEvent,
} from '../../events/provider.js';
import { describeHandle, describeValue, hex } from '../../format.js';

/**
 * A handle as reports show it. describeHandle formats every number as an address, which throws for a
 * number that is no integer (1.5, NaN): those are described as values instead.
 */
export function handleText(value: unknown): string {
  return typeof value === 'number' && !Number.isInteger(value) ? describeValue(value) : describeHandle(value);
}

function isStructure(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A member as a report shows it: integers as they are (or hex), anything else described. */
function member(value: unknown, asHex = false): unknown {
  if (typeof value === 'number' && Number.isInteger(value))
    return asHex && value >= 0 && value <= 0xffffffff ? hex(value) : value;
  return describeValue(value);
}

function describeFunction(value: unknown): string {
  if (typeof value !== 'function')
    return value === null || value === undefined ? 'NULL' : describeValue(value);
  return value.name === '' ? '(anonymous function)' : value.name;
}

function header(value: unknown): unknown {
  if (!isStructure(value)) return describeValue(value);
  return Object.freeze({
    Type: member(value.Type, true),
    Revision: member(value.Revision),
    Size: member(value.Size),
  });
}

/** NDIS_SHARED_MEMORY_PARAMETERS' input members (VPortId when present). */
export function describeParameters(value: unknown): unknown {
  if (!isStructure(value)) return handleText(value);
  const list = value.SGListBuffer;
  const out: Record<string, unknown> = {
    Header: header(value.Header),
    Flags: member(value.Flags, true),
    QueueId: member(value.QueueId),
    PreferredNode: member(value.PreferredNode, true),
    Usage: member(value.Usage),
    Length: member(value.Length),
    SGListBufferLength: member(value.SGListBufferLength),
    SGListBuffer:
      list === null || list === undefined
        ? 'NULL'
        : isStructure(list)
          ? '(caller buffer)'
          : describeValue(list),
  };
  if ('VPortId' in value) out.VPortId = member(value.VPortId);
  return Object.freeze(out);
}

/** An optional-handlers structure: its header, and the provider members for type 0xB0. */
function describeOptionalHandlers(value: unknown, isProvider: boolean): unknown {
  if (!isStructure(value)) return handleText(value);
  if (!isProvider) return Object.freeze({ Header: header(value.Header) });
  return Object.freeze({
    Header: header(value.Header),
    Flags: member(value.Flags, true),
    ProviderContext: handleText(value.ProviderContext),
    AllocateSharedMemoryHandler: describeFunction(value.AllocateSharedMemoryHandler),
    FreeSharedMemoryHandler: describeFunction(value.FreeSharedMemoryHandler),
  });
}

export function setArgs(e: SetOptionalHandlersEvent): Record<string, unknown> {
  return {
    NdisHandle: handleText(e.NdisHandle),
    OptionalHandlers: describeOptionalHandlers(e.OptionalHandlers, e.isProvider),
  };
}

export function allocateArgs(e: ProviderAllocateEvent): Record<string, unknown> {
  return {
    NdisHandle: handleText(e.NdisHandle),
    SharedMemoryParameters: describeParameters(e.SharedMemoryParameters),
  };
}

export function freeArgs(e: ProviderFreeEvent): Record<string, unknown> {
  return { NdisHandle: handleText(e.NdisHandle), AllocationHandle: handleText(e.AllocationHandle) };
}

/** The value at a dotted member path under `root` ('Header.Size'); `root` itself for its own name. */
export function valueAt(root: unknown, path: string, rootName: string): unknown {
  if (path === rootName) return root;
  let value = root;
  for (const name of path.split('.')) {
    if (!isStructure(value)) return undefined;
    value = value[name];
  }
  return value;
}

/** A found value for a message: numbers in decimal and hex, anything else described. */
export function found(value: unknown): string {
  if (typeof value === 'number' && Number.isInteger(value) && value > 9 && value <= 0xffffffff)
    return `${value} (${hex(value)})`;
  if (typeof value === 'function') return describeFunction(value);
  if (isStructure(value)) return Array.isArray(value) ? 'an array' : 'an object';
  return describeValue(value);
}
