import { readFileSync } from 'node:fs';
import { CONFIRMED_EFFECTS, effectsOf, type ToolSpec } from '../call/command.js';

/**
 * The MCP Apps views (`ui://` resources a host renders inside the conversation), as data: which tools open which
 * view. A client that declares it renders apps gets each tool's view in tools/list (`_meta.ui.resourceUri`) and
 * the views in resources/list; any other client sees neither, and every result stays complete text either way.
 * Each view is one self-contained HTML file built from views/ by `npm run build` (scripts/views.mjs).
 */

/** The MCP Apps extension and the only content type it defines (SEP-1865, 2026-01-26). */
export const APPS_EXTENSION = 'io.modelcontextprotocol/ui';
export const APP_MIME = 'text/html;profile=mcp-app';
/** Where a result carries the token of a confirmation the person gives in a view's card: `_meta`, which hosts keep from the model. */
export const CARD_META = 'yemot-mcp/confirm';

export interface View {
  /** The file name under dist/views/ and the source entry under views/. */
  name: string;
  title: string;
  description: string;
  /** The tools whose results it shows; `confirmed`: every tool with a spend, delete or irreversible effect that no other view shows. */
  tools: readonly string[] | 'confirmed';
}

export const VIEWS: readonly View[] = [
  { name: 'ivr-tree', title: 'The IVR tree', description: 'Extensions as a tree, keys as links, broken ones marked; settings and files on a click; a dry-run call.', tools: ['ivr_tree', 'dry_run_call'] },
  { name: 'campaign', title: 'A campaign', description: 'Progress, outcomes, units against the estimate, each number\'s state; stop and pause.', tools: ['run_campaign', 'get_campaign_status', 'campaign_action'] },
  { name: 'confirm', title: 'Confirmation card', description: 'The preview of a spend, delete or irreversible change, with the button that sends it.', tools: 'confirmed' },
];

export const viewUri = (view: View) => `ui://yemot/${view.name}`;

const confirmed = (spec: ToolSpec) => effectsOf(spec).some((effect) => CONFIRMED_EFFECTS.has(effect));

/** The view a tool's results open, if any. */
export function viewOf(spec: ToolSpec): View | undefined {
  return VIEWS.find((view) => view.tools !== 'confirmed' && view.tools.includes(spec.name)) ?? (confirmed(spec) ? VIEWS.find((view) => view.tools === 'confirmed') : undefined);
}

/** Whether the client said it renders MCP Apps views (its initialize capabilities). */
export function rendersViews(capabilities: { extensions?: Record<string, object> } | undefined): boolean {
  const extension = capabilities?.extensions?.[APPS_EXTENSION] as { mimeTypes?: unknown } | undefined;
  return Array.isArray(extension?.mimeTypes) && extension.mimeTypes.includes(APP_MIME);
}

/** A tools/list entry with its view, for a client that renders them. */
export function withView<T extends object>(definition: T, spec: ToolSpec): T {
  const view = viewOf(spec);
  return view ? { ...definition, _meta: { ui: { resourceUri: viewUri(view) } } } : definition;
}

/** The views some registered tool opens, as resources/list entries. */
export function listViews(tools: ReadonlyMap<string, ToolSpec>) {
  const opened = new Set([...tools.values()].flatMap((spec) => viewOf(spec)?.name ?? []));
  return VIEWS.filter((view) => opened.has(view.name)).map((view) => ({ uri: viewUri(view), name: view.name, title: view.title, description: view.description, mimeType: APP_MIME }));
}

// From dist/surface/ and from src/surface/ alike, the package root is two levels up; the build writes dist/views/.
const VIEWS_DIR = new URL('../../dist/views/', import.meta.url);
const built = new Map<string, string>();

/** A view's HTML as the build wrote it; undefined for a URI that names no view, and an Error when it is not built. */
export function readView(uri: string): { uri: string; mimeType: string; text: string; _meta: Record<string, unknown> } | undefined {
  const view = VIEWS.find((candidate) => viewUri(candidate) === uri);
  if (!view) return undefined;
  let html = built.get(view.name);
  if (html === undefined) {
    try {
      html = readFileSync(new URL(`${view.name}.html`, VIEWS_DIR), 'utf8');
    } catch {
      throw new Error(`The view ${uri} is not built: run \`npm run build\``);
    }
    built.set(view.name, html);
  }
  // No csp: the host's restrictive default (no network at all) is what a view needs.
  return { uri, mimeType: APP_MIME, text: html, _meta: { ui: { prefersBorder: true } } };
}
