/**
 * Parses trace lines into typed, decoded events (events.ts). A malformed line is a TraceError value
 * naming the file and line, never an exception; the caller decides whether to go on. Decoding
 * rewrites the parsed object in place (hex strings become numbers), so a line costs one JSON.parse
 * and no further allocation.
 */
import { EDGES } from './ddis.js';
import {
  CALLBACK_DECODERS,
  type Compiled,
  DDI_DECODERS,
  status as decodeStatus,
  FAIL,
  failure,
  pointer,
} from './decode.js';
import { TraceError, type TraceEvent, type TraceHeader } from './events.js';

type Json = Record<string, unknown>;

const HIGHEST_IRQL = 31;
const SUCCESS = 0;
const PENDING = 0x103;
const DEFAULT_HEADER: TraceHeader = Object.freeze({
  format: 'ndis-sim-trace',
  version: 1,
  producer: 'unknown',
  pointerSize: 8,
});

/** Parses the lines of one trace, in order. */
export class TraceReader {
  /** The header once read (the default v1 header if the trace has none). */
  header: TraceHeader | null = null;
  /** An error about the trace as a whole found while reading a good line (no header); take it. */
  notice: TraceError | null = null;
  /** The header says this is not a trace this reader can read: stop. */
  fatal = false;
  /** The DDI of the last call read (its `index` is the replay's entry). */
  called: Compiled | null = null;
  private recent0: Compiled | null = null;
  private recent1: Compiled | null = null;
  private pointer32 = false;

  constructor(
    /** How errors name the input (a path, `<stdin>`). */
    readonly file: string,
  ) {}

  /** One line: an event, the header (first line), or what is wrong with it. */
  parse(text: string, line: number): TraceEvent | TraceHeader | TraceError {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.fail(line, `not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail(line, 'not a JSON object');
    }
    const v = value as Json;
    const kind = v.kind;
    if (kind === undefined && v.format !== undefined) return this.readHeader(v, line);
    if (this.header === null) {
      // Reported once, and the event is still read.
      this.header = DEFAULT_HEADER;
      this.notice = this.fail(line, 'the trace does not start with a header line; version 1 assumed');
    }
    return this.event(v, kind, line);
  }

  private event(v: Json, kind: unknown, line: number): TraceEvent | TraceError {
    let problem: string | null;
    switch (kind) {
      case 'call':
        problem = this.call(v);
        break;
      case 'enter':
        problem = this.enter(v);
        break;
      case 'exit':
        problem = this.exit(v);
        break;
      case 'irql':
        problem = irql(v, false);
        break;
      case 'edge':
        problem = this.edge(v);
        break;
      case 'fault':
        problem =
          typeof v.ddi !== 'string'
            ? 'a fault needs "ddi" (a string)'
            : nonNegative(v.ordinal, 'ordinal', 'an ordinal');
        break;
      case 'access':
        problem = this.access(v);
        break;
      default:
        return this.fail(
          line,
          kind === undefined ? 'no "kind"' : `unknown event kind ${JSON.stringify(kind)}`,
        );
    }
    if (problem === null) problem = common(v);
    return problem === null ? (v as unknown as TraceEvent) : this.fail(line, problem);
  }

  private readHeader(v: Json, line: number): TraceHeader | TraceError {
    if (this.header !== null) return this.fail(line, 'a header line that is not the first line; ignored');
    this.header = DEFAULT_HEADER;
    if (v.format !== 'ndis-sim-trace' || v.version !== 1) {
      this.fatal = true;
      return this.fail(
        line,
        v.format !== 'ndis-sim-trace'
          ? `"format" is ${JSON.stringify(v.format)}, not "ndis-sim-trace": not a trace`
          : `trace format version ${JSON.stringify(v.version)}; this version of ndis-sim reads version 1`,
      );
    }
    if (typeof v.producer !== 'string') return this.fail(line, 'the header needs "producer" (a string)');
    if (v.pointerSize !== 8 && v.pointerSize !== 4) return this.fail(line, '"pointerSize" must be 8 or 4');
    for (const key of ['driver', 'machine'] as const) {
      const field = v[key];
      if (field !== undefined && (typeof field !== 'object' || field === null || Array.isArray(field))) {
        return this.fail(line, `"${key}" must be an object`);
      }
    }
    const driver = v.driver as Json | undefined;
    if (driver?.name !== undefined && typeof driver.name !== 'string')
      return this.fail(line, '"driver.name" must be a string');
    this.header = v as unknown as TraceHeader;
    this.pointer32 = v.pointerSize === 4;
    return this.header;
  }

  private call(v: Json): string | null {
    const ddi = v.ddi;
    if (typeof ddi !== 'string') return 'a call needs "ddi" (a string)';
    // Traces alternate between a few DDIs: two recent names compare faster than a hash look-up.
    let compiled: Compiled | undefined;
    if (ddi === this.recent0?.shape.name) compiled = this.recent0;
    else if (ddi === this.recent1?.shape.name) compiled = this.recent1;
    else {
      compiled = DDI_DECODERS.get(ddi);
      if (compiled === undefined) return `unknown DDI "${ddi}"`;
      this.recent1 = this.recent0;
      this.recent0 = compiled;
    }
    this.called = compiled;
    const args = v.args;
    if (typeof args !== 'object' || args === null || Array.isArray(args))
      return `${ddi}: "args" must be an object`;
    let problem = compiled.params(args as Json, this.pointer32, false);
    if (problem !== null) return problem;
    const shape = compiled.shape;
    let failed = false;
    if (shape.status) {
      if (v.status === undefined) return `${ddi} returns NDIS_STATUS: "status" is missing`;
      const status = decodeStatus(v.status);
      if (status === FAIL) return `${ddi}: "status" ${failure()}`;
      v.status = status;
      failed = status !== SUCCESS && status !== PENDING;
    }
    if (shape.out.length > 0) {
      // Out values are required unless the call failed: then a missing one is NULL/0, as documented.
      let result = v.result;
      if (result === undefined && failed) {
        result = {};
        v.result = result;
      }
      if (typeof result !== 'object' || result === null || Array.isArray(result))
        return `${ddi}: "result" must be an object`;
      problem = compiled.out(result as Json, this.pointer32, failed);
      if (problem !== null) return problem;
    }
    return v.irql === undefined ? null : irql(v, true);
  }

  private enter(v: Json): string | null {
    if (typeof v.callback !== 'string') return 'an enter needs "callback" (a string)';
    const problem = handles(v, this.pointer32, false) ?? irql(v, false);
    if (problem !== null) return problem;
    for (const key of ['driverName', 'adapterName'] as const) {
      if (v[key] !== undefined && typeof v[key] !== 'string') return `"${key}" must be a string`;
    }
    return this.callbackValues(v, 'args');
  }

  private exit(v: Json): string | null {
    if (typeof v.callback !== 'string') return 'an exit needs "callback" (a string)';
    const problem = handles(v, this.pointer32, true) ?? (v.irql === undefined ? null : irql(v, true));
    if (problem !== null) return problem;
    if (v.status !== undefined) {
      const status = decodeStatus(v.status);
      if (status === FAIL) return `"status" ${failure()}`;
      v.status = status;
    }
    return this.callbackValues(v, 'result');
  }

  /** Arguments (enter) or results (exit) of a callback with a known shape; others stay as written. */
  private callbackValues(v: Json, key: 'args' | 'result'): string | null {
    const values = v[key];
    if (values === undefined) return null;
    if (typeof values !== 'object' || values === null || Array.isArray(values))
      return `"${key}" must be an object`;
    const compiled = CALLBACK_DECODERS.get(v.callback as string);
    if (compiled === undefined) return null;
    return (key === 'args' ? compiled.params : compiled.out)(values as Json, this.pointer32, false);
  }

  private edge(v: Json): string | null {
    if (!(EDGES as readonly unknown[]).includes(v.edge)) return `"edge" must be one of ${EDGES.join(', ')}`;
    const problem = handles(v, this.pointer32, false);
    if (problem !== null) return problem;
    if (v.driver === 0) return `the ${v.edge} edge needs "driver"`;
    if (v.edge !== 'driverUnload' && v.adapter === 0) return `the ${v.edge} edge needs "adapter"`;
    return null;
  }

  private access(v: Json): string | null {
    const address = pointer(v.address, this.pointer32);
    if (address === FAIL)
      return v.address === undefined ? 'an access needs "address"' : `"address" ${failure()}`;
    v.address = address;
    if (!Number.isSafeInteger(v.size) || (v.size as number) < 0)
      return 'an access needs "size" (a non-negative integer)';
    if (typeof v.write !== 'boolean') return 'an access needs "write" (true or false)';
    return v.op === undefined || typeof v.op === 'string' ? null : '"op" must be a string';
  }

  private fail(line: number, message: string): TraceError {
    return new TraceError(this.file, line, message);
  }
}

/** The event's `irql` (a named load: every event kind reaches this one site). */
function irql(v: Json, optional: boolean): string | null {
  const value = v.irql;
  if (value === undefined && optional) return null;
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= HIGHEST_IRQL
    ? null
    : `"irql" must be an IRQL (0..${HIGHEST_IRQL})`;
}

/** The `driver` and `adapter` handles of an enter, exit or edge (missing = 0, or left out). */
function handles(v: Json, pointer32: boolean, keepMissing: boolean): string | null {
  for (const key of ['driver', 'adapter'] as const) {
    if (v[key] === undefined) {
      if (!keepMissing) v[key] = 0;
      continue;
    }
    const n = pointer(v[key], pointer32);
    if (n === FAIL) return `"${key}" ${failure()}`;
    v[key] = n;
  }
  return null;
}

function nonNegative(value: unknown, key: string, what: string): string | null {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0)
    ? null
    : `"${key}" must be ${what} (a non-negative integer)`;
}

/** The optional fields every event may carry. */
function common(v: Json): string | null {
  const problem = nonNegative(v.seq, 'seq', 'a sequence number');
  if (problem !== null) return problem;
  if (v.time !== undefined && typeof v.time !== 'number') return '"time" must be a number';
  const thread = v.thread;
  if (thread !== undefined && typeof thread !== 'string' && !Number.isSafeInteger(thread)) {
    return '"thread" must be an integer or a string';
  }
  return null;
}
