import { readFileSync } from 'node:fs';
import { encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startSandbox } from '../src/sandbox/index.js';
import type { VfsFile, VfsFolder } from '../src/sandbox/vfs.js';
import { toneWav } from '../src/sandbox/wav.js';
import { sandbox, useDemoSandbox } from './demo-sandbox.js';
import { startHarness, type Harness } from './harness.js';
import { generatedIvr, type FakeFolder } from './ivr-tree-fake.js';

/**
 * ivr_tree, dry_run_call and the IVR resources through a real MCP client against the simulator's demo IVR, whose
 * main menu leads to a lessons menu without a prompt (1), a playfile whose playfile_end_goto names a folder that
 * does not exist (2), an API extension (3) and two queues (5, 6).
 */

/** What a view may send: its reads, and the two-factor probe before it. */
const READS = new Set(['GetIVR2Dir', 'GetTextFile', 'CheckIfFolderExists']);
const WELCOME = 'TTS: שלום וברוכים הבאים לישיבת אור החיים';

useDemoSandbox();
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ use: sandbox });
});
afterAll(() => harness.close());

const file = (data: string | Uint8Array): VfsFile => ({ data, mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' });
const ini = (settings: Record<string, string>) => file(Object.entries(settings).map(([key, value]) => `${key}=${value}\n`).join(''));

/** The simulator's folder tree for an IVR given as path → settings and files (a .wav as one second of tone). */
function vfsOf(folders: Record<string, FakeFolder>): VfsFolder {
  const root: VfsFolder = { dirs: {}, files: {} };
  for (const [path, folder] of Object.entries(folders)) {
    let at = root;
    for (const segment of path.split('/').filter(Boolean)) at = at.dirs[segment] ??= { dirs: {}, files: {} };
    if (folder.ini) at.files['ext.ini'] = ini(folder.ini);
    for (const [name, text] of Object.entries(folder.files ?? {})) at.files[name] = file(name.endsWith('.wav') ? toneWav(1) : text);
  }
  return root;
}

/** Requests since `from` that are not a view's reads or the two-factor probe. */
const notReads = (from: number) => harness.since(from).filter((request) => !READS.has(request.command) && !(request.command === 'MFASession' && request.params.action === 'isPass'));

describe('ivr_tree of the demo IVR', () => {
  it('shows each extension with its type, title and files, flags the planted broken link, and names the path to edit', async () => {
    const before = sandbox.requests.length;
    const tree = await harness.call('ivr_tree', {});
    expect(tree.isError, tree.text).toBe(false);
    const lines = String(tree.json.text).split('\n');
    expect(lines[0]).toBe('IVR from /: 16 extensions read, 1 broken links (✗). Each line starts with the path the edit tools take.');
    expect(lines).toEqual(
      expect.arrayContaining([
        '/ [menu] "תפריט ראשי"',
        '  /1 [menu] 2 audio · no M1000!',
        // /1 takes one digit (the default): its sub-extensions 10, 20 and 100 are out of the callers' reach.
        '    /1/10 [playfile] 3 audio · no key or link reaches it',
        '  /2 [playfile] "הודעות" 3 audio · end→✗/4',
        '  /3 [api] "זמני היום"',
        '  /5 [queue]',
        '    /5/music [playfile] 2 audio',
        '  /6 [queue]',
      ]),
    );
    expect(lines.at(-1)).toMatch(/^To change an extension: change_extension with its path/);
    expect(tree.json.broken).toEqual([{ path: '/2', key: 'playfile_end_goto', target: '/4', problem: 'no such extension' }]);
    // Links: the main menu's five keys, /2's end, /ext's keys 1 and 7, and # (up) and * (root) of the five menus below the root.
    expect(tree.json.totals).toEqual({ extensions: 16, audio: 13, tts: 0, links: 18, broken: 1, folded: 0 });
    expect(tree.structured).toEqual(tree.json);
    // Each folder listed once, each ext.ini read once, nothing else sent.
    const sent = harness.since(before);
    expect(notReads(before)).toEqual([]);
    expect(sent.filter((request) => request.command === 'GetIVR2Dir')).toHaveLength(16);
    expect(sent.filter((request) => request.command === 'GetTextFile').map((request) => request.params.what)).toContain('ivr2:/2/ext.ini');
    expect(new Set(sent.filter((request) => request.command === 'GetTextFile').map((request) => request.params.what)).size).toBe(16);
  });

  it('reads the settings from ext.ini itself, and sends no GetTextFile for a folder without one', async () => {
    sandbox.account.ivr.dirs['40'] = { dirs: {}, files: {} };
    sandbox.account.ivr.dirs['3'].files['ext.ini'] = ini({ type: 'api', title: 'זמני היום', api_link: 'https://example.org/yemot/zmanim', api_end_goto: '../9' });
    const before = sandbox.requests.length;
    const tree = await harness.call('ivr_tree', { path: '/', maxDepth: 1 });
    expect(tree.json.text).toContain('\n  /40 [no type] · no key or link reaches it\n');
    expect(tree.json.text).toContain('\n  /3 [api] "זמני היום" · end→✗/9\n');
    const texts = harness.since(before).filter((request) => request.command === 'GetTextFile').map((request) => request.params.what);
    expect(texts).toContain('ivr2:/3/ext.ini');
    expect(texts).not.toContain('ivr2:/40/ext.ini');
  });

  it('folds below maxDepth with a count, starts at any folder, and gives each extension as data on request', async () => {
    const shallow = await harness.call('ivr_tree', { path: 'ivr2:/1', maxDepth: 0 });
    expect(shallow.json.text).toContain('\n/1 [menu] 2 audio · no M1000! · … 3 sub-folders not shown\n3 sub-folders below the depth limit of 0 not read.');
    const data = await harness.call('ivr_tree', { path: '5', data: true });
    expect(data.json.extensions).toEqual([
      { path: '/5', depth: 0, type: 'queue', files: { audio: 0, tts: 0, messages: 0, other: 1, total: 1 }, links: [], endsBack: true },
      { path: '/5/music', depth: 1, type: 'playfile', files: { audio: 2, tts: 0, messages: 0, other: 1, total: 3 }, links: [], endsBack: true },
    ]);
    expect((await harness.call('ivr_tree', { path: '1' })).json).not.toHaveProperty('extensions');
  });

  it('lists a folder of many files a page of 1,000 at a time, three pages at most (Yemot keeps about 3,000)', async () => {
    const wav = file(toneWav(1));
    for (let number = 0; number < 3_100; number += 1) sandbox.account.ivr.dirs['2'].files[`${String(number).padStart(4, '0')}.wav`] = wav;
    const before = sandbox.requests.length;
    const tree = await harness.call('ivr_tree', { path: '2', maxDepth: 0, data: true });
    const pages = harness.since(before).filter((request) => request.command === 'GetIVR2Dir' && request.params.path === 'ivr2:/2');
    expect(pages.map((request) => [request.params.filesFrom, request.params.filesLimit])).toEqual([['0', '1000'], ['1000', '1000'], ['2000', '1000']]);
    expect((tree.json.extensions as Array<{ files: { audio: number } }>)[0].files.audio).toBe(3_000);
  });

  it('a refused listing of a folder that exists is that refusal, not a missing folder', async () => {
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'this key may not list folders' } }, { command: 'GetIVR2Dir', times: 2 });
    const tree = await harness.call('ivr_tree', { path: '1' });
    sandbox.clearFaults();
    expect(tree.isError).toBe(true);
    expect(tree.json).toMatchObject({ error: 'API_ERROR', vendorMessage: 'this key may not list folders' });
  });

  it('says there is no such extension, as an error with a stable code', async () => {
    const missing = await harness.call('ivr_tree', { path: '77' });
    expect(missing.isError).toBe(true);
    expect(missing.json).toMatchObject({ error: 'NOT_FOUND', message: 'ivr_tree: there is no extension /77' });
  });
});

describe('dry_run_call of the demo main menu', () => {
  it.each([
    ['1', { kind: 'waiting', at: '/1' }, [], 'no M1000 file: the menu prompt is missing (a menu needs one)'],
    ['2', { kind: 'invalid', at: '/4', reason: 'there is no extension /4 (playfile_end_goto at /2)' }, ['/2/002.wav', '/2/001.wav', '/2/000.wav'], undefined],
    ['3', { kind: 'endpoint', at: '/3', reason: 'api: Yemot would call https://example.org/yemot/zmanim; its answers decide what the caller hears (no answer or a malformed one: M1607, and the caller leaves); when an answer names no destination: back one level (default)' }, [], undefined],
    ['5', { kind: 'endpoint', at: '/5', type: 'queue' }, [], undefined],
    ['6', { kind: 'endpoint', at: '/6', type: 'queue' }, [], undefined],
  ])('pressing %s', async (keys, end, heard, note) => {
    const before = sandbox.requests.length;
    const run = await harness.call('dry_run_call', { keys });
    expect(run.isError, run.text).toBe(false);
    const steps = run.json.steps as Array<Record<string, unknown>>;
    expect(steps[0]).toEqual({ at: '/', type: 'menu', hear: [WELCOME, '/M1000.wav'], action: `pressed ${keys} → /${keys}`, decidedBy: keys });
    expect(steps[1]).toMatchObject({ at: `/${keys}`, hear: heard, ...(note && { notes: [note] }) });
    expect(run.json.end).toMatchObject(end);
    expect(String(run.json.text).split('\n')[1]).toBe(`1. / [menu] · hears ${WELCOME} | /M1000.wav · pressed ${keys} → /${keys}`);
    expect(notReads(before)).toEqual([]);
  });

  // An upload's question said the reference does not say which of two formats plays; the dry run stated one as fact.
  it('says when a message exists in two formats that its pick of one is a guess', async () => {
    const root = sandbox.account.ivr;
    root.files['M0000.wav'] = root.files['M1000.wav'];
    try {
      const run = await harness.call('dry_run_call', { keys: '' });
      const steps = run.json.steps as Array<Record<string, unknown>>;
      expect(steps[0]).toMatchObject({ hear: ['/M0000.wav', '/M1000.wav'], notes: ['M0000.tts beside M0000.wav: the reference does not say which plays; this run takes M0000.wav'] });
    } finally {
      delete root.files['M0000.wav'];
    }
  });

  it('stops with a clear word at a module it does not model', async () => {
    sandbox.account.ivr.dirs['7'] = { dirs: {}, files: { 'ext.ini': ini({ type: 'seker', title: 'סקר' }) } };
    const run = await harness.call('dry_run_call', { keys: '71' });
    expect(run.json.end).toEqual({ kind: 'unmodelled', at: '/7', type: 'seker', reason: 'type=seker is not modelled; keys not used: 1' });
    expect(String(run.json.text).split('\n')).toEqual([
      'Dry run from /, keys 71 (read only: nothing is dialled or spent):',
      `1. / [menu] · hears ${WELCOME} | /M1000.wav · pressed 7 → /7`,
      // What the module does is said once, on the end line.
      '2. /7 [seker]',
      'Not modelled, the dry run stops at /7: type=seker is not modelled; keys not used: 1',
    ]);
  });

  it('applies the root ivr.ini under each ext.ini, as Yemot does', async () => {
    sandbox.account.ivr.files['ivr.ini'] = ini({ start: 'min' });
    const run = await harness.call('dry_run_call', { path: '2' });
    expect((run.json.steps as Array<{ hear: string[] }>)[0].hear).toEqual(['/2/000.wav', '/2/001.wav', '/2/002.wav']);
  });

  it('never sends anything that spends, dials or writes: only reads, and the account is as it was', async () => {
    const units = sandbox.account.units;
    const before = sandbox.requests.length;
    for (const keys of ['1', '2', '3', '5', '6', '4', '12', '5#*', '']) await harness.call('dry_run_call', { keys });
    await harness.call('dry_run_call', { path: '1/20', keys: '1' });
    expect(harness.since(before).length).toBeGreaterThan(10);
    expect(notReads(before)).toEqual([]);
    expect(sandbox.account.units).toBe(units);
    expect(sandbox.account.campaigns).toEqual([]);
  });

  it('refuses keys other than 0-9 * #, naming the field, before anything is sent', async () => {
    const before = sandbox.requests.length;
    const run = await harness.call('dry_run_call', { keys: '1a' });
    expect(run.json).toMatchObject({ error: 'INVALID_INPUT', message: expect.stringContaining('keys') });
    expect(harness.since(before)).toEqual([]);
  });
});

describe('README "See your IVR"', () => {
  it('shows the demo IVR as ivr_tree and dry_run_call answer now, pressing each key of the main menu', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const shown = /<!-- ivr-demo:start[^\n]*\n```\n([\s\S]*?)\n```\n<!-- ivr-demo:end -->/.exec(readme)?.[1];
    const answers = [String((await harness.call('ivr_tree', {})).json.text)];
    for (const keys of ['1', '2', '3', '5', '6']) answers.push(String((await harness.call('dry_run_call', { keys })).json.text));
    expect(shown, 'paste these answers into the README').toBe(answers.join('\n\n'));
  });
});

describe('the IVR as resources, through a real MCP client', () => {
  it('lists the tree, the root ext.ini and the ext.ini template, and reads them through the tools', async () => {
    const { resources } = await harness.client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(['yemot://ivr/tree', 'yemot://ivr/ext.ini']);
    const { resourceTemplates } = await harness.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual(['yemot://ivr/{+path}/ext.ini']);

    const tree = await harness.client.readResource({ uri: 'yemot://ivr/tree' });
    expect(tree.contents).toEqual([{ uri: 'yemot://ivr/tree', mimeType: 'text/plain', text: (await harness.call('ivr_tree', {})).json.text }]);
    const ext = await harness.client.readResource({ uri: 'yemot://ivr/2/ext.ini' });
    expect(ext.contents[0]).toEqual({ uri: 'yemot://ivr/2/ext.ini', mimeType: 'text/plain', text: 'type=playfile\ntitle=הודעות\nplayfile_end_goto=/4\n' });
    expect((await harness.client.readResource({ uri: 'yemot://ivr/ext.ini' })).contents[0]).toMatchObject({ text: 'type=menu\ntitle=תפריט ראשי\n' });
    sandbox.account.ivr.dirs['שיעורים'] = { dirs: {}, files: { 'ext.ini': ini({ type: 'playfile' }) } };
    expect((await harness.client.readResource({ uri: `yemot://ivr/${encodeURIComponent('שיעורים')}/ext.ini` })).contents[0]).toMatchObject({ text: 'type=playfile\n' });
  });

  it('completes the path of the template from the folders that exist', async () => {
    const complete = async (value: string) => (await harness.client.complete({ ref: { type: 'ref/resource', uri: 'yemot://ivr/{+path}/ext.ini' }, argument: { name: 'path', value } })).completion;
    expect((await complete('')).values).toEqual(['1', '2', '3', '5', '6', 'ext', 'Log']);
    expect(await complete('1/1')).toEqual({ values: ['1/10', '1/100'], total: 2, hasMore: false });
    expect((await complete('ext/')).values).toEqual(['ext/1', 'ext/7', 'ext/45']);
    expect((await complete('/e')).values).toEqual(['ext']);
    expect((await complete('nothing/')).values).toEqual([]);
  });

  it('refuses a URI that names no resource, and a path the path rule refuses, naming the field', async () => {
    await expect(harness.client.readResource({ uri: 'yemot://ivr/1/queue.ini' })).rejects.toMatchObject({ code: -32002 });
    const before = sandbox.requests.length;
    const refused = await harness.client.readResource({ uri: 'yemot://ivr/1/../2/ext.ini' }).catch((error: McpError) => error);
    expect(refused).toBeInstanceOf(McpError);
    expect(refused).toMatchObject({ message: expect.stringContaining('INVALID_INPUT'), data: { error: 'INVALID_INPUT' } });
    expect((refused as McpError).message).toContain('what');
    expect(harness.since(before)).toEqual([]);
  });

  it('go through the operator policy: a resource whose tool is not registered is neither listed nor read', async () => {
    const narrow = await startHarness({ use: sandbox, argv: ['--toolsets', 'files', '--exclude-tools', 'ivr_tree'] });
    try {
      expect((await narrow.client.listResources()).resources.map((resource) => resource.uri)).toEqual(['yemot://ivr/ext.ini']);
      await expect(narrow.client.readResource({ uri: 'yemot://ivr/tree' })).rejects.toMatchObject({ code: -32002 });
    } finally {
      await narrow.close();
    }
  });

  it('go through the two-factor gate: a session that has not passed reads and completes nothing', async () => {
    const fresh = await startSandbox({ mfa: 'not-passed', log: () => undefined });
    const gated = await startHarness({ use: fresh });
    try {
      await expect(gated.client.readResource({ uri: 'yemot://ivr/tree' })).rejects.toMatchObject({ data: { error: 'MFA_REQUIRED' } });
      await expect(gated.client.readResource({ uri: 'yemot://ivr/1/ext.ini' })).rejects.toMatchObject({ data: { error: 'MFA_REQUIRED' } });
      const completion = await gated.client.complete({ ref: { type: 'ref/resource', uri: 'yemot://ivr/{+path}/ext.ini' }, argument: { name: 'path', value: '1' } });
      expect(completion.completion.values).toEqual([]);
      expect(fresh.requests.map((request) => request.command)).not.toContain('GetIVR2Dir');
      expect(fresh.requests.map((request) => request.command)).not.toContain('GetTextFile');
    } finally {
      await gated.close();
      await fresh.close();
    }
  });
});

describe('bounds', () => {
  /** A generated IVR of `count` extensions, titled in Hebrew as owners title them. */
  function fill(count: number): void {
    const { folders } = generatedIvr(count);
    for (const [path, folder] of Object.entries(folders)) if (folder.ini) folder.ini.title = path === '/' ? 'תפריט ראשי' : `שיעור בגמרא ${path.replaceAll('/', ' ').trim()}`;
    sandbox.account.ivr = vfsOf(folders);
  }

  it('a tree of 200 extensions is at most about 2,000 tokens (o200k), the whole result the agent reads', async () => {
    fill(200);
    const result = await harness.client.callTool({ name: 'ivr_tree', arguments: {} });
    const [first] = result.content as Array<{ type: string; text: string }>;
    const tokens = encode(first.text).length;
    process.stderr.write(`ivr_tree of 200 extensions: ${tokens} tokens (o200k), ${first.text.length} characters\n`);
    expect(tokens).toBeLessThanOrEqual(2_000);
    expect(JSON.parse(first.text).totals.extensions).toBe(200);
  });

  // About 3 s alone on two cores; no clock is asserted, the suite shares them.
  it('2,000 extensions: the read limit, the depth limit and folded counts hold', async () => {
    fill(2_000);
    const before = sandbox.requests.length;
    const tree = await harness.call('ivr_tree', {});
    const lists = harness.since(before).filter((request) => request.command === 'GetIVR2Dir');
    expect(lists.length).toBeLessThanOrEqual(300);
    expect(tree.json.totals).toMatchObject({ extensions: 300 });
    expect(tree.json.truncated).toEqual({ maxNodes: 300, notRead: expect.any(Number) });
    const text = String(tree.json.text);
    expect(text).toMatch(/\d+ sub-folders not read \(the read limit of 300 extensions\)\./);
    expect(text).toMatch(/extensions folded to fit \(deepest first\)/);
    expect(encode(JSON.stringify(tree.json)).length).toBeLessThanOrEqual(2_500);

    const deep = await harness.call('ivr_tree', { maxDepth: 2, data: true });
    const extensions = deep.json.extensions as Array<{ depth: number; folded?: { folders: number } }>;
    expect(Math.max(...extensions.map((extension) => extension.depth))).toBe(2);
    // The 81 extensions at depth 2 each hold 9 sub-folders not read.
    expect(extensions.filter((extension) => extension.depth === 2).map((extension) => extension.folded)).toEqual(Array(81).fill({ folders: 9 }));
    expect(deep.json.totals).toMatchObject({ extensions: 91, folded: 729 });
  });
});
