import { fileEntry } from '../../entries.js';
import { fail, RawReply, type Area } from '../../handler.js';
import { optString, requireString } from '../../params.js';
import type { AccountState } from '../../state.js';
import { CONTENT_FILE, fileBytes, findFile, findFolder, folderType, ivr2Path, parsePath, pathSegments, type VfsFile } from '../../vfs.js';
import { uploadFile } from './upload.js';

/** minFile/maxFile: the file's entry, or `exists: false` when the folder has no message. */
function fileInfo(state: AccountState, segments: string[], entry: [string, VfsFile] | undefined): Record<string, unknown> {
  if (!entry) return { exists: false };
  const [name, file] = entry;
  return fileEntry(state, name, ivr2Path([...segments, name]), file);
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
      const segments = parsePath(optString(params, 'path') ?? '');
      const file = segments && findFile(state.ivr, segments);
      return file ? new RawReply('application/octet-stream', fileBytes(file)) : NOT_FOUND;
    },
  },
  UploadFile: uploadFile,
};
