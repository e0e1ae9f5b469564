import type { ToolContext } from '../call/context.js';
import { campaignUploadPath } from '../call/ivr-path.js';
import { toolsetHere } from '../call/policy.js';
import { typeOf } from '../ivr/check.js';
import { fileKind, messageFile } from '../ivr/nav-files.js';
import { parentOf } from '../ivr/navigation.js';
import { ivrReader, modelPath } from './ivr-reader.js';

/** The journal keeps what an upload replaces up to its bound (upload-kept.ts): past it, the old file is gone for good. */
function replacing(ctx: ToolContext, file: string, size: number | undefined): string {
  const sized = size === undefined ? '' : ` (${size} bytes)`;
  return size !== undefined && size > ctx.journal.limits.entryBytes
    ? `This replaces ${file}${sized}, more than the undo journal keeps: the old file cannot be brought back.`
    : `This replaces ${file}${sized}; undo_change can put the old one back.`;
}

const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const stemOf = (name: string) => name.replace(/\.[^.]+$/, '');

/**
 * What an upload to a named file does, for its preview: UploadFile replaces a file of that name and keeps no copy
 * (the undo journal does, up to its bound), so the person must know whether one is there. Beside a playable file of the same name the reference does not say
 * which of the two Yemot plays (EXT-INI §1.2). An upload named M1000 is a menu's prompt (§1.3). A failed read
 * says what it could not tell: it guards, it does not decide.
 */
export async function uploadNote(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<string> {
  const template = /^tpl:(\d+)/i.exec(path)?.[1];
  if (template !== undefined && campaignUploadPath(path)) return `This sets template ${template}'s ${/:tts$/i.test(path) ? 'SMS text' : /:MoreInfo$/i.test(path) ? 'more-info message' : 'voice message'}; one it has now is replaced, and the old one is not kept.`;
  const file = modelPath(path);
  const folder = parentOf(file) ?? '/';
  const name = nameOf(file);
  const reader = ivrReader(ctx, { signal });
  try {
    const [listing, settings] = await Promise.all([reader.list(folder), /^M1000\./.test(name) ? reader.settings(folder) : undefined]);
    if (!listing) return `${folder} does not exist yet.`;
    const existing = listing.files.find((entry) => entry.name === name);
    const notes = [
      existing ? replacing(ctx, file, existing.size) : `${name} is a new file in ${folder}; undo_change can delete it.`,
    ];
    const beside = listing.files.find((entry) => entry.name !== name && stemOf(entry.name) === stemOf(name) && fileKind(entry.name) !== 'other');
    if (beside && fileKind(name) !== 'other') notes.push(`${beside.name} is in the same folder: the reference does not say which of the two Yemot plays; remove or rename ${beside.name} (delete_files or copy_move_files, in ${toolsetHere(ctx.policy, 'files_admin')}) if callers should hear the upload.`);
    if (/^M1000\./.test(name)) {
      const type = settings && typeOf(settings);
      const prompt = messageFile(listing.files, 'M1000');
      notes.push(type !== 'menu' ? `${folder} is ${type ? `type=${type}` : 'without a type'}, not a menu: M1000 plays as a menu's prompt only.` : prompt ? `${folder} is a menu: this is its prompt, which callers hear on entering it (after its welcome, M0000, if it has one).` : `${folder} is a menu without a prompt: this becomes its M1000, which callers hear on entering it (after its welcome, M0000, if it has one).`);
    }
    return notes.join(' ');
  } catch {
    return `${folder} could not be read to tell whether ${name} is there: if it is, it is replaced.`;
  }
}
