import { createHash } from 'node:crypto';

/**
 * The undo journal: the previous content of every IVR file a tool overwrites or deletes, kept on this machine
 * (the state folder, app/undo-journal.ts) so the change can be taken back. Bounded by size and age; scoped by
 * account, like the ledger.
 */

export interface JournalEntry {
  /** Time-ordered: a later change has a greater id. */
  id: string;
  /** When the change was made (ms since the epoch). */
  at: number;
  /** The tool that made it. */
  tool: string;
  /** The file as sent (`ivr2:/1/ext.ini`, `tpl:3:tts`). */
  path: string;
  /** overwrite: the file was written over; delete: it was deleted; create: it was new (nothing kept: undo deletes it). */
  kind: 'overwrite' | 'delete' | 'create';
  /** One line: what the change did. */
  summary: string;
  /** Digest of what an overwrite or a create left: an undo that would lose a later edit says so first. */
  after?: string;
  /** The change this one took back. */
  undoes?: string;
  /** Bytes kept. */
  size: number;
  /** The content is audio (bytes), not text. */
  binary?: true;
}

export type JournalNote = Omit<JournalEntry, 'id' | 'at' | 'size' | 'binary'>;

export interface JournalLimits {
  /** A file larger than this is not kept: its change cannot be undone. */
  entryBytes: number;
  /** All entries together; the oldest go first. */
  totalBytes: number;
  maxAgeMs: number;
  maxEntries: number;
}

export interface UndoJournal {
  readonly limits: JournalLimits;
  /** `folder <path>`, or `memory` (lost on restart). */
  readonly where: string;
  /** Keeps a file's content before it is changed; undefined when it is larger than an entry may be. */
  keep(account: string, note: JournalNote, before: string | Uint8Array): Promise<JournalEntry | undefined>;
  /** The account's entries, newest first. */
  list(account: string, limit: number): Promise<JournalEntry[]>;
  get(account: string, id: string): Promise<{ entry: JournalEntry; before: string | Uint8Array } | undefined>;
  /** Drops an entry whose change the API refused: there is nothing to undo. */
  forget(account: string, id: string): Promise<void>;
}

/** A short content digest (SHA-256, base64url): what a preview saw, what a change left. Never a dot in it. */
export function contentDigest(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('base64url').slice(0, 22);
}
