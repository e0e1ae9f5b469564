import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeApi, MB, measureTransfer, type FakeApi } from '../bench/big-transfers.mjs';

/**
 * Issue 30: the big transfers of the built server, its resident set sampled every 10 ms while each runs. Held whole,
 * a file adds at least its own size and an answer about seven times it; streamed, what is added is what the collector
 * has not yet freed, which does not grow with the file. Socket and file buffers live outside V8's heap and are freed on
 * V8's own schedule: a streamed file adds 10 to 61 MB on this machine, not the 32 MB every time, so
 * these tests hold the line that fails when a file is held whole (under half its size), and `npm run bench` reports
 * the 200 MB and 100 MB cases against the figures.
 */

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const FILE_BYTES = 200 * MB;
const ANSWER_BYTES = 24 * MB;
const BOUND = FILE_BYTES / 2;
const inMB = (bytes: number) => Math.round(bytes / MB);

describe.runIf(process.platform === 'linux')('big transfers in bounded memory (built server, RSS sampled while each runs)', () => {
  let api: FakeApi;
  let dir: string;

  beforeAll(async () => {
    api = await fakeApi({ fileBytes: FILE_BYTES, answerBytes: ANSWER_BYTES });
    dir = mkdtempSync(join(tmpdir(), 'yemot-transfer-memory-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a 200 MB download saved with saveTo goes to its file as it arrives: adds less than half its size', { timeout: 60_000 }, async () => {
    const { result, before, added } = await measureTransfer({ entry, api, dir, tool: 'download_file', small: { path: '1/small.wav', saveTo: 'small.wav' }, big: { path: '1/000.wav', saveTo: 'big.wav' } });
    process.stderr.write(`saveTo download of ${inMB(FILE_BYTES)} MB: RSS ${inMB(before)} MB, +${inMB(added)} MB at the peak\n`);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(statSync(join(dir, 'big.wav')).size).toBe(FILE_BYTES);
    expect(added).toBeLessThan(BOUND);
  });

  it('a 200 MB upload from localFile is read from disk as its parts are sent: adds less than half its size', { timeout: 60_000 }, async () => {
    writeFileSync(join(dir, 'small-upload.wav'), Buffer.alloc(1024, 1));
    writeFileSync(join(dir, 'upload.wav'), Buffer.alloc(FILE_BYTES, 1));
    const sentBefore = api.received();
    const { result, before, added } = await measureTransfer({ entry, api, dir, tool: 'upload_file', small: { path: '1/001.wav', localFile: 'small-upload.wav' }, big: { path: '1/000.wav', localFile: 'upload.wav' } });
    process.stderr.write(`localFile upload of ${inMB(FILE_BYTES)} MB: RSS ${inMB(before)} MB, +${inMB(added)} MB at the peak\n`);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(api.received() - sentBefore).toBeGreaterThan(FILE_BYTES);
    expect(added).toBeLessThan(BOUND);
  });

  it('a 24 MB answer (the response cap raised to 256 MiB) is cut while it is read: adds less than four times its size (held whole, about seven times; garbage in the young generation alone can reach 40 MB)', { timeout: 60_000 }, async () => {
    const { result, before, added } = await measureTransfer({ entry, api, dir, tool: 'read_ivr', small: { command: 'GetIVR2Dir', path: 'small' }, big: { command: 'GetIVR2Dir', path: '1' } });
    process.stderr.write(`answer of ${inMB(ANSWER_BYTES)} MB: RSS ${inMB(before)} MB, +${inMB(added)} MB at the peak\n`);
    expect(result.isError, JSON.stringify(result.content).slice(0, 300)).toBeFalsy();
    const truncated = (result.structuredContent as { truncated: Array<{ field: string; total: number }> }).truncated;
    expect(truncated).toEqual([expect.objectContaining({ field: 'files' })]);
    expect(truncated[0].total).toBeGreaterThan(ANSWER_BYTES / 200);
    expect(added).toBeLessThan(4 * ANSWER_BYTES);
  });
});
