import type { z } from 'zod';

/** Turns zod issues into `field: rule` messages an agent can act on, including for fields that take several shapes. */

type Schema = z.core.$ZodType;
type Path = readonly PropertyKey[];

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  options?: readonly Schema[];
}

const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** The schema itself, without the wrappers (optional, default, pipe ...) that do not change its shape. */
function bare(schema: Schema): Schema {
  const def = defOf(schema);
  const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  return inner ? bare(inner) : schema;
}

function schemaAt(schema: Schema, path: Path): Schema | undefined {
  let current: Schema | undefined = bare(schema);
  for (const key of path) {
    const def: Def = defOf(current);
    current = typeof key === 'number' ? def.element : def.shape?.[String(key)];
    if (!current) return undefined;
    current = bare(current);
  }
  return current;
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

/** `phones[0].phone`: where a value sits in the arguments, as an agent writes it. */
export function fieldName(path: Path): string {
  if (!path.length) return '(arguments)';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index ? `.${String(key)}` : String(key))).join('');
}

/** `{phone, callerId}`: an object shape by its keys, arrays marked `[]`. */
function objectName(shape: Record<string, Schema>): string {
  const keys = Object.entries(shape).map(([key, value]) => (defOf(bare(value)).type === 'array' ? `${key}[]` : key));
  return `{${keys.join(', ')}}`;
}

const KINDS: Record<string, string> = { string: 'string', number: 'number', int: 'number', boolean: 'boolean', bigint: 'number' };

/** Several of a kind: "strings", "{phone, callerId}". */
function plural(schema: Schema): string {
  const def = defOf(bare(schema));
  if (def.type === 'object' && def.shape) return objectName(def.shape);
  return KINDS[def.type] ? `${KINDS[def.type]}s` : 'values';
}

/** A shape as an agent reads it: "a string", "an array of numbers", "an array of {phone, callerId}". */
function shapeName(schema: Schema): string {
  const def = defOf(bare(schema));
  if (def.type === 'array' && def.element) return `an array of ${plural(def.element)}`;
  if (def.type === 'object' && def.shape) return `an object ${objectName(def.shape)}`;
  if (def.type === 'union' && def.options) return def.options.map(shapeName).join(', or ');
  const kind = KINDS[def.type] ?? def.type;
  return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** The form a problem is reported in: the object an array holds, or the shape itself. */
function formName(schema: Schema): string {
  const def = defOf(bare(schema));
  const element = def.type === 'array' && def.element ? defOf(bare(def.element)) : undefined;
  if (element?.type === 'object' && element.shape) return objectName(element.shape);
  return shapeName(schema).replace(/^an? /, '');
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** What a value is: "a number", "an array of strings", "an empty array". */
function valueName(value: unknown): string {
  const kind = kindOf(value);
  if (kind === 'undefined') return 'nothing';
  if (kind === 'null') return 'null';
  if (kind !== 'array') return /^[aeiou]/.test(kind) ? `an ${kind}` : `a ${kind}`;
  const kinds = new Set((value as unknown[]).map(kindOf));
  if (kinds.size === 0) return 'an empty array';
  if (kinds.size > 1) return 'an array of mixed values';
  const [only] = kinds;
  return only === 'array' ? 'an array of arrays' : `an array of ${only}s`;
}

const depth = (issues: readonly z.core.$ZodIssue[]) => Math.max(...issues.map((issue) => issue.path.length));
const wrongKind = (issue: z.core.$ZodIssue) => issue.code === 'invalid_type' && issue.path.length === 0;
/** How far a value got into a shape: the depth of its problems, and a half step if it is at least of the right kind. */
const reach = (issues: readonly z.core.$ZodIssue[]) => depth(issues) + (issues.some(wrongKind) ? 0 : 0.5);

/**
 * A value that fits none of a union's shapes: the closest shape is the one the value got deepest into
 * (then the one with fewest problems). A key missing there is named; a value of the wrong kind is
 * described against every accepted shape.
 */
function describeUnion(issue: z.core.$ZodIssueInvalidUnion, union: Schema, value: unknown, at: Path): string {
  const options = defOf(union).options ?? [];
  if (options.length !== issue.errors.length || !issue.errors.every((errors) => errors.length)) return `${fieldName(at)}: ${issue.message}`;
  const ranked = issue.errors.map((errors, index) => ({ errors, option: options[index] })).sort((a, b) => reach(b.errors) - reach(a.errors) || a.errors.length - b.errors.length);
  const { errors, option } = ranked[0];
  const closest = errors.find((problem) => problem.path.length === depth(errors))!;
  if (closest.code === 'invalid_type') {
    const missing = closest.path.length > 0 && valueAt(value, closest.path) === undefined;
    if (missing) return `${fieldName([...at, ...closest.path])}: required in the ${formName(option)} form`;
    return `${fieldName(at)}: expected ${options.map(shapeName).join(', or ')}; got ${valueName(value)}`;
  }
  return `${describeIssue(closest, option, value, at)} (in the ${formName(option)} form)`;
}

/** One issue as `field: rule`. `at` is where `schema` and `value` sit in the arguments. */
export function describeIssue(issue: z.core.$ZodIssue, schema: Schema, value: unknown, at: Path = []): string {
  if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: not a parameter of this tool`;
  const path = [...at, ...issue.path];
  if (issue.code === 'invalid_union') {
    const union = schemaAt(schema, issue.path);
    if (union && defOf(union).type === 'union') return describeUnion(issue, union, valueAt(value, issue.path), path);
  }
  if (issue.code === 'invalid_type' && issue.path.length && valueAt(value, issue.path) === undefined) return `${fieldName(path)}: required`;
  return `${fieldName(path)}: ${issue.message}`;
}
