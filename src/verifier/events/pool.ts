/**
 * General-memory check points. At each one the engine fills a reused event object (no allocation on
 * the hot path) and calls the observers of the active rules. Fields named like DDI parameters hold
 * the raw arguments as passed, so rules can see malformed input too.
 */
import type { NdisObject } from '../../engine/objects.js';
import type { PoolBlock } from '../../engine/pool.js';

/** Outcome of a look-up of a freed address. */
export const FreeOutcome = {
  /** The base of a live allocation of the right kind: freed. */
  Ok: 0,
  /** Inside a live allocation but not its base: nothing freed. */
  Interior: 1,
  /** Memory that was already freed: nothing freed. */
  Double: 2,
  /** Never allocated (or not memory of this kind): nothing freed. */
  Unknown: 3,
} as const;
export type FreeOutcome = (typeof FreeOutcome)[keyof typeof FreeOutcome];

/** NdisAllocateMemoryWithTagPriority, before the allocation is made. */
export interface PoolAllocateEvent {
  ddi: string;
  irql: number;
  NdisHandle: unknown;
  Length: unknown;
  Tag: unknown;
  Priority: unknown;
  /** The handle resolved to an NDIS object of this engine, or null if it is not one. */
  owner: NdisObject | null;
}

/** NdisFreeMemory / NdisFreeMemoryWithTagPriority / NdisFreeMemoryWithTag, before the free. */
export interface PoolFreeEvent {
  ddi: string;
  irql: number;
  NdisHandle: unknown;
  VirtualAddress: unknown;
  Length: unknown;
  MemoryFlags: unknown;
  Tag: unknown;
  /** Whether this DDI takes a Tag / an NdisHandle. */
  hasTag: boolean;
  hasHandle: boolean;
  /** For a DDI with an NdisHandle: the NDIS object it resolved to, or null if it is not a live handle. */
  handleOwner: NdisObject | null;
  /** The block concerned: the live one, the one containing an interior address, or the freed one. */
  block: PoolBlock | null;
  outcome: FreeOutcome;
}

/** A driver read or write of simulated memory that did not hit live, mapped bytes. */
export interface MemoryAccessEvent {
  ddi: string;
  irql: number;
  address: number;
  size: number;
  write: boolean;
  /** The region concerned (freed or overrun), or null if the address was never mapped. */
  region: { readonly base: number; readonly length: number; readonly site?: unknown } | null;
  outcome: 'freed' | 'overrun' | 'unmapped';
}

/** The general-memory check points. */
export interface PoolEvents {
  poolAllocate: PoolAllocateEvent;
  poolFree: PoolFreeEvent;
  memoryAccess: MemoryAccessEvent;
}

export const POOL_EVENT_NAMES: readonly (keyof PoolEvents)[] = ['poolAllocate', 'poolFree', 'memoryAccess'];
