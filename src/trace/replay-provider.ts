/**
 * Replay of the provider family (SPEC §6): NdisSetOptionalHandlers, NdisAllocateSharedMemory and
 * NdisFreeSharedMemory (see REPLAY in replay.ts). No provider code runs: what a traced provider's
 * NetAllocateSharedMemory returned comes from its exit in the trace, which precedes the
 * NdisAllocateSharedMemory line (calls are logged when they return) and is checked with that call.
 */
import type { ReplayedSharedMemory } from '../engine/provider.js';
import { ProviderSharedMemory } from '../engine/provider-objects.js';
import type { CallEvent } from './events.js';
import type { CallbackHooks, ReplayEntry, ReplayState } from './replay.js';
import {
  bind,
  fieldValue,
  HEADER,
  lookup,
  retire,
  type StructSpec,
  stillLive,
  structArg,
} from './replay-dma.js';

type Args = Record<string, unknown>;

const PROVIDER_CHARACTERISTICS: StructSpec = {
  Header: HEADER,
  Flags: 'ulong',
  ProviderContext: 'pointer',
  AllocateSharedMemoryHandler: 'handler',
  FreeSharedMemoryHandler: 'handler',
};

const SHARED_MEMORY_PARAMETERS: StructSpec = {
  Header: HEADER,
  Flags: 'ulong',
  QueueId: 'ulong',
  SharedMemoryHandle: 'handle',
  PreferredNode: 'ulong',
  Usage: 'ulong',
  Length: 'ulong',
  VirtualAddress: 'pointer',
  SGListBufferLength: 'ulong',
  SGListBuffer: 'buffer',
  VPortId: 'ulong',
};

/** What the last NetAllocateSharedMemory exit of each replay returned, until the call that made it. */
const providerResults = new WeakMap<ReplayState, ReplayedSharedMemory['providerResult']>();
/** The SharedMemoryHandle value bound for each block (released with it). */
const sharedHandleValues = new WeakMap<ProviderSharedMemory, number>();

/** Reused: the trace's outcome of NdisAllocateSharedMemory. */
const replayed: ReplayedSharedMemory = {
  Status: 0,
  VirtualAddress: 0,
  SGListBuffer: undefined,
  providerResult: null,
};

/** result.SGListBuffer in the engine's form, undefined if the trace has none, FAIL-like null on error. */
function listOf(s: ReplayState, e: CallEvent, raw: unknown): unknown {
  if (raw === undefined || raw === 0 || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const list = raw as Args;
  const count = fieldValue(s, e, list.NumberOfElements, 'ulong', 'result.SGListBuffer.NumberOfElements');
  if (typeof count !== 'number') return null;
  const elements: Args[] = [];
  const written = Array.isArray(list.Elements) ? list.Elements : [];
  for (let i = 0; i < written.length; i++) {
    const element = written[i] as Args | null;
    const path = `result.SGListBuffer.Elements[${i}]`;
    const address = fieldValue(s, e, element?.Address ?? 0, 'physical', `${path}.Address`);
    const length = fieldValue(s, e, element?.Length, 'ulong', `${path}.Length`);
    if (typeof address !== 'number' || typeof length !== 'number') return null;
    elements.push({ Address: address, Length: length, Reserved: 0 });
  }
  return { NumberOfElements: count, Elements: elements };
}

export const PROVIDER_REPLAY: Readonly<Record<string, ReplayEntry>> = {
  NdisSetOptionalHandlers(s, e) {
    const handlers = structArg(s, e, 'OptionalHandlers', PROVIDER_CHARACTERISTICS);
    if (handlers === undefined) return;
    s.engine.provider.setOptionalHandlers(s.handle(e.args.NdisHandle as number), handlers, e.status);
  },
  NdisAllocateSharedMemory(s, e) {
    const r = e.result as Args;
    const provider = providerResults.get(s) ?? null;
    providerResults.delete(s);
    const parameters = structArg(s, e, 'SharedMemoryParameters', SHARED_MEMORY_PARAMETERS);
    if (parameters === undefined || stillLive(s, e, r.AllocationHandle, 'AllocationHandle')) return;
    const list = listOf(s, e, r.SGListBuffer);
    if (list === null) return;
    replayed.Status = e.status as number;
    replayed.VirtualAddress = r.VirtualAddress;
    replayed.SGListBuffer = list;
    replayed.providerResult = provider;
    const out = s.engine.provider.allocateSharedMemory(
      s.handle(e.args.NdisHandle as number),
      parameters,
      replayed,
    );
    replayed.SGListBuffer = undefined;
    replayed.providerResult = null;
    const block = out.AllocationHandle;
    if (!(block instanceof ProviderSharedMemory)) return;
    bind(s, e, r.AllocationHandle, block, 'AllocationHandle');
    const shared = r.SharedMemoryHandle;
    // Provider memory has a SharedMemoryHandle of its own; HAL memory's is NULL.
    if (block.sharedMemoryHandle !== null && typeof shared === 'number' && shared !== 0) {
      if (stillLive(s, e, shared, 'SharedMemoryHandle')) return;
      s.objects.set(shared, block.sharedMemoryHandle);
      sharedHandleValues.set(block, shared);
    }
  },
  NdisFreeSharedMemory(s, e) {
    const value = e.args.AllocationHandle;
    const block = lookup(s, value);
    s.engine.provider.freeSharedMemory(s.handle(e.args.NdisHandle as number), block, true);
    if (block instanceof ProviderSharedMemory && !block.live && s.objects.get(value as number) === block) {
      retire(s, value);
      retire(s, sharedHandleValues.get(block));
    }
  },
};

export const PROVIDER_HOOKS: Readonly<Record<string, CallbackHooks>> = {
  NetAllocateSharedMemory: {
    enter(s) {
      providerResults.delete(s);
    },
    exit(s, e) {
      if (e.status === undefined) return;
      providerResults.set(s, {
        Status: e.status,
        SharedMemoryProviderContext: e.result?.SharedMemoryProviderContext ?? null,
      });
    },
  },
};
