/**
 * Spin locks, NDIS I/O work items and NDIS timer objects (ndis.h names and parameter order), with
 * the structures, callback types and constants they use.
 */
import type { NdisTimerObject } from '../engine/sync-timer-object.js';
import type { NdisIoWorkItem } from '../engine/sync-workitem.js';
import { active } from './active.js';
import type { BOOLEAN, NDIS_HANDLE, NDIS_OBJECT_HEADER, NDIS_STATUS, PVOID, ULONG } from './types.js';

// ---------------------------------------------------------------------------------------------
// Types and constants
// ---------------------------------------------------------------------------------------------

declare const NDIS_SPIN_LOCK_STORAGE: unique symbol;

/**
 * NDIS_SPIN_LOCK: storage the driver provides for a spin lock; any object, e.g.
 * `const lock: NDIS_SPIN_LOCK = {}`. Initialize it with NdisAllocateSpinLock before use.
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocatespinlock
 */
export interface NDIS_SPIN_LOCK {
  readonly [NDIS_SPIN_LOCK_STORAGE]?: never;
}

/** LARGE_INTEGER: a signed 64-bit integer (a safe-integer number or a bigint). */
export type LARGE_INTEGER = number | bigint;
/** LONG: a signed 32-bit integer. */
export type LONG = number;

/** An NDIS I/O work item handle (NdisIoWorkItemHandle). */
export type NDIS_IO_WORKITEM_HANDLE = NdisIoWorkItem;
/** An NDIS timer object handle (TimerObject). */
export type NDIS_TIMER_OBJECT_HANDLE = NdisTimerObject;

/**
 * NDIS_IO_WORKITEM_FUNCTION: the routine NdisQueueIoWorkItem queues; runs at PASSIVE_LEVEL.
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisqueueioworkitem
 */
export type NDIS_IO_WORKITEM_FUNCTION = (WorkItemContext: unknown, NdisIoWorkItemHandle: NDIS_HANDLE) => void;
/** NDIS_IO_WORKITEM_ROUTINE: pointer type of NDIS_IO_WORKITEM_FUNCTION. */
export type NDIS_IO_WORKITEM_ROUTINE = NDIS_IO_WORKITEM_FUNCTION;

/**
 * NDIS_TIMER_FUNCTION (NdisTimerFunction): runs at DISPATCH_LEVEL when a timer fires.
 * SystemSpecific1..3 are reserved for the system (NULL here).
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nc-ndis-ndis_timer_function
 */
export type NDIS_TIMER_FUNCTION = (
  SystemSpecific1: PVOID,
  FunctionContext: unknown,
  SystemSpecific2: PVOID,
  SystemSpecific3: PVOID,
) => void;

/**
 * NDIS_TIMER_CHARACTERISTICS.
 * https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/ns-ndis-_ndis_timer_characteristics
 */
export interface NDIS_TIMER_CHARACTERISTICS {
  /** Type NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS, Revision 1, Size NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1. */
  Header: NDIS_OBJECT_HEADER;
  /** Pool tag for the timer's memory; must be provided. */
  AllocationTag: ULONG;
  TimerFunction: NDIS_TIMER_FUNCTION;
  /** Default context for the timer function (used when NdisSetTimerObject passes NULL). */
  FunctionContext: unknown;
}

/** NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS (objectheader.h). */
export const NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS = 0x97;
export const NDIS_TIMER_CHARACTERISTICS_REVISION_1 = 1;
/** RTL_SIZEOF_THROUGH_FIELD(NDIS_TIMER_CHARACTERISTICS, FunctionContext) on x64. */
export const NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1 = 24;

// ---------------------------------------------------------------------------------------------
// Spin locks
// ---------------------------------------------------------------------------------------------

/**
 * Initializes driver-provided NDIS_SPIN_LOCK storage.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocatespinlock
 */
export function NdisAllocateSpinLock(SpinLock: NDIS_SPIN_LOCK): void {
  active().sync.locks.allocate(SpinLock);
}

/**
 * Deinitializes a spin lock initialized by NdisAllocateSpinLock.
 * IRQL: any (usually called when the driver unloads).
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreespinlock
 */
export function NdisFreeSpinLock(SpinLock: NDIS_SPIN_LOCK): void {
  active().sync.locks.free(SpinLock);
}

/**
 * Acquires a spin lock, raising IRQL to DISPATCH_LEVEL and saving the old IRQL in the lock.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisacquirespinlock
 */
export function NdisAcquireSpinLock(SpinLock: NDIS_SPIN_LOCK): void {
  active().sync.locks.acquire('NdisAcquireSpinLock', SpinLock, false);
}

/**
 * Releases a spin lock acquired by NdisAcquireSpinLock, restoring the IRQL saved in the lock.
 * IRQL = DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisreleasespinlock
 */
export function NdisReleaseSpinLock(SpinLock: NDIS_SPIN_LOCK): void {
  active().sync.locks.release('NdisReleaseSpinLock', SpinLock, false);
}

/**
 * Acquires a spin lock when the caller already runs at DISPATCH_LEVEL (IRQL unchanged).
 * IRQL = DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisdpracquirespinlock
 */
export function NdisDprAcquireSpinLock(SpinLock: NDIS_SPIN_LOCK): void {
  active().sync.locks.acquire('NdisDprAcquireSpinLock', SpinLock, true);
}

/**
 * Releases a spin lock acquired by NdisDprAcquireSpinLock (IRQL unchanged).
 * IRQL = DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisdprreleasespinlock
 */
export function NdisDprReleaseSpinLock(SpinLock: NDIS_SPIN_LOCK): void {
  active().sync.locks.release('NdisDprReleaseSpinLock', SpinLock, true);
}

// ---------------------------------------------------------------------------------------------
// I/O work items
// ---------------------------------------------------------------------------------------------

/**
 * Allocates a work item for an adapter or driver handle; returns its handle, or NULL.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocateioworkitem
 */
export function NdisAllocateIoWorkItem(NdisObjectHandle: NDIS_HANDLE): NDIS_IO_WORKITEM_HANDLE | null {
  return active().sync.workItems.allocate(NdisObjectHandle);
}

/**
 * Queues a work item: Routine(WorkItemContext, NdisIoWorkItemHandle) runs later at PASSIVE_LEVEL.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisqueueioworkitem
 */
export function NdisQueueIoWorkItem(
  NdisIoWorkItemHandle: NDIS_HANDLE,
  Routine: NDIS_IO_WORKITEM_ROUTINE,
  WorkItemContext: unknown,
): void {
  active().sync.workItems.queue(NdisIoWorkItemHandle, Routine, WorkItemContext);
}

/**
 * Frees a work item (it may be called from the item's own routine).
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreeioworkitem
 */
export function NdisFreeIoWorkItem(NdisIoWorkItemHandle: NDIS_HANDLE): void {
  active().sync.workItems.free(NdisIoWorkItemHandle);
}

// ---------------------------------------------------------------------------------------------
// Timer objects
// ---------------------------------------------------------------------------------------------

/**
 * Allocates a timer object; returns `{ Status, TimerObject }` (SUCCESS, RESOURCES,
 * BAD_CHARACTERISTICS or FAILURE; TimerObject is NULL unless SUCCESS).
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisallocatetimerobject
 */
export function NdisAllocateTimerObject(
  NdisHandle: NDIS_HANDLE,
  TimerCharacteristics: NDIS_TIMER_CHARACTERISTICS,
): { Status: NDIS_STATUS; TimerObject: NDIS_TIMER_OBJECT_HANDLE | null } {
  return active().sync.timers.allocate(NdisHandle, TimerCharacteristics);
}

/**
 * Sets a timer to fire at DueTime (100-ns units: negative relative, otherwise absolute) and then
 * every MillisecondsPeriod ms if nonzero; returns TRUE if the timer was already in the timer queue.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndissettimerobject
 */
export function NdisSetTimerObject(
  TimerObject: NDIS_HANDLE,
  DueTime: LARGE_INTEGER,
  MillisecondsPeriod?: LONG,
  FunctionContext?: unknown,
): BOOLEAN {
  return active().sync.timers.set(TimerObject, DueTime, MillisecondsPeriod, FunctionContext);
}

/**
 * Cancels a set timer; returns TRUE if it was in the timer queue.
 * IRQL = PASSIVE_LEVEL for a periodic timer, otherwise <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndiscanceltimerobject
 */
export function NdisCancelTimerObject(TimerObject: NDIS_HANDLE): BOOLEAN {
  return active().sync.timers.cancel(TimerObject);
}

/**
 * Frees a timer object allocated by NdisAllocateTimerObject.
 * IRQL <= DISPATCH_LEVEL.
 * @see https://learn.microsoft.com/en-us/windows-hardware/drivers/ddi/ndis/nf-ndis-ndisfreetimerobject
 */
export function NdisFreeTimerObject(TimerObject: NDIS_HANDLE): void {
  active().sync.timers.free(TimerObject);
}
