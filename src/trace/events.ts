/**
 * Trace format v1 as typed values (docs/trace-format.md). The reader returns these decoded: every
 * pointer, handle and physical address is the signed 64-bit number of src/machine/address.ts,
 * statuses are unsigned numbers, ULONGs and BOOLEANs are numbers; structures stay as written.
 */

/** The first line of a trace. */
export interface TraceHeader {
  readonly format: 'ndis-sim-trace';
  readonly version: 1;
  /** What wrote the trace (`"ndis-sim 0.1.0"`, `"ndis-sim-trace.h 1"`, ...). */
  readonly producer: string;
  /** 8 (64-bit driver) or 4 (32-bit driver: pointers must fit in 32 bits). */
  readonly pointerSize: 4 | 8;
  /** The driver traced: `name` names the first driver handle; other fields are free-form. */
  readonly driver?: { readonly name?: string; readonly [field: string]: unknown };
  /** The machine it ran on (free-form: `os`, `processors`, ...). */
  readonly machine?: { readonly [field: string]: unknown };
}

/** Optional fields of every event. */
export interface EventCommon {
  /** Sequence number the producer gave the event. */
  readonly seq?: number;
  /** When it happened, in the producer's unit (informational). */
  readonly time?: number;
  /** The processor or thread it happened on: exits match enters of the same thread. */
  readonly thread?: number | string;
}

/** A DDI call, with its arguments, out values and status. */
export interface CallEvent extends EventCommon {
  readonly kind: 'call';
  readonly ddi: string;
  /** Arguments by documented name, decoded. */
  readonly args: Record<string, unknown>;
  /** Out values by documented name, decoded (absent for a DDI with none). */
  readonly result?: Record<string, unknown>;
  /** The NDIS_STATUS returned (DDIs that return one). */
  readonly status?: number;
  /** The IRQL the call was made at (the replay sets the current IRQL to it first). */
  readonly irql?: number;
}

/** NDIS calls a driver callback. */
export interface EnterEvent extends EventCommon {
  readonly kind: 'enter';
  /** Its documented name (MiniportInitializeEx, MiniportHaltEx, NdisTimerFunction, ...). */
  readonly callback: string;
  /** Handle values: the driver (NdisMiniportDriverHandle) and adapter (NdisMiniportHandle); 0 if none. */
  readonly driver: number;
  readonly adapter: number;
  /** The IRQL the callback runs at. */
  readonly irql: number;
  readonly args?: Record<string, unknown>;
  /** Names for the driver and adapter when their handles are first seen (reports use them). */
  readonly driverName?: string;
  readonly adapterName?: string;
}

/** A driver callback returned. */
export interface ExitEvent extends EventCommon {
  readonly kind: 'exit';
  readonly callback: string;
  readonly driver?: number;
  readonly adapter?: number;
  /** The IRQL it returned at (default: the current one). */
  readonly irql?: number;
  /** The NDIS_STATUS it returned. */
  readonly status?: number;
  readonly result?: Record<string, unknown>;
}

/** The IRQL changed other than by a call or callback (KeRaiseIrql, KeLowerIrql, ...). */
export interface IrqlEvent extends EventCommon {
  readonly kind: 'irql';
  readonly irql: number;
}

/** A lifecycle edge where everything of the adapter (or, at unload, the driver) must be released. */
export interface EdgeEvent extends EventCommon {
  readonly kind: 'edge';
  readonly edge: 'initializeFailed' | 'haltReturned' | 'driverUnload';
  readonly driver: number;
  /** The adapter (initializeFailed, haltReturned); 0 at driverUnload. */
  readonly adapter: number;
}

/** A fault was injected: the call `ordinal` (1-based, resource-allocating calls) of `ddi` failed. */
export interface FaultEvent extends EventCommon {
  readonly kind: 'fault';
  readonly ddi: string;
  readonly ordinal?: number;
}

/**
 * The driver read or wrote `size` bytes at `address` (a pointer dereference, NdisMoveMemory...): no
 * values, only where, so the replay checks it against what is allocated.
 */
export interface AccessEvent extends EventCommon {
  readonly kind: 'access';
  readonly address: number;
  readonly size: number;
  readonly write: boolean;
  /** What made the access (`readUInt32LE`, `NdisMoveMemory`, a C function's name); default `access`. */
  readonly op?: string;
}

export type TraceEvent =
  | CallEvent
  | EnterEvent
  | ExitEvent
  | IrqlEvent
  | EdgeEvent
  | FaultEvent
  | AccessEvent;

/** A line that could not be read or replayed: the check goes on with the next one (unless strict). */
export class TraceError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly message: string,
  ) {}

  /** `file:line: message`, as compilers print it. */
  toString(): string {
    return `${this.file}:${this.line}: ${this.message}`;
  }
}
