import type { Input } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { toolsetHere } from '../call/policy.js';
import { fileKind, messageFile } from '../ivr/nav-files.js';
import { continuedMessage, partNames, splitTts, ttsWarning } from '../ivr/tts.js';
import { ivrReader, modelPath } from './ivr-reader.js';
import { iniWarnings } from './ivr-edit.js';
import { writeChange, type TextChange } from './text-change.js';

/** write_text_file: one whole text as a change set, or a long system message split into its continuation files. */

const nameOf = (what: string) => what.slice(what.lastIndexOf('/') + 1);
const folderOf = (what: string) => what.slice(0, what.lastIndexOf('/'));

export function textWriteCheck(input: Input): string[] {
  if (input.split !== true || continuedMessage(nameOf(String(input.what)))) return [];
  return ["split: only a system message's .tts (e.g. 1/M1000.tts) is split, into continuation files (M1000-1.tts…) that play after it in order; write other parts as files of their own"];
}

/**
 * An audio file of the same name beside a .tts: the reference does not say which of the two plays (EXT-INI §1.2), and
 * an owner who writes the text expects to hear it. A failed read says nothing (it guards, it does not decide).
 */
async function shadowWarning(ctx: ToolContext, what: string, signal?: AbortSignal): Promise<string | undefined> {
  const base = nameOf(what).replace(/\.tts$/i, '');
  try {
    const listing = await ivrReader(ctx, { signal }).list(modelPath(folderOf(what)));
    // The file the dry run takes as played for that name.
    const audio = listing && messageFile(listing.files, base);
    if (!audio || fileKind(audio) !== 'audio') return undefined;
    return `${audio} is in the same folder: the reference does not say which of the two Yemot plays, and callers may keep hearing the audio (dry_run_call shows what this server expects them to hear); remove or rename ${audio} (delete_files or copy_move_files, in ${toolsetHere(ctx.policy, 'files_admin')}) if they should hear this text`;
  } catch {
    return undefined;
  }
}

export function textWrite(ctx: ToolContext, input: Input, signal?: AbortSignal): TextChange {
  const what = String(input.what);
  const contents = String(input.contents);
  const tts = /\.tts$/i.test(what) ? ttsWarning(contents) : undefined;
  return {
    what,
    tool: 'write_text_file',
    summary: `wrote the whole text (${contents.length} characters)`,
    make: async (before) => {
      const shadowed = /\.tts$/i.test(what) ? await shadowWarning(ctx, what, signal) : undefined;
      return {
        after: contents,
        warnings: [...(nameOf(what) === 'ext.ini' ? await iniWarnings(ctx, what, before, contents, signal) : []), ...(tts ? [tts] : []), ...(shadowed ? [shadowed] : [])],
      };
    },
  };
}

/** Continuation files past the new last part: they would still play after it. */
async function leftoverParts(ctx: ToolContext, folder: string, message: string, count: number, signal?: AbortSignal): Promise<string[]> {
  const listing = await ivrReader(ctx, { signal }).list(modelPath(folder));
  return (listing?.files ?? []).map((file) => file.name).filter((name) => Number(new RegExp(`^${message}-(\\d+)\\.[^.]+$`).exec(name)?.[1] ?? 0) >= count);
}

export async function writeTextFile(ctx: ToolContext, input: Input, seen: string | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
  if (input.split !== true) return writeChange(ctx, textWrite(ctx, input, signal), seen, signal);
  const what = String(input.what);
  const message = continuedMessage(nameOf(what))!;
  const parts = splitTts(String(input.contents));
  const names = partNames(message, parts.length);
  const written = [];
  for (const [index, name] of names.entries()) {
    const part: TextChange = { what: `${folderOf(what)}/${name}`, tool: 'write_text_file', summary: `part ${index + 1} of ${names.length} of ${message}`, make: async () => ({ after: parts[index], warnings: [] }) };
    written.push(await writeChange(ctx, part, undefined, signal));
  }
  const left = await leftoverParts(ctx, folderOf(what), message, names.length, signal);
  return { path: what, parts: written, ...(left.length && { warnings: [`${left.join(', ')} still there and played after these parts; delete them (delete_files) unless meant`] }) };
}
