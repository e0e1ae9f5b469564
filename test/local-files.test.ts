import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalFileRefused, LocalFiles } from '../src/call/local-files.js';

/** Runs once just before the next open: a swap between the check and the open, as a racing process would make it. */
const race = vi.hoisted(() => ({ beforeOpen: undefined as undefined | (() => void) }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = (...args) => {
    const swap = race.beforeOpen;
    race.beforeOpen = undefined;
    swap?.();
    return real.open(...args);
  };
  return { ...real, default: { ...real, open }, open };
});
afterEach(() => {
  race.beforeOpen = undefined;
});

function fixture() {
  const base = mkdtempSync(join(tmpdir(), 'yemot-files-'));
  const allowed = join(base, 'allowed');
  const outside = join(base, 'outside');
  mkdirSync(join(allowed, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(allowed, 'greeting.wav'), 'RIFF-inside');
  writeFileSync(join(outside, 'id_rsa'), 'SECRET-KEY');
  symlinkSync(join(outside, 'id_rsa'), join(allowed, 'link-to-key'));
  symlinkSync(outside, join(allowed, 'link-to-dir'));
  return { allowed, outside, files: new LocalFiles(allowed) };
}

const refused = (promise: Promise<unknown>, text: string) => expect(promise).rejects.toThrow(new RegExp(text));

/** A download saved in one piece: the saver makes the file on its first piece and puts it in place when closed. */
async function save(files: LocalFiles, given: string, bytes: Buffer, overwrite: boolean): Promise<string> {
  const saver = await files.saver('saveTo', given, overwrite);
  await saver.write(bytes);
  await saver.close();
  return saver.path;
}

describe('local files stay inside YEMOT_FILES_DIR', () => {
  it('reads a file inside, by absolute or relative path', async () => {
    const { allowed, files } = fixture();
    expect((await files.read('localFile', join(allowed, 'greeting.wav'), 1000)).toString()).toBe('RIFF-inside');
    expect((await files.read('localFile', 'greeting.wav', 1000)).toString()).toBe('RIFF-inside');
  });

  it('refuses outside, through a symlink to a file or a folder, with .., and when turned off', async () => {
    const { allowed, outside, files } = fixture();
    await refused(files.read('localFile', join(outside, 'id_rsa'), 1000), 'outside the folders in YEMOT_FILES_DIR');
    await refused(files.read('localFile', join(allowed, 'link-to-key'), 1000), 'outside');
    await refused(files.read('localFile', join(allowed, 'link-to-dir', 'id_rsa'), 1000), 'outside');
    await refused(files.read('localFile', join(allowed, '..', 'outside', 'id_rsa'), 1000), 'outside');
    await refused(files.read('localFile', '../outside/id_rsa', 1000), 'outside');
    await refused(new LocalFiles(undefined).read('localFile', join(allowed, 'greeting.wav'), 1000), 'YEMOT_FILES_DIR');
    await expect(files.read('localFile', join(outside, 'id_rsa'), 1000)).rejects.toBeInstanceOf(LocalFileRefused);
  });

  it('refuses folders, missing files and files over the limit', async () => {
    const { allowed, files } = fixture();
    await refused(files.read('localFile', join(allowed, 'sub'), 1000), 'not a regular file');
    await refused(files.read('localFile', join(allowed, 'nope.wav'), 1000), 'does not exist');
    await refused(files.read('localFile', join(allowed, 'greeting.wav'), 3), 'more than the 3 allowed');
  });

  it('writes inside, never through a symlink or outside', async () => {
    const { allowed, outside, files } = fixture();
    const written = await save(files, join(allowed, 'sub', 'copy.wav'), Buffer.from('bytes'), false);
    expect(readFileSync(written, 'utf8')).toBe('bytes');
    await refused(save(files, join(allowed, 'link-to-key'), Buffer.from('x'), false), 'not a regular file');
    expect(readFileSync(join(outside, 'id_rsa'), 'utf8')).toBe('SECRET-KEY');
    await refused(save(files, join(allowed, 'link-to-dir', 'new.wav'), Buffer.from('x'), false), 'outside');
    await refused(save(files, join(outside, 'new.wav'), Buffer.from('x'), false), 'outside');
  });

  it('never replaces an existing file unless overwrite: true', async () => {
    const { allowed, files } = fixture();
    await refused(save(files, 'greeting.wav', Buffer.from('new'), false), 'exists; give overwrite: true');
    expect(readFileSync(join(allowed, 'greeting.wav'), 'utf8')).toBe('RIFF-inside');
    await save(files, 'greeting.wav', Buffer.from('new'), true);
    expect(readFileSync(join(allowed, 'greeting.wav'), 'utf8')).toBe('new');
  });

  it('refuses a file with a second hard link, for reading and for overwriting; the file outside is untouched', async () => {
    const { allowed, outside, files } = fixture();
    linkSync(join(outside, 'id_rsa'), join(allowed, 'hard-link'));
    await refused(files.read('localFile', 'hard-link', 1000), 'localFile: hard-link has 2 hard links');
    await refused(save(files, 'hard-link', Buffer.from('x'), true), 'saveTo: hard-link has 2 hard links');
    expect(readFileSync(join(outside, 'id_rsa'), 'utf8')).toBe('SECRET-KEY');
  });
});

describe('a swap between the check and the open leads nowhere', () => {
  it('reading: a hard link, a symlink, or a folder swapped for a link outside, once the path was checked', async () => {
    const { allowed, outside, files } = fixture();
    const swaps: Array<[string, () => void]> = [
      ['hard links', () => (rmSync(join(allowed, 'greeting.wav')), linkSync(join(outside, 'id_rsa'), join(allowed, 'greeting.wav')))],
      ['symlink', () => (rmSync(join(allowed, 'greeting.wav')), symlinkSync(join(outside, 'id_rsa'), join(allowed, 'greeting.wav')))],
    ];
    for (const [refusal, swap] of swaps) {
      rmSync(join(allowed, 'greeting.wav'), { force: true });
      writeFileSync(join(allowed, 'greeting.wav'), 'RIFF-inside');
      race.beforeOpen = swap;
      await refused(files.read('localFile', 'greeting.wav', 1000), refusal);
    }
    writeFileSync(join(outside, 'sub-secret'), 'SECRET-TOO');
    writeFileSync(join(allowed, 'sub', 'sub-secret'), 'inside');
    race.beforeOpen = () => (renameSync(join(allowed, 'sub'), join(allowed, 'sub-old')), symlinkSync(outside, join(allowed, 'sub')));
    await refused(files.read('localFile', join('sub', 'sub-secret'), 1000), 'outside the folders');
  });

  it('writing: a file created in the meantime is not replaced, and a folder swapped for a link outside gets no bytes', async () => {
    const { allowed, outside, files } = fixture();
    race.beforeOpen = () => writeFileSync(join(allowed, 'late.wav'), 'THEIRS');
    await refused(save(files, 'late.wav', Buffer.from('ours'), false), 'exists');
    expect(readFileSync(join(allowed, 'late.wav'), 'utf8')).toBe('THEIRS');
    race.beforeOpen = () => (renameSync(join(allowed, 'sub'), join(allowed, 'sub-old')), symlinkSync(outside, join(allowed, 'sub')));
    await refused(save(files, join('sub', 'new.wav'), Buffer.from('ours'), false), 'outside the folders');
    expect(existsSync(join(outside, 'new.wav')) ? readFileSync(join(outside, 'new.wav'), 'utf8') : '').toBe('');
  });
});
