import { data, el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** One extension as ivr_tree gives it with `data: true` (src/ivr/tree.ts TreeNode, without its children). */
export interface Extension {
  path: string;
  depth: number;
  type?: string;
  title?: string;
  files?: { audio?: number; tts?: number };
  links?: Array<{ via: string; target: string; broken?: boolean; problem?: string }>;
  folded?: { folders: number };
}

export interface TreeActions {
  /** The person asked for an extension's settings and files. */
  open(path: string): void;
  /** The person followed a key's link. */
  go(path: string): void;
}

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';
export const nodeId = (path: string) => `node-${encodeURIComponent(path)}`;

function row(extension: Extension, actions: TreeActions): HTMLElement {
  const { audio = 0, tts = 0 } = extension.files ?? {};
  // `key → target` reads left to right in any language, like the paths it names.
  const links = (extension.links ?? []).map((link) =>
    link.broken
      ? el('span', { class: 'link broken', dir: 'ltr', 'data-via': link.via, 'data-target': link.target, title: link.problem ?? t('broken') }, `${link.via} → ✗ `, data(link.target))
      : el('a', { class: 'link', dir: 'ltr', href: '#', 'data-via': link.via, 'data-target': link.target, onclick: (event: Event) => (event.preventDefault(), actions.go(link.target)) }, `${link.via} → `, data(link.target)),
  );
  return el(
    'span',
    { class: 'row' },
    el('button', { class: 'name', 'data-open': extension.path, onclick: (event: Event) => (event.preventDefault(), actions.open(extension.path)) }, data(extension.path, 'num')),
    extension.type && el('span', { class: 'type' }, extension.type),
    extension.title && data(extension.title, 'title'),
    audio > 0 && el('span', { class: 'files' }, t('audio', { n: audio })),
    tts > 0 && el('span', { class: 'files' }, t('tts', { n: tts })),
    extension.folded && el('span', { class: 'muted' }, t('folded', { n: extension.folded.folders })),
    links.length > 0 && el('span', { class: 'links' }, ...links),
  );
}

/** The extensions, top-down as ivr_tree lists them, as nested collapsible nodes. */
export function renderTree(extensions: Extension[], actions: TreeActions): HTMLElement {
  const top = el('ul', { class: 'tree', role: 'tree' });
  const groups = new Map<string, HTMLElement>();
  for (const extension of extensions) {
    const group = el('ul', { role: 'group' });
    const node = el('details', { open: true, id: nodeId(extension.path), 'data-path': extension.path }, el('summary', {}, row(extension, actions)), group);
    groups.set(extension.path, group);
    const item = el('li', { role: 'treeitem' }, node);
    // The first is the start of the tree (maybe `/`, its own parent by the path's spelling).
    (extension === extensions[0] ? top : (groups.get(parentOf(extension.path)) ?? top)).append(item);
  }
  for (const group of groups.values()) if (!group.childElementCount) group.closest('details')?.classList.add('leaf');
  return top;
}
