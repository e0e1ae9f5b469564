/**
 * A successful result in the types its tool's output schema declares. The API's types are loose (`units: "98"`,
 * an id as a number where the docs say string), and a client that checks structuredContent against the listed
 * outputSchema throws away a result that breaks it (-32602), after the work, a spend included, was done; the
 * agent may then repeat it. So the result is normalised here, for every tool, instead of widening every schema:
 * the agent reads one type per field, and the schemas stay as the docs state them. It runs on the presented
 * result (before the cap), because masking a secret can turn a number into text too.
 */

/** The part of JSON Schema the output schemas use (test/vendor-types.property.test.ts holds them to it). */
export interface OutputSchema {
  type?: string | string[];
  properties?: Record<string, OutputSchema>;
  items?: OutputSchema;
  anyOf?: OutputSchema[];
}

/** Where values that fit no declared type are kept, as sent, by their path: never lost, never in the way. */
export const OFF_SCHEMA_FIELD = 'offSchema';

const MISS = Symbol('does not fit');
type Misses = Array<[path: string, value: unknown]>;

// No leading zero: "0501234567" is a phone number or a code, and as a number it would lose its first digit.
const NUMERIC = /^\s*-?(0|[1-9]\d*)(\.\d+)?\s*$/;
const BOOLEANS = new Map<unknown, boolean>([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  [1, true],
  [0, false],
]);

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/** The value spelled as `type`, where that loses nothing: a numeric string as a number, a number as a string, 1/0 and "true"/"false" as booleans. */
function coerce(type: string, value: unknown): unknown {
  if (type === 'number' && typeof value === 'string' && NUMERIC.test(value)) {
    const number = Number(value);
    // An integer past 2^53 would come back as another number.
    return value.includes('.') || Number.isSafeInteger(number) ? number : MISS;
  }
  if (type === 'string' && typeof value === 'number') return String(value);
  if (type === 'boolean') return BOOLEANS.get(typeof value === 'string' ? value.trim().toLowerCase() : value) ?? MISS;
  return MISS;
}

function fit(value: unknown, schema: OutputSchema, path: string, misses: Misses): unknown {
  if (schema.anyOf) return fitAnyOf(value, schema.anyOf, path, misses);
  if (schema.type === undefined) return value;
  const types = [schema.type].flat();
  const own = typeOf(value);
  if (types.includes(own)) {
    if (own === 'object') return fitFields(value as Record<string, unknown>, schema.properties ?? {}, path, misses);
    if (own === 'array') return fitItems(value as unknown[], schema.items ?? {}, path, misses);
    return value;
  }
  for (const type of types) {
    const coerced = coerce(type, value);
    if (coerced !== MISS) return coerced;
  }
  misses.push([path, value]);
  return MISS;
}

/** The first branch the value fits whole, else the one it fits best. */
function fitAnyOf(value: unknown, branches: OutputSchema[], path: string, misses: Misses): unknown {
  let best: { value: unknown; misses: Misses } | undefined;
  for (const branch of branches) {
    const own: Misses = [];
    const fitted = fit(value, branch, path, own);
    if (!own.length) return fitted;
    if (!best || own.length < best.misses.length) best = { value: fitted, misses: own };
  }
  misses.push(...best!.misses);
  return best!.value;
}

/** A data property, `__proto__` included (it stays a key, never a prototype). */
function put(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** The object itself when every field already fits (the usual case), else a copy with the fitted fields. */
function fitFields(value: Record<string, unknown>, properties: Record<string, OutputSchema>, path: string, misses: Misses): Record<string, unknown> {
  const keys = Object.keys(value);
  let copy: Record<string, unknown> | undefined;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index];
    const item = value[key];
    const fitted = Object.hasOwn(properties, key) ? fit(item, properties[key], path ? `${path}.${key}` : key, misses) : item;
    if (!copy && fitted === item) continue;
    if (!copy) {
      copy = {};
      for (const earlier of keys.slice(0, index)) put(copy, earlier, value[earlier]);
    }
    if (fitted !== MISS) put(copy, key, fitted);
  }
  return copy ?? value;
}

/** The array itself when every item already fits, else a copy without the items that cannot. */
function fitItems(items: unknown[], schema: OutputSchema, path: string, misses: Misses): unknown[] {
  let copy: unknown[] | undefined;
  for (let index = 0; index < items.length; index++) {
    const fitted = fit(items[index], schema, `${path}[${index}]`, misses);
    if (!copy && fitted === items[index]) continue;
    copy ??= items.slice(0, index);
    if (fitted !== MISS) copy.push(fitted);
  }
  return copy ?? items;
}

/**
 * The result with every declared field in its declared type; what cannot be made to fit (a word where a number
 * is declared, null, an object for a string) leaves its place for OFF_SCHEMA_FIELD, so the result always fits.
 */
export function conform(result: Record<string, unknown>, schema: OutputSchema): Record<string, unknown> {
  const misses: Misses = [];
  const fitted = fitFields(result, schema.properties ?? {}, '', misses);
  return misses.length ? { ...fitted, [OFF_SCHEMA_FIELD]: Object.fromEntries(misses) } : fitted;
}
