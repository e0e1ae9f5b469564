import type { ToolContext } from '../call/context.js';

type Row = Record<string, unknown>;

/** How a read names the things a call acts on: where its rows are, each row's id, and the words for a row or a gap. */
export interface Naming {
  rows: (answer: Row) => unknown;
  idOf: (row: Row) => string;
  said: (id: string, row: Row) => string;
  gone: (id: string) => string;
  /** What the note says when the read fails: it guards, it does not decide. */
  unread: string;
}

/**
 * A question's note naming each thing a call acts on as the person knows it (a caller's number, an account's user
 * name), read from what is there now; an id no longer there is named as such, so nobody is asked about it.
 */
export async function nameEach(ctx: ToolContext, read: { command: string; params: Row }, ids: readonly string[], naming: Naming, signal?: AbortSignal): Promise<string> {
  try {
    const { answer } = await ctx.session.call(read.command, read.params, { retry: true, signal });
    const found = naming.rows(answer);
    const rows = Array.isArray(found) ? (found as Row[]) : [];
    return `${ids.map((id) => {
      const row = rows.find((candidate) => naming.idOf(candidate) === id);
      return row ? naming.said(id, row) : naming.gone(id);
    }).join('; ')}.`;
  } catch {
    return naming.unread;
  }
}
