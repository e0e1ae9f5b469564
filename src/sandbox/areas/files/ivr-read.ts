import { dirEntry, fileEntry, isMessage, isSystemMessage, textEntry } from '../../entries.js';
import { fail, type Area } from '../../handler.js';
import { parseIni } from '../../ini.js';
import { fileSlot, slotFile } from '../../locate.js';
import { optChoice, optInt, requireString } from '../../params.js';
import { fileSize, fileText, findFolder, ivr2Path, own, pathSegments, TEXT_FILE, type VfsFile } from '../../vfs.js';

const ORDER_BY = ['name', 'date', 'mtime', 'customerdid', 'uploader', 'size', 'source'] as const;
type Entry = [name: string, file: VfsFile];

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * The listing's sort keys; ties fall back to the name. date and mtime are one time in the sandbox (it keeps no
 * separate creation time), and every file was made on this account's number, so customerdid orders by name.
 */
function compareBy(orderBy: (typeof ORDER_BY)[number]): (a: Entry, b: Entry) => number {
  const text = (key: (file: VfsFile) => string) => (a: Entry, b: Entry) => key(a[1]).localeCompare(key(b[1]));
  const primary = {
    name: () => 0,
    date: text((file) => file.mtime),
    mtime: text((file) => file.mtime),
    customerdid: () => 0,
    // The uploader is who put the file there: the phone that recorded it, else the uploading IP.
    uploader: text((file) => file.phone || file.ip),
    size: (a: Entry, b: Entry) => fileSize(a[1]) - fileSize(b[1]),
    source: text((file) => file.source),
  }[orderBy];
  return (a, b) => primary(a, b) || byName(a[0], b[0]);
}

export const ivrReads: Area = {
  GetIVR2Dir: {
    rules: { filesFrom: { min: 0 }, filesLimit: { min: 1 } },
    handle({ params, state }) {
      const path = requireString(params, 'path');
      const segments = pathSegments(path);
      const folder = findFolder(state.ivr, segments) ?? fail(`path not found: ${path}`);
      const orderBy = optChoice(params, 'orderBy', ORDER_BY) ?? 'name';
      const descending = optChoice(params, 'orderDir', ['asc', 'desc'] as const) === 'desc';
      const from = optInt(params, 'filesFrom') ?? 0;
      const limit = optInt(params, 'filesLimit');
      const ini = own(folder.files, 'ext.ini');
      const extIni = ini ? parseIni(fileText(ini)) : {};
      const entries = Object.entries(folder.files);
      const compare = compareBy(orderBy);
      const listed = (list: Entry[]) => list.map(([name, file]) => fileEntry(state, name, ivr2Path([...segments, name]), file));
      const files = entries
        .filter(([name, file]) => isMessage(name, file) && !isSystemMessage(name))
        .sort((a, b) => (descending ? compare(b, a) : compare(a, b)))
        .slice(from, limit === undefined ? undefined : from + limit);
      return {
        // PHP's empty array: `[]`, not `{}`, when ext.ini holds no key (EXT-INI §5, guardrail 7).
        extIni: Object.keys(extIni).length ? extIni : [],
        thisPath: `/${segments.join('/')}`,
        parentPath: segments.length ? `/${segments.slice(0, -1).join('/')}` : null,
        dirs: Object.entries(folder.dirs)
          .sort(([a], [b]) => byName(a, b))
          .map(([name, dir]) => dirEntry(name, ivr2Path([...segments, name]), dir)),
        files: listed(files),
        // Settings and data; .txt files are not listed (EXT-INI §5, guardrail 7).
        ini: entries
          .filter(([name, file]) => !isMessage(name, file) && !/\.txt$/i.test(name))
          .sort(([a], [b]) => byName(a, b))
          .map(([name, file]) => textEntry(name, ivr2Path([...segments, name]), file)),
        messages: listed(entries.filter(([name, file]) => isMessage(name, file) && isSystemMessage(name)).sort(([a], [b]) => byName(a, b))),
        // HTML pages and message descriptions: the sandbox's folders have none.
        html: [],
        msgDescriptions: {},
      };
    },
  },
  GetFile: {
    handle({ params, state }) {
      const slot = fileSlot(state, requireString(params, 'what'), 'what');
      const file = slotFile(slot) ?? fail('file does not exist');
      return { file: fileEntry(state, slot.name, slot.what, file) };
    },
  },
  GetTextFile: {
    handle({ params, state }) {
      const slot = fileSlot(state, requireString(params, 'what'), 'what', { templates: true });
      const file = slotFile(slot);
      // A template's message written as text (UploadTextFile tpl:ID) reads back as text.
      const text = TEXT_FILE.test(slot.name) || (slot.root === state.campaignFiles && typeof file?.data === 'string');
      if (!text) fail(`what must be a text file (.ini, .tts, .txt, .ymgr): ${slot.what}`);
      if (!file) fail('file does not exist');
      return { contents: fileText(file), file: textEntry(slot.name, slot.what, file) };
    },
  },
  CheckIfFileExists: {
    handle({ params, state }) {
      const slot = fileSlot(state, requireString(params, 'path'), 'path');
      return { fileExists: slotFile(slot) !== undefined, path: `ivr/${[...slot.folder, slot.name].join('/')}` };
    },
  },
};
