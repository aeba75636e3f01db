/**
 * Low resources. Two things make a resource-allocating call fail: the simulated pool's own pressure
 * model (LowPoolPriority fails first, HighPoolPriority only when the pool is exhausted, SPEC §3.5),
 * and the fault hook — the single injection mechanism that random and systematic low-resources
 * simulation are built on. The hook is asked once per resource-allocating call, deterministically.
 */
import type { NdisObject } from './objects.js';

/** One resource-allocating call, as the fault hook sees it (a reused object: copy what you keep). */
export interface AllocationRequest {
  /** The DDI making the allocation. */
  ddi: string;
  /** 1-based count of resource-allocating calls in this run (for fail-the-nth plans). */
  ordinal: number;
  /** Bytes requested (0 when the resource has no size). */
  length: number;
  /** Pool tag, or 0 when the DDI takes none. */
  tag: number;
  /** EX_POOL_PRIORITY, or -1 when the DDI takes none. */
  priority: number;
  /** The NDIS object the resource is charged to. */
  owner: NdisObject | null;
}

/** Decides whether a resource-allocating call fails (true) by injection. */
export type FaultHook = (request: AllocationRequest) => boolean;

/** Pool sizes and the share of it each priority may not eat into. */
export interface PoolModel {
  /** Nonpaged pool capacity in bytes. */
  readonly capacity: number;
  /** LowPoolPriority fails when the allocation would leave less than this fraction free. */
  readonly lowReserve: number;
  /** NormalPoolPriority fails when it would leave less than this fraction free. */
  readonly normalReserve: number;
}

/** Default pool: 256 MiB; Low keeps a quarter in reserve, Normal a thirty-second, High nothing. */
export const DEFAULT_POOL: PoolModel = Object.freeze({
  capacity: 256 * 1024 * 1024,
  lowReserve: 1 / 4,
  normalReserve: 1 / 32,
});

/** The nine EX_POOL_PRIORITY values, as a table indexed by value (1 = valid). */
export const VALID_POOL_PRIORITY = new Uint8Array(64);
for (const p of [0, 8, 9, 16, 24, 25, 32, 40, 41]) VALID_POOL_PRIORITY[p] = 1;

/**
 * Priority band of an EX_POOL_PRIORITY value: 0 Low, 1 Normal, 2 High (special-pool variants fold
 * in); a value that is not an EX_POOL_PRIORITY allocates as Low (docs/decisions.md).
 */
export function priorityBand(priority: number): 0 | 1 | 2 {
  if (!(priority >= 0 && priority < 64 && VALID_POOL_PRIORITY[priority] === 1)) return 0;
  return priority < 16 ? 0 : priority < 32 ? 1 : 2;
}

/** True if the pool cannot satisfy `length` more bytes at this priority. */
export function poolPressureFails(model: PoolModel, used: number, length: number, priority: number): boolean {
  const after = model.capacity - used - length;
  if (after < 0) return true;
  const band = priorityBand(priority);
  if (band === 2) return false;
  return after < model.capacity * (band === 0 ? model.lowReserve : model.normalReserve);
}

/** Fails every call whose ordinal is listed (a fail-the-nth plan). */
export function failOrdinals(ordinals: Iterable<number>): FaultHook {
  const set = new Set(ordinals);
  return (request) => set.has(request.ordinal);
}
