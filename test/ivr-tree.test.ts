import { describe, expect, it } from 'vitest';
import { buildTree, renderTree } from '../src/ivr/tree.js';
import type { TreeNode } from '../src/ivr/tree.js';
import { PLANTED, fakeIvr, generatedIvr } from './ivr-tree-fake.js';

const all = (node: TreeNode): TreeNode[] => [node, ...node.children.flatMap(all)];
const find = (node: TreeNode, path: string) => all(node).find((each) => each.path === path) as TreeNode;

describe('IVR tree of a planted IVR', () => {
  it('lists the menu keys, the navigation keys and flags the broken link', async () => {
    const tree = await buildTree(fakeIvr(PLANTED));
    const root = tree.root as TreeNode;
    expect(root.children.map((child) => child.path)).toEqual(['/1', '/2', '/3', '/4', '/5', '/6', '/7', '/8']);
    expect(root.links).toEqual(['1', '2', '3', '4', '5', '6', '7', '8'].map((key) => ({ via: key, target: `/${key}` })));
    expect(root).toMatchObject({ type: 'menu', title: 'Main', prompt: 'M1000.wav', welcome: 'M0000.tts' });
    expect(find(root, '/1')).toMatchObject({ type: 'playfile', files: { audio: 1, tts: 1, messages: 0, other: 2, total: 4 }, links: [{ via: 'playfile_end_goto', target: '/' }] });
    expect(find(root, '/1').endsBack).toBeUndefined();
    expect(find(root, '/2').endsBack).toBe(true);
    expect(find(root, '/4').links).toEqual([{ via: 'go_to_folder', target: '/1' }]);
    expect(find(root, '/5').links).toEqual([
      { via: 'go_to_folder_time_1', target: '/1' },
      { via: 'go_to_folder_time_error_goto', target: '/6' },
    ]);
    expect(find(root, '/7').links).toEqual([
      { via: '1', target: '/7/1' },
      { via: '#', target: '/' },
      { via: '*', target: '/' },
      { via: 'timeout_goto', target: '/9', broken: true, problem: 'no such extension' },
    ]);
    expect(find(root, '/8/1').links).toEqual([{ via: 'go_to_folder', target: '/8' }]);
    expect(tree.totals).toMatchObject({ extensions: 11, broken: 1, folded: 0 });
    expect(tree.truncated).toBeUndefined();
  });

  // An agent told an owner that /Log and a named folder were extensions a caller could press.
  it('says which sub-folders of a menu no key or link reaches, and shows a system folder as one, not an extension', async () => {
    const text = renderTree(
      await buildTree(
        fakeIvr({
          '/': { ini: { type: 'menu', star_extension: 'yes', timeout_goto: '/linked' }, files: { 'M1000.wav': 'x' } },
          '/1': { ini: { type: 'playfile' } },
          '/Star': { ini: { type: 'playfile' } },
          '/office': { ini: { type: 'playfile' } },
          '/linked': { ini: { type: 'playfile' } },
          '/Log': {},
        }),
      ),
    );
    // A sub-menu's # back up to its folder does not bring a caller into that folder.
    const withSubMenu = renderTree(
      await buildTree(
        fakeIvr({
          '/': { ini: { type: 'menu' }, files: { 'M1000.wav': 'x' } },
          '/office': { ini: { type: 'menu' }, files: { 'M1000.wav': 'x' } },
          '/office/1': { ini: { type: 'menu' }, files: { 'M1000.wav': 'x' } },
        }),
      ),
    );
    expect(withSubMenu).toContain('\n  /office [menu] · no key or link reaches it\n');
    expect(text.split('\n').slice(2)).toEqual([
      '  /1 [playfile]',
      "  /Log (system folder (Yemot's logs and reports), not an extension)",
      '  /Star [playfile]',
      '  /linked [playfile]',
      '  /office [playfile] · no key or link reaches it',
    ]);
  });

  it('renders one line per extension with its path, ✗ on the broken link', async () => {
    const text = renderTree(await buildTree(fakeIvr(PLANTED)));
    const lines = text.split('\n');
    expect(lines[0]).toContain('1 broken links');
    expect(lines.slice(1)).toEqual([
      '/ [menu] "Main"',
      '  /1 [playfile] "Sales" 1 audio 1 tts · end→/',
      '  /2 [queue]',
      '  /3 [api] · end→/6',
      '  /4 [go_to_folder] · go→/1',
      '  /5 [go_to_folder_time] · go_to_folder_time_1→/1 · error→/6',
      '  /6 [hangup]',
      '  /7 [menu] · timeout→✗/9',
      '    /7/1 [play_and_return]',
      '  /8 [go_to_folder] · go→/8/1',
      '    /8/1 [go_to_folder] · go→/8',
    ]);
  });

  it('says when a menu has no prompt and when # or * are moved', async () => {
    const text = renderTree(await buildTree(fakeIvr({ ...PLANTED, '/7': { ini: { type: 'menu', up: '0', root: '9' } } })));
    expect(text).toContain('  /7 [menu] · no M1000! · 0→/ · 9→/');
  });

  it('reads each folder once, four at a time, and invalid targets are broken', async () => {
    const ivr = fakeIvr({ ...PLANTED, '/2': { ini: { type: 'queue', queue_exit: '../..', queue_end_goto: 'hangup' } } });
    const tree = await buildTree(ivr);
    expect([...ivr.reads.values()].every((count) => count === 1)).toBe(true);
    expect(ivr.maxInFlight).toBeLessThanOrEqual(4);
    expect(find(tree.root as TreeNode, '/2').links).toEqual([
      { via: 'queue_exit', target: '../..', broken: true, problem: '"../.." from /2 goes above the root' },
      { via: 'queue_end_goto', target: 'hangup' },
    ]);
  });

  it('a branch: root= starts lower, maxDepth folds with the right counts', async () => {
    const tree = await buildTree(fakeIvr(PLANTED), { root: '/7', maxDepth: 0 });
    expect(tree.root).toMatchObject({ path: '/7', depth: 0, children: [], folded: { folders: 1 } });
    expect(renderTree(tree)).toContain('\n/7 [menu] · timeout→✗/9 · … 1 sub-folders not shown\n1 sub-folders below the depth limit of 0 not read.');
    expect((await buildTree(fakeIvr(PLANTED), { root: '/nothing' })).root).toBeUndefined();
    expect(renderTree(await buildTree(fakeIvr(PLANTED), { root: '/nothing' }))).toBe('No extension at /nothing.');
  });

  it('past the read limit a link target is left unchecked, not called broken', async () => {
    const tree = await buildTree(fakeIvr(PLANTED), { root: '/7', maxNodes: 2 });
    expect(tree.root?.links).toContainEqual({ via: 'timeout_goto', target: '/9', unchecked: true });
    expect(renderTree(tree)).toContain('timeout→?/9');
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const building = buildTree(fakeIvr(PLANTED), { signal: controller.signal });
    controller.abort();
    await expect(building).rejects.toThrow();
  });
});

describe('IVR tree of a generated IVR', () => {
  it('2,000 extensions: the depth and node bounds hold, folded counts are right, the text fits', async () => {
    const { folders, subFolders } = generatedIvr(2_000);
    const ivr = fakeIvr(folders);
    const tree = await buildTree(ivr, { maxDepth: 4, maxNodes: 300 });
    const nodes = all(tree.root as TreeNode);
    expect(nodes).toHaveLength(300);
    expect(tree.totals.extensions).toBe(300);
    expect(Math.max(...nodes.map((node) => node.depth))).toBeLessThanOrEqual(4);
    for (const node of nodes) expect(node.children.length + (node.folded?.folders ?? 0)).toBe(subFolders.get(node.path));
    expect(tree.totals.folded).toBe(nodes.reduce((sum, node) => sum + (subFolders.get(node.path) as number), 0) - 299);
    expect(tree.truncated).toEqual({ maxNodes: 300, notRead: tree.totals.folded });
    expect([...ivr.reads.keys()].filter((key) => key.startsWith('list:')).length).toBeLessThanOrEqual(300);
    expect([...ivr.reads.values()].every((count) => count === 1)).toBe(true);
    expect(ivr.maxInFlight).toBe(4);
    const text = renderTree(tree);
    expect(text.length).toBeLessThanOrEqual(3_400);
    const shown = text.split('\n').filter((line) => /^\s*\//.test(line));
    const hidden = Number(/(\d+) extensions folded to fit/.exec(text)?.[1] ?? 0);
    expect(shown.length + hidden).toBe(300);
    expect(text).toContain(`${tree.totals.folded} sub-folders not read (the read limit of 300 extensions).`);
  });

  it('a shallow depth limit folds every deeper folder, counted per extension', async () => {
    const { folders, subFolders } = generatedIvr(2_000);
    const tree = await buildTree(fakeIvr(folders), { maxDepth: 2, maxNodes: 1_000 });
    const nodes = all(tree.root as TreeNode);
    expect(nodes).toHaveLength(1 + 9 + 81);
    for (const node of nodes.filter((each) => each.depth === 2)) expect(node.folded).toEqual({ folders: subFolders.get(node.path) });
    expect(tree.truncated).toBeUndefined();
    expect(tree.totals.folded).toBe(729);
  });

  it('200 extensions render in at most 3,400 characters, folding deeper levels first', async () => {
    const tree = await buildTree(fakeIvr(generatedIvr(200).folders), { maxDepth: 4, maxNodes: 300 });
    expect(tree.totals.extensions).toBe(200);
    const text = renderTree(tree);
    expect(text.length).toBeLessThanOrEqual(3_400);
    const shown = text.split('\n').filter((line) => /^\s*\//.test(line));
    const hidden = Number(/(\d+) extensions folded to fit/.exec(text)?.[1] ?? 0);
    expect(shown.length + hidden).toBe(200);
    const full = renderTree(tree, { maxChars: 100_000 });
    expect(full.split('\n').filter((line) => /^\s*\//.test(line))).toHaveLength(200);
  });

  it('a level too wide for the budget is cut and says how many lines were left out', async () => {
    const tree = await buildTree(fakeIvr(generatedIvr(300, 299).folders), { maxDepth: 4, maxNodes: 300 });
    const text = renderTree(tree, { maxChars: 2_000 });
    expect(text.length).toBeLessThanOrEqual(2_000);
    const shown = text.split('\n').filter((line) => /^\s*\//.test(line)).length;
    expect(text).toContain(`${300 - shown} more extensions not shown.`);
  });
});
