/**
 * Decoding the values of a trace line in place, by type (ddis.ts). Each DDI and callback gets its
 * own decoder function, generated once, whose property accesses name the fields literally: every
 * access site then sees one object shape and V8 keeps it monomorphic — a loop over the field list
 * with computed keys costs twice as much per line (the reader's whole budget over JSON.parse).
 */
import { CALLBACKS, DDIS, type Field, type Shape, type ValueType } from './ddis.js';
import { parseHex64 } from './hex.js';

type Json = Record<string, unknown>;

/** What a value decoder returns for a bad value; `why` then says what is wrong. */
export const FAIL: unique symbol = Symbol('FAIL');
let why = '';

/** What was wrong with the last value that decoded to FAIL. */
export function failure(): string {
  return why;
}

function fail(text: string): typeof FAIL {
  why = text;
  return FAIL;
}

/** handle, pointer, physical: hex (or a non-negative exact integer) to the signed 64-bit number. */
export function pointer(x: unknown, pointer32: boolean): number | typeof FAIL {
  let n: number;
  if (typeof x === 'string') {
    n = parseHex64(x);
    if (Number.isNaN(n)) return fail(`is not a 64-bit hex value: ${JSON.stringify(x)}`);
    if (n === Number.POSITIVE_INFINITY) {
      return fail(
        `${x} is not a canonical address (its signed 64-bit value is not an exact double), which ndis-sim does not support`,
      );
    }
  } else if (typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) {
    n = x;
  } else {
    return fail(`must be a hex string ("0x…"), not ${JSON.stringify(x)}`);
  }
  if (pointer32 && (n < 0 || n > 0xffffffff))
    return fail(`${JSON.stringify(x)} does not fit the header's 4-byte pointers`);
  return n;
}

function integer(x: unknown, min: number, max: number, what: string): number | typeof FAIL {
  const n = typeof x === 'string' ? parseHex64(x) : x;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  return fail(
    `must be ${what} (an integer ${min}..0x${max.toString(16)} or "0x…"), not ${JSON.stringify(x)}`,
  );
}

export function ulong(x: unknown): number | typeof FAIL {
  return typeof x === 'number' && x >= 0 && x <= 0xffffffff && Number.isInteger(x)
    ? x
    : integer(x, 0, 0xffffffff, 'a ULONG');
}

export function long(x: unknown): number | typeof FAIL {
  return typeof x === 'number' && Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff
    ? x
    : fail(`must be a LONG (an integer -0x80000000..0x7fffffff), not ${JSON.stringify(x)}`);
}

export function int64(x: unknown): number | typeof FAIL {
  if (typeof x === 'number' && Number.isSafeInteger(x)) return x;
  const n = typeof x === 'string' ? parseHex64(x) : Number.NaN;
  return !Number.isNaN(n) && n !== Number.POSITIVE_INFINITY
    ? n
    : fail('must be an integer or "0x…" that is an exact double');
}

export function boolean(x: unknown): number | typeof FAIL {
  if (x === true || x === false) return x ? 1 : 0;
  return integer(x, 0, 0xff, 'a BOOLEAN');
}

/** An NDIS_STATUS, unsigned (a signed integer from C is accepted). */
export function status(x: unknown): number | typeof FAIL {
  if (typeof x === 'string' && x.length <= 10) {
    const n = parseHex64(x);
    if (n <= 0xffffffff) return n; // NaN fails this too
  }
  const n = integer(x, -0x80000000, 0xffffffff, 'an NDIS_STATUS');
  return n === FAIL ? n : n >>> 0;
}

/** A structure as written (an object), or just its pointer. */
export function struct(x: unknown, pointer32: boolean): unknown {
  if (x === null) return 0;
  if (typeof x === 'object' && !Array.isArray(x)) return x;
  return typeof x === 'string' ? pointer(x, pointer32) : fail('must be an object or a hex pointer');
}

/**
 * One value by type, for fields of structures (replay entries decode what they use of a `struct`
 * argument with it): the decoded value, or FAIL (then `failure()` says why).
 */
export function decodeValue(x: unknown, type: ValueType, pointer32 = false): unknown {
  switch (type) {
    case 'handle':
    case 'pointer':
    case 'physical':
      return pointer(x, pointer32);
    case 'ulong':
      return ulong(x);
    case 'long':
      return long(x);
    case 'int64':
      return int64(x);
    case 'boolean':
      return boolean(x);
    case 'status':
      return status(x);
    case 'struct':
      return struct(x, pointer32);
  }
}

const DECODE: Record<ValueType, string> = {
  handle: 'pointer(x, p32)',
  pointer: 'pointer(x, p32)',
  physical: 'pointer(x, p32)',
  ulong: 'ulong(x)',
  long: 'long(x)',
  int64: 'int64(x)',
  boolean: 'boolean(x)',
  status: 'status(x)',
  struct: 'struct(x, p32)',
};

/**
 * Decodes the listed fields of `o` in place; returns what is wrong (a message naming the field), or
 * null. With `zero`, a missing required value is taken as 0 (out values of a failed call).
 */
export type Decoder = (o: Json, p32: boolean, zero: boolean) => string | null;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Values already in decoded form, left alone (no call, no store): most ULONGs of a trace. */
const ALREADY: Partial<Record<ValueType, string>> = {
  ulong: "typeof x === 'number' && x >>> 0 === x",
  boolean: "typeof x === 'number' && (x & 0xff) === x",
};

function compile(fields: readonly Field[], where: string, owner: string): Decoder {
  let body = 'let x;\n';
  for (const f of fields) {
    if (!IDENTIFIER.test(f.name)) throw new Error(`field name ${f.name} is not an identifier`);
    const label = JSON.stringify(`${owner}: "${where}.${f.name}"`);
    const missing = f.optional ? '' : `if (zero) o.${f.name} = 0; else return ${label} + ' is missing';`;
    const already = ALREADY[f.type];
    body += `x = o.${f.name};
if (x === undefined) { ${missing} }
else ${already ? `if (!(${already})) ` : ''}{ x = ${DECODE[f.type]}; if (x === FAIL) return ${label} + ' ' + failure(); o.${f.name} = x; }
`;
  }
  body += 'return null;';
  const factory = new Function(
    'pointer',
    'ulong',
    'long',
    'int64',
    'boolean',
    'status',
    'struct',
    'FAIL',
    'failure',
    `return function decode(o, p32, zero) {\n${body}\n};`,
  );
  return factory(pointer, ulong, long, int64, boolean, status, struct, FAIL, failure) as Decoder;
}

/** A shape with its decoders. */
export interface Compiled {
  readonly shape: Shape;
  /** Position in its table (the replay's entry index). */
  readonly index: number;
  readonly params: Decoder;
  readonly out: Decoder;
}

/** Compiles the decoders of a table of shapes, by name. */
function compileAll(shapes: ReadonlyMap<string, Shape>, params: string): ReadonlyMap<string, Compiled> {
  const out = new Map<string, Compiled>();
  let index = 0;
  for (const shape of shapes.values()) {
    out.set(shape.name, {
      shape,
      index: index++,
      params: compile(shape.params, params, shape.name),
      out: compile(shape.out, 'result', shape.name),
    });
  }
  return out;
}

/** Every DDI with its decoders. */
export const DDI_DECODERS = compileAll(DDIS, 'args');

/** Every callback with a documented shape, with its decoders. */
export const CALLBACK_DECODERS = compileAll(CALLBACKS, 'args');
