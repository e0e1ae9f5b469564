import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { storedBytes, tempFolders } from './files-fixtures.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 12: a file larger than one request may carry goes through UploadFile's chunked protocol (parts carrying
 * qquuid…, then UploadFile?done), with an MCP progress notification per part, and can be cancelled between parts.
 * The part size is lowered (YEMOT_UPLOAD_PART_BYTES) so a 21 MB file takes six parts and the test stays fast.
 */

const PART_BYTES = 4 * 1024 * 1024;
const FILE_BYTES = 21 * 1024 * 1024 + 12_345;
const PARTS = Math.ceil(FILE_BYTES / PART_BYTES);

let sandbox: Sandbox;
let folders: ReturnType<typeof tempFolders>;
let harness: Harness;
let big: Buffer;

beforeAll(async () => {
  // A little latency per request, so a cancellation sent after the first part lands before the last one.
  sandbox = await startSandbox({ mfa: 'hard', latencyMs: 25, log: () => undefined });
  folders = tempFolders();
  big = randomBytes(FILE_BYTES);
  writeFileSync(join(folders.allowed, 'lecture.wav'), big);
  harness = await startHarness({ use: sandbox, env: { YEMOT_FILES_DIR: folders.allowed, YEMOT_UPLOAD_PART_BYTES: String(PART_BYTES) } });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
  folders.remove();
});
beforeEach(() => sandbox.reset());

const uploadRequests = (from: number) => harness.since(from).filter((request) => request.command === 'UploadFile');
const isDone = (request: { params: Record<string, unknown>; url: string }) => Object.hasOwn(request.params, 'done');

describe('a 21 MB file through the chunked UploadFile', () => {
  it('goes in parts with a progress notification each, then done, and is stored byte for byte', async () => {
    const progress: Progress[] = [];
    const before = sandbox.requests.length;
    const result = await harness.client.callTool(
      { name: 'upload_file', arguments: { path: '1/lecture.wav', localFile: 'lecture.wav' } },
      CallToolResultSchema,
      { onprogress: (update) => void progress.push(update) },
    );
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ path: 'ivr2:/1/lecture.wav', size: FILE_BYTES });

    // The requests: PARTS multipart parts, then done; the token in every body, never in a URL.
    const token = await harness.app.ctx.session.currentToken();
    const requests = uploadRequests(before);
    expect(requests).toHaveLength(PARTS + 1);
    const parts = requests.slice(0, PARTS);
    const done = requests[PARTS];
    for (const [index, part] of parts.entries()) {
      expect(part.contentType).toBe('multipart/form-data');
      expect(part.url).toBe('/ym/api/UploadFile');
      expect(part.params).toMatchObject({
        token,
        path: 'ivr2:/1',
        qqfilename: 'lecture.wav',
        qqpartindex: String(index),
        qqpartbyteoffset: String(index * PART_BYTES),
        qqtotalparts: String(PARTS),
        qqtotalfilesize: String(FILE_BYTES),
        qqchunksize: String(part.files[0].bytes.length),
        uploader: 'yemot-admin',
      });
      expect(part.files.map((file) => file.name)).toEqual(['qqfile']);
      expect(isDone(part)).toBe(false);
    }
    expect(new Set(parts.map((part) => part.params.qquuid)).size).toBe(1);
    expect(Buffer.concat(parts.map((part) => part.files[0].bytes)).equals(big)).toBe(true);
    expect(isDone(done)).toBe(true);
    expect(done.url).toBe('/ym/api/UploadFile?done');
    expect(done.params).toMatchObject({ token, path: 'ivr2:/1', qquuid: parts[0].params.qquuid, qqfilename: 'lecture.wav', qqtotalparts: String(PARTS) });
    for (const request of requests) expect(request.url).not.toContain(token);

    // One notification per part and one for done, in order, each with the total.
    expect(progress.map((update) => update.progress)).toEqual(Array.from({ length: PARTS + 1 }, (_, index) => index + 1));
    for (const update of progress) expect(update.total).toBe(PARTS + 1);
    expect(progress[0].message).toMatch(/part 1 of 6/);

    expect(storedBytes(sandbox, '1/lecture.wav')!.equals(big)).toBe(true);
    const listed = await harness.call('read_ivr', { command: 'GetIVR2Dir', path: '1' });
    expect(listed.json.files).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'lecture.wav', size: FILE_BYTES })]));
  });

  it('downloads back with saveTo, byte for byte, with the default limits', async () => {
    // Stored directly: the upload itself is the test above.
    sandbox.account.ivr.dirs['1'].files['lecture.wav'] = { data: new Uint8Array(big), mtime: '2025-06-01 10:00:00', source: 'API', phone: '', ip: '127.0.0.1' };
    const saved = await harness.call('download_file', { path: 'ivr2:/1/lecture.wav', saveTo: 'lecture-back.wav' });
    expect(saved.isError, saved.text).toBe(false);
    expect(saved.json).toMatchObject({ size: FILE_BYTES, savedTo: join(folders.allowed, 'lecture-back.wav') });
    expect(readFileSync(join(folders.allowed, 'lecture-back.wav')).equals(big)).toBe(true);
  });

  it('a file at the part size goes as one simple multipart request', async () => {
    writeFileSync(join(folders.allowed, 'exact.wav'), big.subarray(0, PART_BYTES));
    const before = sandbox.requests.length;
    const result = await harness.call('upload_file', { path: '2/exact.wav', localFile: 'exact.wav' });
    expect(result.isError, result.text).toBe(false);
    const requests = uploadRequests(before);
    expect(requests).toHaveLength(1);
    expect(requests[0].files.map((file) => file.name)).toEqual(['file']);
    expect(requests[0].params).not.toHaveProperty('qquuid');
  });

  it('cancelled after the first part: UploadFile?done never reaches the simulator and nothing is stored', async () => {
    const before = sandbox.requests.length;
    const controller = new AbortController();
    const progress: Progress[] = [];
    const call = harness.client.callTool({ name: 'upload_file', arguments: { path: '1/lecture.wav', localFile: 'lecture.wav' } }, CallToolResultSchema, {
      signal: controller.signal,
      onprogress: (update) => {
        progress.push(update);
        controller.abort();
      },
    });
    await expect(call).rejects.toThrow();
    expect(progress.length).toBeGreaterThanOrEqual(1);
    // The server sees the cancellation and stops; wait (bounded) until it has logged the call's end.
    const deadline = Date.now() + 5_000;
    while (!harness.logLines.some((line) => /upload_file: CANCELLED/.test(line)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.logLines.filter((line) => /upload_file: /.test(line)).join('\n')).toMatch(/upload_file: CANCELLED/);
    const requests = uploadRequests(before);
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(requests.length).toBeLessThan(PARTS);
    expect(requests.filter(isDone)).toHaveLength(0);
    expect(storedBytes(sandbox, '1/lecture.wav')).toBeUndefined();
    const listed = await harness.call('read_ivr', { command: 'GetIVR2Dir', path: '1' });
    expect((listed.json.files as Array<{ name: string }>).map((file) => file.name)).not.toContain('lecture.wav');
  });
});
