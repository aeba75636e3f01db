/** The host: drivers, scenarios and runs (the command builds on this). */
export { Host, type HostDriver, type HostOptions, runScenario } from './host.js';
export type { CallRecord, HostOutcome, RunError, RunResult, StepRecord } from './result.js';
export {
  checkStep,
  type FaultKnob,
  HALT_ACTIONS,
  type HaltActionName,
  type HostStep,
  haltScenario,
  SCENARIOS,
  type Scenario,
  SHUTDOWN_ACTIONS,
  type ShutdownActionName,
  STEP_NAMES,
} from './scenario.js';
export { DriverObject } from './structures.js';
