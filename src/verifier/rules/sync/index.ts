/** The sync family's rules (spin locks, I/O work items, timer objects), in catalogue order. */
import type { RuleDef } from '../../rule.js';
import { CancelTimerObject, NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER } from './cancel-timer.js';
import { NdisFreeIoWorkItem_Queued, NdisQueueIoWorkItem_AlreadyQueued } from './io-work-item.js';
import { Init_NdisAllocateIoWorkItem, Leak_IoWorkItem } from './leak-io-work-item.js';
import { Leak_SpinLock } from './leak-spin-lock.js';
import { Leak_TimerObject } from './leak-timer-object.js';
import { PeriodicTimer } from './periodic-timer.js';
import { SpinLock, SpinLockDpr } from './spin-lock.js';
import { SpinLock_MismatchedRelease, SpinLockRelease } from './spin-lock-release.js';
import { SpinLock_FreeHeld, SpinLock_NotAllocated } from './spin-lock-storage.js';
import { NdisAllocateTimerObject_Characteristics } from './timer-characteristics.js';
import { NdisFreeTimerObject_TimerSet } from './timer-free.js';

export const SYNC_RULES: readonly RuleDef[] = [
  // Spin locks
  SpinLock,
  SpinLockDpr,
  SpinLockRelease,
  SpinLock_MismatchedRelease,
  SpinLock_NotAllocated,
  SpinLock_FreeHeld,
  Leak_SpinLock,
  // I/O work items
  NdisQueueIoWorkItem_AlreadyQueued,
  NdisFreeIoWorkItem_Queued,
  Init_NdisAllocateIoWorkItem,
  Leak_IoWorkItem,
  // Timer objects
  NdisAllocateTimerObject_Characteristics,
  PeriodicTimer,
  CancelTimerObject,
  NDIS_BUGCHECK_INIT_FAILED_WITHOUT_CANCEL_TIMER,
  NdisFreeTimerObject_TimerSet,
  Leak_TimerObject,
];
