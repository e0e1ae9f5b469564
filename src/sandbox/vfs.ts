import { fail } from './handler.js';
import { parseIni } from './ini.js';
import { readWav } from './wav.js';

/** The IVR tree as plain data: folders hold folders and files; a folder's type is the `type=` line of its ext.ini. */

export interface VfsFile {
  /** Text files (see TEXT_FILE) as text, every other file as its bytes. */
  data: string | Uint8Array;
  /** YYYY-MM-DD HH:mm:ss */
  mtime: string;
  /** How it got there: WEB, PHONE, TTS, API... */
  source: string;
  phone: string;
  ip: string;
}

export interface VfsFolder {
  dirs: Record<string, VfsFolder>;
  files: Record<string, VfsFile>;
}

export const TEXT_FILE = /\.(ini|tts|txt|ymgr)$/i;
/** The files GetIVR2DirStats counts as content: numbered messages. */
export const CONTENT_FILE = /^\d+\.(wav|mp3|ogg|gsm|tts)$/i;

/** record[key] only for the record's own keys (never `constructor`, `__proto__`...). */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A folder or file name the sandbox creates: letters, digits, Hebrew, `_ .-`, not starting with a dot. */
export const NAME_SEGMENT = /^[\w\u05D0-\u05EA][\w\u05D0-\u05EA .-]*$/;
/** A file name ends with an extension. */
export const FILE_NAME = /\.[A-Za-z0-9]+$/;

/**
 * `/`, ``, `1`, `/1/`, `ivr2:/1`, `ivr2:1`, `ivr/1` => path segments: one documented prefix, once, so `ext/1` is the
 * folder ext/1 (GetIVR2DirStats' own example) and `ivr2:/ivr/1` a root folder named ivr. Undefined when a segment
 * is `.` or `..`, or folds into one under NFKC (`．．`, `․․`): the sandbox refuses what a normalising server would climb with.
 */
export function parsePath(path: string): string[] | undefined {
  const bare = path.trim().replace(/^(?:[iI][vV][rR]2:|ivr\/)/, '');
  const segments = bare.split('/').filter((segment) => segment !== '');
  return segments.some((segment) => ['.', '..'].includes(segment.normalize('NFKC'))) ? undefined : segments;
}

/** The segments of a path parameter; `.` and `..` are refused, naming the parameter. */
export function pathSegments(path: string, field = 'path'): string[] {
  return parsePath(path) ?? fail(`${field} must not contain '.' or '..' segments: ${path}`);
}

export const ivr2Path = (segments: string[]) => `ivr2:/${segments.join('/')}`;

export function findFolder(root: VfsFolder, segments: string[]): VfsFolder | undefined {
  let folder: VfsFolder | undefined = root;
  for (const segment of segments) folder = folder ? own(folder.dirs, segment) : undefined;
  return folder;
}

/** The folder at these segments, created (untyped, no ext.ini) where missing. */
export function ensureFolder(root: VfsFolder, segments: string[]): VfsFolder {
  let folder = root;
  for (const segment of segments) folder = own(folder.dirs, segment) ?? (folder.dirs[segment] = { dirs: {}, files: {} });
  return folder;
}

export function findFile(root: VfsFolder, segments: string[]): VfsFile | undefined {
  const folder = findFolder(root, segments.slice(0, -1));
  return folder && segments.length ? own(folder.files, segments.at(-1)!) : undefined;
}

export function fileBytes(file: VfsFile): Uint8Array {
  return typeof file.data === 'string' ? new TextEncoder().encode(file.data) : file.data;
}

export function fileText(file: VfsFile): string {
  return typeof file.data === 'string' ? file.data : new TextDecoder().decode(file.data);
}

export const fileSize = (file: VfsFile) => (typeof file.data === 'string' ? Buffer.byteLength(file.data) : file.data.length);

/** Seconds of audio, read from the WAV bytes; undefined for anything else. */
export function audioSeconds(file: VfsFile): number | undefined {
  return typeof file.data === 'string' ? undefined : readWav(file.data)?.seconds;
}

/** Yemot keeps about this many files in a folder (EXT-INI §5, guardrail 3, one source). */
export const FOLDER_FILES = 3000;

/** Beyond FOLDER_FILES the oldest files go, without a word, as Yemot does. */
export function keepNewest(folder: VfsFolder): void {
  const names = Object.keys(folder.files);
  if (names.length <= FOLDER_FILES) return;
  const oldestFirst = names.sort((a, b) => folder.files[a].mtime.localeCompare(folder.files[b].mtime) || a.localeCompare(b, 'en', { numeric: true }));
  for (const name of oldestFirst.slice(0, names.length - FOLDER_FILES)) delete folder.files[name];
}

/** The `type=` of the folder's ext.ini; '' when it has none. */
export function folderType(folder: VfsFolder): string {
  const ini = own(folder.files, 'ext.ini');
  return ini ? (own(parseIni(fileText(ini)), 'type') ?? '') : '';
}

/** The next free message number in a folder: 000, 001, ... after the highest one used. */
export function nextFreeNumber(folder: VfsFolder): string {
  const used = Object.keys(folder.files).flatMap((name) => /^(\d+)\./.exec(name)?.[1] ?? []).map(Number);
  return String(used.length ? Math.max(...used) + 1 : 0).padStart(3, '0');
}
