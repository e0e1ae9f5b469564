import { existsSync, linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Input } from '../src/call/command.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { storedBytes, storedText, tempFolders, wavBytes } from './files-fixtures.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 25, "The file the person named, and no other": attacks on the paths an agent gives (IVR paths, local
 * files, upload names) and on the text that travels with them. Each refusal names the field and sends nothing.
 */

let sandbox: Sandbox;
let folders: ReturnType<typeof tempFolders>;
let harness: Harness;
let asked: ElicitRequest['params'][] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  folders = tempFolders();
  harness = await startHarness({
    use: sandbox,
    env: { YEMOT_FILES_DIR: folders.allowed },
    capabilities: { elicitation: { form: {} } },
    onElicit: (request) => {
      asked.push(request);
      return { action: 'accept', content: { confirm: true } };
    },
  });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
  folders.remove();
});
beforeEach(() => {
  sandbox.reset();
  asked = [];
});

/** Requests a call sent, without the two-factor probes. */
const sent = (from: number) => harness.since(from).filter((request) => !(request.command === 'MFASession' && request.params.action === 'isPass'));

async function expectRefused(name: string, args: Input, field: string, rule: RegExp, via: Harness = harness) {
  const before = via.sandbox.requests.length;
  const result = await via.call(name, args);
  expect(result.isError, `${name} ${JSON.stringify(args).slice(0, 200)}: ${result.text}`).toBe(true);
  expect(result.json.error, result.text).toBe('INVALID_INPUT');
  // The field itself, or a place inside it: what[1], extIni.title.
  expect(String(result.json.message), result.text).toMatch(new RegExp(`(?:^|: |; )${field.replace(/[.[\]$]/g, '\\$&')}(?:\\[\\d+\\]|\\.\\w+)*: `));
  expect(String(result.json.message), result.text).toMatch(rule);
  expect(via.since(before), JSON.stringify(args).slice(0, 200)).toHaveLength(0);
  return result;
}

describe('ext/ is a folder, not a prefix (GetIVR2DirStats: "ext/1 for extension ext/1")', () => {
  it('delete_files ext/1/000.wav deletes that file, not 1/000.wav; the question and the result show ivr2:/ext/1/000.wav', async () => {
    const before = sandbox.requests.length;
    const result = await harness.call('delete_files', { what: ['ext/1/000.wav'] });
    expect(result.isError, result.text).toBe(false);
    const [request] = sent(before).filter((r) => r.command === 'FileAction');
    expect(request.params.what).toBe('ivr2:/ext/1/000.wav');
    expect(storedBytes(sandbox, 'ext/1/000.wav')).toBeUndefined();
    expect(storedBytes(sandbox, '1/000.wav')).toBeDefined();
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toContain('ivr2:/ext/1/000.wav');
    expect(result.json.reports).toEqual([expect.objectContaining({ what: 'ivr2:/ext/1/000.wav', success: true })]);
  });

  it('write_text_file ext/ext.ini writes the ext folder\'s ext.ini, not the root\'s', async () => {
    const root = storedText(sandbox, 'ext.ini');
    const result = await harness.call('write_text_file', { what: 'ext/ext.ini', contents: 'type=menu\ntitle=ext\n' });
    expect(result.isError, result.text).toBe(false);
    expect(storedText(sandbox, 'ext/ext.ini')).toBe('type=menu\ntitle=ext\n');
    expect(result.json.done).toContain('what ivr2:/ext/ext.ini');
    expect(storedText(sandbox, 'ext.ini')).toBe(root);
  });

  it('a root folder named ivr is ivr2:/ivr/…', async () => {
    await harness.call('update_extension', { path: 'ivr2:/ivr/1', extIni: { type: 'menu' } });
    expect(storedText(sandbox, 'ivr/1/ext.ini')).toBe('type=menu\n');
  });
});

describe('look-alike dots (NFKC) are . and ..', () => {
  it.each(['１/．．/2/000.wav', '1/\u2024\u2024/000.wav', '1/\uFE52\uFE52/000.wav'])('delete_files %s is refused naming what', async (what) => {
    await expectRefused('delete_files', { what: [what] }, 'what', /\.\./);
  });
});

describe('the root folder is never a delete, move or overwrite target', () => {
  const ROOTS = [' /', '/', 'ivr2:', 'ivr2:/', 'ivr/', 'IVR2:'];
  it.each(ROOTS)('%j: delete, move source, text file, upload and download are refused naming the field', async (root) => {
    await expectRefused('delete_files', { what: root }, 'what', /root/);
    await expectRefused('delete_files', { what: ['2/000.wav', root] }, 'what', /root/);
    await expectRefused('copy_move_files', { action: 'move', what: root, target: '1/20' }, 'what', /root/);
    await expectRefused('write_text_file', { what: root, contents: 'x' }, 'what', /root/);
    await expectRefused('upload_file', { path: root, base64: 'UklGRg==', fileName: 'a.wav' }, 'path', /root/);
    await expectRefused('download_file', { path: root }, 'path', /root/);
  });

  it('the root stays a folder where a folder is meant: move into it, list it, number an upload into it', async () => {
    expect((await harness.call('copy_move_files', { action: 'move', what: '2/000.wav', target: '/' })).isError).toBe(false);
    expect(storedBytes(sandbox, '000.wav')).toBeDefined();
    expect((await harness.call('read_ivr', { command: 'GetIVR2Dir', path: 'ivr2:' })).isError).toBe(false);
    const numbered = await harness.call('upload_file', { path: '/', base64: wavBytes(10).toString('base64'), fileName: 'a.wav', autoNumbering: true });
    expect(numbered.isError, numbered.text).toBe(false);
  });
});

describe('download_file saveTo is a write that never replaces a file by accident', () => {
  it('an existing file is kept unless overwrite: true', async () => {
    const target = join(folders.allowed, 'kept.wav');
    writeFileSync(target, 'MINE');
    const before = sandbox.requests.length;
    const refused = await harness.call('download_file', { path: '1/000.wav', saveTo: 'kept.wav' });
    expect(refused.isError, refused.text).toBe(true);
    expect(refused.json.error).toBe('INVALID_INPUT');
    expect(String(refused.json.message)).toMatch(/saveTo: .*exists.*overwrite/);
    expect(readFileSync(target, 'utf8')).toBe('MINE');
    expect(sent(before).filter((r) => r.command === 'DownloadFile')).toHaveLength(0);
    await expectRefused('download_file', { path: '1/000.wav', overwrite: true }, 'overwrite', /only with saveTo/);
    const replaced = await harness.call('download_file', { path: '1/000.wav', saveTo: 'kept.wav', overwrite: true });
    expect(replaced.isError, replaced.text).toBe(false);
    expect(readFileSync(target).equals(storedBytes(sandbox, '1/000.wav')!)).toBe(true);
  });

  it.each([
    ['--read-only', { argv: ['--read-only', '--toolsets', 'all'] }],
    ['YEMOT_ALLOW=read,delete', { env: { YEMOT_ALLOW: 'read,delete' } }],
  ])('under %s: NOT_ALLOWED, nothing sent, nothing written; without saveTo it still downloads', async (_label, options) => {
    const limited = await startHarness({ use: sandbox, argv: ['--toolsets', 'all'], ...options, env: { YEMOT_FILES_DIR: folders.allowed, ...('env' in options ? options.env : {}) } });
    try {
      const before = sandbox.requests.length;
      const refused = await limited.call('download_file', { path: '1/000.wav', saveTo: 'policy.wav' });
      expect(refused.isError, refused.text).toBe(true);
      expect(refused.json.error).toBe('NOT_ALLOWED');
      expect(limited.since(before)).toHaveLength(0);
      expect(existsSync(join(folders.allowed, 'policy.wav'))).toBe(false);
      expect((await limited.call('download_file', { path: '1/001.wav' })).isError).toBe(false);
    } finally {
      await limited.close();
    }
  });
});

describe('hard links lead out of YEMOT_FILES_DIR: a file with more than one link is refused', () => {
  it('for an upload (localFile) and for saveTo with overwrite, and the file outside is untouched', async () => {
    const secret = join(folders.outside, 'secret.wav');
    writeFileSync(secret, 'SECRET');
    linkSync(secret, join(folders.allowed, 'linked.wav'));
    await expectRefused('upload_file', { path: '1/030.wav', localFile: 'linked.wav' }, 'localFile', /link/);
    const result = await harness.call('download_file', { path: '1/000.wav', saveTo: 'linked.wav', overwrite: true });
    expect(result.isError, result.text).toBe(true);
    expect(String(result.json.message)).toMatch(/saveTo: .*link/);
    expect(readFileSync(secret, 'utf8')).toBe('SECRET');
  });
});
