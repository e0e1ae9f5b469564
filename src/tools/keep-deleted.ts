import { YemotError } from '../client/errors.js';
import type { ToolContext } from '../call/context.js';
import type { JournalEntry } from '../call/journal.js';
import { readText } from './text-change.js';

/**
 * Before delete_files deletes (or upload_file replaces), what goes into the undo journal: a text file's text
 * (GetTextFile), an audio file's bytes up to the journal's bound (GetFile for its size, then DownloadFile). A folder,
 * a campaign file or a larger file is named as not kept.
 */

/** Text Yemot reads with GetTextFile; anything else is kept as bytes. */
export const TEXT_FILE = /\.(ini|tts|txt)$/i;

export interface KeptDeletes {
  kept: Array<{ path: string; entry: JournalEntry }>;
  notKept: string[];
}

/** What the journal can keep of a file before it changes: its text, or its bytes up to the journal's bound; undefined otherwise. */
export async function keptContent(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<string | Uint8Array | undefined> {
  if (/^tpl:/i.test(path)) return undefined;
  if (TEXT_FILE.test(path)) return readText(ctx, path, signal);
  let size: number;
  try {
    const { answer } = await ctx.session.call('GetFile', { what: path }, { retry: true, signal });
    size = Number((answer.file as { size?: unknown } | undefined)?.size);
  } catch (error) {
    // Not a file (a folder, or nothing there): FileAction will say what it did with it.
    if (error instanceof YemotError && error.code === 'API_ERROR') return undefined;
    throw error;
  }
  if (!Number.isFinite(size) || size > ctx.journal.limits.entryBytes) return undefined;
  const reply = await ctx.session.call('DownloadFile', { path }, { answer: 'binary', retry: true, signal, timeoutMs: ctx.transfers.timeoutMs, maxBytes: ctx.journal.limits.entryBytes });
  return reply.kind === 'binary' ? reply.bytes : undefined;
}

export async function keepDeleted(ctx: ToolContext, account: string, paths: string[], signal?: AbortSignal): Promise<KeptDeletes> {
  const done: KeptDeletes = { kept: [], notKept: [] };
  for (const path of paths) {
    const content = await keptContent(ctx, path, signal);
    const entry = content === undefined ? undefined : await ctx.journal.keep(account, { tool: 'delete_files', path, kind: 'delete', summary: `deleted ${path}` }, content);
    if (entry) done.kept.push({ path, entry });
    else done.notKept.push(path);
  }
  return done;
}
