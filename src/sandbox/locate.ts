import { fail } from './handler.js';
import type { AccountState } from './state.js';
import { findFolder, ivr2Path, own, pathSegments, type VfsFile, type VfsFolder } from './vfs.js';

/** Where a file parameter points: a name in a folder of the IVR tree, or a template's message file. */
export interface FileSlot {
  root: VfsFolder;
  /** The folder's segments under root ([] for campaign files, which are flat). */
  folder: string[];
  name: string;
  /** The path as replies echo it: ivr2:/… or the tpl: form as given. */
  what: string;
}

/** tpl:ID voice message, tpl:ID:tts SMS/TTS text, tpl:ID:MoreInfo pre-bridge message (API forum, post 473). */
const TEMPLATE_PATH = /^tpl:(\d+)(?::(tts|MoreInfo))?$/;
const templateFileName = (id: string, kind: string | undefined) => (kind === 'tts' ? `${id}.tts` : kind === 'MoreInfo' ? `${id}-MoreInfo.wav` : `${id}.wav`);

/** The slot a file path names; `tpl:` paths only where the command documents them. */
export function fileSlot(state: AccountState, path: string, field: string, options: { templates?: boolean } = {}): FileSlot {
  const trimmed = path.trim();
  if (/^tpl:/i.test(trimmed)) {
    const match = options.templates ? TEMPLATE_PATH.exec(trimmed) : null;
    if (!options.templates) fail(`${field} must be an IVR path (ivr2:/1/000.wav); tpl: paths are not taken here`);
    if (!match) fail(`${field} is invalid: a campaign file is tpl:ID, tpl:ID:tts or tpl:ID:MoreInfo`);
    if (!own(state.templates, match[1])) fail(`${field}: template ${match[1]} does not exist`);
    return { root: state.campaignFiles, folder: [], name: templateFileName(match[1], match[2]), what: trimmed };
  }
  const segments = pathSegments(trimmed, field);
  if (segments.length === 0) fail(`${field} must name a file, not the root folder`);
  return { root: state.ivr, folder: segments.slice(0, -1), name: segments.at(-1)!, what: ivr2Path(segments) };
}

export const slotFolder = (slot: FileSlot): VfsFolder | undefined => findFolder(slot.root, slot.folder);

export function slotFile(slot: FileSlot): VfsFile | undefined {
  const folder = slotFolder(slot);
  return folder && own(folder.files, slot.name);
}
