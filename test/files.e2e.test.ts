import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { actionOf, commandOf } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { storedBytes, storedText, tempFolders, wavBytes } from './files-fixtures.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 12 through a real MCP client against the simulator: uploads that come back byte for byte, local files
 * that stay inside YEMOT_FILES_DIR, downloads as audio or saved, and ext.ini merge against replace. The request
 * each example sends (command, params, encoding) is checked for every example in test/tools.e2e.test.ts.
 */

type Block = { type: string; text?: string; data?: string; mimeType?: string };

let sandbox: Sandbox;
let folders: ReturnType<typeof tempFolders>;
let harness: Harness;

beforeAll(async () => {
  sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  folders = tempFolders();
  // A low download cap: the demo's WAVs are larger, the small WAVs of these tests smaller.
  harness = await startHarness({ use: sandbox, env: { YEMOT_FILES_DIR: folders.allowed, YEMOT_DOWNLOAD_MAX_BYTES: '20000' } });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
  folders.remove();
});
beforeEach(() => sandbox.reset());

/** The raw result: the JSON text block, and the media beside it. */
async function callRaw(name: string, args: Record<string, unknown>) {
  const result = await harness.client.callTool({ name, arguments: args });
  const [first, ...media] = result.content as Block[];
  return { isError: result.isError === true, json: JSON.parse(first.text!) as Record<string, unknown>, media };
}

const uploads = (from: number) => harness.since(from).filter((request) => request.command === 'UploadFile');

describe('every file command and action of issue 12 is exemplified, so test/tools.e2e.test.ts shows the request that reached it', () => {
  it('covers GetIVR2Dir … DownloadFile and FileAction copy, move and delete', () => {
    const reached = TOOLS.flatMap((spec) => spec.examples.map((example) => [commandOf(spec, actionOf(spec, example)), spec.selects === 'command' ? undefined : actionOf(spec, example)].filter(Boolean).join(' ')));
    // Stated from the issue, not read from the table.
    const wanted = [
      'GetIVR2Dir', 'GetIVR2DirStats', 'CheckIfFolderExists', 'CheckIfFileExists', 'GetFile', 'GetTextFile', 'RenderYMGRFile',
      'UploadTextFile', 'UpdateExtension', 'FileAction copy', 'FileAction move', 'FileAction delete', 'UploadFile', 'DownloadFile',
    ];
    expect(reached).toEqual(expect.arrayContaining(wanted));
  });
});

describe('upload → list → download: the same bytes', () => {
  async function roundTrip(source: Record<string, unknown>, wav: Buffer, target: string) {
    const before = sandbox.requests.length;
    const uploaded = await harness.call('upload_file', { path: target, ...source });
    expect(uploaded.isError, uploaded.text).toBe(false);
    expect(uploaded.json).toMatchObject({ path: `ivr2:/${target}`, size: wav.length });
    // One multipart request, the token in the body, the file part `file` holding the very bytes.
    const [request] = uploads(before);
    expect(uploads(before)).toHaveLength(1);
    expect(request.contentType).toBe('multipart/form-data');
    expect(request.params).toEqual({ token: await harness.app.ctx.session.currentToken(), path: `ivr2:/${target}` });
    expect(request.url).toBe('/ym/api/UploadFile');
    expect(request.files).toHaveLength(1);
    expect(request.files[0].name).toBe('file');
    expect(Buffer.from(request.files[0].bytes).equals(wav)).toBe(true);

    const [folder, name] = [target.split('/').slice(0, -1).join('/'), target.split('/').at(-1)];
    const listed = await harness.call('read_ivr', { command: 'GetIVR2Dir', path: folder });
    expect(listed.isError, listed.text).toBe(false);
    expect(listed.json.files).toEqual(expect.arrayContaining([expect.objectContaining({ name, size: wav.length })]));

    const downloaded = await callRaw('download_file', { path: target });
    expect(downloaded.isError, JSON.stringify(downloaded.json)).toBe(false);
    expect(downloaded.media).toHaveLength(1);
    expect(downloaded.media[0]).toMatchObject({ type: 'audio', mimeType: 'audio/wav' });
    expect(Buffer.from(downloaded.media[0].data!, 'base64').equals(wav)).toBe(true);
  }

  it('for a WAV given as localFile (inside YEMOT_FILES_DIR, by relative and by absolute path)', async () => {
    const wav = wavBytes(3000, 2);
    writeFileSync(join(folders.allowed, 'greeting.wav'), wav);
    await roundTrip({ localFile: 'greeting.wav' }, wav, '2/010.wav');
    await roundTrip({ localFile: join(folders.allowed, 'greeting.wav') }, wav, '2/011.wav');
  });

  it('for a WAV given as base64 with fileName', async () => {
    const wav = wavBytes(2500, 3);
    await roundTrip({ base64: wav.toString('base64'), fileName: 'prompt.wav' }, wav, '1/100/050.wav');
  });
});

describe('localFile is read only inside YEMOT_FILES_DIR: refused, nothing read, nothing sent', () => {
  /**
   * The secret outside is a named pipe: opening it for reading would block the call until a writer came, so a
   * prompt refusal also shows it was never opened, let alone read.
   */
  let pipe: string;
  beforeAll(() => {
    pipe = join(folders.outside, 'id_rsa');
    execFileSync('mkfifo', [pipe]);
    symlinkSync(pipe, join(folders.allowed, 'link-to-key'));
    symlinkSync(folders.outside, join(folders.allowed, 'link-to-dir'));
  });

  it.each([
    ['an absolute path outside', () => pipe],
    ['a symlink to a file outside', () => 'link-to-key'],
    ['a path through a symlinked folder', () => 'link-to-dir/id_rsa'],
    ['.. out of the folder', () => '../outside/id_rsa'],
    ['.. in an absolute path', () => join(folders.allowed, '..', 'outside', 'id_rsa')],
  ])('%s', async (_label, localFile) => {
    const before = sandbox.requests.length;
    const result = await harness.call('upload_file', { path: '1/000.wav', localFile: localFile() });
    expect(result.isError, result.text).toBe(true);
    expect(result.json.error).toBe('INVALID_INPUT');
    expect(String(result.json.message)).toMatch(/localFile: .* is outside the folders in YEMOT_FILES_DIR/);
    expect(String(result.json.next ?? result.json.hint ?? result.text)).toMatch(/Nothing was sent/);
    expect(uploads(before)).toHaveLength(0);
  });

  it('with YEMOT_FILES_DIR unset, local files are refused naming the variable', async () => {
    const without = await startHarness({ use: sandbox });
    try {
      writeFileSync(join(folders.allowed, 'greeting.wav'), wavBytes(100));
      const before = sandbox.requests.length;
      const result = await without.call('upload_file', { path: '1/000.wav', localFile: join(folders.allowed, 'greeting.wav') });
      expect(result.isError, result.text).toBe(true);
      expect(result.json.error).toBe('INVALID_INPUT');
      expect(String(result.json.message)).toMatch(/localFile: .*YEMOT_FILES_DIR/);
      expect(uploads(before)).toHaveLength(0);
      const beforeSave = sandbox.requests.length;
      const saved = await without.call('download_file', { path: '1/000.wav', saveTo: join(folders.allowed, 'x.wav') });
      expect(saved.isError, saved.text).toBe(true);
      expect(String(saved.json.message)).toMatch(/saveTo: .*YEMOT_FILES_DIR/);
      expect(existsSync(join(folders.allowed, 'x.wav'))).toBe(false);
      // Refused as input (INVALID_INPUT, "nothing was sent"): so nothing was downloaded either.
      expect(harness.since(beforeSave).filter((request) => request.command === 'DownloadFile')).toHaveLength(0);
    } finally {
      await without.close();
    }
  });
});

describe('downloads', () => {
  const small = wavBytes(4000, 5);
  beforeEach(async () => {
    const stored = await harness.call('upload_file', { path: '1/small.wav', base64: small.toString('base64'), fileName: 'small.wav' });
    expect(stored.isError, stored.text).toBe(false);
  });
  afterEach(() => {
    rmSync(join(folders.allowed, 'saved.wav'), { force: true });
  });

  it('a WAV arrives as an audio block whose bytes equal the simulator\'s file', async () => {
    const result = await callRaw('download_file', { path: 'ivr2:1/small.wav' });
    expect(result.isError, JSON.stringify(result.json)).toBe(false);
    expect(result.json).toMatchObject({ contentType: 'audio/wav', size: small.length });
    expect(result.media).toEqual([{ type: 'audio', mimeType: 'audio/wav', data: expect.any(String) }]);
    expect(Buffer.from(result.media[0].data!, 'base64').equals(storedBytes(sandbox, '1/small.wav')!)).toBe(true);
  });

  it('saveTo writes identical bytes inside YEMOT_FILES_DIR and puts no media in the conversation', async () => {
    const result = await callRaw('download_file', { path: '1/000.wav', saveTo: 'saved.wav' });
    expect(result.isError, JSON.stringify(result.json)).toBe(false);
    expect(result.media).toEqual([]);
    expect(result.json.savedTo).toBe(join(folders.allowed, 'saved.wav'));
    expect(readFileSync(join(folders.allowed, 'saved.wav')).equals(storedBytes(sandbox, '1/000.wav')!)).toBe(true);
  });

  it('saveTo outside YEMOT_FILES_DIR is refused before anything is downloaded, and writes nothing', async () => {
    const before = sandbox.requests.length;
    const result = await callRaw('download_file', { path: '1/000.wav', saveTo: join(folders.outside, 'saved.wav') });
    expect(result.isError).toBe(true);
    expect(result.json.error).toBe('INVALID_INPUT');
    expect(String(result.json.message)).toMatch(/saveTo: .*outside the folders in YEMOT_FILES_DIR/);
    expect(existsSync(join(folders.outside, 'saved.wav'))).toBe(false);
    expect(harness.since(before).filter((request) => request.command === 'DownloadFile')).toHaveLength(0);
  });

  it('above YEMOT_DOWNLOAD_MAX_BYTES: no audio block, a notShown note naming saveTo', async () => {
    const size = storedBytes(sandbox, '1/000.wav')!.length;
    expect(size).toBeGreaterThan(20_000);
    const result = await callRaw('download_file', { path: '1/000.wav' });
    expect(result.isError, JSON.stringify(result.json)).toBe(false);
    expect(result.media).toEqual([]);
    expect(result.json).toMatchObject({ contentType: 'audio/wav', size });
    expect(String(result.json.notShown)).toMatch(/saveTo/);
    expect(JSON.stringify(result.json)).not.toContain(storedBytes(sandbox, '1/000.wav')!.subarray(44, 200).toString('base64'));
  });

  it('a missing file is NOT_FOUND, never bytes', async () => {
    const result = await callRaw('download_file', { path: '1/no-such.wav' });
    expect(result.isError).toBe(true);
    expect(result.json.error).toBe('NOT_FOUND');
    expect(result.media).toEqual([]);
    const saved = await callRaw('download_file', { path: '1/no-such.wav', saveTo: 'saved.wav' });
    expect(saved.json.error).toBe('NOT_FOUND');
    expect(existsSync(join(folders.allowed, 'saved.wav'))).toBe(false);
  });

  it('a text file arrives as text (issue 12: "a text file as text")', async () => {
    const result = await callRaw('download_file', { path: '1/ext.ini' });
    expect(result.isError, JSON.stringify(result.json)).toBe(false);
    const text = result.media.map((block) => (block as { resource?: { text?: string } }).resource?.text ?? block.text).join('');
    expect(text).toBe(storedText(sandbox, '1/ext.ini'));
  });
});

describe('ext.ini: a change set keeps every other line, a replacement writes the whole text; both read it back', () => {
  it('change_extension sets and removes keys in place and writes the whole text (UploadTextFile); write_text_file replaces it', async () => {
    expect(storedText(sandbox, '1/ext.ini')).toBe('type=menu\ntitle=\n');

    const before = sandbox.requests.length;
    const changed = await harness.call('change_extension', { path: 'ivr/1', set: { title: 'Sales', enter_id: 'yes' } });
    expect(changed.isError, changed.text).toBe(false);
    const [write] = harness.since(before).filter((request) => request.command === 'UploadTextFile');
    expect(write.params).toEqual({ token: expect.any(String), what: 'ivr2:/1/ext.ini', contents: 'type=menu\ntitle=Sales\nenter_id=yes\n' });
    expect(harness.since(before).map((request) => request.command)).not.toContain('UpdateExtension');
    expect(storedText(sandbox, '1/ext.ini')).toBe('type=menu\ntitle=Sales\nenter_id=yes\n');
    expect(changed.json).toMatchObject({ before: 'type=menu\ntitle=\n', after: 'type=menu\ntitle=Sales\nenter_id=yes\n', verified: true });

    const again = await harness.call('change_extension', { path: '1', set: { title: 'Support' }, remove: ['enter_id'] });
    expect(again.isError, again.text).toBe(false);
    expect(storedText(sandbox, '1/ext.ini')).toBe('type=menu\ntitle=Support\n');
    expect(again.json.diff).toBe('--- ivr2:/1/ext.ini (now)\n+++ ivr2:/1/ext.ini (after)\n@@ -1,3 +1,2 @@\n type=menu\n-title=Sales\n-enter_id=yes\n+title=Support\n');

    const replaced = await harness.call('write_text_file', { what: '1/ext.ini', contents: 'type=menu\ntitle=Main\n' });
    expect(replaced.isError, replaced.text).toBe(false);
    expect(storedText(sandbox, '1/ext.ini')).toBe('type=menu\ntitle=Main\n');
    expect(replaced.json).toMatchObject({ after: 'type=menu\ntitle=Main\n', verified: true, changeId: expect.any(String) });
  });

  it('a key named like a parameter of a call (action, repeat, token, path) is only text in the file: written as given', async () => {
    const keys = { action: 'x', repeat: 'x', command: 'x', token: 'x', path: 'x' };
    const result = await harness.call('change_extension', { path: '1', set: keys });
    expect(result.isError, result.text).toBe(false);
    expect(storedText(sandbox, '1/ext.ini')).toBe('type=menu\ntitle=\naction=x\nrepeat=x\ncommand=x\ntoken=x\npath=x\n');
  });

  it('refuses a key with = or a value with a line break, naming it, and sends nothing', async () => {
    const before = sandbox.requests.length;
    const result = await harness.call('change_extension', { path: '1', set: { 'a=b': 'x', title: 'one\ntype=queue' } });
    expect(result.isError).toBe(true);
    expect(String(result.json.message)).toContain('set.title');
    expect(harness.since(before)).toHaveLength(0);
    const key = await harness.call('change_extension', { path: '1', set: { 'a=b': 'x' } });
    expect(String(key.json.message)).toContain('set.a=b: a key cannot contain "="');
    expect(harness.since(before)).toHaveLength(0);
  });
});
