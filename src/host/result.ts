/** What a host run returns: plain, frozen, JSON-serialisable values. */
import type { AdapterState } from '../engine/objects.js';
import type { BugCheckInfo, Violation } from '../verifier/violation.js';

/**
 * How a run ended: every step ran ('completed'); a violation stopped it under the bug-check policy
 * ('bugcheck'); driver code threw ('driver-threw'); a pended pause or restart never completed or the
 * scheduler hit its step limit ('hung'); a step was not legal in the current state ('refused', from
 * `run` only); or ndis-sim itself failed ('internal-error', a bug to report).
 */
export type HostOutcome = 'completed' | 'bugcheck' | 'driver-threw' | 'hung' | 'refused' | 'internal-error';

/** One call the host made into the driver. */
export interface CallRecord {
  /** The callback's documented name (DriverEntry, MiniportInitializeEx, MiniportPause, ...). */
  readonly callback: string;
  readonly adapter: string | null;
  /** The IRQL it was called at. */
  readonly irql: number;
  /** What it returned (an NDIS_STATUS, or DriverEntry's NTSTATUS); null for VOID or when it threw. */
  readonly status: number | null;
  /** Why the host made a call the step did not name (D10, D36, removal before unload, ...). */
  readonly reason: string | null;
}

/** One step as it ran. */
export interface StepRecord {
  /** Position in the host's step log (0-based). */
  readonly index: number;
  /** The step as given. */
  readonly step: unknown;
  /** 'ok'; 'refused' (illegal or malformed, nothing was called); 'ended' (the run ended during it). */
  readonly outcome: 'ok' | 'refused' | 'ended';
  /** Why the step was refused, or how the run ended during it. */
  readonly message: string | null;
  readonly calls: readonly CallRecord[];
  /** Adapter states after the step, by device name. */
  readonly adapters: Readonly<Record<string, AdapterState>>;
  /** Simulated time after the step, in milliseconds. */
  readonly timeMs: number;
}

/** Why a run ended early, like a bug-check screen: what happened, where, and in which callback. */
export interface RunError {
  readonly kind: Exclude<HostOutcome, 'completed'>;
  readonly message: string;
  /** Index of the step during which the run ended. */
  readonly step: number;
  /** The driver callback it came from (innermost), when known. */
  readonly callback: string | null;
  readonly adapter: string | null;
  /** The bug check, for 'bugcheck' (null when the stopping rule has no documented code, D39). */
  readonly bugCheck: BugCheckInfo | null;
  /** The thrown value's class name ('TypeError', 'BugCheck', ...), when something was thrown. */
  readonly name: string | null;
  /** Driver frames of the thrown value's stack (ndis-sim's own frames trimmed). */
  readonly stack: readonly string[];
}

/** The result of a run. */
export interface RunResult {
  readonly outcome: HostOutcome;
  readonly error: RunError | null;
  /** Every finding, in order (engine.violations). */
  readonly violations: readonly Violation[];
  /** Final adapter states by device name. */
  readonly adapters: Readonly<Record<string, AdapterState>>;
  readonly steps: readonly StepRecord[];
  /** Simulated time at the end, in milliseconds. */
  readonly timeMs: number;
}
