import { posix } from 'node:path';
import { YemotError } from '../client/errors.js';
import { memoryFile } from '../client/kinds.js';
import type { Quote, TransferContext } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import type { JournalEntry, JournalNote } from '../call/journal.js';
import { uploadFile, UPLOAD_FIELD } from '../call/transfers.js';
import { fileExists } from './ivr-reader.js';
import { keptContent } from './keep-deleted.js';
import { json, sendKept } from './text-change.js';

/**
 * The undo of an upload (upload-kept.ts): a file it made is deleted, one it replaced is uploaded back. What the file
 * holds now is kept first (up to the journal's bound), so the undo can be undone in turn. Audio has no diff to show:
 * the question names the file, its sizes, and which change it takes back.
 */

/** A file an upload made and that is gone already has nothing left to undo. */
async function requireThere(ctx: ToolContext, entry: JournalEntry, signal?: AbortSignal): Promise<void> {
  if (await fileExists(ctx, entry.path, signal)) return;
  throw new YemotError('NOT_FOUND', `undo_change: ${entry.path}, which ${entry.id} uploaded, is gone already`, {
    command: 'FileAction',
    hint: 'Nothing was deleted: there is nothing left of that change to undo.',
  });
}

/** The size of the file there now (GetFile); undefined when there is none. */
async function sizeNow(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<number | undefined> {
  if (!(await fileExists(ctx, path, signal))) return undefined;
  const { answer } = await ctx.session.call('GetFile', { what: path }, { retry: true, signal });
  const size = Number((answer.file as { size?: unknown } | undefined)?.size);
  return Number.isFinite(size) ? size : 0;
}

export async function quoteAudioUndo(ctx: ToolContext, entry: JournalEntry, signal?: AbortSignal): Promise<Quote> {
  if (entry.kind === 'create') {
    await requireThere(ctx, entry, signal);
    return { command: 'FileAction', note: `FileAction delete removes ${entry.path}, which ${entry.id} uploaded; what it holds now is kept for undo.` };
  }
  const size = await sizeNow(ctx, entry.path, signal);
  const now =
    size === undefined ? 'no file is there now' : size > ctx.journal.limits.entryBytes ? `what is there now (${size} bytes) is more than the journal keeps: it is replaced for good` : 'what is there now is kept for undo';
  return { command: 'UploadFile', note: `UploadFile puts back ${entry.path} as it was before ${entry.id} (${entry.size} bytes); ${now}.` };
}

export async function undoAudio(transfer: TransferContext, entry: JournalEntry, before: Uint8Array) {
  const { ctx, signal } = transfer;
  const summary = `undid ${entry.id} (${entry.summary})`;
  if (entry.kind === 'create') {
    await requireThere(ctx, entry, signal);
    const now = (await keptContent(ctx, entry.path, signal)) ?? new Uint8Array(0);
    const note: JournalNote = { tool: 'undo_change', path: entry.path, kind: 'delete', summary, undoes: entry.id };
    const { kept } = await sendKept(ctx, note, now, () => ctx.session.call('FileAction', { action: 'delete', what0: entry.path }, { signal }));
    return json({ path: entry.path, deleted: true, verified: !(await fileExists(ctx, entry.path, signal)), ...(kept && { changeId: kept.id }) });
  }
  const there = await fileExists(ctx, entry.path, signal);
  const now = there ? await keptContent(ctx, entry.path, signal) : undefined;
  const note: JournalNote = there ? { tool: 'undo_change', path: entry.path, kind: 'overwrite', summary, undoes: entry.id } : { tool: 'undo_change', path: entry.path, kind: 'create', summary, undoes: entry.id };
  const file = memoryFile(before, posix.basename(entry.path), 'application/octet-stream');
  const upload = () => uploadFile(transfer, { path: entry.path, [UPLOAD_FIELD]: file });
  // A file there now that is too large to keep is written over unkept, as the question said.
  const kept = there && now === undefined ? (await upload(), undefined) : (await sendKept(ctx, note, now ?? new Uint8Array(0), upload)).kept;
  return json({ path: entry.path, restored: entry.size, verified: await fileExists(ctx, entry.path, signal), ...(kept && { changeId: kept.id }) });
}
