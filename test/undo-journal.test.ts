import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileJournal } from '../src/app/undo-journal.js';
import type { JournalNote } from '../src/call/journal.js';

/** Issue 27: the undo journal keeps what a change replaced, bounded by size and age, per account. */

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'yemot-journal-'));
  folders.push(dir);
  return dir;
};

const note = (path: string): JournalNote => ({ tool: 'change_extension', path, kind: 'overwrite', summary: `changed ${path}`, after: 'digest' });
const A = 'call2all.co.il|0770000000';
const B = 'call2all.co.il|0771111111';
/** Bytes of all entries kept on disk, content files only. */
const onDisk = (dir: string) => readdirSync(join(dir, 'undo'), { recursive: true }).filter((name) => String(name).endsWith('.bin')).length;

describe('the undo journal', () => {
  it('gives back exactly what it kept, text and bytes, newest first, each account its own', async () => {
    const journal = new FileJournal({ dir: tempDir() });
    const text = 'type=menu\r\n; note\r\ntitle(2026-01-01-00-00-00|x)=שלום\r\nunknown=1';
    const bytes = new Uint8Array([0, 255, 1, 254, 82, 73, 70, 70]);
    const first = (await journal.keep(A, note('ivr2:/1/ext.ini'), text))!;
    const second = (await journal.keep(A, { ...note('ivr2:/2/000.wav'), kind: 'delete' }, bytes))!;
    await journal.keep(B, note('ivr2:/9/ext.ini'), 'other account');
    expect(await journal.get(A, first.id)).toEqual({ entry: first, before: text });
    const audio = await journal.get(A, second.id);
    expect(audio?.entry.binary).toBe(true);
    expect(Buffer.from(audio!.before as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    expect((await journal.list(A, 10)).map((entry) => entry.path)).toEqual(['ivr2:/2/000.wav', 'ivr2:/1/ext.ini']);
    expect(await journal.get(B, first.id)).toBeUndefined();
    expect((await journal.list(B, 10)).map((entry) => entry.path)).toEqual(['ivr2:/9/ext.ini']);
  });

  it('survives a restart: another journal on the same folder reads what the first kept', async () => {
    const dir = tempDir();
    const kept = (await new FileJournal({ dir }).keep(A, note('ivr2:/1/ext.ini'), 'type=menu\n'))!;
    expect(await new FileJournal({ dir }).get(A, kept.id)).toEqual({ entry: kept, before: 'type=menu\n' });
  });

  it('keeps at most maxEntries and totalBytes, dropping the oldest first, on disk too', async () => {
    const dir = tempDir();
    let now = 1_000_000;
    const journal = new FileJournal({ dir, limits: { maxEntries: 3, totalBytes: 25, entryBytes: 20 }, now: () => (now += 1000) });
    const ids = [];
    for (const path of ['a', 'b', 'c', 'd']) ids.push((await journal.keep(A, note(path), '12345'))!.id);
    expect((await journal.list(A, 10)).map((entry) => entry.path)).toEqual(['d', 'c', 'b']);
    expect(await journal.get(A, ids[0])).toBeUndefined();
    expect(onDisk(dir)).toBe(3);
    // 3 × 5 bytes kept; 17 more make 32, past 25: the two oldest go (32 - 5 = 27 is still past it).
    await journal.keep(A, note('e'), '12345678901234567');
    expect((await journal.list(A, 10)).map((entry) => entry.path)).toEqual(['e', 'd']);
    expect(onDisk(dir)).toBe(2);
  });

  it('keeps nothing larger than one entry may be: that change cannot be undone', async () => {
    const journal = new FileJournal({ dir: tempDir(), limits: { entryBytes: 4 } });
    expect(await journal.keep(A, note('big'), '12345')).toBeUndefined();
    expect(await journal.keep(A, note('big'), new Uint8Array(5))).toBeUndefined();
    expect(await journal.keep(A, note('small'), '1234')).toBeDefined();
    expect((await journal.list(A, 10)).map((entry) => entry.path)).toEqual(['small']);
  });

  it('forgets entries older than maxAgeMs', async () => {
    let now = 1_000_000;
    const journal = new FileJournal({ dir: tempDir(), limits: { maxAgeMs: 60_000 }, now: () => now });
    const old = (await journal.keep(A, note('old'), 'x'))!;
    now += 61_000;
    expect(await journal.get(A, old.id)).toBeUndefined();
    expect(await journal.list(A, 10)).toEqual([]);
    await journal.keep(A, note('new'), 'y');
    expect((await journal.list(A, 10)).map((entry) => entry.path)).toEqual(['new']);
  });

  it('where the folder cannot be used, says so once and keeps entries in memory', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const warnings: string[] = [];
    const journal = new FileJournal({ dir: file, warn: (message) => warnings.push(message) });
    expect(journal.where).toBe('memory');
    const kept = (await journal.keep(A, note('a'), 'one'))!;
    await journal.keep(A, note('b'), 'two');
    expect(await journal.get(A, kept.id)).toMatchObject({ before: 'one' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/undo journal cannot be kept in .*changes still work.*memory only/);
  });

  it('a folder that stops being usable: one warning, the entry kept in memory', async () => {
    const dir = tempDir();
    const warnings: string[] = [];
    const journal = new FileJournal({ dir, warn: (message) => warnings.push(message) });
    expect(journal.where).toBe(`folder ${join(dir, 'undo')}`);
    // Its folder replaced by a file: nothing can be written under it, whoever runs the test.
    rmSync(join(dir, 'undo'), { recursive: true });
    writeFileSync(join(dir, 'undo'), 'x');
    const kept = (await journal.keep(A, note('a'), 'one'))!;
    await journal.keep(A, note('b'), 'two');
    expect(await journal.get(A, kept.id)).toMatchObject({ before: 'one' });
    expect(journal.where).toBe('memory');
    expect(warnings).toHaveLength(1);
  });
});
