import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEntry, JournalLimits, JournalNote, UndoJournal } from '../call/journal.js';

const MIB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A telephone WAV of about five minutes; an ext.ini or a .tts is far smaller. */
export const JOURNAL_LIMITS: JournalLimits = { entryBytes: 5 * MIB, totalBytes: 100 * MIB, maxAgeMs: 30 * DAY_MS, maxEntries: 1000 };

interface Kept {
  scope: string;
  entry: JournalEntry;
}

/** Where entries are put: a folder of files, or memory. */
interface Shelf {
  put(scope: string, entry: JournalEntry, bytes: Uint8Array): void;
  bytes(scope: string, id: string): Uint8Array | undefined;
  all(): Kept[];
  remove(scope: string, id: string): void;
}

class MemoryShelf implements Shelf {
  private readonly kept = new Map<string, Kept & { bytes: Uint8Array }>();
  put(scope: string, entry: JournalEntry, bytes: Uint8Array) {
    this.kept.set(`${scope}/${entry.id}`, { scope, entry, bytes });
  }
  bytes(scope: string, id: string) {
    return this.kept.get(`${scope}/${id}`)?.bytes;
  }
  all() {
    return [...this.kept.values()].map(({ scope, entry }) => ({ scope, entry }));
  }
  remove(scope: string, id: string) {
    this.kept.delete(`${scope}/${id}`);
  }
}

/**
 * One folder per account, two files per entry: `<id>.bin` (the content) and `<id>.json` (what it is), each
 * written to a temporary name and renamed, the content first: an entry is listed only once its content is whole.
 */
class FolderShelf implements Shelf {
  constructor(private readonly dir: string) {}

  put(scope: string, entry: JournalEntry, bytes: Uint8Array) {
    const folder = join(this.dir, scope);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    this.write(join(folder, `${entry.id}.bin`), bytes);
    this.write(join(folder, `${entry.id}.json`), JSON.stringify(entry));
  }

  bytes(scope: string, id: string) {
    try {
      return readFileSync(join(this.dir, scope, `${id}.bin`));
    } catch {
      return undefined;
    }
  }

  all(): Kept[] {
    const kept: Kept[] = [];
    for (const scope of list(this.dir)) {
      for (const name of list(join(this.dir, scope))) {
        if (!name.endsWith('.json')) continue;
        try {
          const entry = JSON.parse(readFileSync(join(this.dir, scope, name), 'utf8')) as JournalEntry;
          if (typeof entry.id === 'string' && typeof entry.at === 'number' && typeof entry.size === 'number') kept.push({ scope, entry });
        } catch {
          // A file someone else left half-written or broken is not an entry; pruning never reaches it, nor does undo.
        }
      }
    }
    return kept;
  }

  remove(scope: string, id: string) {
    for (const suffix of ['.json', '.bin']) rmSync(join(this.dir, scope, `${id}${suffix}`), { force: true });
  }

  private write(path: string, data: string | Uint8Array) {
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, path);
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export interface JournalOptions {
  /** The state folder (YEMOT_STATE_DIR); the journal is its `undo` folder. Undefined keeps it in memory. */
  dir?: string;
  limits?: Partial<JournalLimits>;
  /** Told once when the folder cannot be used: the journal then lives in memory, and changes still work. */
  warn?: (message: string) => void;
  now?: () => number;
}

/** An account's folder name: its key is `<API host>|<system number>`, not a name a file system takes. */
const scopeOf = (account: string) => createHash('sha256').update(account).digest('base64url').slice(0, 16);

/**
 * The undo journal in the state folder (or memory), pruned after every change: entries older than maxAgeMs first,
 * then the oldest until at most maxEntries and totalBytes remain. One entry larger than entryBytes is not kept.
 */
export class FileJournal implements UndoJournal {
  readonly limits: JournalLimits;
  private shelf: Shelf;
  private folder?: string;
  private warned = false;
  private readonly now: () => number;

  constructor(private readonly options: JournalOptions = {}) {
    this.limits = { ...JOURNAL_LIMITS, ...options.limits };
    this.now = options.now ?? Date.now;
    this.shelf = new MemoryShelf();
    if (options.dir) {
      const folder = join(options.dir, 'undo');
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        this.shelf = new FolderShelf(folder);
        this.folder = folder;
      } catch (error) {
        this.fallBack(error);
      }
    }
  }

  private lastStamp = 0;

  get where(): string {
    return this.folder ? `folder ${this.folder}` : 'memory';
  }

  async keep(account: string, note: JournalNote, before: string | Uint8Array): Promise<JournalEntry | undefined> {
    const bytes = typeof before === 'string' ? Buffer.from(before, 'utf8') : before;
    if (bytes.byteLength > this.limits.entryBytes) return undefined;
    const at = this.now();
    // Ids sort newest first: two changes in one millisecond still get them in the order they were made.
    this.lastStamp = Math.max(at, this.lastStamp + 1);
    const id = `${this.lastStamp.toString(36).padStart(9, '0')}${randomBytes(2).toString('hex')}`;
    const entry: JournalEntry = { id, at, ...note, size: bytes.byteLength, ...(typeof before !== 'string' && { binary: true as const }) };
    const scope = scopeOf(account);
    try {
      this.shelf.put(scope, entry, bytes);
    } catch (error) {
      this.fallBack(error);
      this.shelf.put(scope, entry, bytes);
    }
    this.prune();
    return entry;
  }

  async list(account: string, limit: number): Promise<JournalEntry[]> {
    const scope = scopeOf(account);
    return this.live()
      .filter((kept) => kept.scope === scope)
      .map((kept) => kept.entry)
      .sort((a, b) => b.id.localeCompare(a.id))
      .slice(0, limit);
  }

  async get(account: string, id: string): Promise<{ entry: JournalEntry; before: string | Uint8Array } | undefined> {
    const scope = scopeOf(account);
    const entry = this.live().find((kept) => kept.scope === scope && kept.entry.id === id)?.entry;
    const bytes = entry && this.shelf.bytes(scope, id);
    if (!entry || !bytes || bytes.byteLength !== entry.size) return undefined;
    return { entry, before: entry.binary ? new Uint8Array(bytes) : Buffer.from(bytes).toString('utf8') };
  }

  async forget(account: string, id: string): Promise<void> {
    this.shelf.remove(scopeOf(account), id);
  }

  /** Entries within their age. */
  private live(): Kept[] {
    const oldest = this.now() - this.limits.maxAgeMs;
    return this.shelf.all().filter((kept) => kept.entry.at >= oldest);
  }

  private prune(): void {
    const oldest = this.now() - this.limits.maxAgeMs;
    const all = this.shelf.all().sort((a, b) => a.entry.id.localeCompare(b.entry.id));
    let total = all.reduce((sum, kept) => sum + kept.entry.size, 0);
    let count = all.length;
    for (const kept of all) {
      if (kept.entry.at >= oldest && count <= this.limits.maxEntries && total <= this.limits.totalBytes) break;
      this.shelf.remove(kept.scope, kept.entry.id);
      total -= kept.entry.size;
      count -= 1;
    }
  }

  private fallBack(error: unknown): void {
    this.shelf = new MemoryShelf();
    this.folder = undefined;
    if (this.warned) return;
    this.warned = true;
    this.options.warn?.(
      `the undo journal cannot be kept in ${join(this.options.dir ?? '', 'undo')} (${(error as Error).message}); changes still work, and their undo is kept in memory only, lost on restart`,
    );
  }
}
