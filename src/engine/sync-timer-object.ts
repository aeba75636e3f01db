/** The NDIS timer object (the TimerObject handle) and the reading of NDIS_TIMER_CHARACTERISTICS. */
import {
  NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS,
  NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1,
  NDIS_TIMER_CHARACTERISTICS_REVISION_1,
} from '../ndis/sync.js';
import type { SiteCapture } from '../verifier/site.js';
import type { MiniportAdapter, MiniportDriver, NdisObject } from './objects.js';
import { isUlong } from './pool.js';
import { callbackParties } from './sync-owner.js';

export type TimerFunction = (
  SystemSpecific1: number,
  FunctionContext: unknown,
  SystemSpecific2: number,
  SystemSpecific3: number,
) => void;

/** An NDIS timer object: the TimerObject handle the driver holds. */
export class NdisTimerObject {
  /** The scheduler's id while the timer is in the timer queue, else 0. */
  queued = 0;
  /** Absolute due time of the pending (or last) expiry, in ticks. */
  due = 0;
  /** MillisecondsPeriod of the last NdisSetTimerObject in ticks (0: one-shot). */
  period = 0;
  /** The context the next expiry passes (NdisSetTimerObject's, or the default). */
  context: unknown;
  freed = false;
  readonly driver: MiniportDriver | null;
  readonly adapter: MiniportAdapter | null;
  /** Fires the timer when the scheduler reaches it (one closure per timer). */
  readonly fire: () => void;
  constructor(
    /** The engine that allocated it (a timer of another run is foreign). */
    readonly engine: object,
    /** Serial number of the timer in its run (names it in reports). */
    readonly serial: number,
    /** The NDIS object NdisHandle named. */
    readonly owner: NdisObject,
    readonly AllocationTag: number,
    readonly TimerFunction: TimerFunction,
    /** NDIS_TIMER_CHARACTERISTICS.FunctionContext: the default context. */
    readonly defaultContext: unknown,
    readonly ordinal: number,
    readonly site: SiteCapture | null,
    fire: (timer: NdisTimerObject) => void,
  ) {
    this.context = defaultContext;
    [this.driver, this.adapter] = callbackParties(owner);
    this.fire = () => fire(this);
  }

  /** The timer's name in reports (built when a report asks, not at every allocation). */
  get name(): string {
    return `TimerObject#${this.serial}`;
  }

  /** The last NdisSetTimerObject made it periodic (PeriodicTimer: cancel it at PASSIVE_LEVEL). */
  get periodic(): boolean {
    return this.period > 0;
  }
}

/** NDIS_TIMER_CHARACTERISTICS as NDIS copies it, and what is wrong with it (null: nothing). */
export interface TimerCharacteristicsCopy {
  readonly problem: string | null;
  /** The problem is in the NDIS_OBJECT_HEADER (0x7C / 0x21). */
  readonly header: boolean;
  readonly AllocationTag: number;
  readonly TimerFunction: TimerFunction;
  readonly FunctionContext: unknown;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}

/** Reads each field once (the driver may pass anything) and checks the documented values (D17). */
export function readCharacteristics(tc: unknown): TimerCharacteristicsCopy {
  const Header = field(tc, 'Header');
  const Type = field(Header, 'Type');
  const Size = field(Header, 'Size');
  const AllocationTag = field(tc, 'AllocationTag');
  const TimerFunction = field(tc, 'TimerFunction') as TimerFunction;
  const FunctionContext = field(tc, 'FunctionContext');
  let header = true;
  let problem: string | null = null;
  if (typeof tc !== 'object' || tc === null) {
    header = false;
    problem = 'TimerCharacteristics is not an NDIS_TIMER_CHARACTERISTICS structure';
  } else if (typeof Header !== 'object' || Header === null) problem = 'Header is not an NDIS_OBJECT_HEADER';
  else if (Type !== NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS)
    problem = 'Header.Type is not NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS (0x97)';
  else if (field(Header, 'Revision') !== NDIS_TIMER_CHARACTERISTICS_REVISION_1)
    problem = 'Header.Revision is not NDIS_TIMER_CHARACTERISTICS_REVISION_1';
  else if (
    typeof Size !== 'number' ||
    !(Size >= NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1) ||
    Size > 0xffff
  )
    problem = 'Header.Size is below NDIS_SIZEOF_TIMER_CHARACTERISTICS_REVISION_1 (24)';
  else {
    header = false;
    if (!isUlong(AllocationTag)) problem = 'AllocationTag is not a ULONG';
    else if (typeof TimerFunction !== 'function')
      problem = 'TimerFunction is not a function (NDIS_TIMER_FUNCTION)';
  }
  return { problem, header, AllocationTag: AllocationTag as number, TimerFunction, FunctionContext };
}
