import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import type { Reply } from '../client/kinds.js';
import type { Quote } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { contentDigest, type JournalEntry, type JournalNote } from '../call/journal.js';
import { unifiedDiff } from '../ivr/diff.js';
import { parentOf } from '../ivr/navigation.js';
import { crowdedWarning } from './ivr-guards.js';
import { modelPath, wirePath } from './ivr-reader.js';

/**
 * One IVR text file changed as a change set: read it, make the new text, show the diff and the warnings; once the
 * person said yes (when asked), write it only if it still holds what the preview showed, keep what it held in the
 * undo journal, write the whole text (UploadTextFile: the only way every other line, comment and expiry-dated key
 * stays as it was), read it back and compare. There is no "write if unchanged" in the API: the last read and the
 * write are two requests, as close together as they can be.
 */
export interface TextChange {
  /** The file as sent: `ivr2:/1/ext.ini`, or a campaign file (`tpl:3:tts`). */
  what: string;
  /** What the file should hold, from what it holds (undefined: it does not exist), with the reference's warnings. */
  make: (before: string | undefined) => Promise<{ after: string; warnings: string[] }>;
  /** The tool that makes the change, for the journal. */
  tool: string;
  /** One line for the journal: what the change does. */
  summary: string;
  /** The journal entry this change takes back. */
  undoes?: string;
}

/** A tool's own answer, built from several requests. */
export const json = (answer: Record<string, unknown>): Reply => ({ kind: 'json', answer });

/** What every change set answers (before, after, warnings and verified besides: named in the description). */
export const CHANGE_OUTPUT = { path: z.string(), diff: z.string(), changeId: z.string() };

interface Planned {
  before?: string;
  after: string;
  warnings: string[];
  diff: string;
}

const DIGEST_LENGTH = contentDigest('').length;
const MISSING = '-'.repeat(DIGEST_LENGTH);
/** What a preview saw: the file as it was, and what the change makes of it. */
const seenOf = ({ before, after }: Planned) => `${before === undefined ? MISSING : contentDigest(before)}${contentDigest(after)}`;

const isTemplateFile = (what: string) => /^tpl:/i.test(what);

/** The folder a file lives in, as sent; undefined for a file of the root (which always exists) or of a template. */
export function folderOf(what: string): string | undefined {
  if (isTemplateFile(what)) return undefined;
  const folder = parentOf(modelPath(what));
  return folder === undefined || folder === '/' ? undefined : wirePath(folder);
}

/**
 * UploadTextFile into an extension that does not exist answers OK and creates nothing (EXT-INI §5, guardrail 1):
 * the folder is checked first, and a missing one refused before anything is written.
 */
export async function requireFolder(ctx: ToolContext, tool: string, what: string, signal?: AbortSignal): Promise<void> {
  const folder = folderOf(what);
  if (folder === undefined) return;
  const { answer } = await ctx.session.call('CheckIfFolderExists', { path: folder }, { retry: true, signal });
  if (answer.folderExists === true) return;
  throw new YemotError('NOT_FOUND', `${tool}: there is no extension ${folder}, so ${what} cannot be written (Yemot would answer OK and create nothing)`, {
    command: 'UploadTextFile',
    hint: 'Nothing was written. Create the extension first (create_extension), or check the path with ivr_tree.',
  });
}

/** A text file's content, or undefined when there is no such file; a refusal of a file that exists is the answer. */
export async function readText(ctx: ToolContext, what: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const { answer } = await ctx.session.call('GetTextFile', { what }, { retry: true, signal });
    return typeof answer.contents === 'string' ? answer.contents : '';
  } catch (error) {
    if (!(error instanceof YemotError) || error.code !== 'API_ERROR') throw error;
    // CheckIfFileExists takes no campaign pseudo-path: a refused read of one is a file not yet written.
    if (isTemplateFile(what)) return undefined;
    const { answer } = await ctx.session.call('CheckIfFileExists', { path: what }, { retry: true, signal });
    if (answer.fileExists === false) return undefined;
    throw error;
  }
}

async function plan(ctx: ToolContext, change: TextChange, signal?: AbortSignal): Promise<Planned> {
  await requireFolder(ctx, change.tool, change.what, signal);
  const before = await readText(ctx, change.what, signal);
  const made = await change.make(before);
  // A new file is one more in its folder.
  const crowded = before === undefined && !isTemplateFile(change.what) ? await crowdedWarning(ctx, folderOf(change.what) ?? '/', signal) : undefined;
  const { after } = made;
  const warnings = crowded ? [...made.warnings, crowded] : made.warnings;
  return { before, after, warnings, diff: unifiedDiff(before ?? '', after, { fromLabel: `${change.what} (now)`, toLabel: `${change.what} (after)` }) };
}

/** Where the previous text goes, in words for the preview. */
function undoNote(ctx: ToolContext, { before }: Planned): string {
  if (before === undefined) return 'The file is new: undo_change deletes it again.';
  if (Buffer.byteLength(before) > ctx.journal.limits.entryBytes) return 'The previous text is larger than the undo journal keeps: this cannot be undone.';
  return ctx.journal.where === 'memory' ? 'The previous text is kept for undo_change in memory only (lost when the server stops).' : 'The previous text is kept for undo_change.';
}

/** The preview of a change set: its diff, warnings and undo, and the digest the write is held to. */
export async function quoteChange(ctx: ToolContext, change: TextChange, signal?: AbortSignal): Promise<Quote> {
  const planned = await plan(ctx, change, signal);
  return { diff: planned.diff, warnings: planned.warnings, note: undoNote(ctx, planned), seen: seenOf(planned) };
}

/**
 * Keeps the previous content in the undo journal, then sends the change. A refusal before it was carried out
 * changed nothing, so its entry is dropped; an unknown outcome keeps it (the undo is checked anyway).
 */
export async function sendKept<T>(ctx: ToolContext, note: JournalNote, before: string | Uint8Array, send: () => Promise<T>): Promise<{ kept?: JournalEntry; sent: T }> {
  const account = await ctx.account();
  const kept = await ctx.journal.keep(account, note, before);
  try {
    return { kept, sent: await send() };
  } catch (error) {
    if (kept && error instanceof YemotError && !error.outcomeUnknown) await ctx.journal.forget(account, kept.id);
    throw error;
  }
}

/** Carries out a change set; `seen` (the preview the person said yes to) must still hold, or nothing is written. */
export async function writeChange(ctx: ToolContext, change: TextChange, seen: string | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const planned = await plan(ctx, change, signal);
  const { before, after, diff, warnings } = planned;
  if (seen !== undefined && seen.slice(0, DIGEST_LENGTH) !== seenOf(planned).slice(0, DIGEST_LENGTH)) {
    throw new YemotError('CONFLICT', `${change.tool}: ${change.what} changed after the person saw the preview; nothing was written`, {
      command: 'UploadTextFile',
      details: { path: change.what, diff, now: before ?? null, ...(warnings.length && { warnings }) },
      hint: `Nothing was written. Show the person this new diff (what the change does to the file as it is now), then call ${change.tool} again without confirm for a new preview.`,
    });
  }
  if (seen !== undefined && seen !== seenOf(planned)) {
    throw new YemotError('CONFIRMATION_MISMATCH', `${change.tool}: the change is not the one the person saw`, {
      command: 'UploadTextFile',
      hint: `Nothing was written. Call ${change.tool} again without confirm to get a new preview, and show it to the person.`,
    });
  }
  const shown = { path: change.what, diff, ...(warnings.length && { warnings }) };
  if (before === after) return { ...shown, note: 'No change: the file already holds this; nothing was written.' };
  // A new file keeps nothing but its digest: its undo deletes it.
  const note: JournalNote = { tool: change.tool, path: change.what, kind: before === undefined ? 'create' : 'overwrite', summary: change.summary, after: contentDigest(after), ...(change.undoes && { undoes: change.undoes }) };
  const { kept } = await sendKept(ctx, note, before ?? '', () => ctx.session.call('UploadTextFile', { what: change.what, contents: after }, { signal }));
  const result = { ...shown, ...(before !== undefined && { before }), after, ...(kept ? { changeId: kept.id } : { note: undoNote(ctx, planned) }) };
  return { ...result, ...(await readBack(ctx, change.what, after, signal)) };
}

/** The file as it now reads, compared with what was written; a failed read is a warning, never a failure. */
async function readBack(ctx: ToolContext, what: string, written: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  try {
    const now = await readText(ctx, what, signal);
    if (now === written) return { verified: true };
    return { verified: false, warning: `Written, but it reads back otherwise:\n${unifiedDiff(written, now ?? '', { fromLabel: 'written', toLabel: 'read back' })}` };
  } catch (error) {
    const code = error instanceof YemotError ? error.code : 'INTERNAL';
    return { verified: false, warning: `Written, but reading it back with GetTextFile failed (${code}); check it before relying on it.` };
  }
}
