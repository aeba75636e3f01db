/** Traces (docs/trace-format.md): the format's shapes, the streaming reader, replay and the writer. */
export { CALLBACKS, DDIS, EDGES, type Field, type Shape, type ValueType } from './ddis.js';
export { decodeValue, FAIL, failure } from './decode.js';
export type {
  CallEvent,
  EdgeEvent,
  EnterEvent,
  EventCommon,
  ExitEvent,
  FaultEvent,
  IrqlEvent,
  TraceEvent,
  TraceHeader,
} from './events.js';
export { TraceError } from './events.js';
export { hex32, hex64, parseHex64 } from './hex.js';
export { type LineHandler, type LineOptions, type LinesRead, readLines, type TraceInput } from './lines.js';
export { TraceReader } from './reader.js';
export {
  CALLBACK_HOOKS,
  type CallbackHooks,
  type CheckOptions,
  type CheckResult,
  checkTrace,
  REPLAY,
  type ReplayEntry,
  type ReplayOptions,
  ReplayState,
} from './replay.js';
export { traceSchema } from './schema.js';
export {
  recordDdis,
  recordEngine,
  recordFaults,
  recordInvoke,
  type TraceSink,
  TraceWriter,
  traceFile,
  type WriterOptions,
} from './writer.js';
