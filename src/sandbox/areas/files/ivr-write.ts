import { fail, type Area, type Params } from '../../handler.js';
import { checkIniEntry, mergeIni } from '../../ini.js';
import { fileSlot, slotFolder } from '../../locate.js';
import { formatDateTime, requireString } from '../../params.js';
import { ensureFolder, fileText, keepNewest, NAME_SEGMENT, own, pathSegments, TEXT_FILE, type VfsFile } from '../../vfs.js';

const writtenText = (data: string): VfsFile => ({ data, mtime: formatDateTime(), source: 'API', phone: '', ip: '127.0.0.1' });

/** Every parameter but these is an ext.ini key for UpdateExtension. */
const NOT_INI_KEYS = new Set(['token', 'path']);

/** A string parameter that may be empty (a file may be emptied); absent is refused. */
function requireText(params: Params, name: string): string {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(value === undefined || value === null ? `${name} is required` : `${name} must be a string`);
}

function iniUpdates(params: Params): Array<[string, string]> {
  return Object.keys(params)
    .filter((key) => !NOT_INI_KEYS.has(key))
    .map((key) => {
      const value = requireText(params, key);
      checkIniEntry(key, value);
      return [key, value];
    });
}

export const ivrWrites: Area = {
  UploadTextFile: {
    handle({ params, state }) {
      const slot = fileSlot(state, requireString(params, 'what'), 'what', { templates: true });
      const contents = requireText(params, 'contents');
      // A template's messages are tpl: paths UploadTextFile takes (API forum post 473): as text, a message read aloud,
      // as the sandbox's FileAction keeps a .tts copied there.
      if (!TEXT_FILE.test(slot.name) && slot.root !== state.campaignFiles) fail(`what must be a text file (.ini, .tts, .txt, .ymgr): ${slot.what}`);
      if (!NAME_SEGMENT.test(slot.name)) fail(`what is invalid: file name "${slot.name}"`);
      // Documented: the file is created or wholly replaced. Into a folder that does not exist it answers OK and
      // creates nothing, the folder included (EXT-INI §5, guardrail 1: seen live by one client).
      const folder = slotFolder(slot);
      if (!folder) return {};
      // An ext.ini written here is the folder's settings, its type= line included: nothing else to update.
      folder.files[slot.name] = writtenText(contents);
      keepNewest(folder);
      return {};
    },
  },
  UpdateExtension: {
    handle({ params, state }) {
      const segments = pathSegments(requireString(params, 'path'));
      const updates = iniUpdates(params);
      const badName = segments.find((segment) => !NAME_SEGMENT.test(segment));
      if (badName !== undefined) fail(`path is invalid: folder name "${badName}"`);
      const folder = ensureFolder(state.ivr, segments);
      if (updates.length === 0) return {};
      const ini = own(folder.files, 'ext.ini');
      folder.files['ext.ini'] = writtenText(mergeIni(ini ? fileText(ini) : '', updates));
      return {};
    },
  },
};
