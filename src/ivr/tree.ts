import { countFiles, messageFile } from './nav-files.js';
import type { FileCounts } from './nav-files.js';
import { END_KEY } from './nav-keys.js';
import { limiter, memoized } from './nav-reader.js';
import type { IvrListing, IvrReader } from './nav-reader.js';
import { childOf, parentOf, resolveTarget } from './navigation.js';
import { byFolderName, linksOf } from './tree-links.js';

export type { IvrListing, IvrReader } from './nav-reader.js';
export { renderTree } from './tree-render.js';

export interface TreeLink {
  /** The key pressed (`1`, `#`, `*`) or the ext.ini key that moves the caller. */
  via: string;
  /** A canonical path or `hangup`; the value as written when it is invalid. */
  target: string;
  /** The target folder does not exist, or the value is not a place. */
  broken?: true;
  /** Why the value is not a place. */
  problem?: string;
  /** Not checked: the read limit was reached first. */
  unchecked?: true;
}

export interface TreeNode {
  path: string;
  name: string;
  depth: number;
  type?: string;
  title?: string;
  files: FileCounts;
  /** The file the module itself opens with: `M1000` for a menu, `M0002` for play_and_return. */
  prompt?: string;
  /** `M0000`, played on entry before the module. */
  welcome?: string;
  links: TreeLink[];
  /** The module goes back one level when done: its end key is not set. */
  endsBack?: true;
  children: TreeNode[];
  /** Sub-folders that exist but were not read (depth or read limit). */
  folded?: { folders: number };
}

export interface IvrTree {
  start: string;
  maxDepth: number;
  /** Undefined when the start folder does not exist. */
  root?: TreeNode;
  totals: { extensions: number; audio: number; tts: number; links: number; broken: number; folded: number };
  /** The read limit stopped the walk: `notRead` sub-folders at the last level were left out. */
  truncated?: { maxNodes: number; notRead: number };
}

export interface TreeOptions {
  root?: string;
  maxDepth?: number;
  maxNodes?: number;
  signal?: AbortSignal;
}

const PROMPT: Readonly<Record<string, string>> = { menu: 'M1000', play_and_return: 'M0002' };
const EMPTY: IvrListing = { folders: [], files: [] };

interface Read {
  node: TreeNode;
  listing: IvrListing;
  settings: Record<string, string>;
}

function nodeOf(path: string, depth: number, listing: IvrListing, settings: Record<string, string>, known: { type?: string; title?: string }): TreeNode {
  const type = settings.type?.trim() || known.type;
  const title = settings.title?.trim() || known.title;
  const endKey = type === undefined ? undefined : END_KEY[type];
  const prompt = type === undefined || !PROMPT[type] ? undefined : messageFile(listing.files, PROMPT[type]);
  const welcome = messageFile(listing.files, 'M0000');
  return {
    path,
    name: path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1),
    depth,
    ...(type ? { type } : {}),
    ...(title ? { title } : {}),
    files: countFiles(listing.files),
    ...(prompt ? { prompt } : {}),
    ...(welcome ? { welcome } : {}),
    links: [],
    ...(endKey !== undefined && !settings[endKey]?.trim() ? { endsBack: true as const } : {}),
    children: [],
  };
}

/**
 * The extensions under `root`, breadth first so that a read limit cuts the deepest level: every folder is listed
 * and its settings read once, four reads at a time, at most `maxNodes` folders in all (link checks included).
 */
export async function buildTree(reader: IvrReader, options: TreeOptions = {}): Promise<IvrTree> {
  const { maxDepth = 4, maxNodes = 300, signal } = options;
  const start = resolveTarget('/', options.root ?? '/');
  if (start.kind !== 'folder') throw new Error(start.kind === 'invalid' ? start.reason : 'the tree starts at a folder, not at hangup');
  const run = limiter(4);
  const listed = new Set<string>();
  const list = memoized((path) => {
    listed.add(path);
    return run(() => reader.list(path, signal));
  });
  const settingsOf = memoized((path) => run(() => reader.settings(path, signal)));
  const canList = (path: string) => listed.has(path) || listed.size < maxNodes;

  const readFolder = async (path: string, depth: number, known: { type?: string; title?: string }): Promise<Read> => {
    const [listing, settings] = await Promise.all([list(path), settingsOf(path)]);
    const folders = [...(listing ?? EMPTY).folders].sort(byFolderName);
    const sorted = { folders, files: (listing ?? EMPTY).files };
    return { node: nodeOf(path, depth, sorted, settings ?? {}, known), listing: sorted, settings: settings ?? {} };
  };

  const totals = { extensions: 0, audio: 0, tts: 0, links: 0, broken: 0, folded: 0 };
  if ((await list(start.path)) === undefined) return { start: start.path, maxDepth, totals };
  const reads = [await readFolder(start.path, 0, {})];
  let level = reads;
  let notRead = 0;
  for (let depth = 1; depth <= maxDepth && level.length > 0; depth += 1) {
    signal?.throwIfAborted();
    const wanted = level.flatMap((parent) => parent.listing.folders.map((entry) => ({ parent, entry })));
    const taken = wanted.slice(0, Math.max(0, maxNodes - listed.size));
    notRead += wanted.length - taken.length;
    level = await Promise.all(taken.map(({ parent, entry }) => readFolder(childOf(parent.node.path, entry.name), depth, entry)));
    level.forEach((read, index) => taken[index].parent.node.children.push(read.node));
    reads.push(...level);
  }

  const exists = async (path: string): Promise<boolean | undefined> => {
    const parent = parentOf(path);
    if (parent === undefined) return true;
    if (!canList(parent)) return undefined;
    const listing = await list(parent);
    return listing !== undefined && listing.folders.some((entry) => path === childOf(parent, entry.name));
  };
  await Promise.all(
    reads.map(async ({ node, listing, settings }) => {
      node.links = await Promise.all(
        linksOf(node.path, settings, listing).map(async ({ via, target }): Promise<TreeLink> => {
          if (target.kind === 'hangup') return { via, target: 'hangup' };
          if (target.kind === 'invalid') return { via, target: settings[via] ?? via, broken: true, problem: target.reason };
          const found = await exists(target.path);
          if (found === undefined) return { via, target: target.path, unchecked: true };
          return found ? { via, target: target.path } : { via, target: target.path, broken: true, problem: 'no such extension' };
        }),
      );
    }),
  );

  for (const { node, listing } of reads) {
    const folded = listing.folders.length - node.children.length;
    if (folded > 0) node.folded = { folders: folded };
    totals.extensions += 1;
    totals.audio += node.files.audio;
    totals.tts += node.files.tts;
    totals.links += node.links.length;
    totals.broken += node.links.filter((link) => link.broken).length;
    totals.folded += folded;
  }
  return {
    start: start.path,
    maxDepth,
    root: reads[0].node,
    totals,
    ...(notRead > 0 ? { truncated: { maxNodes, notRead } } : {}),
  };
}
