/**
 * ndis-sim: the NDIS 6.x resource-management interfaces as documented, over a simulated machine,
 * with a verifier that checks every documented rule while it runs.
 */

export { PageFault } from './engine/access.js';
export { Engine, type EngineOptions } from './engine/engine.js';
export {
  type AllocationRequest,
  DEFAULT_POOL,
  type FaultHook,
  failOrdinals,
  type PoolModel,
  priorityBand,
} from './engine/faults.js';
export { Accounting, MiniportAdapter, MiniportDriver, NdisObject } from './engine/objects.js';
export { PoolBlock } from './engine/pool.js';
export { type ExploreOptions, type ExploreResult, explore } from './host/explore.js';
export * from './host/index.js';
export { type PlanResult, runPlan } from './host/plan-run.js';
export { type FaultPlan, formatPlan, parsePlan } from './host/plans.js';
export { DriverLoadError, type LoadedDriver, loadDriver } from './loader/load-driver.js';
export { formatAddress, NULL, parseAddress } from './machine/address.js';
export { type ContextSnapshot, ExecutionContext } from './machine/context.js';
export * from './ndis/access.js';
export { activate, active } from './ndis/active.js';
export * from './ndis/constants.js';
export * from './ndis/dma.js';
export * from './ndis/lifecycle.js';
export * from './ndis/memory.js';
export * from './ndis/ports.js';
export * from './ndis/provider.js';
export * from './ndis/sync.js';
export type * from './ndis/types.js';
export {
  type CheckOptions,
  type CheckResult,
  checkTrace,
  readLines,
  recordDdis,
  recordFaults,
  TraceError,
  TraceReader,
  TraceWriter,
  traceFile,
  traceSchema,
} from './trace/index.js';
export { CATALOGUE, findRule } from './verifier/catalogue.js';
export type { BugCheckMapping, RuleDef, Severity } from './verifier/rule.js';
export { type Policy, Verifier, type VerifierOptions } from './verifier/verifier.js';
export { BugCheck, type BugCheckInfo, type Violation } from './verifier/violation.js';
