/** Shared set-up for the spin-lock, work-item and timer tests. */
import { TICKS_PER_MS } from '../../src/machine/scheduler.js';
import {
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_TIMER_CHARACTERISTICS,
  NDIS_TIMER_CHARACTERISTICS_REVISION_1,
  type NDIS_TIMER_FUNCTION,
  type NDIS_TIMER_OBJECT_HANDLE,
  NdisAllocateTimerObject,
} from '../../src/ndis/sync.js';
import type { Sim } from '../harness.js';

/** 'Tmr1' in memory. */
export const TIMER_TAG = 0x31726d54;
export const TIMER_TAG_TEXT = "'Tmr1' (0x31726d54)";

/** 100-ns ticks in `ms` milliseconds; DueTime for a relative expiry `ms` from now. */
export const ms = (n: number): number => n * TICKS_PER_MS;
export const relative = (n: number): number => -ms(n);

/** A well-formed NDIS_TIMER_CHARACTERISTICS. */
export function characteristics(
  TimerFunction: NDIS_TIMER_FUNCTION = () => {},
  FunctionContext: unknown = null,
): NDIS_TIMER_CHARACTERISTICS {
  return {
    Header: {
      Type: NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
      Revision: NDIS_TIMER_CHARACTERISTICS_REVISION_1,
      Size: NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
    },
    AllocationTag: TIMER_TAG,
    TimerFunction,
    FunctionContext,
  };
}

/** Allocates a timer for the harness adapter at PASSIVE_LEVEL (fails the test if it cannot). */
export function timer(s: Sim, fn?: NDIS_TIMER_FUNCTION, context?: unknown): NDIS_TIMER_OBJECT_HANDLE {
  const { Status, TimerObject } = s.at(0, () =>
    NdisAllocateTimerObject(s.adapter, characteristics(fn, context)),
  );
  if (Status !== 0 || TimerObject === null)
    throw new Error(`NdisAllocateTimerObject failed: 0x${Status.toString(16)}`);
  return TimerObject;
}

/** Runs `fn` as MiniportInitializeEx of the harness adapter (through engine.invoke, at PASSIVE_LEVEL). */
export function inInitialize<T>(s: Sim, fn: () => T): T {
  return s.engine.invoke('MiniportInitializeEx', s.driver, s.adapter, 0, fn);
}
