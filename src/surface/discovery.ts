import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { EFFECT_RANK, effectsOf, type Effect, type ToolSpec } from '../call/command.js';
import { textBlock } from '../call/content.js';
import type { ToolContext } from '../call/context.js';
import { ANNOTATIONS, commandLine, describeTool, type Annotations } from './describe.js';
import { notEnabled } from './availability.js';
import type { Interaction } from '../call/interaction.js';
import { describeIssue } from '../call/issues.js';
import { effectAllowed } from '../call/policy.js';
import { scrubDeep } from '../call/present.js';
import type { Secrets } from '../core/secrets.js';
import { runTool, type ToolOutcome } from '../call/run.js';
import { createSearch } from './search.js';
import { TOOLSET_TABLE, TOOLSETS, type Toolset } from '../call/toolsets.js';
import { TOOLS } from '../tools/index.js';

/**
 * Discovery mode: three tools instead of the table (a small context for any host or model). Search, describe and
 * call reach only the tools the operator's policy registers; a match the policy leaves off is named with its toolset
 * and the setting that turns it on, never offered. Every call goes through the same runner as a direct one.
 */

export const TOOL_MODES = ['direct', 'discover'] as const;
export type ToolMode = (typeof TOOL_MODES)[number];

export interface DiscoveryDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations: Annotations;
}

export interface Discovery {
  definitions: DiscoveryDefinition[];
  /** Answers a call of one of the three tools; undefined for any other name. */
  call(name: string, args: unknown, interaction: Interaction, signal?: AbortSignal): Promise<ToolOutcome> | undefined;
}

const DEFAULT_RESULTS = 5;
const NAME = z.string().min(1).max(64).describe('Tool name from yemot_search');

const INPUTS = {
  yemot_search: z.strictObject({
    query: z.string().max(300).optional().describe('What to do, in English or Hebrew'),
    toolset: z.enum(TOOLSETS as [string, ...string[]]).optional().describe('Only this toolset; without a query, all its tools'),
    limit: z.int().min(1).max(20).default(DEFAULT_RESULTS).describe('Results to show'),
  }),
  yemot_describe: z.strictObject({ name: NAME }),
  yemot_call: z.strictObject({ name: NAME, arguments: z.looseObject({}).optional().describe("The tool's input (its inputSchema from yemot_describe)") }),
};
type DiscoveryTool = keyof typeof INPUTS;

const SEARCH_OUTPUT = z.object({
  found: z.number().describe('Matches in all; the best come first'),
  results: z.array(z.object({ name: z.string(), title: z.string(), yemot: z.string().describe('Yemot command(s)'), effect: z.string(), summary: z.string() })),
  off: z
    .array(z.object({ toolset: z.string(), adds: z.string(), turnOn: z.array(z.string()) }))
    .optional()
    .describe('Toolsets holding matches this server does not serve, and the settings that would'),
  next: z.string().optional(),
});

// MCP takes JSON Schema 2020-12 when a schema names no dialect: `$schema` would only cost context.
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  return json;
}

/** What the operator lets these tools do, the mfa flow included: a tool's effects its policy allows. */
const allowedEffects = (ctx: ToolContext, spec: ToolSpec): Effect[] => [...new Set(effectsOf(spec).filter((effect) => effectAllowed(ctx.policy, spec, effect)))];

/** yemot_call cannot be annotated per call: it carries the strongest effect any reachable tool may have. */
function callAnnotations(ctx: ToolContext, tools: readonly ToolSpec[]): { effect: Effect; annotations: Annotations } {
  const effects = tools.flatMap((spec) => allowedEffects(ctx, spec));
  const effect = effects.reduce<Effect>((strongest, next) => (EFFECT_RANK[next] > EFFECT_RANK[strongest] ? next : strongest), 'read');
  return { effect, annotations: ANNOTATIONS[effect] };
}

function definitionsFor(ctx: ToolContext, tools: readonly ToolSpec[]): DiscoveryDefinition[] {
  const { effect, annotations } = callAnnotations(ctx, tools);
  return [
    {
      name: 'yemot_search',
      title: 'Find Yemot tools',
      description: 'Find the tools for a task by words (English or Hebrew) or by toolset; best matches first, each with its Yemot command, effect and one line.',
      inputSchema: jsonSchema(INPUTS.yemot_search, 'input'),
      outputSchema: jsonSchema(SEARCH_OUTPUT, 'output'),
      annotations: ANNOTATIONS.read,
    },
    {
      name: 'yemot_describe',
      title: 'Describe a Yemot tool',
      description: "One tool's full definition: the input schema yemot_call takes for it, its output schema and annotations.",
      inputSchema: jsonSchema(INPUTS.yemot_describe, 'input'),
      annotations: ANNOTATIONS.read,
    },
    {
      name: 'yemot_call',
      title: 'Call a Yemot tool',
      description: `Call a tool by name with its arguments, under every check of a direct call (validation, policy, two-factor, confirmation); its result is the tool's. Annotated for the strongest effect this server allows: ${effect}.`,
      inputSchema: jsonSchema(INPUTS.yemot_call, 'input'),
      annotations,
    },
  ];
}

const invalid = (tool: string, problems: string[]) => new YemotError('INVALID_INPUT', `${tool}: ${problems.join('; ')}`, { hint: 'Fix the named field(s) and call again.' });

const answer = (structured: Record<string, unknown>): ToolOutcome => ({ isError: false, structured, content: [textBlock(structured)] });

/** A refusal before any tool runs (an unknown or unserved name), as the runner shapes its own. */
export function refusal(error: YemotError, secrets: Secrets): ToolOutcome {
  const structured = scrubDeep(error.toJSON(), secrets) as Record<string, unknown>;
  return { isError: true, structured, content: [textBlock(structured)] };
}

/** The first sentence of a summary: the one line a search result gives. */
const firstLine = (summary: string) => summary.split(/(?<=\.)\s+(?=[A-Z])/)[0];

/** The three tools over these (policy-selected) tools, dispatching every call to the runner. */
export function createDiscovery(ctx: ToolContext, tools: readonly ToolSpec[]): Discovery {
  const byName = new Map(tools.map((spec) => [spec.name, spec]));
  // Over the whole table, so a request for something left off finds where it is (and ranks as with every toolset on).
  const search = createSearch(TOOLS);
  const definitions = definitionsFor(ctx, tools);

  const find = (name: string): ToolSpec => {
    const spec = byName.get(name);
    if (spec) return spec;
    throw (
      notEnabled(name, ctx.policy) ??
      new YemotError('NOT_FOUND', `No tool named ${JSON.stringify(name)} on this server`, { hint: 'Find tools with yemot_search.' })
    );
  };

  function searchTools({ query, toolset, limit }: z.output<typeof INPUTS.yemot_search>): ToolOutcome {
    if (!query?.trim() && !toolset) throw invalid('yemot_search', ['query: give some words, or a toolset']);
    const inToolset = (spec: ToolSpec) => !toolset || spec.toolset === toolset;
    const ranked = (query?.trim() ? search(query).map((match) => match.spec) : TOOLS).filter(inToolset);
    const matches = ranked.filter((spec) => byName.has(spec.name));
    // What ranks among the best `limit` but is not served: never offered, only its toolset and the setting that serves it.
    const off = new Map<string, Set<string>>();
    for (const spec of ranked.slice(0, limit)) {
      const settings = notEnabled(spec.name, ctx.policy)?.details?.settings as string[] | undefined;
      if (settings) off.set(spec.toolset, new Set([...(off.get(spec.toolset) ?? []), ...settings]));
    }
    const results = matches
      .slice(0, limit)
      .map((spec) => ({ name: spec.name, title: spec.title, yemot: commandLine(spec), effect: allowedEffects(ctx, spec).join('|'), summary: firstLine(spec.summary) }));
    const next = [
      ...(matches.length === 0 ? [`No match: try other words, or a toolset (${TOOLSETS.join(', ')}).`] : []),
      ...(off.size ? ['Some matches are off on this server (see off): tell the person; the operator turns them on with the settings named, then restarts.'] : []),
    ];
    return answer({
      found: matches.length,
      results,
      ...(off.size && { off: [...off].map(([name, settings]) => ({ toolset: name, adds: TOOLSET_TABLE[name as Toolset].summary, turnOn: [...settings] })) }),
      ...(next.length && { next: next.join(' ') }),
    });
  }

  async function dispatch(tool: DiscoveryTool, args: unknown, interaction: Interaction, signal?: AbortSignal): Promise<ToolOutcome> {
    try {
      const parsed = INPUTS[tool].safeParse(args ?? {});
      if (!parsed.success) throw invalid(tool, parsed.error.issues.map((issue) => describeIssue(issue, INPUTS[tool], args ?? {})));
      const input = parsed.data as Record<string, unknown>;
      if (tool === 'yemot_search') return searchTools(parsed.data as z.output<typeof INPUTS.yemot_search>);
      const spec = find(input.name as string);
      if (tool === 'yemot_describe') return answer({ ...describeTool(spec) });
      // The arguments as they came: the parsed copy has lost an own __proto__ key, which the tool must refuse by name.
      return await runTool(ctx, spec, (args as { arguments?: unknown }).arguments, interaction, signal);
    } catch (error) {
      if (error instanceof YemotError) return refusal(error, ctx.secrets);
      throw error;
    }
  }

  return {
    definitions,
    call: (name, args, interaction, signal) => (Object.hasOwn(INPUTS, name) ? dispatch(name as DiscoveryTool, args, interaction, signal) : undefined),
  };
}
