import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileRefused, LocalFiles } from '../src/call/local-files.js';

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
    const written = await files.write('saveTo', join(allowed, 'sub', 'copy.wav'), Buffer.from('bytes'));
    expect(readFileSync(written, 'utf8')).toBe('bytes');
    await refused(files.write('saveTo', join(allowed, 'link-to-key'), Buffer.from('x')), 'not a regular file');
    expect(readFileSync(join(outside, 'id_rsa'), 'utf8')).toBe('SECRET-KEY');
    await refused(files.write('saveTo', join(allowed, 'link-to-dir', 'new.wav'), Buffer.from('x')), 'outside');
    await refused(files.write('saveTo', join(outside, 'new.wav'), Buffer.from('x')), 'outside');
  });
});
