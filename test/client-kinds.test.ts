import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { YemotHttp } from '../src/client/http.js';
import { memoryFile } from '../src/client/kinds.js';
import { YemotSession } from '../src/client/session.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { caught } from './caught.js';

let sandbox: Sandbox;
let http: YemotHttp;
let session: YemotSession;
beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined });
  http = new YemotHttp({ baseUrl: sandbox.url, timeoutMs: 2000, retryDelayMs: 10 });
  session = new YemotSession(http, { token: sandbox.token });
});
afterAll(async () => {
  await http.close();
  await sandbox.close();
});
beforeEach(() => sandbox.reset());
afterEach(() => sandbox.clearFaults());


/** A mono 8 kHz 16-bit WAV built by hand; its samples cover every byte value, which a text decode would mangle. */
function wav(frames: number): Buffer {
  const bytes = Buffer.alloc(44 + frames * 2);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(36 + frames * 2, 4);
  bytes.write('WAVEfmt ', 8, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(8000, 24);
  bytes.writeUInt32LE(16000, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames * 2; i++) bytes[44 + i] = (i * 7) % 256;
  return bytes;
}

const WAV = wav(4000);
const PATH = 'ivr2:/2/009.wav';
const upload = (extra: Record<string, unknown> = {}) =>
  session.call(
    'UploadFile',
    { path: PATH, autoNumbering: 'false', convertAudio: false, file: memoryFile(WAV, 'tone.wav', 'audio/wav'), ...extra },
    { request: { multipart: 'file' } },
  );

describe('a multipart request and a binary answer, through the client against the simulator', () => {
  it('uploads a WAV as a file part with the token and params as text fields, and downloads the same bytes', async () => {
    const before = sandbox.requests.length;
    const uploaded = await upload();
    expect(uploaded).toMatchObject({ kind: 'json', renewed: false, answer: { responseStatus: 'OK', path: PATH, size: WAV.length } });

    const [request] = sandbox.requests.slice(before);
    expect(request.url).toBe('/ym/api/UploadFile');
    expect(request.contentType).toBe('multipart/form-data');
    // Booleans by the API's 1/0; a value given as a string (autoNumbering's true/false) untouched.
    expect(request.params).toEqual({ token: sandbox.token, path: PATH, autoNumbering: 'false', convertAudio: '0' });
    expect(request.files).toHaveLength(1);
    expect(request.files[0]).toMatchObject({ name: 'file', filename: 'tone.wav', contentType: 'audio/wav' });
    expect(Buffer.from(request.files[0].bytes).equals(WAV)).toBe(true);

    const downloaded = await session.call('DownloadFile', { path: PATH }, { answer: 'binary', retry: true });
    expect(downloaded.kind).toBe('binary');
    if (downloaded.kind !== 'binary') return;
    expect(downloaded.contentType).toBe('application/octet-stream');
    expect(downloaded.size).toBe(WAV.length);
    expect(Buffer.from(downloaded.bytes!).equals(WAV)).toBe(true);
    expect(sandbox.requests.at(-1)?.url).toBe('/ym/api/DownloadFile');
  });

  it('puts the file part under the field the request kind names', async () => {
    const sent = session.call('UploadFile', { path: PATH, audio: memoryFile(WAV, 'tone.wav', 'audio/wav') }, { request: { multipart: 'audio' } });
    // The simulator, like the API, wants the part named `file` (messageCode 107).
    expect(await caught(sent)).toMatchObject({ code: 'API_ERROR', vendorMessage: 'File upload expected' });
    const request = sandbox.requests.at(-1)!;
    expect(request.files.map((part) => part.name)).toEqual(['audio']);
    expect(request.params).toEqual({ token: sandbox.token, path: PATH });
  });

  it('refuses, naming the field, a multipart request without its file; nothing is sent', async () => {
    const before = sandbox.requests.length;
    const error = await caught(session.call('UploadFile', { path: PATH, file: 'not a file' }, { request: { multipart: 'file' } }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('file: a file (bytes, file name and MIME type) is required');
    expect(sandbox.requests.length).toBe(before);
  });

  it('HTTP 404 for a missing file is NOT_FOUND, with a hint to check the path', async () => {
    const error = await caught(http.send('DownloadFile', { token: sandbox.token, path: 'ivr2:/2/no-such.wav' }, { answer: 'binary', retry: true }));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.status).toBe('404');
    expect(error.outcomeUnknown).toBe(false);
    expect(error.hint).toMatch(/path/);
  });

  it('HTTP 404 on a JSON command stays HTTP_ERROR (a wrong API URL, not a missing file)', async () => {
    sandbox.injectFault({ kind: 'http', status: 404 });
    expect((await caught(http.send('GetApprovedCallerIDs', { token: sandbox.token }))).code).toBe('HTTP_ERROR');
  });

  it.each([
    ['application/json; charset=utf-8', 'declared JSON'],
    ['application/octet-stream', 'an untyped body that is a JSON envelope'],
  ])('a JSON error body on a binary command (%s: %s) is an API_ERROR', async (contentType) => {
    sandbox.injectFault({ kind: 'raw', contentType, body: JSON.stringify({ responseStatus: 'ERROR', message: 'path is invalid' }) }, { command: 'DownloadFile' });
    const error = await caught(http.send('DownloadFile', { token: sandbox.token, path: PATH }, { answer: 'binary' }));
    expect(error.code).toBe('API_ERROR');
    expect(error.vendorMessage).toBe('path is invalid');
  });

  it('a file that merely holds a JSON object (no responseStatus) is returned as bytes', async () => {
    const body = JSON.stringify({ title: 'not an answer' });
    sandbox.injectFault({ kind: 'raw', contentType: 'application/octet-stream', body }, { command: 'DownloadFile' });
    const reply = await http.send('DownloadFile', { token: sandbox.token, path: PATH }, { answer: 'binary' });
    expect(reply.kind === 'binary' && Buffer.from(reply.bytes!).toString('utf8')).toBe(body);
  });

  it('a binary answer is bounded by the response cap like any other', async () => {
    await upload();
    const capped = new YemotHttp({ baseUrl: sandbox.url, maxResponseBytes: 1000 });
    try {
      expect((await caught(capped.send('DownloadFile', { token: sandbox.token, path: PATH }, { answer: 'binary' }))).code).toBe('RESPONSE_TOO_LARGE');
    } finally {
      await capped.close();
    }
  });

  it('a renewed session carries the binary reply through YemotSession.call', async () => {
    const login = new YemotSession(http, { username: '0770000000', password: 'sandbox-password' });
    await upload();
    sandbox.expireSession(await login.currentToken());
    const reply = await login.call('DownloadFile', { path: PATH }, { answer: 'binary' });
    expect(reply.renewed).toBe(true);
    expect(reply.kind === 'binary' && Buffer.from(reply.bytes!).equals(WAV)).toBe(true);
  });
});

describe('a text answer decoded by its charset', () => {
  let api: Server;
  let url: string;
  const CSV = 'שם,טלפון\nמשה כהן,0501234567\n';
  /** windows-1255 for ASCII and the Hebrew letters (U+05D0..U+05EA are 0xE0..0xFA). */
  const windows1255 = Buffer.from([...CSV].map((char) => (char >= 'א' && char <= 'ת' ? char.charCodeAt(0) - 0x05d0 + 0xe0 : char.charCodeAt(0))));

  beforeAll(async () => {
    api = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv; charset=windows-1255', 'content-length': windows1255.length });
      res.end(windows1255);
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(api.address() as AddressInfo).port}/ym/api/`;
  });
  afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

  it('returns the decoded text with its media type', async () => {
    const client = new YemotHttp({ baseUrl: url });
    try {
      const reply = await client.send('RenderYMGRFile', { token: 't' }, { answer: 'text' });
      expect(reply).toEqual({ kind: 'text', text: CSV, contentType: 'text/csv' });
    } finally {
      await client.close();
    }
  });

  it('the same body asked for as a JSON answer is BAD_RESPONSE', async () => {
    const client = new YemotHttp({ baseUrl: url });
    try {
      expect((await caught(client.send('RenderYMGRFile', { token: 't' }))).code).toBe('BAD_RESPONSE');
    } finally {
      await client.close();
    }
  });
});
