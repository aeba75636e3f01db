/**
 * Replay of the DMA family (SPEC §4, §5): DMA registrations, miniport shared memory and the error
 * log, one entry per DDI (see REPLAY in replay.ts), and the trace's
 * MiniportSharedMemoryAllocateComplete, which delivers an asynchronous allocation. Also the helpers
 * the provider and ports replays share: structure arguments decoded to the engine's form, and
 * handle values bound to the engine objects they stand for.
 */
import { MiniportAdapter } from '../engine/objects.js';
import type { AllocateSharedMemoryResult } from '../engine/shared-memory.js';
import type { ValueType } from './ddis.js';
import { decodeValue, FAIL, failure } from './decode.js';
import type { CallEvent, EnterEvent } from './events.js';
import { hex64 } from './hex.js';
import type { CallbackHooks, ReplayEntry, ReplayState } from './replay.js';

type Args = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Structure arguments
// ---------------------------------------------------------------------------------------------

/**
 * How the fields of a structure argument are written: a value type, `handler` (a function
 * pointer: the engine wants a function or NULL), `buffer` (a caller's buffer the DDI fills: only
 * whether it is NULL matters), or a nested structure.
 */
export type FieldSpec = ValueType | 'handler' | 'buffer' | StructSpec;
export interface StructSpec {
  readonly [field: string]: FieldSpec;
}

/** NDIS_OBJECT_HEADER. */
export const HEADER: StructSpec = { Type: 'ulong', Revision: 'ulong', Size: 'ulong' };

/**
 * Stands for a non-NULL function pointer of the trace. No driver code runs in a replay, so it is
 * never called on purpose; if it were, it would do nothing.
 */
export function replayedHandler(): void {}

/** Why the last structure could not be decoded (set when decodeFields returns undefined). */
let problem = '';

/**
 * A structure argument in the engine's form: its known fields decoded (hex to numbers, handlers
 * to functions), other fields kept as written; NULL (0) is null. A structure logged only as a
 * non-NULL pointer, or a field that does not decode, is an error in the trace: undefined, and
 * the caller ignores the call.
 */
export function structArg(
  s: ReplayState,
  e: CallEvent,
  name: string,
  spec: StructSpec,
): Args | null | undefined {
  return structValue(s, e, e.args[name], spec, `args.${name}`);
}

/** A structure within an argument (`path` names it in errors), as structArg. */
export function structValue(
  s: ReplayState,
  e: CallEvent,
  raw: unknown,
  spec: StructSpec,
  path: string,
): Args | null | undefined {
  const out = decodeStruct(raw, spec, path);
  if (out === undefined) s.error(`${e.ddi}: ${problem}; the call is ignored`);
  return out;
}

function decodeStruct(raw: unknown, spec: StructSpec, path: string): Args | null | undefined {
  if (raw === 0 || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problem = `"${path}" is logged as the pointer ${typeof raw === 'number' ? hex64(raw) : String(raw)} only, and replaying it needs its fields`;
    return undefined;
  }
  const out: Args = {};
  for (const [key, value] of Object.entries(raw as Args)) {
    const type = Object.hasOwn(spec, key) ? spec[key] : undefined;
    if (type === undefined) {
      out[key] = value;
      continue;
    }
    const decoded = decodeField(value, type, `${path}.${key}`);
    if (decoded === FAIL) return undefined;
    out[key] = decoded;
  }
  return out;
}

function decodeField(value: unknown, type: FieldSpec, path: string): unknown {
  // JSON null: a NULL pointer, or a value the producer had none for; the engine judges it.
  if (value === null) return null;
  if (typeof type === 'object') {
    const nested = decodeStruct(value, type, path);
    return nested === undefined ? FAIL : nested;
  }
  const decoded =
    value !== null && typeof value === 'object' && type === 'buffer'
      ? 1
      : decodeValue(value, type === 'handler' || type === 'buffer' ? 'pointer' : type);
  if (decoded === FAIL) {
    problem = `"${path}" ${failure()}`;
    return FAIL;
  }
  if (type === 'handler') return decoded === 0 ? null : replayedHandler;
  // The caller's buffer: NDIS writes into it, what was in it does not matter.
  if (type === 'buffer') return decoded === 0 ? null : { NumberOfElements: 0, Elements: [] };
  return decoded;
}

/** A plain value of a structure the caller decodes itself (an array element); FAIL sets the error. */
export function fieldValue(
  s: ReplayState,
  e: CallEvent,
  value: unknown,
  type: ValueType,
  path: string,
): unknown {
  const decoded = decodeValue(value, type);
  if (decoded === FAIL) s.error(`${e.ddi}: "${path}" ${failure()}; the call is ignored`);
  return decoded;
}

// ---------------------------------------------------------------------------------------------
// Handle values
// ---------------------------------------------------------------------------------------------

/** Freed handle values remembered per replay (double frees of recent handles are recognised). */
const RETIRED = 1024;
const retiredOf = new WeakMap<ReplayState, Map<number, unknown>>();

function isLive(object: unknown): boolean {
  if (typeof object !== 'object' || object === null) return false;
  if ('live' in object) return (object as { live: unknown }).live === true;
  return 'allocation' in object && isLive((object as { allocation: unknown }).allocation);
}

/**
 * The engine object a family handle value stands for: the live one the trace's call returned, else
 * a recently released one (its double release is then recognised), else the value itself (not a
 * handle NDIS gave out: the DDI reports it). NULL is null.
 */
export function lookup(s: ReplayState, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (value === 0) return null;
  const live = s.objects.get(value);
  if (live !== undefined) return live;
  return retiredOf.get(s)?.get(value) ?? value;
}

/**
 * True (and an error) if `value`, returned by the trace's call, still stands for a live object: the
 * trace contradicts itself and the call is ignored.
 */
export function stillLive(s: ReplayState, e: CallEvent, value: unknown, name: string): boolean {
  if (typeof value !== 'number' || value === 0 || !isLive(s.objects.get(value))) return false;
  s.error(
    `${e.ddi} returned ${name} ${hex64(value)}, which still stands for a live object: the trace contradicts itself; the call is ignored`,
  );
  return true;
}

/** Binds the handle value a call returned to the engine object it stands for. */
export function bind(s: ReplayState, e: CallEvent, value: unknown, object: unknown, name: string): void {
  if (typeof value !== 'number' || value === 0) {
    s.error(`${e.ddi} succeeded but the trace gives no ${name}; later uses of it cannot be matched`);
    return;
  }
  s.objects.set(value, object);
  retiredOf.get(s)?.delete(value);
}

/** Forgets a released handle value, keeping the most recent ones to recognise a second release. */
export function retire(s: ReplayState, value: unknown): void {
  if (typeof value !== 'number') return;
  const object = s.objects.get(value);
  if (object === undefined) return;
  s.objects.delete(value);
  let retired = retiredOf.get(s);
  if (retired === undefined) {
    retired = new Map();
    retiredOf.set(s, retired);
  }
  retired.delete(value);
  retired.set(value, object);
  if (retired.size > RETIRED) retired.delete(retired.keys().next().value as number);
}

/** The live adapter a handle value of the trace stands for, or null. */
export function adapterAt(s: ReplayState, value: number): MiniportAdapter | null {
  const object = s.handle(value);
  return object instanceof MiniportAdapter ? object : null;
}

// ---------------------------------------------------------------------------------------------
// The DMA family
// ---------------------------------------------------------------------------------------------

const SG_DMA_DESCRIPTION: StructSpec = {
  Header: HEADER,
  Flags: 'ulong',
  MaximumPhysicalMapping: 'ulong',
  ProcessSGListHandler: 'handler',
  SharedMemAllocateCompleteHandler: 'handler',
  ScatterGatherListSize: 'ulong',
};

const DMA_DESCRIPTION: StructSpec = {
  DemandMode: 'boolean',
  AutoInitialize: 'boolean',
  DmaChannelSpecified: 'boolean',
  DmaWidth: 'ulong',
  DmaSpeed: 'ulong',
  DmaPort: 'ulong',
  DmaChannel: 'ulong',
};

/** The error values of NdisWriteErrorLogEntry are not part of trace format v1. */
const NO_VALUES: readonly unknown[] = Object.freeze([]);

/** Reused: what the trace says NdisMAllocateSharedMemory returned. */
const sharedResult: AllocateSharedMemoryResult = { VirtualAddress: 0, PhysicalAddress: 0 };

/** A block the trace returns at an address that is still allocated: an error, and the call is ignored. */
function stillAllocated(s: ReplayState, what: string, address: number): boolean {
  if (address === 0 || s.engine.virtual.get(address) === undefined) return false;
  s.error(
    `${what} returned ${hex64(address)}, which is still allocated: the trace contradicts itself; the call is ignored`,
  );
  return true;
}

export const DMA_REPLAY: Readonly<Record<string, ReplayEntry>> = {
  NdisMRegisterScatterGatherDma(s, e) {
    const a = e.args;
    const value = (e.result as Args).NdisMiniportDmaHandle;
    const description = structArg(s, e, 'DmaDescription', SG_DMA_DESCRIPTION);
    if (description === undefined || stillLive(s, e, value, 'NdisMiniportDmaHandle')) return;
    const out = s.engine.dma.registerScatterGatherDma(
      s.handle(a.MiniportAdapterHandle as number),
      description,
      e.status,
    );
    if (out.NdisMiniportDmaHandle !== null)
      bind(s, e, value, out.NdisMiniportDmaHandle, 'NdisMiniportDmaHandle');
  },
  NdisMDeregisterScatterGatherDma(s, e) {
    const value = e.args.NdisMiniportDmaHandle;
    s.engine.dma.deregisterScatterGatherDma(lookup(s, value));
    if (!isLive(s.objects.get(value as number))) retire(s, value);
  },
  NdisMRegisterDmaChannel(s, e) {
    const a = e.args;
    const value = (e.result as Args).MiniportDmaHandle;
    const description = structArg(s, e, 'DmaDescription', DMA_DESCRIPTION);
    if (description === undefined || stillLive(s, e, value, 'MiniportDmaHandle')) return;
    const out = s.engine.dma.registerDmaChannel(
      s.handle(a.MiniportAdapterHandle as number),
      a.DmaChannel,
      a.Dma32BitAddresses,
      description,
      a.MaximumLength,
      e.status,
    );
    if (out.MiniportDmaHandle !== null) bind(s, e, value, out.MiniportDmaHandle, 'MiniportDmaHandle');
  },
  NdisMDeregisterDmaChannel(s, e) {
    const value = e.args.MiniportDmaHandle;
    s.engine.dma.deregisterDmaChannel(lookup(s, value));
    if (!isLive(s.objects.get(value as number))) retire(s, value);
  },
  NdisMAllocateSharedMemory(s, e) {
    const a = e.args;
    const r = e.result as Args;
    // "0/0": a failed allocation; the VirtualAddress decides.
    const va = r.VirtualAddress as number;
    if (stillAllocated(s, e.ddi, va)) return;
    const handle = s.handle(a.MiniportAdapterHandle as number);
    if (va !== 0 && !(handle instanceof MiniportAdapter)) {
      s.error(
        `NdisMAllocateSharedMemory returned ${hex64(va)} for a MiniportAdapterHandle that is not an adapter the trace introduced; the block is not tracked`,
      );
    }
    sharedResult.VirtualAddress = va;
    sharedResult.PhysicalAddress = va === 0 ? 0 : (r.PhysicalAddress as number);
    s.engine.dma.shared.allocate(handle, a.Length, a.Cached, sharedResult);
  },
  NdisMAllocateSharedMemoryAsyncEx(s, e) {
    const a = e.args;
    s.engine.dma.shared.allocateAsync(
      lookup(s, a.MiniportDmaHandle),
      a.Length,
      a.Cached,
      a.Context,
      e.status,
    );
  },
  NdisMFreeSharedMemory(s, e) {
    const a = e.args;
    s.engine.dma.shared.free(
      s.handle(a.MiniportAdapterHandle as number),
      a.Length,
      a.Cached,
      a.VirtualAddress,
      a.PhysicalAddress,
    );
  },
  NdisWriteErrorLogEntry(s, e) {
    const a = e.args;
    s.engine.dma.writeErrorLogEntry(
      s.handle(a.NdisAdapterHandle as number),
      a.ErrorCode,
      a.NumberOfErrorValues,
      NO_VALUES,
      true,
    );
  },
};

/** MiniportSharedMemoryAllocateComplete entered: the asynchronous allocation it completes is delivered. */
function completeAsync(s: ReplayState, e: EnterEvent): void {
  const adapter = adapterAt(s, e.adapter);
  const args = (e.args ?? {}) as Args;
  const va = args.VirtualAddress;
  if (adapter === null || typeof va !== 'number') {
    s.error(
      'MiniportSharedMemoryAllocateComplete needs "adapter" and "args.VirtualAddress" to deliver the allocation it completes; not replayed',
    );
    return;
  }
  if (stillAllocated(s, 'MiniportSharedMemoryAllocateComplete', va)) return;
  const physical = typeof args.PhysicalAddress === 'number' && va !== 0 ? args.PhysicalAddress : 0;
  if (!s.engine.dma.shared.replayCompletion(adapter, va, physical, args.Length, args.Context)) {
    s.error(
      `MiniportSharedMemoryAllocateComplete of ${adapter.name} completes no pending NdisMAllocateSharedMemoryAsyncEx; ${va === 0 ? 'nothing was delivered' : 'the block is taken as delivered'}`,
    );
  }
}

export const DMA_HOOKS: Readonly<Record<string, CallbackHooks>> = {
  MiniportSharedMemoryAllocateComplete: { enter: completeAsync },
};
