/**
 * Check points of the spin-lock, I/O work-item and timer-object DDIs. The engine decides each
 * call's outcome, fills the reused event and dispatches it; rules report the outcomes they own.
 */
import type { NdisObject } from '../../engine/objects.js';
import type { SpinLockState } from '../../engine/sync-spinlock.js';
import type { NdisTimerObject } from '../../engine/sync-timer-object.js';
import type { NdisIoWorkItem } from '../../engine/sync-workitem.js';
import type { SiteCapture } from '../site.js';

/** What a spin-lock call found (one outcome per call, in this order of precedence). */
export const SpinLockOutcome = {
  Ok: 0,
  /** The object was never initialized by NdisAllocateSpinLock (SpinLock_NotAllocated). */
  NotAllocated: 1,
  /** NdisFreeSpinLock already deinitialized it (SpinLock_NotAllocated). */
  Freed: 2,
  /** Acquire of a lock that is held: a deadlock on real hardware (SpinLock / SpinLockDpr). */
  AlreadyHeld: 3,
  /** Release of a lock nobody holds (SpinLockRelease). */
  NotHeld: 4,
  /** Released with the other variant than it was acquired with (SpinLock_MismatchedRelease). */
  Mismatch: 5,
  /** NdisFreeSpinLock, or a second NdisAllocateSpinLock, of a held lock (SpinLock_FreeHeld). */
  FreeHeld: 6,
} as const;
export type SpinLockOutcome = (typeof SpinLockOutcome)[keyof typeof SpinLockOutcome];

/** Any of the six spin-lock DDIs, after the lock was classified and before the effect. */
export interface SpinLockEvent {
  ddi: string;
  irql: number;
  /** The raw SpinLock argument. */
  SpinLock: unknown;
  /** The engine's record of that storage (null if it never saw it). */
  lock: SpinLockState | null;
  outcome: SpinLockOutcome;
}

/** What a work-item call found. */
export const IoWorkItemOutcome = {
  Ok: 0,
  /** NdisQueueIoWorkItem of an item that is still queued (bug check 0xE4 / 0x1). */
  AlreadyQueued: 1,
  /** NdisFreeIoWorkItem of an item that is still queued (bug check 0xE4 / 0x2). */
  FreeQueued: 2,
} as const;
export type IoWorkItemOutcome = (typeof IoWorkItemOutcome)[keyof typeof IoWorkItemOutcome];

/** NdisQueueIoWorkItem / NdisFreeIoWorkItem on a live work item, before the effect. */
export interface IoWorkItemEvent {
  ddi: string;
  irql: number;
  item: NdisIoWorkItem;
  /** NdisQueueIoWorkItem's Routine and WorkItemContext (undefined for the free). */
  Routine: unknown;
  WorkItemContext: unknown;
  outcome: IoWorkItemOutcome;
}

/** What a timer call found. */
export const TimerOutcome = {
  Ok: 0,
  /** NdisFreeTimerObject of a timer that is still in the timer queue (bug check 0xC4 / 0x15). */
  FreeSet: 1,
} as const;
export type TimerOutcome = (typeof TimerOutcome)[keyof typeof TimerOutcome];

/** NdisSetTimerObject / NdisCancelTimerObject / NdisFreeTimerObject on a live timer, before the effect. */
export interface TimerObjectEvent {
  ddi: string;
  irql: number;
  timer: NdisTimerObject;
  /** NdisSetTimerObject's arguments (undefined for cancel and free). */
  DueTime: unknown;
  MillisecondsPeriod: unknown;
  FunctionContext: unknown;
  outcome: TimerOutcome;
}

/** NdisAllocateTimerObject with an NDIS_TIMER_CHARACTERISTICS that is not as documented. */
export interface TimerCharacteristicsEvent {
  ddi: 'NdisAllocateTimerObject';
  irql: number;
  NdisHandle: unknown;
  TimerCharacteristics: unknown;
  owner: NdisObject | null;
  /** What is wrong, as a fixed sentence fragment. */
  problem: string;
  /** The problem is in the NDIS_OBJECT_HEADER (bug check 0x7C / 0x21 names those). */
  header: boolean;
  /** The call fails with NDIS_STATUS_BAD_CHARACTERISTICS (false: it still succeeds). */
  fails: boolean;
}

/**
 * A handle that is not a live one NDIS handed out (kind 'handle', reported by Ndis_InvalidHandle)
 * or an argument that is not of its C type (kind 'argument', reported by Ddi_InvalidArgument).
 */
export interface SyncMisuseEvent {
  ddi: string;
  irql: number;
  kind: 'handle' | 'argument';
  /** The offending parameter's documented name and its raw value. */
  parameter: string;
  value: unknown;
  /** What the value should have been ("a work item from NdisAllocateIoWorkItem", "a function"). */
  expected: string;
  /** The object it names was freed (a stale handle), with its allocation site. */
  stale: boolean;
  site: SiteCapture | null;
  /** What the call does instead ("returns NULL", "does nothing"). */
  outcome: string;
  owner: NdisObject | null;
  /** The DDI's parameter names and raw arguments, in documented order. */
  params: readonly string[];
  a0: unknown;
  a1: unknown;
  a2: unknown;
  a3: unknown;
}

export interface SyncEvents {
  spinLock: SpinLockEvent;
  ioWorkItem: IoWorkItemEvent;
  timerObject: TimerObjectEvent;
  timerCharacteristics: TimerCharacteristicsEvent;
  syncMisuse: SyncMisuseEvent;
}

export const SYNC_EVENT_NAMES: readonly (keyof SyncEvents)[] = [
  'spinLock',
  'ioWorkItem',
  'timerObject',
  'timerCharacteristics',
  'syncMisuse',
];
