/** Running one scenario of a loaded driver under one fault plan: the unit of exploration. */
import path from 'node:path';
import { Engine, type EngineOptions } from '../engine/engine.js';
import type { FaultHook } from '../engine/faults.js';
import * as api from '../index.js';
import type { LoadedDriver } from '../loader/load-driver.js';
import { recordDdis, recordEngine, recordFaults, TraceWriter, traceFile } from '../trace/writer.js';
import type { Violation } from '../verifier/violation.js';
import { DEFAULT_DRIVER_NAME, Host } from './host.js';
import { type AllocationCall, type FaultPlan, formatPlan, type InjectedFault, planHook } from './plans.js';
import type { RunError } from './result.js';
import type { Scenario } from './scenario.js';

/** How a planned run ended, as the coverage matrix counts it. */
export type PlanOutcome =
  | 'clean'
  | 'violations'
  | 'driver-threw'
  | 'bugcheck'
  | 'hung'
  | 'refused'
  | 'internal-error';

/**
 * True when a run ended before its scenario did (driver threw, hung, bug check, refused step,
 * internal error): the command counts it as a finding even without a violation.
 */
export function endedEarly(outcome: string): boolean {
  return outcome !== 'clean' && outcome !== 'violations';
}

/** Engine options a planned run may set (the fault hook is the plan's). */
export type RunEngineOptions = Pick<EngineOptions, 'policy' | 'rulesOff' | 'seed' | 'captureAllocationSites'>;

/** The result of one planned run (plain data: crosses worker boundaries and goes into JSON). */
export interface PlanResult {
  /** The plan's text form ('none' for the baseline). */
  readonly plan: string;
  readonly outcome: PlanOutcome;
  readonly violations: readonly Violation[];
  readonly error: RunError | null;
  readonly injected: readonly InjectedFault[];
  /** Resource-allocating calls the run made. */
  readonly allocationCalls: number;
  /** Every allocation call, when recorded (the baseline). */
  readonly calls: readonly AllocationCall[];
  /** Simulated time at the end of the run, in milliseconds. */
  readonly timeMs: number;
}

/** Where a run is recorded as a trace (docs/trace-format.md), and the scenario it runs. */
export interface RecordTo {
  readonly file: string;
  readonly scenario: string;
  readonly producer: string;
}

/** What counts as a finding: errors and warnings (notes never make a run unclean). */
export function findings(violations: readonly Violation[]): readonly Violation[] {
  return violations.filter((v) => v.severity !== 'note');
}

/**
 * Runs `scenario` of a fresh instance of `driver` under `plan` (null: no fault). Unless
 * `captureAllocationSites` is set either way, allocation sites are captured by deterministic
 * replay: the run goes without capture (a stack capture costs ~2 µs per allocation) and, only when
 * it has findings, runs again with capture — same seed, same plan, fresh driver instance, so the
 * same findings, now with their allocation sites (docs/decisions.md, "Allocation sites").
 */
export function runPlan(
  driver: LoadedDriver,
  scenario: Scenario,
  plan: FaultPlan | null,
  options: RunEngineOptions,
  root: string,
  recordCalls = false,
  record?: RecordTo,
): PlanResult {
  // A recorded run captures in its one pass: a second pass would write the trace twice.
  if (options.captureAllocationSites !== undefined || record !== undefined) {
    const once = { captureAllocationSites: true, ...options };
    return runOnce(driver, scenario, plan, once, root, recordCalls, record);
  }
  const fast = runOnce(
    driver,
    scenario,
    plan,
    { ...options, captureAllocationSites: false },
    root,
    recordCalls,
  );
  if (fast.violations.length === 0) return fast;
  return runOnce(driver, scenario, plan, { ...options, captureAllocationSites: true }, root, recordCalls);
}

/** A host whose engine records every DDI call, callback, edge, fault and memory access to `record.file`. */
function recordingHost(
  driver: LoadedDriver,
  options: RunEngineOptions,
  faults: FaultHook,
  skipIllegalSteps: boolean,
  record: RecordTo,
): { host: Host; close: () => void } {
  const sink = traceFile(record.file);
  // The trace file is open from here: a driver whose top level throws must not leak its descriptor.
  try {
    // The header names the driver as the host does, so findings name it alike in `run` and `check`.
    const writer = new TraceWriter(sink.write, {
      producer: record.producer,
      driver: { name: DEFAULT_DRIVER_NAME, file: path.basename(driver.file), scenario: record.scenario },
    });
    const engine = new Engine({ ...options, faults: recordFaults(writer, faults) });
    recordEngine(writer, engine);
    const module = driver.instantiate(recordDdis(api, writer, engine.context));
    return { host: new Host(module, { engine, skipIllegalSteps }), close: sink.close };
  } catch (error) {
    sink.close();
    throw error;
  }
}

function runOnce(
  driver: LoadedDriver,
  scenario: Scenario,
  plan: FaultPlan | null,
  options: RunEngineOptions,
  root: string,
  recordCalls = false,
  record?: RecordTo,
): PlanResult {
  const hooked = planHook(plan, root, recordCalls);
  const skipIllegalSteps = plan !== null;
  const recording = record ? recordingHost(driver, options, hooked.hook, skipIllegalSteps, record) : null;
  const host =
    recording?.host ?? new Host(driver.instantiate(), { ...options, faults: hooked.hook, skipIllegalSteps });
  let result: ReturnType<Host['run']>;
  try {
    result = host.run(scenario);
  } finally {
    recording?.close();
  }
  let outcome: PlanOutcome;
  if (result.outcome === 'completed')
    outcome = findings(result.violations).length > 0 ? 'violations' : 'clean';
  else outcome = result.outcome;
  return {
    plan: plan === null ? 'none' : formatPlan(plan),
    outcome,
    violations: result.violations,
    error: result.error,
    injected: hooked.injected,
    allocationCalls: host.engine.allocationCalls,
    calls: hooked.calls,
    timeMs: result.timeMs,
  };
}
