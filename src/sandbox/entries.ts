import { createHash } from 'node:crypto';
import { parseIni } from './ini.js';
import type { AccountState } from './state.js';
import { audioSeconds, fileSize, fileText, folderType, own, type VfsFile, type VfsFolder } from './vfs.js';

/** The folder and file objects of GetIVR2Dir, GetIVR2DirStats, GetFile and GetTextFile. */

const pad = (n: number) => String(n).padStart(2, '0');
const uniqueIdOf = (what: string) => createHash('md5').update(what).digest('hex').slice(0, 20);

/** YYYY-MM-DD HH:mm:ss => dd/MM/yyyy HH:mm, the listing's date form (forum for `date`; clients parse `mtime` so too). */
export const listingDate = (mtime: string) => `${mtime.slice(8, 10)}/${mtime.slice(5, 7)}/${mtime.slice(0, 4)} ${mtime.slice(11, 16)}`;

/** The extension of a file name, lower case ('' for none). */
const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1].toLowerCase() ?? '';

/** A `.tts` text is a message the IVR speaks; other text files (.ini, .txt, .ymgr) are settings and data. */
export const isMessage = (name: string, file: VfsFile) => typeof file.data !== 'string' || extensionOf(name) === 'tts';

/** A system message (`M0000`, `M1000-1`, …: capital M and four digits, EXT-INI §1.3): GetIVR2Dir lists it under `messages`. */
export const isSystemMessage = (name: string) => /^M\d{4}(?:-\d+)?\.[^.]+$/.test(name);

/** A sub-folder: its type and title from its ext.ini. */
export function dirEntry(name: string, what: string, folder: VfsFolder) {
  const ini = own(folder.files, 'ext.ini');
  return {
    exists: true,
    name,
    uniqueId: uniqueIdOf(what),
    what,
    fileType: 'dir',
    extType: folderType(folder),
    extTitle: (ini && own(parseIni(fileText(ini)), 'title')) ?? '',
  };
}

/** A settings or data text file (ini list of GetIVR2Dir, GetTextFile's `file`). */
export function textEntry(name: string, what: string, file: VfsFile) {
  return { exists: true, name, uniqueId: uniqueIdOf(what), what, fileType: extensionOf(name), mtime: listingDate(file.mtime), size: fileSize(file) };
}

/** A message file: audio or .tts (files list of GetIVR2Dir, GetFile, minFile/maxFile). */
export function fileEntry(state: AccountState, name: string, what: string, file: VfsFile) {
  const seconds = Math.floor(audioSeconds(file) ?? 0);
  return {
    exists: true,
    name,
    uniqueId: uniqueIdOf(what),
    what,
    // A document kept in an extension (a fax's PDF) is not audio.
    fileType: typeof file.data === 'string' ? 'tts' : /^(?:wav|ogg|mp3)$/.test(extensionOf(name)) ? 'audio' : extensionOf(name),
    mtime: listingDate(file.mtime),
    size: fileSize(file),
    // Documented as minutes.
    duration: Math.round((seconds / 60) * 100) / 100,
    durationStr: `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`,
    customerDid: state.mainDid,
    // Documented as a string holding an object.
    meta: JSON.stringify({ source: file.source }),
    date: listingDate(file.mtime),
    source: file.source,
    phone: file.phone,
    ip: file.ip,
  };
}
