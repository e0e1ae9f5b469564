import type { Input, ToolSpec } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { NO_INTERACTION, type Interaction } from '../call/interaction.js';
import { runTool } from '../call/run.js';
import { listViews, readView } from './views.js';

/**
 * The IVR as MCP resources: the tree, and each extension's ext.ini by a URI template whose path completes. Every
 * read is a call of a registered tool through the runner, so the operator's policy and the two-factor gate apply
 * exactly as to the tool; a resource whose tool is not registered is not offered.
 */

export const TREE_URI = 'yemot://ivr/tree';
export const EXT_INI_TEMPLATE = 'yemot://ivr/{+path}/ext.ini';
const IVR = 'yemot://ivr/';
const EXT_INI = 'ext.ini';
// The MCP limit on the values of one completion.
const MAX_COMPLETIONS = 100;

interface Offered {
  name: string;
  title: string;
  description: string;
  mimeType: string;
  /** The tool a read runs. */
  tool: string;
}

const RESOURCES: Array<Offered & { uri: string }> = [
  { uri: TREE_URI, name: 'ivr-tree', title: 'The IVR tree', description: 'Every extension: type, title, files, where each key leads; broken links ✗ (ivr_tree).', mimeType: 'text/plain', tool: 'ivr_tree' },
  { uri: `${IVR}${EXT_INI}`, name: 'root-ext-ini', title: 'ext.ini of the root', description: 'The main extension\'s settings (read_ivr GetTextFile).', mimeType: 'text/plain', tool: 'read_ivr' },
];

const TEMPLATES: Array<Offered & { uriTemplate: string }> = [
  { uriTemplate: EXT_INI_TEMPLATE, name: 'ext-ini', title: 'ext.ini of an extension', description: 'Its settings, e.g. yemot://ivr/1/2/ext.ini (read_ivr GetTextFile).', mimeType: 'text/plain', tool: 'read_ivr' },
];

const offered = <T extends Offered>(list: T[], tools: ReadonlyMap<string, ToolSpec>) => list.filter((entry) => tools.has(entry.tool)).map(({ tool: _tool, ...entry }) => entry);
/** The IVR resources, and the views where the client renders them. */
export const listResources = (tools: ReadonlyMap<string, ToolSpec>, views = false) => [...offered(RESOURCES, tools), ...(views ? listViews(tools) : [])];
export const listResourceTemplates = (tools: ReadonlyMap<string, ToolSpec>) => offered(TEMPLATES, tools);

/** What a resource read calls: a tool, its arguments, and the field of its result that is the resource's text. */
function callOf(uri: string): { tool: string; args: Input; field: string } | undefined {
  if (uri === TREE_URI) return { tool: 'ivr_tree', args: {}, field: 'text' };
  if (!uri.startsWith(IVR) || !uri.endsWith(EXT_INI)) return undefined;
  const folder = uri.slice(IVR.length, -EXT_INI.length);
  if (folder !== '' && !folder.endsWith('/')) return undefined;
  try {
    // The path is checked by the tool's own path field, which names it in its refusal.
    return { tool: 'read_ivr', args: { command: 'GetTextFile', what: `${decodeURIComponent(folder)}${EXT_INI}` }, field: 'contents' };
  } catch {
    return undefined;
  }
}

/** A read that gives no resource: the URI names none (`notFound`), or the tool refused (its error as `data`). */
export class ResourceRefused extends Error {
  constructor(
    message: string,
    readonly notFound: boolean,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ResourceRefused';
  }
}

export async function readResource(ctx: ToolContext, tools: ReadonlyMap<string, ToolSpec>, uri: string, interaction: Interaction, signal?: AbortSignal) {
  if (uri.startsWith('ui://')) return viewResource(uri);
  const call = callOf(uri);
  const spec = call && tools.get(call.tool);
  if (!call || !spec) throw new ResourceRefused(`Resource not found: ${uri}`, true);
  const outcome = await runTool(ctx, spec, call.args, interaction, signal);
  const { structured } = outcome;
  if (outcome.isError) throw new ResourceRefused(`${String(structured.error)}: ${String(structured.message)}`, false, structured);
  return { uri, mimeType: 'text/plain', text: String(structured[call.field] ?? '') };
}

/** A view is static HTML, not a call: it reaches nothing by being read, and every call it makes is a tools/call. */
function viewResource(uri: string) {
  let view;
  try {
    view = readView(uri);
  } catch (error) {
    throw new ResourceRefused((error as Error).message, false);
  }
  if (!view) throw new ResourceRefused(`Resource not found: ${uri}`, true);
  return view;
}

/**
 * The folder paths that complete what was typed into the template's `path` (`1/1` → `1/10`, `1/100`): the
 * sub-folders of the typed parent, by one GetIVR2Dir through read_ivr. Completion asks the person nothing, so a
 * call the gate refuses completes to nothing.
 */
export async function completeResource(ctx: ToolContext, tools: ReadonlyMap<string, ToolSpec>, template: string, argument: string, value: string, signal?: AbortSignal) {
  const spec = tools.get('read_ivr');
  if (template !== EXT_INI_TEMPLATE || argument !== 'path' || !spec) return { values: [], hasMore: false };
  const typed = value.replace(/^\/+/, '');
  const cut = typed.lastIndexOf('/');
  const parent = typed.slice(0, Math.max(cut, 0));
  const outcome = await runTool(ctx, spec, { command: 'GetIVR2Dir', path: parent || '/', filesLimit: 1 }, NO_INTERACTION, signal);
  const dirs = outcome.isError || !Array.isArray(outcome.structured.dirs) ? [] : (outcome.structured.dirs as Array<{ name?: unknown }>);
  const values = dirs
    .map((dir) => String(dir.name ?? ''))
    .filter((name) => name !== '' && name.startsWith(typed.slice(cut + 1)))
    .map((name) => (parent ? `${parent}/${name}` : name));
  return { values: values.slice(0, MAX_COMPLETIONS), total: values.length, hasMore: values.length > MAX_COMPLETIONS };
}
