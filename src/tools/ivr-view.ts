import { z } from 'zod';
import { tool, type Input } from '../call/command.js';
import { ivrPath } from '../call/ivr-path.js';
import { dryRunCall } from '../ivr/dry-run.js';
import { renderDryRun } from '../ivr/dry-run-render.js';
import { buildTree, renderTree } from '../ivr/tree.js';
import type { IvrTree, TreeNode } from '../ivr/tree.js';
import { ivrReader, modelPath, VIEW_READS } from './ivr-reader.js';
import { json } from './text-change.js';

/** Where seeing becomes changing: the tools that take a tree line's path. */
const EDIT_HINT = 'To change an extension: change_extension with its path (find keys with lookup_setting); to add one: create_extension; to take a change back: undo_change.';

// The extensions one tree reads at most (its link checks included), and the steps of one dry run.
const TREE_NODES = 300;
const DRY_RUN_STEPS = 40;

const startOf = (input: Input) => modelPath(typeof input.path === 'string' ? input.path : '/');

/** Each extension as data, top-down (its sub-extensions follow it, one level deeper). */
const flat = ({ children, name: _name, ...node }: TreeNode): Array<Omit<TreeNode, 'children' | 'name'>> => [node, ...children.flatMap(flat)];

/** The links to fix, each with the path and key to change. */
const brokenLinks = (tree: IvrTree) =>
  (tree.root ? flat(tree.root) : []).flatMap((node) =>
    node.links.filter((link) => link.broken).map((link) => ({ path: node.path, key: link.via, target: link.target, problem: link.problem ?? '' })),
  );

const treeKeywords = ['עץ', 'מבנה', 'שלוחות', 'קישור שבור', 'tree', 'map', 'overview', 'structure', 'broken link'];

export const ivrViewTools = [
  tool({
    name: 'ivr_tree',
    title: 'IVR tree',
    command: 'GetIVR2Dir',
    reads: VIEW_READS,
    toolset: 'files',
    effect: 'read',
    summary: 'The IVR as a tree from a folder: each extension\'s type, title, files and where each key leads; broken links marked ✗.',
    keywords: treeKeywords,
    params: {
      path: ivrPath('Start folder; default /').optional(),
      maxDepth: z.number().int().min(0).max(10).optional().describe('Levels below path; default 4'),
      data: z.boolean().optional().describe('true: each extension also as data'),
    },
    transfer: async ({ ctx, signal }, input) => {
      const tree = await buildTree(ivrReader(ctx, { signal }), { root: startOf(input), maxDepth: input.maxDepth as number | undefined, maxNodes: TREE_NODES, signal });
      return json({
        text: tree.root ? `${renderTree(tree)}\n${EDIT_HINT}` : renderTree(tree),
        totals: tree.totals,
        broken: brokenLinks(tree),
        ...(tree.truncated && { truncated: tree.truncated }),
        ...(input.data === true && tree.root && { extensions: flat(tree.root) }),
      });
    },
    outcome: (answer, input) =>
      (answer.totals as IvrTree['totals']).extensions === 0
        ? { failure: 'NOT_FOUND', message: `there is no extension ${startOf(input)}`, next: 'Check the path with read_ivr (GetIVR2Dir of its parent folder).' }
        : undefined,
    output: {
      text: z.string(),
      totals: z.looseObject({ extensions: z.number() }),
      broken: z.array(z.looseObject({ path: z.string(), key: z.string() })),
      extensions: z.array(z.looseObject({ path: z.string() })),
    },
    examples: [{ path: '1' }, { path: '/', maxDepth: 1, data: true }],
  }),
  tool({
    name: 'dry_run_call',
    title: 'Simulate a call',
    command: 'GetIVR2Dir',
    reads: VIEW_READS,
    toolset: 'files',
    effect: 'read',
    summary: 'Walk the IVR as a caller pressing keys: what they hear and where the call goes; nothing is dialled.',
    keywords: ['ניסיון', 'בדיקה', 'הקשה', 'מקשים', 'מתקשר', 'simulate', 'test call', 'press', 'שומע', 'מקיש', 'מה שומע', 'hears', 'presses'],
    params: {
      path: ivrPath('Extension the call starts in; default /').optional(),
      keys: z.string().regex(/^[0-9*#]{0,30}$/, 'only 0-9, * and #, at most 30').optional().describe('Keys pressed in order, e.g. 2 or 12#'),
    },
    transfer: async ({ ctx, signal }, input) => {
      const start = startOf(input);
      const keys = typeof input.keys === 'string' ? input.keys : '';
      const run = await dryRunCall(ivrReader(ctx, { systemWide: true, signal }), { start, keys, maxSteps: DRY_RUN_STEPS, signal });
      return json({ text: renderDryRun(run, start, keys), end: run.end, steps: run.steps });
    },
    output: { text: z.string(), end: z.looseObject({ kind: z.string(), at: z.string() }), steps: z.array(z.looseObject({ at: z.string() })) },
    examples: [{ keys: '2' }, { path: '1', keys: '' }],
  }),
];
