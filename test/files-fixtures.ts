import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../src/sandbox/index.js';

/** What the file tests share: WAV bytes built here (not by the simulator), temp folders, the simulator's stored files. */

/** A mono 16-bit PCM WAV at 8 kHz of `samples` samples: a varying signal, so a changed byte shows. */
export function wavBytes(samples: number, seed = 1): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let index = 0; index < samples; index++) data.writeInt16LE(Math.round(Math.sin((index * seed) / 7) * 12_000), index * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A fresh folder for YEMOT_FILES_DIR and one beside it that is outside; `remove` deletes both. */
export function tempFolders() {
  const base = mkdtempSync(join(tmpdir(), 'yemot-files-e2e-'));
  const allowed = join(base, 'allowed');
  const outside = join(base, 'outside');
  mkdirSync(allowed);
  mkdirSync(outside);
  return { base, allowed, outside, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** The bytes the simulator holds at an IVR path such as `1/000.wav`; undefined when there is no such file. */
export function storedBytes(sandbox: Sandbox, path: string): Buffer | undefined {
  const segments = path.split('/');
  let folder = sandbox.account.ivr;
  for (const segment of segments.slice(0, -1)) {
    folder = Object.hasOwn(folder.dirs, segment) ? folder.dirs[segment] : undefined!;
    if (!folder) return undefined;
  }
  const name = segments.at(-1)!;
  const file = Object.hasOwn(folder.files, name) ? folder.files[name] : undefined;
  if (!file) return undefined;
  return typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
}

/** The text the simulator holds at an IVR path (ext.ini, .tts). */
export const storedText = (sandbox: Sandbox, path: string) => storedBytes(sandbox, path)?.toString('utf8');
