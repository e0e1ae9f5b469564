import { data, el, replace } from './lib/dom.js';
import type { Json } from './lib/host.js';
import { t } from './lib/i18n.js';
import { errorBox, failed, read, type Reading } from './lib/result.js';
import { startView } from './lib/start.js';
import { showDetails } from './ivr/details.js';
import { dryRunBox, type DryRun } from './ivr/dry-run.js';
import { nodeId, renderTree, type Extension } from './ivr/tree.js';

/**
 * The IVR as a tree, opened by ivr_tree or dry_run_call: each extension's type, title and files, its keys as links
 * (broken ones marked), its settings and files on a click, and a dry-run call whose path lights up in the tree.
 * Every read is a call of the server's own tools.
 */

const root = el('main');
document.body.append(root);
let args: Json = {};

const nodeOf = (path: string) => document.getElementById(nodeId(path));

function go(path: string): void {
  const node = nodeOf(path);
  if (!node) return;
  for (let open = node.parentElement?.closest('details'); open; open = open.parentElement?.closest('details')) (open as HTMLDetailsElement).open = true;
  node.scrollIntoView({ block: 'nearest' });
  node.classList.remove('flash');
  void node.offsetWidth;
  node.classList.add('flash');
}

function highlight(run: DryRun | undefined): void {
  for (const marked of document.querySelectorAll('.on-path, .path-end')) marked.classList.remove('on-path', 'path-end');
  if (!run) return;
  for (const step of run.steps) nodeOf(step.at)?.classList.add('on-path');
  nodeOf(run.end.at)?.classList.add('path-end');
}

function render(tree: Reading, run: DryRun | undefined, start: string, keys: string): void {
  if (!tree.ok) return replace(root, errorBox(tree.data));
  const extensions = (tree.data.extensions ?? []) as Extension[];
  const totals = (tree.data.totals ?? {}) as { extensions?: number; broken?: number };
  const truncated = tree.data.truncated as { maxNodes?: number; notRead?: number } | undefined;
  const panel = el('aside', { class: 'details', 'aria-live': 'polite' });
  const dryRun = dryRunBox(host, start, keys, highlight);
  replace(
    root,
    el('h2', {}, 'IVR ', data(extensions[0]?.path ?? start, 'num')),
    el('p', { class: 'totals' }, t('extensions', { n: totals.extensions ?? extensions.length }), ' · ', el('span', { class: totals.broken ? 'bad' : '' }, t('brokenLinks', { n: totals.broken ?? 0 }))),
    truncated && el('p', { class: 'muted' }, t('truncated', { n: truncated.maxNodes ?? 0, m: truncated.notRead ?? 0 })),
    el('div', { class: 'layout' }, el('nav', {}, renderTree(extensions, { open: (path) => void showDetails(host, panel, path), go })), panel),
    dryRun.box,
  );
  if (run) dryRun.show(run);
}

/** The tree as data: the result itself when it has it, else ivr_tree again with `data: true`. */
async function treeFor(reading: Reading, given: Json): Promise<Reading> {
  if (!reading.ok || Array.isArray(reading.data.extensions)) return reading;
  const { path, maxDepth } = given;
  return host.callTool('ivr_tree', { ...(path !== undefined && { path }), ...(maxDepth !== undefined && { maxDepth }), data: true }).then(read, failed);
}

async function opened(reading: Reading): Promise<void> {
  if (Array.isArray(reading.data.steps)) {
    // dry_run_call: the whole tree, and its path lit.
    const run = reading.data as unknown as DryRun;
    const start = typeof args.path === 'string' ? args.path : '/';
    render(await treeFor({ ok: true, data: {} }, {}), run, start, String(args.keys ?? ''));
    return;
  }
  render(await treeFor(reading, args), undefined, typeof args.path === 'string' ? args.path : '/', '');
}

const host = startView('yemot-ivr-tree', {
  input: (given) => void (args = given),
  result: (result) => void opened(read(result)),
});
