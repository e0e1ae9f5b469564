import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fileText, findFile, findFolder } from '../src/sandbox/vfs.js';
import { sandbox, useDemoSandbox } from './demo-sandbox.js';
import { startHarness, type CallOutcome, type Harness } from './harness.js';

/**
 * Issue 27, "Create an extension in one step", through a real MCP client against the simulator, and the README's
 * "Build your IVR" example, which is these tools' answers as they are now.
 */

useDemoSandbox();
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
const h = () => harness!;
const stored = (...segments: string[]) => {
  const file = findFile(sandbox.account.ivr, segments);
  return file && fileText(file);
};
const writes = (from: number) => h().since(from).filter((request) => ['UploadTextFile', 'UpdateExtension', 'UploadFile'].includes(request.command));

const MENU = {
  path: '7',
  type: 'menu',
  extIni: { title: 'שירות לקוחות' },
  greeting: 'לשעות הפעילות הקישו 1, להשארת הודעה הקישו 2',
  branches: {
    '1': { type: 'playfile', greeting: 'אנחנו פתוחים בימים א עד ה, משמונה בבוקר עד ארבע אחר הצהריים' },
    '2': { type: 'record', extIni: { title: 'תא קולי' } },
  },
};

describe('create_extension', () => {
  it('creates a menu with its greeting and two branches in one step, and they read back as created', async () => {
    harness = await startHarness({ use: sandbox });
    const before = sandbox.requests.length;
    const created = await h().call('create_extension', MENU);
    expect(created.isError, created.text).toBe(false);
    expect(created.json).toMatchObject({ path: 'ivr2:/7', created: ['ivr2:/7', 'ivr2:/7/1', 'ivr2:/7/2'], greetings: ['ivr2:/7/M1000.tts', 'ivr2:/7/1/000.tts'], verified: true });
    expect(String(created.json.text).split('\n')).toEqual([
      'IVR from /7: 3 extensions read. Each line starts with the path the edit tools take.',
      '/7 [menu] "שירות לקוחות"',
      '  /7/1 [playfile] 1 tts',
      '  /7/2 [record] "תא קולי"',
    ]);
    // One UpdateExtension per extension, its type and settings as parameters; the greetings as .tts files.
    const sent = writes(before).map((request) => [request.command, request.params.path ?? request.params.what]);
    expect(sent).toEqual([
      ['UpdateExtension', 'ivr2:/7'],
      ['UploadTextFile', 'ivr2:/7/M1000.tts'],
      ['UpdateExtension', 'ivr2:/7/1'],
      ['UploadTextFile', 'ivr2:/7/1/000.tts'],
      ['UpdateExtension', 'ivr2:/7/2'],
    ]);
    expect(stored('7', 'ext.ini')).toBe('type=menu\ntitle=שירות לקוחות\n');
    expect(stored('7', 'M1000.tts')).toBe(MENU.greeting);
    expect(stored('7', '2', 'ext.ini')).toBe('type=record\ntitle=תא קולי\n');
    // The new menu answers a caller as the tree says.
    const run = await h().call('dry_run_call', { path: '7', keys: '1' });
    expect(run.json.steps).toEqual([
      expect.objectContaining({ at: '/7', hear: [`TTS: ${MENU.greeting}`], action: 'pressed 1 → /7/1' }),
      expect.objectContaining({ at: '/7/1', hear: [`TTS: ${MENU.branches['1'].greeting}`] }),
      expect.objectContaining({ at: '/7', action: 'menu waits for a key' }),
    ]);
  });

  it('an API extension takes its https api_link and api_add pairs as api_add_0…, and its description says what Yemot sends', async () => {
    harness = await startHarness({ use: sandbox });
    const created = await h().call('create_extension', { path: '8', type: 'api', extIni: { title: 'זמנים' }, api_link: 'https://example.org/yemot?x=1', api_add: ['school=12', 'grade=3'] });
    expect(created.isError, created.text).toBe(false);
    expect(stored('8', 'ext.ini')).toBe('type=api\ntitle=זמנים\napi_link=https://example.org/yemot?x=1\napi_add_0=school=12\napi_add_1=grade=3\n');
    const { tools } = await h().client.listTools();
    const described = JSON.stringify(tools.find((tool) => tool.name === 'create_extension'));
    for (const fact of ['ApiCallId', 'ApiPhone', 'ApiExtension', 'hangup=yes', 'plain text', 'id_list_message=', 'go_to_folder=', 'M1607']) expect(described).toContain(fact);
  });

  it('refuses what Yemot would take silently or wrongly, naming the field, with nothing written', async () => {
    harness = await startHarness({ use: sandbox });
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ path: '8', type: 'api', api_link: 'http://example.org/yemot' }, /api_link: must be an https URL/],
      [{ path: '8', type: 'api' }, /api_link: required for type api/],
      [{ path: '8', type: 'playfile', api_link: 'https://example.org' }, /api_link, api_add: only for type api/],
      [{ path: '8', type: 'api', api_link: 'https://example.org', api_add: ['novalue'] }, /api_add\.0: a name=value pair/],
      [{ path: '8', type: 'playfile', branches: { '1': { type: 'record' } } }, /branches: only a menu/],
      [{ path: '8', type: 'menu', branches: { '12': { type: 'record' } } }, /branches/],
      [{ path: '8', type: 'Menu!' }, /type: a module type/],
      [{ path: '8', type: 'menu', extIni: { 'a=b': '1' } }, /extIni\.a=b: an ext\.ini key/],
      [{ path: '8', type: 'menu', extIni: { path: '1' } }, /extIni\.path: not an ext\.ini key/],
      [{ path: '8', type: 'menu', extIni: { type: 'playfile' } }, /extIni\.type: give it as type/],
      [{ path: '8', type: 'menu', greeting: 'x', base64: 'UklGRg==', fileName: 'a.wav' }, /give one greeting/],
      [{ path: '/', type: 'menu' }, /path: the root exists already/],
    ];
    for (const [args, rule] of cases) {
      const before = sandbox.requests.length;
      const refused = await h().call('create_extension', args);
      expect(refused.json.error, JSON.stringify(args)).toBe('INVALID_INPUT');
      expect(String(refused.json.message), JSON.stringify(args)).toMatch(rule);
      expect(h().since(before), JSON.stringify(args)).toEqual([]);
    }
  });

  it('never writes over an extension that exists, nor into a folder that does not', async () => {
    harness = await startHarness({ use: sandbox });
    for (const [path, code, rule] of [['2', 'CONFLICT', /ivr2:\/2 exists already/], ['40/1', 'NOT_FOUND', /its folder ivr2:\/40 does not exist/]] as const) {
      const before = sandbox.requests.length;
      const refused = await h().call('create_extension', { path, type: 'menu', greeting: 'x' });
      // Refused for what the account holds, not for the input's form: not INVALID_INPUT.
      expect(refused.json).toMatchObject({ error: code, message: expect.stringMatching(rule) });
      expect(writes(before)).toEqual([]);
    }
    expect(findFolder(sandbox.account.ivr, ['40'])).toBeUndefined();
    // What stands there, and the digits free beside it, so the person can choose.
    const held = await h().call('create_extension', { path: '5', type: 'record' });
    expect(held.json.message).toMatch(/ivr2:\/5 exists already \(type=queue/);
    expect(String(held.json.next)).toMatch(/free one beside it: .*\b4\b/);
    expect(String(held.json.next)).not.toMatch(/\b5\b/);
  });

  it('asks first, naming what it writes and who reaches it; a taken path is refused before anyone is asked', async () => {
    harness = await startHarness({ use: sandbox, confirm: true });
    const before = sandbox.requests.length;
    const taken = await h().call('create_extension', { path: '2', type: 'menu' });
    expect(taken.json.error).toBe('CONFLICT');
    const asked = await h().call('create_extension', { path: '9', type: 'playfile', greeting: 'שלום', extIni: { title: 'חדש' } });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect((asked.json.preview as { notes: string[] }).notes[0].split('\n')).toEqual([
      '/9: type=playfile, title=חדש; greeting 000: TTS "שלום"',
      'Callers reach it at once by pressing 9 in / (a menu).',
      'undo_change does not take it back; delete_files (files_admin) removes its files.',
    ]);
    expect(writes(before)).toEqual([]);
    const made = await h().call('create_extension', { path: '9', type: 'playfile', greeting: 'שלום', extIni: { title: 'חדש' }, confirm: asked.json.confirm });
    expect(made.isError, made.text).toBe(false);
    expect(findFolder(sandbox.account.ivr, ['9'])).toBeDefined();
  });

  // An agent offered delete_files to take a new extension back on a server that does not serve it.
  it('says when the tools that would remove it are off on this server', async () => {
    harness = await startHarness({ use: sandbox, confirm: true, argv: [] });
    const asked = await h().call('create_extension', { path: '8', type: 'playfile' });
    expect((asked.json.preview as { notes: string[] }).notes[0]).toContain('delete_files (files_admin, off here: the operator can turn it on) removes its files.');
  });

  it('says what the reference does not know, and what was made before a failure', async () => {
    harness = await startHarness({ use: sandbox });
    const warned = await h().call('create_extension', { path: '8', type: 'seker', extIni: { title: 'סקר', playfile_end_goto: '/99', mystery: '1' } });
    expect(warned.isError, warned.text).toBe(false);
    expect(warned.json.warnings).toEqual(
      expect.arrayContaining([
        'ivr2:/8: playfile_end_goto: documented for type=playfile; the reference lists no keys for type=seker, so it may not apply',
        'ivr2:/8: playfile_end_goto: target /99 does not exist; the caller would be sent nowhere',
        'ivr2:/8: mystery: not in the reference; kept as written',
        'ivr2:/8: the reference lists no keys for type=seker; check it with lookup_setting',
      ]),
    );
    // The menu is made, then its greeting is refused: the answer names what exists now, so nobody makes it twice.
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'quota' } }, { command: 'UploadTextFile' });
    const half = await h().call('create_extension', { path: '9', type: 'menu', greeting: 'שלום', branches: { '1': { type: 'playfile' } } });
    expect(half.json).toMatchObject({ error: 'API_ERROR', vendorMessage: 'quota', created: ['ivr2:/9'], message: expect.stringContaining('(after creating ivr2:/9)') });
    expect(String(half.json.next)).toContain('ivr2:/9 exist already');
    expect(findFolder(sandbox.account.ivr, ['9', '1'])).toBeUndefined();
    sandbox.clearFaults();
    // An OK that made no folder is not counted as made, and nothing is written into the folder that is not there.
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'OK' } }, { command: 'UpdateExtension' });
    const before = sandbox.requests.length;
    const hollow = await h().call('create_extension', { path: '7', type: 'menu', greeting: 'שלום' });
    sandbox.clearFaults();
    expect(hollow.json).toMatchObject({ error: 'NOTHING_DONE', message: expect.stringContaining('ivr2:/7 does not exist') });
    expect(hollow.json.created).toBeUndefined();
    expect(writes(before).map((request) => request.command)).toEqual(['UpdateExtension']);
  });

  it('writes an audio greeting from base64 as the menu prompt, converted', async () => {
    harness = await startHarness({ use: sandbox });
    const wav = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';
    const created = await h().call('create_extension', { path: '8', type: 'menu', base64: wav, fileName: 'hello.wav' });
    expect(created.isError, created.text).toBe(false);
    expect(created.json.greetings).toEqual(['ivr2:/8/M1000.wav']);
    const upload = h().since(0).filter((request) => request.command === 'UploadFile').at(-1)!;
    expect(upload.params).toMatchObject({ path: 'ivr2:/8/M1000.wav', convertAudio: '1' });
    expect(findFile(sandbox.account.ivr, ['8', 'M1000.wav'])).toBeDefined();
  });
});

/** The README's transcript: each call as sent (token and ids shown as placeholders), and what the tools answered. */
async function buildYourIvr(): Promise<string> {
  harness = await startHarness({ use: sandbox, confirm: true });
  const ids = new Map<string, string>();
  const mask = (text: string) => [...ids].reduce((out, [id, name]) => out.replaceAll(id, name), text);
  const lines: string[] = [];
  const call = async (name: string, args: Record<string, unknown>, shown: Record<string, unknown> = args): Promise<CallOutcome> => {
    lines.push(`> ${name} ${mask(JSON.stringify(shown))}`);
    const result = await h().call(name, args);
    expect(result.isError && result.json.error !== 'CONFIRMATION_REQUIRED', result.text).toBe(false);
    return result;
  };
  const confirmAfter = async (name: string, args: Record<string, unknown>) => {
    const asked = await call(name, args);
    lines.push(mask(String(asked.json.message)), '');
    const done = await call(name, { ...args, confirm: asked.json.confirm }, { ...args, confirm: '<token from the answer above>' });
    ids.set(String(done.json.changeId), `<changeId ${ids.size + 1}>`);
    lines.push(mask(`written; read back ${done.json.verified ? 'as written' : 'otherwise'}; changeId ${String(done.json.changeId)}`), '');
    return done;
  };

  const asked = await call('create_extension', MENU);
  lines.push(mask(String(asked.json.message)), '');
  const created = await call('create_extension', { ...MENU, confirm: asked.json.confirm }, { ...MENU, confirm: '<token from the answer above>' });
  lines.push(String(created.json.text), `created ${(created.json.created as string[]).join(', ')}; greetings ${(created.json.greetings as string[]).join(', ')}`, '');
  const found = await call('lookup_setting', { query: 'after the message, let them leave a message', path: '7/1' });
  const [best] = found.json.matches as Array<{ key: string; values: string; example: string; confidence: string; source: string }>;
  lines.push(`${best.key}: ${best.values}. Example: ${best.example} (${best.confidence}, ${best.source})`, '');
  const change = await confirmAfter('change_extension', { path: '7/1', set: { playfile_end_goto: '../2' } });
  const run = await call('dry_run_call', { path: '7', keys: '1' });
  lines.push(String(run.json.text), '');
  const listed = await call('list_changes', {});
  for (const entry of listed.json.changes as Array<Record<string, string>>) lines.push(mask(`${entry.changeId} ${entry.tool} ${entry.path}: ${entry.what} · now ${entry.now}`));
  lines.push('');
  await confirmAfter('undo_change', { id: change.json.changeId });
  return lines.join('\n').trimEnd();
}

describe('README "Build your IVR"', () => {
  it('shows a menu with two branches, a greeting and a voicemail made, changed with its diff, and undone, as the tools answer now', async () => {
    const transcript = await buildYourIvr();
    expect(stored('7', '1', 'ext.ini')).toBe('type=playfile\n');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const shown = /<!-- ivr-build:start[^\n]*\n```\n([\s\S]*?)\n```\n<!-- ivr-build:end -->/.exec(readme)?.[1];
    expect(shown, 'paste this transcript into the README').toBe(transcript);
    expect(readme.indexOf('## Build your IVR')).toBeLessThan(readme.indexOf('## See your IVR'));
  });
});
