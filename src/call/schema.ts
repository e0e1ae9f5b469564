import { z } from 'zod';
import { actionChoices, actionOf, actionParamOf, effectsOf, mayNeedYes, paramsOfAction, type Input, type ToolSpec } from './command.js';
import { CONFIRM_PARAM, confirmParam } from './confirm.js';
import { describeIssue } from './issues.js';
import { unsendable } from './sendable.js';
import { REPEAT_PARAM, repeatParam } from './spend-guard.js';

type JsonSchema = Record<string, unknown>;

const inputSchemas = new WeakMap<ToolSpec, z.ZodObject>();
const jsonSchemas = new WeakMap<ToolSpec, { input: JsonSchema; output: JsonSchema }>();

/** Every output schema carries it: an OK answer with no fields of its own says what was done. */
export const DONE_FIELD = 'done';
// Declared only where it is the whole answer (the API answers a bare OK); elsewhere an empty answer is rare and
// the output schemas are open to fields they do not name.
const doneField = (spec: ToolSpec) => (Object.keys(spec.output).length ? {} : { [DONE_FIELD]: z.string() });

/** The tool's input: its params plus the action enum (undescribed: its values are the Yemot names the description lists), always one flat strict object. */
export function inputSchema(spec: ToolSpec): z.ZodObject {
  let schema = inputSchemas.get(spec);
  if (!schema) {
    const choices = actionChoices(spec);
    const action = choices.length ? { [actionParamOf(spec)]: z.enum(choices as [string, ...string[]]) } : {};
    const repeat = effectsOf(spec).includes('spend') ? { [REPEAT_PARAM]: repeatParam } : {};
    const confirm = mayNeedYes(spec) ? { [CONFIRM_PARAM]: confirmParam } : {};
    schema = z.strictObject({ ...action, ...spec.params, ...repeat, ...confirm });
    inputSchemas.set(spec, schema);
  }
  return schema;
}

// MCP takes JSON Schema 2020-12 when a schema names no dialect, so `$schema` is left out: it would cost context on every tool.
function toJson(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, additionalProperties: _strict, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return lean(json, io === 'output' ? OUTPUT_NOISE : NOISE) as JsonSchema;
}

// Bounds that tell a model nothing, on every tool and every turn: zod's safe-integer limits on every integer, the
// 0 or 1 that ids, counts and offsets start at, a minimum length of 1, the length caps that only guard this server,
// the patterns a field's description already spells (yyyy-MM-dd, 4-8 digits), and `additionalProperties: {}`. The
// runtime check (the zod schema, strict about unknown params too) still enforces them all, with a message naming the field.
const NOISE: Record<string, (value: unknown) => boolean> = {
  maximum: (value) => value === Number.MAX_SAFE_INTEGER,
  minimum: (value) => value === Number.MIN_SAFE_INTEGER || value === 0 || value === 1,
  minLength: (value) => value === 1,
  maxLength: () => true,
  pattern: () => true,
  minItems: (value) => value === 1,
  // JSON object keys are strings anyway; a digit or phone number key is checked at run time.
  propertyNames: (value) => !!value && typeof value === 'object' && Object.keys(value).every((key) => key === 'type' || key === 'minLength') && (value as { type?: unknown }).type === 'string',
  // Open objects are the JSON Schema default; closed ones (nested phone objects) are closed at run time too.
  additionalProperties: (value) => value === false || (!!value && typeof value === 'object' && Object.keys(value).length === 0),
};

// An answer's item shapes name the fields an agent acts on; which of them every item carries tells it nothing more.
const OUTPUT_NOISE: typeof NOISE = { ...NOISE, required: () => true };

/** A union's branches (and an array branch's items) without the description the union already gives. */
function undescribed(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const { description: _said, ...rest } = schema as JsonSchema;
  return rest.items ? { ...rest, items: undescribed(rest.items) } : rest;
}

function lean(value: unknown, noise: typeof NOISE): unknown {
  if (Array.isArray(value)) return value.map((item) => lean(item, noise));
  if (!value || typeof value !== 'object') return value;
  const schema = value as JsonSchema;
  return Object.fromEntries(
    Object.entries('description' in schema && Array.isArray(schema.anyOf) ? { ...schema, anyOf: schema.anyOf.map(undescribed) } : schema)
      .map(([key, item]): [string, unknown] => [key, key === 'properties' ? Object.fromEntries(Object.entries(item as object).map(([name, field]) => [name, lean(field, noise)])) : lean(item, noise)])
      .filter(([key, item]) => !noise[key]?.(item)),
  );
}

/** JSON Schemas for tools/list, converted once per tool and kept. */
export function jsonSchemasOf(spec: ToolSpec): { input: JsonSchema; output: JsonSchema } {
  let schemas = jsonSchemas.get(spec);
  if (!schemas) {
    schemas = {
      input: toJson(inputSchema(spec), 'input'),
      output: toJson(z.looseObject({ ...spec.output, ...doneField(spec) }).partial(), 'output'),
    };
    jsonSchemas.set(spec, schemas);
  }
  return schemas;
}

export type Validation = { ok: true; input: Input } | { ok: false; problems: string[] };

/** Validates arguments; each problem names the field and the rule. */
export function validate(spec: ToolSpec, args: unknown): Validation {
  const schema = inputSchema(spec);
  const parsed = schema.safeParse(args ?? {});
  const unfit = unsendable(spec, args);
  if (!parsed.success) {
    return { ok: false, problems: [...unfit, ...parsed.error.issues.map((issue) => describeIssue(issue, schema, args ?? {}))] };
  }
  const problems = [...unfit, ...checkAction(spec, parsed.data), ...(spec.check?.(parsed.data) ?? [])];
  return problems.length ? { ok: false, problems } : { ok: true, input: parsed.data };
}

/** The chosen action's required params are present, and no param of another action is. */
function checkAction(spec: ToolSpec, input: Input): string[] {
  const action = actionOf(spec, input);
  if (action === undefined) return [];
  const allowed = new Set([actionParamOf(spec), REPEAT_PARAM, CONFIRM_PARAM, ...paramsOfAction(spec, action)]);
  const missing = (spec.actions?.[action]?.needs ?? []).filter((param) => input[param] === undefined);
  const unused = Object.keys(input).filter((param) => input[param] !== undefined && !allowed.has(param));
  return [
    ...(missing.length ? [`${missing.join(', ')}: required by action ${action}`] : []),
    ...(unused.length ? [`${unused.join(', ')}: not used by action ${action}`] : []),
  ];
}
