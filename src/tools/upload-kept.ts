import type { Reply } from '../client/kinds.js';
import type { Input, Transfer, TransferContext } from '../call/command.js';
import { canonicalIvrPath } from '../call/ivr-path.js';
import type { JournalNote } from '../call/journal.js';
import { uploadFile } from '../call/transfers.js';
import { fileExists } from './ivr-reader.js';
import { keptContent, TEXT_FILE } from './keep-deleted.js';
import { sendKept } from './text-change.js';

/**
 * upload_file into a named IVR file, kept for undo_change: UploadFile replaces a file of that name and keeps no copy,
 * so what is there goes into the journal first (its bytes up to the journal's bound), and a new file is journalled
 * as created (undo deletes it). An owner asked an agent to take back a greeting it had uploaded, and nothing could.
 * A template's file (tpl:) is not kept: it is in no IVR folder.
 */
export const keptUpload: Transfer = async (transfer, wire) => {
  const { ctx, signal } = transfer;
  const path = String(wire.path);
  if (!/^ivr2:/.test(path)) return uploadFile(transfer, wire);
  if (wire.autoNumbering === 'true') return numbered(transfer, wire);
  const exists = await fileExists(ctx, path, signal);
  const before = exists ? await keptContent(ctx, path, signal) : TEXT_FILE.test(path) ? '' : new Uint8Array(0);
  if (before === undefined) return withUndo(await uploadFile(transfer, wire), { undo: `not kept for undo: ${path} is larger than the journal keeps (${ctx.journal.limits.entryBytes} bytes)` });
  const note: JournalNote = exists ? { tool: 'upload_file', path, kind: 'overwrite', summary: `uploaded over ${path}` } : { tool: 'upload_file', path, kind: 'create', summary: `uploaded ${path}` };
  const { kept, sent } = await sendKept(ctx, note, before, () => uploadFile(transfer, wire));
  return withUndo(sent, kept ? { changeId: kept.id } : { undo: 'not kept for undo' });
};

/**
 * A numbered upload is always a new file, named only in the answer: it is journalled as created once it is there, so
 * undo_change can delete it (an agent added a duplicate lesson that callers heard first, and nothing could take it back).
 */
async function numbered(transfer: TransferContext, wire: Input): Promise<Reply> {
  const { ctx } = transfer;
  const reply = await uploadFile(transfer, wire);
  // Replies echo paths as ivr/… (API-CATALOG §1): the journal keeps the canonical ivr2:/ form.
  const answered = reply.kind === 'json' && typeof reply.answer.path === 'string' ? canonicalIvrPath(reply.answer.path) : undefined;
  if (!answered?.ok) return withUndo(reply, { undo: 'not kept for undo: the answer named no file' });
  const path = answered.path;
  const kept = await ctx.journal.keep(await ctx.account(), { tool: 'upload_file', path, kind: 'create', summary: `uploaded ${path}` }, TEXT_FILE.test(path) ? '' : new Uint8Array(0));
  return withUndo(reply, kept ? { changeId: kept.id } : { undo: 'not kept for undo' });
}

function withUndo(reply: Reply, fields: Record<string, unknown>): Reply {
  return reply.kind === 'json' ? { ...reply, answer: { ...reply.answer, ...fields } } : reply;
}
