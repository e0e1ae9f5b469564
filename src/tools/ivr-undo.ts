import { posix } from 'node:path';
import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { memoryFile } from '../client/kinds.js';
import { tool, type Input, type Quote, type TransferContext } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { contentDigest, type JournalEntry, type JournalNote } from '../call/journal.js';
import { uploadFile, UPLOAD_FIELD } from '../call/transfers.js';
import { unifiedDiff } from '../ivr/diff.js';
import { iniWarnings } from './ivr-edit.js';
import { fileExists } from './ivr-reader.js';
import { quoteAudioUndo, undoAudio } from './undo-audio.js';
import { CHANGE_OUTPUT, json, quoteChange, readText, requireFolder, sendKept, writeChange, type TextChange } from './text-change.js';

/**
 * The undo journal as tools: list_changes shows what it keeps and whether each file still holds what its change
 * left; undo_change puts a file back byte for byte, itself a change set (the person sees the diff, it is written
 * only if unchanged since, and what it replaces is kept in turn). A deleted audio file comes back by UploadFile.
 */

const ID = z.string().regex(/^[0-9a-z]{13}$/, 'a changeId from list_changes').describe('changeId from list_changes');
const DEFAULT_LIMIT = 10;

async function entryOf(ctx: ToolContext, id: string): Promise<{ entry: JournalEntry; before: string | Uint8Array }> {
  const found = await ctx.journal.get(await ctx.account(), id);
  if (found) return found;
  const { maxAgeMs, maxEntries } = ctx.journal.limits;
  throw new YemotError('NOT_FOUND', `undo_change: no change ${id} in the undo journal`, {
    hint: `Nothing was written. The journal (${ctx.journal.where}) keeps changes ${Math.round(maxAgeMs / 86_400_000)} days, ${maxEntries} at most; list_changes shows what it holds.`,
  });
}

/** Putting a text back is a change set of its own. */
function restoreText(ctx: ToolContext, entry: JournalEntry, text: string, signal?: AbortSignal): TextChange {
  return {
    what: entry.path,
    tool: 'undo_change',
    summary: `undid ${entry.id} (${entry.summary})`,
    undoes: entry.id,
    make: async (now) => {
      const since =
        entry.kind === 'overwrite' && now !== undefined && contentDigest(now) !== entry.after
          ? [`${entry.path} changed after ${entry.id}: undoing it also takes back what changed since (see the diff)`]
          : entry.kind === 'delete' && now !== undefined
            ? [`${entry.path} exists again: undo writes the old text over it (what it holds now is kept for undo)`]
            : [];
      const ini = posix.basename(entry.path) === 'ext.ini' ? await iniWarnings(ctx, entry.path, now, text, signal) : [];
      return { after: text, warnings: [...since, ...ini] };
    },
  };
}

/** A deleted audio file comes back only where nothing took its place: an upload would overwrite it, unkept. */
async function audioTarget(ctx: ToolContext, entry: JournalEntry, signal?: AbortSignal): Promise<void> {
  await requireFolder(ctx, 'undo_change', entry.path, signal);
  if (!(await fileExists(ctx, entry.path, signal))) return;
  throw new YemotError('CONFLICT', `undo_change: a file ${entry.path} is there now; putting the old one back would overwrite it`, {
    command: 'UploadFile',
    hint: 'Nothing was written. Move or delete the file there now (copy_move_files, delete_files), then undo again.',
  });
}

/** What a created file holds now; a file that is gone already has nothing to undo. */
async function createdNow(ctx: ToolContext, entry: JournalEntry, signal?: AbortSignal): Promise<string> {
  const now = await readText(ctx, entry.path, signal);
  if (now !== undefined) return now;
  throw new YemotError('NOT_FOUND', `undo_change: ${entry.path}, which ${entry.id} created, is gone already`, {
    command: 'FileAction',
    hint: 'Nothing was deleted: there is nothing left of that change to undo.',
  });
}

const removalDiff = (entry: JournalEntry, now: string) => unifiedDiff(now, '', { fromLabel: `${entry.path} (now)`, toLabel: `${entry.path} (deleted)` });

/** A file a change created: its undo deletes it, keeping what it holds now, so the undo can be undone in turn. */
async function quoteRemoval(ctx: ToolContext, entry: JournalEntry, signal?: AbortSignal): Promise<Quote> {
  const now = await createdNow(ctx, entry, signal);
  const since = contentDigest(now) !== entry.after ? [`${entry.path} changed after ${entry.id}: deleting it also takes what changed since (see the diff)`] : [];
  return { command: 'FileAction', diff: removalDiff(entry, now), warnings: since, note: `FileAction delete removes ${entry.path}, which ${entry.id} created; what it holds now is kept for undo.`, seen: contentDigest(now) };
}

async function remove({ ctx, signal, seen }: TransferContext, entry: JournalEntry) {
  const now = await createdNow(ctx, entry, signal);
  if (seen !== undefined && seen !== contentDigest(now)) {
    throw new YemotError('CONFLICT', `undo_change: ${entry.path} changed after the person saw the preview; nothing was deleted`, {
      command: 'FileAction',
      details: { path: entry.path, diff: removalDiff(entry, now) },
      hint: 'Nothing was deleted. Call undo_change again without confirm for a new preview, and show it to the person.',
    });
  }
  const note: JournalNote = { tool: 'undo_change', path: entry.path, kind: 'delete', summary: `undid ${entry.id} (${entry.summary})`, undoes: entry.id };
  const { kept } = await sendKept(ctx, note, now, () => ctx.session.call('FileAction', { action: 'delete', what0: entry.path }, { signal }));
  const gone = (await readText(ctx, entry.path, signal)) === undefined;
  return json({ path: entry.path, diff: removalDiff(entry, now), deleted: true, verified: gone, ...(kept && { changeId: kept.id }) });
}

async function quoteUndo(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<Quote> {
  const { entry, before } = await entryOf(ctx, String(input.id));
  if (entry.binary && entry.kind !== 'delete') return quoteAudioUndo(ctx, entry, signal);
  if (entry.kind === 'create') return quoteRemoval(ctx, entry, signal);
  if (typeof before === 'string') return quoteChange(ctx, restoreText(ctx, entry, before, signal), signal);
  await audioTarget(ctx, entry, signal);
  return { command: 'UploadFile', note: `UploadFile puts back ${entry.path} (${entry.size} bytes, deleted by ${entry.id}).` };
}

async function undo(transfer: TransferContext, input: Input) {
  const { ctx, signal, seen } = transfer;
  const { entry, before } = await entryOf(ctx, String(input.id));
  if (entry.binary && entry.kind !== 'delete') return undoAudio(transfer, entry, before as Uint8Array);
  if (entry.kind === 'create') return remove(transfer, entry);
  if (typeof before === 'string') return json(await writeChange(ctx, restoreText(ctx, entry, before, signal), seen, signal));
  await audioTarget(ctx, entry, signal);
  const name = posix.basename(entry.path);
  await uploadFile(transfer, { path: entry.path, [UPLOAD_FIELD]: memoryFile(before, name, 'application/octet-stream') });
  return json({ path: entry.path, restored: entry.size, verified: await fileExists(ctx, entry.path, signal) });
}

/** Where each listed file stands now against what its change left; one read per file. */
async function standing(ctx: ToolContext, entries: JournalEntry[], signal?: AbortSignal): Promise<Map<string, string | undefined | boolean>> {
  const now = new Map<string, string | undefined | boolean>();
  for (const { path, binary } of entries) {
    if (now.has(path)) continue;
    if (!binary) now.set(path, await readText(ctx, path, signal));
    else now.set(path, await fileExists(ctx, path, signal));
  }
  return now;
}

function state(entry: JournalEntry, now: string | undefined | boolean): string {
  if (entry.kind === 'delete') return now === undefined || now === false ? 'deleted' : 'a file is there again';
  if (now === undefined || now === false) return 'the file is gone';
  // Audio is not read back to compare: that it is there is what can be said.
  if (now === true) return 'the file is there';
  return typeof now === 'string' && contentDigest(now) === entry.after ? 'as the change left it' : 'changed since';
}

export const ivrUndoTools = [
  tool({
    name: 'list_changes',
    title: 'Recent IVR changes',
    command: 'GetTextFile',
    reads: ['CheckIfFileExists'],
    toolset: 'files',
    effect: 'read',
    summary: 'Recent IVR file changes kept for undo, newest first, and whether each file still holds what its change left.',
    keywords: ['ביטול', 'שחזור', 'היסטוריה', 'undo', 'history', 'revert'],
    params: { limit: z.number().int().min(1).max(30).optional().describe(`Default ${DEFAULT_LIMIT}`) },
    transfer: async ({ ctx, signal }, input) => {
      const entries = await ctx.journal.list(await ctx.account(), (input.limit as number | undefined) ?? DEFAULT_LIMIT);
      const now = await standing(ctx, entries, signal);
      // A change an undo took back reads as such, not as "changed since": "the one before" is then the one not undone.
      const undoneBy = new Map(entries.filter((entry) => entry.undoes).map((entry) => [entry.undoes!, entry.id]));
      const changes = entries.map((entry) => ({
        changeId: entry.id,
        at: new Date(entry.at).toISOString(),
        tool: entry.tool,
        path: entry.path,
        what: entry.summary,
        ...(entry.undoes && { undoes: entry.undoes }),
        now: undoneBy.has(entry.id) ? `undone by ${undoneBy.get(entry.id)}` : state(entry, now.get(entry.path)),
      }));
      // An agent asked to undo "the last change" must not take an older one for it.
      return json({ journal: ctx.journal.where, changes, kept: 'files written, uploaded or deleted (a new one too: undo deletes it), each up to the journal\'s size; not extensions made by create_extension (delete_files, in files_admin, removes their files)' });
    },
    output: { changes: z.array(z.looseObject({ changeId: z.string() })) },
    examples: [{}, { limit: 5 }],
  }),
  tool({
    name: 'undo_change',
    title: 'Undo an IVR change',
    command: 'UploadTextFile',
    writes: ['UploadFile', 'FileAction'],
    reads: ['GetTextFile', 'CheckIfFileExists', 'CheckIfFolderExists', 'GetIVR2DirStats'],
    toolset: 'files',
    effect: 'write',
    confirmed: { why: 'an undo writes the old file over what is there now, or deletes a file the change created' },
    summary: 'Put a file back as before a change (list_changes), byte for byte, or delete one it created, after the person sees the diff; itself undoable.',
    keywords: ['ביטול שינוי', 'שחזור', 'undo', 'revert', 'restore'],
    params: { id: ID },
    confirm: (input) => `undo_change will put back the file change ${String(input.id)} replaced or deleted, or delete the one it created.`,
    quote: quoteUndo,
    transfer: undo,
    output: CHANGE_OUTPUT,
    verifyWith: 'list_changes',
    examples: [{ id: '0000000000000' }],
  }),
];
