import { childOf, parentOf } from './navigation.js';
import type { IvrTree, TreeLink, TreeNode } from './tree.js';

export interface RenderOptions {
  /**
   * 3,400 by default: about 2,000 tokens inside a JSON result. o200k reads tree lines at 1.75 (Hebrew titles) to
   * 2.15 characters a token: paths, digits and indentation are dense whatever the language.
   */
  maxChars?: number;
}

const TITLE_CHARS = 30;

/** `playfile_end_goto` in a playfile reads as `end`; `go_to_folder` in a go_to_folder as `go`. */
function linkName(link: TreeLink, type: string | undefined): string {
  if (link.via === type) return 'go';
  const short = link.via.replace(/_(?:goto|go_to|go_to_folder)$/, '');
  const bare = type !== undefined && short.startsWith(`${type}_`) ? short.slice(type.length + 1) : short;
  return bare === '' || /^[0-9]+$/.test(bare) ? short : bare;
}

/** Links the line itself already says: a numbered child is its own line; `#` up and `*` to the root are defaults. */
function isImplied(node: TreeNode, link: TreeLink): boolean {
  if (/^[0-9]+$/.test(link.via) && link.target === childOf(node.path, link.via)) return true;
  if (link.via === '#' && link.target === parentOf(node.path)) return true;
  return link.via === '*' && link.target === '/';
}

function linkText(node: TreeNode, link: TreeLink): string {
  const mark = link.broken ? '✗' : link.unchecked ? '?' : '';
  return `${linkName(link, node.type)}→${mark}${link.target}`;
}

/** Root folders Yemot itself keeps (EXT-INI §1.3, §1.4): no caller enters them, whatever type they inherit. */
const SYSTEM_FOLDERS: Readonly<Record<string, string>> = {
  '/Log': "Yemot's logs and reports",
  '/Messages': 'system messages for every extension',
  '/ConfBridgeAdminFiles': 'files an admin plays into a conference',
};

/**
 * What a line must say beyond the node itself: a system folder is not an extension, and a sub-folder of a menu that
 * no key and no link leads to (a name that is not a number, or a number of other than the menu's `digits`) is out of
 * the callers' reach.
 */
function reachNotes(root: TreeNode): Map<TreeNode, string> {
  const nodes = preorder(root);
  const links = nodes.flatMap((node) => node.links.map((link) => ({ from: node.path, to: link.target })));
  // A link from inside a folder (a sub-menu's # back up) does not bring a caller into it: only one from outside does.
  const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
  const reached = (path: string) => links.some((link) => link.to === path && !inside(link.from, path));
  const notes = new Map<TreeNode, string>();
  for (const node of nodes) {
    for (const child of node.children) {
      if (SYSTEM_FOLDERS[child.path]) notes.set(child, `system folder (${SYSTEM_FOLDERS[child.path]}), not an extension`);
      else if (node.type === 'menu' && !reached(child.path)) notes.set(child, 'no key or link reaches it');
    }
  }
  return notes;
}

function lineOf(node: TreeNode, folded: number, note?: string): string {
  if (note?.startsWith('system folder')) return `${'  '.repeat(node.depth)}${node.path} (${note})`;
  let head = `${'  '.repeat(node.depth)}${node.path} [${node.type ?? 'no type'}]`;
  if (node.title) {
    const title = node.title.replace(/\s+/g, ' ').replace(/"/g, "'");
    head += ` "${title.length > TITLE_CHARS ? `${title.slice(0, TITLE_CHARS - 1)}…` : title}"`;
  }
  if (node.files.audio) head += ` ${node.files.audio} audio`;
  if (node.files.tts) head += ` ${node.files.tts} tts`;
  const parts = [head];
  if (note) parts.push(note);
  if (node.type === 'menu' && !node.prompt) parts.push('no M1000!');
  parts.push(...node.links.filter((link) => !isImplied(node, link)).map((link) => linkText(node, link)));
  if (folded > 0) parts.push(`… ${folded} sub-folders not shown`);
  return parts.join(' · ');
}

function linesOf(node: TreeNode, folded: ReadonlySet<TreeNode>, notes: ReadonlyMap<TreeNode, string>, out: string[]): string[] {
  const open = !folded.has(node);
  out.push(lineOf(node, (node.folded?.folders ?? 0) + (open ? 0 : node.children.length), notes.get(node)));
  if (open) for (const child of node.children) linesOf(child, folded, notes, out);
  return out;
}

const preorder = (node: TreeNode): TreeNode[] => [node, ...node.children.flatMap(preorder)];

/**
 * The tree as chat text: one line per extension, its path first (what the edit tools take). Over `maxChars`,
 * deeper levels fold first; if the first level alone is still too long, it is cut.
 */
export function renderTree(tree: IvrTree, options: RenderOptions = {}): string {
  const maxChars = options.maxChars ?? 3_400;
  const root = tree.root;
  if (!root) return `No extension at ${tree.start}.`;
  const { extensions, broken, folded: notReadCount } = tree.totals;
  const header = `IVR from ${tree.start}: ${extensions} extensions read${broken ? `, ${broken} broken links (✗)` : ''}. Each line starts with the path the edit tools take.`;
  const byLimit = tree.truncated?.notRead ?? 0;
  const notRead = [
    byLimit ? `${byLimit} sub-folders not read (the read limit of ${tree.truncated?.maxNodes} extensions).` : '',
    notReadCount > byLimit ? `${notReadCount - byLimit} sub-folders below the depth limit of ${tree.maxDepth} not read.` : '',
  ].filter(Boolean).join(' ');
  const foldNote = (hidden: number) => (hidden ? `${hidden} extensions folded to fit (deepest first); build the tree from a deeper path to see them.` : '');
  const compose = (lines: string[]) => [header, ...lines, foldNote(extensions - lines.length), notRead].filter(Boolean).join('\n');

  // Deepest parents first, and at one depth the last ones first, so what is shown stays a top-down prefix. Folding
  // a parent then hides only its children: theirs were folded before it.
  const nodes = preorder(root);
  const foldable = nodes
    .map((node, index) => ({ node, index }))
    .filter(({ node }) => node !== root && node.children.length > 0)
    .sort((a, b) => b.node.depth - a.node.depth || b.index - a.index)
    .map(({ node }) => node);
  const notes = reachNotes(root);
  const lineLength = new Map(nodes.map((node) => [node, lineOf(node, node.folded?.folders ?? 0, notes.get(node)).length + 1]));
  let size = header.length + (notRead ? notRead.length + 1 : 0) + [...lineLength.values()].reduce((sum, length) => sum + length, 0);
  let shown = extensions;
  const folded = new Set<TreeNode>();
  const fits = () => size + (foldNote(extensions - shown) ? foldNote(extensions - shown).length + 1 : 0) <= maxChars;
  for (const node of foldable) {
    if (fits()) break;
    folded.add(node);
    for (const child of node.children) size -= lineLength.get(child) as number;
    shown -= node.children.length;
    const line = lineOf(node, (node.folded?.folders ?? 0) + node.children.length, notes.get(node)).length + 1;
    size += line - (lineLength.get(node) as number);
    lineLength.set(node, line);
  }
  const lines = linesOf(root, folded, notes, []);
  return fits() ? compose(lines) : cut(header, lines, extensions, notRead, maxChars);
}

/** Still too long with every level below the first folded: the first lines that fit, then how many were left out. */
function cut(header: string, lines: string[], extensions: number, notRead: string, maxChars: number): string {
  const tail = (kept: number) => [`${extensions - kept} more extensions not shown.`, notRead].filter(Boolean).join('\n');
  let size = header.length + 1 + tail(0).length;
  let kept = 0;
  while (kept < lines.length && size + lines[kept].length + 1 <= maxChars) {
    size += lines[kept].length + 1;
    kept += 1;
  }
  kept = Math.max(kept, 1);
  return [header, ...lines.slice(0, kept), tail(kept)].join('\n');
}
