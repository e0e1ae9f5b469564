import { z } from 'zod';
import { actionChoices, actionParamOf, type Input, type ToolSpec } from './command.js';

type JsonSchema = Record<string, unknown>;

const inputSchemas = new WeakMap<ToolSpec, z.ZodObject>();
const jsonSchemas = new WeakMap<ToolSpec, { input: JsonSchema; output?: JsonSchema }>();

/** The tool's input: its params plus the action enum, always one flat strict object. */
export function inputSchema(spec: ToolSpec): z.ZodObject {
  let schema = inputSchemas.get(spec);
  if (!schema) {
    const choices = actionChoices(spec);
    const action = choices.length ? { [actionParamOf(spec)]: z.enum(choices as [string, ...string[]]).describe(`The ${spec.command} action`) } : {};
    schema = z.strictObject({ ...action, ...spec.params });
    inputSchemas.set(spec, schema);
  }
  return schema;
}

function toJson(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' }) as JsonSchema;
  return json;
}

/** JSON Schemas for tools/list, converted once per tool and kept. */
export function jsonSchemasOf(spec: ToolSpec): { input: JsonSchema; output?: JsonSchema } {
  let schemas = jsonSchemas.get(spec);
  if (!schemas) {
    schemas = {
      input: toJson(inputSchema(spec), 'input'),
      ...(spec.output && { output: toJson(z.looseObject(spec.output).partial(), 'output') }),
    };
    jsonSchemas.set(spec, schemas);
  }
  return schemas;
}

export type Validation = { ok: true; input: Input } | { ok: false; problems: string[] };

/** Validates arguments; each problem names the field and the rule. */
export function validate(spec: ToolSpec, args: unknown): Validation {
  const parsed = inputSchema(spec).safeParse(args ?? {});
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map(describeIssue) };
  }
  const problems = spec.check?.(parsed.data) ?? [];
  return problems.length ? { ok: false, problems } : { ok: true, input: parsed.data };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: not a parameter of this tool`;
  const field = issue.path.length ? issue.path.join('.') : '(arguments)';
  return `${field}: ${issue.message}`;
}
