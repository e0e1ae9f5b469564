import { readFileSync } from 'node:fs';
import { actionChoices, actionOf, strongestEffect, type Effect, type ToolSpec } from '../call/command.js';
import { jsonSchemasOf } from '../call/schema.js';

export interface Annotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
}

/**
 * Only the hints hosts key their confirmations on; the others are left at the MCP defaults, which are what they
 * would say (openWorldHint true: every tool reaches a telephony account; idempotentHint false; destructive and
 * idempotent hints mean nothing on a read-only tool). readOnlyHint false is the default and what a host reads
 * when it is absent, so only true is stated; destructiveHint is stated either way, since a host that reads a
 * missing hint as false would take a spend for harmless. Each hint costs context on every turn, for every tool.
 */
export const ANNOTATIONS: Record<Effect, Annotations> = {
  read: { readOnlyHint: true },
  write: { destructiveHint: false },
  irreversible: { destructiveHint: true },
  delete: { destructiveHint: true },
  spend: { destructiveHint: true },
};

/**
 * The Yemot command and action value(s) a tool sends, e.g. "QueueManagement: kick | pause | unpause", and the other
 * commands a tool of several requests sends ("GetIVR2Dir + GetTextFile", "FileAction: delete + GetFile + …");
 * without the choices (action values, or commands of a family) `known` already names.
 */
export function commandLine(spec: ToolSpec, known: (name: string) => boolean = () => false): string {
  const choices = actionChoices(spec).filter((choice) => !known(choice));
  const fixed = actionOf(spec, {});
  if (spec.selects === 'command') return choices.join(' | ');
  const main = choices.length ? `${spec.command}: ${choices.join(' | ')}` : fixed && !actionChoices(spec).length ? `${spec.command}: ${fixed}` : spec.command;
  return [main, ...(spec.writes ?? []), ...(spec.reads ?? [])].join(' + ');
}

/** Whether a text names a command or action value as a word of its own (`set:GOasap`, not inside `set:GOasapX`). */
const names = (text: string, name: string) => new RegExp(`(?<!\\w|\\w:)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w|:\\w)`).test(text);

/**
 * The summary, then what of the command(s) and action values it sends the summary does not name already: an agent
 * and the vendor's docs meet on the same names, and the approval prompt keeps the human title.
 */
export function descriptionOf(spec: ToolSpec): string {
  const line = commandLine(spec, (name) => names(spec.summary, name));
  return line === '' || (line === spec.command && names(spec.summary, line)) ? spec.summary : `${spec.summary} Yemot: ${line}`;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
  annotations: Annotations;
}

/** Written by `npm run build` (scripts/definitions.mjs) beside the compiled table (dist/tools/); absent when running from src. */
export const DEFINITIONS_FILE = 'definitions.json';

function storedDefinitions(): Record<string, ToolDefinition> {
  try {
    return JSON.parse(readFileSync(new URL(`../tools/${DEFINITIONS_FILE}`, import.meta.url), 'utf8')) as Record<string, ToolDefinition>;
  } catch {
    return {};
  }
}

const stored = storedDefinitions();
const definitions = new WeakMap<ToolSpec, ToolDefinition>();

/** The tools/list entry of a tool: stored by the build, or converted once from the table. */
export function describeTool(spec: ToolSpec): ToolDefinition {
  let definition = definitions.get(spec);
  if (!definition) {
    // The build stored the table's entries; a tool narrowed by the operator's policy is converted once here.
    definition = (spec.narrowedFrom ? undefined : stored[spec.name]) ?? convertTool(spec);
    definitions.set(spec, definition);
  }
  return definition;
}

/** The contents of DEFINITIONS_FILE for these tools. */
export function serializeDefinitions(tools: readonly ToolSpec[]): string {
  return JSON.stringify(Object.fromEntries(tools.map((spec) => [spec.name, convertTool(spec)])));
}

type JsonSchema = Record<string, unknown>;

/** What a schema says about its fields in words (their descriptions, with the path to them); undefined for nothing. */
function explained(schema: JsonSchema): JsonSchema | undefined {
  const fields = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).flatMap(([name, field]) => {
    const kept = explained(field);
    return kept ? [[name, kept] as const] : [];
  });
  const items = schema.items ? explained(schema.items as JsonSchema) : undefined;
  if (schema.description === undefined && !fields.length && !items) return undefined;
  return {
    ...(schema.type !== undefined && { type: schema.type }),
    ...(schema.description !== undefined && { description: schema.description }),
    ...(fields.length && { properties: Object.fromEntries(fields) }),
    ...(items && { items }),
  };
}

/**
 * The output schema tools/list carries: an open object with what the table explains about the answer's fields (the
 * `description` prefixes of get_transactions, what to do with run_tzintuk's verifyCode), not the fields' types. Every
 * successful answer is normalised to the table's types before it leaves (call/conform.ts, against the full schema of
 * jsonSchemasOf), so a client's check against listed types could never fail, while the types would cost context on
 * every turn for every tool (about 1,900 tokens with every toolset), and most hosts never show them to the model.
 */
export const listedOutput = (output: JsonSchema): JsonSchema => ({ type: 'object', ...explained(output) });

/** The definition converted from the command table (what the build stores). */
export function convertTool(spec: ToolSpec): ToolDefinition {
  const schemas = jsonSchemasOf(spec);
  return {
    name: spec.name,
    title: spec.title,
    description: descriptionOf(spec),
    inputSchema: schemas.input,
    outputSchema: listedOutput(schemas.output),
    annotations: ANNOTATIONS[strongestEffect(spec)],
  };
}
