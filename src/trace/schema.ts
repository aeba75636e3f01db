/**
 * The JSON Schema (draft 2020-12) of trace format v1, built from the shapes in ddis.ts. It validates
 * one line: the header or an event. schema/trace-v1.schema.json is this value, written out (a test
 * keeps them equal; `UPDATE_SCHEMA=1 npx vitest run test/trace/schema.test.ts` rewrites the file).
 * The reader checks a little more than the schema can say: the header comes first, and out values
 * may be left out only when the status is a failure.
 */
import { CALLBACKS, DDIS, EDGES, type Field, type Shape } from './ddis.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });
const HEX32 = '^0[xX]0*[0-9a-fA-F]{1,8}$';

function object(fields: readonly Field[], requireAll: boolean): Schema {
  const properties: Schema = {};
  for (const f of fields) properties[f.name] = ref(f.type);
  const required = requireAll ? fields.filter((f) => !f.optional).map((f) => f.name) : [];
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** What a call of one DDI must carry. */
function callOf(shape: Shape): Schema {
  const then: Schema = { properties: { args: object(shape.params, true) } };
  const required: string[] = [];
  if (shape.status) required.push('status');
  if (shape.out.length > 0) {
    (then.properties as Schema).result = object(shape.out, !shape.status);
    if (!shape.status) required.push('result');
  }
  if (required.length > 0) then.required = required;
  return { if: { properties: { ddi: { const: shape.name } } }, then };
}

/** What an enter or exit of one known callback may carry. */
function callbackOf(shape: Shape, key: 'args' | 'result'): Schema {
  const fields = key === 'args' ? shape.params : shape.out;
  return {
    if: { properties: { callback: { const: shape.name } } },
    // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword
    then: { properties: { [key]: object(fields, false) } },
  };
}

function event(kind: string, required: string[], properties: Schema, extra: Schema = {}): Schema {
  return {
    type: 'object',
    required: ['kind', ...required],
    properties: {
      kind: { const: kind },
      ...properties,
      seq: ref('seq'),
      time: { type: 'number' },
      thread: ref('thread'),
    },
    ...extra,
  };
}

/** The schema of one line of a v1 trace. */
export function traceSchema(): Schema {
  const ddis = [...DDIS.values()];
  const callbacks = [...CALLBACKS.values()];
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:ndis-sim:trace-format:v1',
    title: 'ndis-sim trace format v1: one line (the header or an event)',
    description:
      'A trace is JSON Lines: the header, then one event per line. See docs/trace-format.md. Unknown fields are ignored by readers.',
    oneOf: [ref('header'), ref('event')],
    $defs: {
      hex64: { type: 'string', pattern: '^0[xX][0-9a-fA-F]{1,16}$' },
      handle: ref('pointer'),
      physical: ref('pointer'),
      pointer: { anyOf: [ref('hex64'), { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }] },
      ulong: {
        anyOf: [
          { type: 'integer', minimum: 0, maximum: 0xffffffff },
          { type: 'string', pattern: HEX32 },
        ],
      },
      long: { type: 'integer', minimum: -0x80000000, maximum: 0x7fffffff },
      int64: { anyOf: [{ type: 'integer' }, ref('hex64')] },
      boolean: { anyOf: [{ type: 'boolean' }, { type: 'integer', minimum: 0, maximum: 0xff }] },
      status: {
        anyOf: [
          { type: 'string', pattern: HEX32 },
          { type: 'integer', minimum: -0x80000000, maximum: 0xffffffff },
        ],
      },
      struct: { anyOf: [{ type: 'object' }, ref('pointer'), { type: 'null' }] },
      irql: { type: 'integer', minimum: 0, maximum: 31 },
      seq: { type: 'integer', minimum: 0 },
      thread: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
      header: {
        type: 'object',
        required: ['format', 'version', 'producer', 'pointerSize'],
        properties: {
          format: { const: 'ndis-sim-trace' },
          version: { const: 1 },
          producer: { type: 'string' },
          pointerSize: { enum: [8, 4] },
          driver: { type: 'object', properties: { name: { type: 'string' } } },
          machine: { type: 'object' },
        },
      },
      event: { oneOf: ['call', 'enter', 'exit', 'irqlChange', 'edge', 'fault', 'access'].map(ref) },
      call: event(
        'call',
        ['ddi', 'args'],
        {
          ddi: { enum: ddis.map((d) => d.name) },
          args: { type: 'object' },
          result: { type: 'object' },
          status: ref('status'),
          irql: ref('irql'),
        },
        { allOf: ddis.map(callOf) },
      ),
      enter: event(
        'enter',
        ['callback', 'irql'],
        {
          callback: { type: 'string' },
          driver: ref('handle'),
          adapter: ref('handle'),
          irql: ref('irql'),
          args: { type: 'object' },
          driverName: { type: 'string' },
          adapterName: { type: 'string' },
        },
        { allOf: callbacks.map((c) => callbackOf(c, 'args')) },
      ),
      exit: event(
        'exit',
        ['callback'],
        {
          callback: { type: 'string' },
          driver: ref('handle'),
          adapter: ref('handle'),
          irql: ref('irql'),
          status: ref('status'),
          result: { type: 'object' },
        },
        { allOf: callbacks.map((c) => callbackOf(c, 'result')) },
      ),
      irqlChange: event('irql', ['irql'], { irql: ref('irql') }),
      edge: event(
        'edge',
        ['edge', 'driver'],
        { edge: { enum: [...EDGES] }, driver: ref('handle'), adapter: ref('handle') },
        {
          if: { properties: { edge: { enum: ['initializeFailed', 'haltReturned'] } } },
          // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword
          then: { required: ['adapter'] },
        },
      ),
      fault: event('fault', ['ddi'], { ddi: { type: 'string' }, ordinal: ref('seq') }),
      access: event('access', ['address', 'size', 'write'], {
        address: ref('pointer'),
        size: ref('seq'),
        write: { type: 'boolean' },
        op: { type: 'string' },
      }),
    },
  };
}
