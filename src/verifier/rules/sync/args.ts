/** Report values shared by the spin-lock, work-item and timer rules (cold path only). */
import type { NdisObject } from '../../../engine/objects.js';
import { HeldBy, type SpinLockState } from '../../../engine/sync-spinlock.js';
import type { NdisTimerObject } from '../../../engine/sync-timer-object.js';
import { formatAddress } from '../../../machine/address.js';
import { TICKS_PER_MS } from '../../../machine/scheduler.js';
import type { LifecycleEdgeEvent } from '../../events.js';
import { describeHandle, describeTag, describeValue, hex } from '../../format.js';

/** A raw argument as a report shows it: functions by name, handles by name, numbers as passed. */
export function describeArg(value: unknown): unknown {
  if (typeof value === 'function') return `function ${value.name === '' ? '(anonymous)' : value.name}`;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return describeValue(value);
  return describeHandle(value);
}

/** The engine's name for a spin lock ("spin lock #3", with its address when a trace gave one). */
export function lockName(lock: SpinLockState): string {
  const key = lock.lock;
  return typeof key === 'number' || typeof key === 'bigint'
    ? `spin lock #${lock.id} at ${formatAddress(key)}`
    : `spin lock #${lock.id}`;
}

/** A spin lock argument: the engine's name for the storage, or the raw value. */
export function describeLock(value: unknown, lock: SpinLockState | null): string {
  return lock === null ? String(describeArg(value)) : lockName(lock);
}

/** Which acquire holds the lock, and in which callback. */
export function holder(lock: SpinLockState): string {
  const how = lock.held === HeldBy.DprAcquire ? 'NdisDprAcquireSpinLock' : 'NdisAcquireSpinLock';
  const where = lock.holderFrame?.callback;
  return where === undefined ? how : `${how} in ${where}`;
}

/** An NDIS_TIMER_CHARACTERISTICS argument as one line (whatever the driver passed). */
export function describeCharacteristics(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(describeArg(value));
  const tc = value as Record<string, unknown>;
  const h = tc.Header;
  const header =
    typeof h === 'object' && h !== null
      ? `{ Type: ${num((h as Record<string, unknown>).Type)}, Revision: ${num((h as Record<string, unknown>).Revision)}, Size: ${describeValue((h as Record<string, unknown>).Size)} }`
      : describeValue(h);
  return `{ Header: ${header}, AllocationTag: ${describeTag(tc.AllocationTag)}, TimerFunction: ${String(describeArg(tc.TimerFunction))}, FunctionContext: ${String(describeArg(tc.FunctionContext))} }`;
}

function num(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? hex(value) : describeValue(value);
}

/** A set timer's expiry, for leak and cancel reports. */
export function describeExpiry(timer: NdisTimerObject): string {
  const due = `due at ${timer.due / TICKS_PER_MS} ms`;
  return timer.period > 0 ? `${due}, periodic every ${timer.period / TICKS_PER_MS} ms` : due;
}

/** The owners whose resources a lifecycle edge checks: the adapter, or the driver and its adapters. */
export function edgeOwners(e: LifecycleEdgeEvent): NdisObject[] {
  return e.adapter ? [e.adapter] : [e.driver, ...e.driver.adapters];
}

/** When the edge happened, as a report says it. */
export const EDGE_WHEN: Record<LifecycleEdgeEvent['edge'], string> = {
  initializeFailed: 'MiniportInitializeEx returned a failure',
  haltReturned: 'MiniportHaltEx returned',
  driverUnload: 'the driver unloaded',
};
