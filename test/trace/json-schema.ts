/**
 * A tiny JSON Schema validator for the keywords schema/trace-v1.schema.json uses ($ref to $defs,
 * type, const, enum, pattern, minimum, maximum, properties, required, anyOf, oneOf, allOf,
 * if/then). Enough to validate traces in tests without a dependency.
 */
type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const KNOWN = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'properties',
  'required',
  'anyOf',
  'oneOf',
  'allOf',
  'if',
  'then',
]);

/** Problems of `value` against `schema` (empty when valid). */
export function validate(root: Schema, value: unknown, schema: Schema = root, path = '$'): string[] {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unsupported keyword ${key}`);
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return validate(root, value, (root.$defs as Record<string, Schema>)[name], path);
  }
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  if (typeof schema.type === 'string' && !hasType(value, schema.type)) fail(`not ${schema.type}`);
  if ('const' in schema && value !== schema.const) fail(`not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    fail(`not one of ${JSON.stringify(schema.enum)}`);
  if (
    typeof value === 'string' &&
    typeof schema.pattern === 'string' &&
    !new RegExp(schema.pattern).test(value)
  ) {
    fail(`does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`above ${schema.maximum}`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? [])
      if (!(key in object)) fail(`missing ${key}`);
    for (const [key, sub] of Object.entries(
      (schema.properties as Record<string, Schema> | undefined) ?? {},
    )) {
      if (key in object) errors.push(...validate(root, object[key], sub, `${path}.${key}`));
    }
  }
  const passes = (sub: Schema) => validate(root, value, sub, path).length === 0;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some(passes)) fail('matches none of anyOf');
  if (Array.isArray(schema.oneOf)) {
    const matched = (schema.oneOf as Schema[]).filter(passes).length;
    if (matched !== 1) {
      fail(`matches ${matched} of oneOf`);
      if (matched === 0)
        for (const sub of schema.oneOf as Schema[]) errors.push(...validate(root, value, sub, `${path}|`));
    }
  }
  for (const sub of (schema.allOf as Schema[] | undefined) ?? [])
    errors.push(...validate(root, value, sub, path));
  if (schema.if !== undefined && passes(schema.if as Schema) && schema.then !== undefined) {
    errors.push(...validate(root, value, schema.then as Schema, path));
  }
  return errors;
}
