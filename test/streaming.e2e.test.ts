import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CUT_AFTER_BYTES } from '../src/client/body.js';
import { SECRET_MARGIN_CHARS } from '../src/client/json-cut.js';
import { DEFAULT_MAX_RESULT_CHARS, type Truncation } from '../src/call/result-cap.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { tempFolders } from './files-fixtures.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 30: what is big is streamed. A large answer is cut while it is read and still says how much it had; a
 * download goes to its file as it arrives and leaves nothing behind when it fails; an upload is read from disk
 * as it is sent and stops when the file changes under it. (Memory is measured in test/transfer-memory.test.ts.)
 */

let sandbox: Sandbox;
let folders: ReturnType<typeof tempFolders>;
let harness: Harness;

beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined });
  folders = tempFolders();
  harness = await startHarness({ use: sandbox, env: { YEMOT_FILES_DIR: folders.allowed } });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
  folders.remove();
});
beforeEach(() => sandbox.reset());

describe('a large answer is cut while it is read', () => {
  it('a list of 40,000 files: the result fits the cap, shows the first files, and counts all 40,000', async () => {
    const files = Array.from({ length: 40_000 }, (_, i) => ({ name: `${String(i).padStart(5, '0')}.wav`, size: i, fileType: 'AUDIO' }));
    const body = JSON.stringify({ responseStatus: 'OK', thisPath: '/1', dirs: [], files, filesCount: 40_000 });
    expect(body.length).toBeGreaterThan(CUT_AFTER_BYTES);
    sandbox.injectFault({ kind: 'raw', body }, { command: 'GetIVR2Dir' });
    const result = await harness.call('read_ivr', { command: 'GetIVR2Dir', path: '1' });
    expect(result.isError, result.text.slice(0, 300)).toBe(false);
    expect(result.text.length).toBeLessThanOrEqual(DEFAULT_MAX_RESULT_CHARS);
    const shown = (result.json.files as unknown[]).length;
    expect(shown).toBeGreaterThan(100);
    expect(result.json.files).toEqual(files.slice(0, shown));
    expect(result.json.filesCount).toBe(40_000);
    expect(result.json.truncated).toEqual([
      expect.objectContaining({ field: 'files', unit: 'items', total: 40_000, shown, note: expect.stringContaining('filesLimit') }),
    ]);
  });

  it('a long text: a secret the read cut in two is never shown, not even in part', async () => {
    const token = sandbox.token;
    const kept = DEFAULT_MAX_RESULT_CHARS + SECRET_MARGIN_CHARS;
    // The token straddles the end of what is kept: all of it but its last 3 characters are read and held.
    const before = 'a'.repeat(kept - token.length + 3);
    const body = `${before}${token}${'b'.repeat(CUT_AFTER_BYTES)}`;
    sandbox.injectFault({ kind: 'raw', contentType: 'text/csv; charset=utf-8', body }, { command: 'RenderYMGRFile' });
    const result = await harness.call('render_ymgr_file', { wath: 'Log/LogIncoming.ymgr', convertType: 'csv' });
    expect(result.isError, result.text.slice(0, 300)).toBe(false);
    expect(result.text).not.toContain(token.slice(0, token.length - 3));
    const [cut] = result.json.truncated as Truncation[];
    expect(cut).toMatchObject({ field: 'content', unit: 'characters', total: body.length });
    expect(String(result.json.content).startsWith('a'.repeat(cut.shown!))).toBe(true);
    expect(cut.shown).toBeLessThanOrEqual(kept - SECRET_MARGIN_CHARS);
  });
});

/** An API that misbehaves on file transfers, on loopback; two-factor reads pass. */
interface FileApi {
  url: string;
  commands: string[];
  close(): Promise<void>;
}

async function fileApi(handle: (command: string, body: string, res: ServerResponse) => void): Promise<FileApi> {
  const commands: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const command = req.url!.split('/').pop()!;
    commands.push(command);
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (command === 'MFASession') return void res.end(JSON.stringify({ responseStatus: 'OK', isPass: true, isPassInThisSession: true }));
      handle(command, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ym/api/`,
    commands,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('a download saved with saveTo', () => {
  let api: FileApi;
  let client: Harness;
  beforeAll(async () => {
    api = await fileApi((_command, body, res) => {
      if (body.includes('envelope')) {
        // The API's refusal, sent as if it were the file.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void res.end(JSON.stringify({ responseStatus: 'ERROR', message: 'the file is locked' }));
      }
      // Half of a 1 MB file, then the connection breaks.
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1024 * 1024) });
      res.write(Buffer.alloc(512 * 1024, 0x52), () => res.socket?.destroy());
    });
    client = await startHarness({ use: sandbox, apiUrl: api.url, env: { YEMOT_FILES_DIR: folders.allowed } });
  });
  afterAll(async () => {
    await client.close();
    await api.close();
  });

  it('broken off half-way (and again on the one retry of a read): the file it would replace is as it was, and nothing else is left', async () => {
    writeFileSync(join(folders.allowed, 'kept.wav'), 'MINE');
    const replaced = await client.call('download_file', { path: '1/000.wav', saveTo: 'kept.wav', overwrite: true });
    expect(replaced.isError, replaced.text).toBe(true);
    expect(replaced.json.error).toBe('NETWORK');
    expect(api.commands.filter((command) => command === 'DownloadFile')).toHaveLength(2);
    expect(readFileSync(join(folders.allowed, 'kept.wav'), 'utf8')).toBe('MINE');
    const fresh = await client.call('download_file', { path: '1/000.wav', saveTo: 'fresh.wav' });
    expect(fresh.json.error).toBe('NETWORK');
    expect(readdirSync(folders.allowed).sort()).toEqual(['kept.wav']);
  });

  it('a JSON refusal where the file was expected makes no file', async () => {
    const refused = await client.call('download_file', { path: '1/envelope.wav', saveTo: 'refused.wav' });
    expect(refused.isError).toBe(true);
    expect(refused.json).toMatchObject({ error: 'API_ERROR', vendorMessage: 'the file is locked' });
    expect(existsSync(join(folders.allowed, 'refused.wav'))).toBe(false);
  });
});

describe('an upload from localFile is read from disk as it is sent', () => {
  it('a file that changes between parts stops the upload before UploadFile?done, naming localFile', async () => {
    const file = join(folders.allowed, 'changing.wav');
    writeFileSync(file, Buffer.alloc(3 * 1024, 1));
    let parts = 0;
    const api = await fileApi((command, _body, res) => {
      // The file grows once the first part is in (the reads before the upload are not parts).
      if (command.startsWith('UploadFile') && ++parts === 1) appendFileSync(file, 'more');
      res.end(JSON.stringify({ responseStatus: 'OK', success: true }));
    });
    const client = await startHarness({ use: sandbox, apiUrl: api.url, env: { YEMOT_FILES_DIR: folders.allowed, YEMOT_UPLOAD_PART_BYTES: '1024' } });
    try {
      const result = await client.call('upload_file', { path: '1/000.wav', localFile: 'changing.wav' });
      expect(result.isError, result.text).toBe(true);
      expect(result.json).toMatchObject({ error: 'INVALID_INPUT', message: expect.stringMatching(/localFile: changing\.wav changed while it was being read/) });
      // The first part, and the second stopped as it was read: never UploadFile?done.
      expect(api.commands.filter((command) => command.startsWith('UploadFile'))).toEqual(['UploadFile', 'UploadFile']);
    } finally {
      await client.close();
      await api.close();
    }
  });

  it('base64 may carry white space anywhere; anything else but the alphabet is refused, naming base64', async () => {
    const bytes = Buffer.from('RIFF and some bytes of a small file');
    const spaced = bytes.toString('base64').replace(/(.{8})/g, '$1\n ');
    const sent = await harness.call('upload_file', { path: '1/050.wav', base64: spaced, fileName: 'a.wav' });
    expect(sent.isError, sent.text).toBe(false);
    const refused = await harness.call('upload_file', { path: '1/050.wav', base64: 'UklG!RiQ=', fileName: 'a.wav' });
    expect(refused.json).toMatchObject({ error: 'INVALID_INPUT', message: expect.stringContaining('base64: not valid base64') });
  });
});
