import { createHash } from 'node:crypto';
import { fail, RawReply, type Area } from '../handler.js';
import { optString, requireString } from '../params.js';
import type { AccountState } from '../state.js';
import { audioSeconds, CONTENT_FILE, fileBytes, fileSize, findFile, findFolder, folderType, ivr2Path, pathSegments, type VfsFile } from '../vfs.js';
import { uploadFile } from './upload.js';

const pad = (n: number) => String(n).padStart(2, '0');
const uniqueIdOf = (what: string) => createHash('md5').update(what).digest('hex').slice(0, 20);
/** YYYY-MM-DD HH:mm:ss => dd/mm/yyyy hh:mm */
const shortDate = (mtime: string) => `${mtime.slice(8, 10)}/${mtime.slice(5, 7)}/${mtime.slice(0, 4)} ${mtime.slice(11, 16)}`;

function fileInfo(state: AccountState, segments: string[], entry: [string, VfsFile] | undefined): Record<string, unknown> {
  if (!entry) return { exists: false };
  const [name, file] = entry;
  const what = ivr2Path([...segments, name]);
  const seconds = Math.floor(audioSeconds(file) ?? 0);
  return {
    exists: true,
    name,
    uniqueId: uniqueIdOf(what),
    what,
    fileType: typeof file.data === 'string' ? 'tts' : 'audio',
    size: fileSize(file),
    mtime: file.mtime,
    duration: Math.round((seconds / 60) * 100) / 100,
    durationStr: `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`,
    customerDid: state.mainDid,
    meta: JSON.stringify({ source: file.source }),
    date: shortDate(file.mtime),
    source: file.source,
    phone: file.phone,
    ip: file.ip,
  };
}

/** DownloadFile's documented miss: HTTP 404, no JSON. */
const NOT_FOUND = new RawReply('text/plain; charset=utf-8', '', 404);

export const files: Area = {
  CheckIfFolderExists: {
    handle({ params, state }) {
      const segments = pathSegments(requireString(params, 'path'));
      return { folderExists: findFolder(state.ivr, segments) !== undefined, path: `ivr/${segments.join('/')}` };
    },
  },
  GetIVR2DirStats: {
    handle({ params, state }) {
      const path = requireString(params, 'path');
      const segments = pathSegments(path);
      const folder = findFolder(state.ivr, segments) ?? fail(`path not found: ${path}`);
      const content = Object.entries(folder.files)
        .filter(([name]) => CONTENT_FILE.test(name))
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
      return {
        type: folderType(folder),
        thisPath: `/${segments.join('/')}`,
        parentPath: segments.length ? `/${segments.slice(0, -1).join('/')}` : null,
        dirsCount: Object.keys(folder.dirs).length,
        filesCount: Object.keys(folder.files).length,
        contentFilesCount: content.length,
        minFile: fileInfo(state, segments, content[0]),
        maxFile: fileInfo(state, segments, content.at(-1)),
      };
    },
  },
  DownloadFile: {
    handle({ params, state }) {
      const path = optString(params, 'path');
      const file = path === undefined ? undefined : findFile(state.ivr, pathSegments(path));
      return file ? new RawReply('application/octet-stream', fileBytes(file)) : NOT_FOUND;
    },
  },
  UploadFile: uploadFile,
};
