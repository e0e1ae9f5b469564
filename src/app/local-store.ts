import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromiseStore } from '../call/store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

export interface LocalStoreOptions {
  /** The state folder (YEMOT_STATE_DIR); undefined keeps everything in memory. */
  dir?: string;
  /** Bound on entries kept: the oldest written go first. */
  maxEntries?: number;
  /** Told once when the folder cannot be read or written: the store then lives in memory only. */
  warn?: (message: string) => void;
  now?: () => number;
}

const FILE = 'promises.json';

/**
 * The promises of one machine: in memory, and written to `dir` after every change (a temporary file renamed over
 * the old one, so a crash leaves the old or the new file, never half of one). Another process on the same folder
 * (a second host of the same account) is seen too: the file is read again whenever it changed since this process
 * last read or wrote it. A corrupt or unwritable file never stops the server: it warns and goes on in memory.
 */
export class LocalStore implements PromiseStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly file?: string;
  private seen?: { mtimeMs: number; size: number };
  private warned = false;

  constructor(private readonly options: LocalStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 2000;
    this.now = options.now ?? Date.now;
    if (options.dir) {
      try {
        mkdirSync(options.dir, { recursive: true, mode: 0o700 });
        this.file = join(options.dir, FILE);
        this.reload();
      } catch (error) {
        this.file = undefined;
        this.warn(`the state folder ${options.dir} cannot be used (${(error as Error).message}); the ledger of spends is kept in memory only and is lost on restart`);
      }
    }
  }

  get where(): string {
    return this.file ? `folder ${this.options.dir}` : 'memory';
  }

  async claim(key: string, value: string, ttlMs: number): Promise<string | undefined> {
    this.reload();
    const held = this.live(key);
    if (held !== undefined) return held;
    this.set(key, value, ttlMs);
    return undefined;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    this.reload();
    this.set(key, value, ttlMs);
  }

  async get(key: string): Promise<string | undefined> {
    this.reload();
    return this.live(key);
  }

  async release(key: string, value: string): Promise<boolean> {
    this.reload();
    if (this.live(key) !== value) return false;
    this.entries.delete(key);
    this.save();
    return true;
  }

  async count(key: string, ttlMs: number): Promise<number> {
    this.reload();
    const next = (Number(this.live(key)) || 0) + 1;
    this.set(key, String(next), ttlMs);
    return next;
  }

  async ready(): Promise<void> {}

  private live(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  private set(key: string, value: string, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    this.prune();
    this.save();
  }

  /** A Map iterates in the order keys were written (`set` deletes first): the first keys are the oldest. */
  private prune(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }

  /** Takes in what another process wrote since this one last looked; the later expiry of a key wins. */
  private reload(): void {
    if (!this.file) return;
    let info;
    try {
      info = statSync(this.file);
    } catch {
      return;
    }
    if (this.seen && this.seen.mtimeMs === info.mtimeMs && this.seen.size === info.size) return;
    this.seen = { mtimeMs: info.mtimeMs, size: info.size };
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Entry>;
      for (const [key, entry] of Object.entries(stored)) {
        if (typeof entry?.value !== 'string' || typeof entry.expiresAt !== 'number') continue;
        const mine = this.entries.get(key);
        if (!mine || mine.expiresAt < entry.expiresAt) this.entries.set(key, { value: entry.value, expiresAt: entry.expiresAt });
      }
      this.prune();
    } catch (error) {
      this.warn(`the ledger file ${this.file} is unreadable (${(error as Error).message}); it is replaced at the next change`);
    }
  }

  private save(): void {
    if (!this.file) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      const now = this.now();
      const live = [...this.entries].filter(([, entry]) => entry.expiresAt > now);
      writeFileSync(temporary, JSON.stringify(Object.fromEntries(live)), { mode: 0o600 });
      renameSync(temporary, this.file);
      const info = statSync(this.file);
      this.seen = { mtimeMs: info.mtimeMs, size: info.size };
    } catch (error) {
      this.warn(`the ledger file ${this.file} cannot be written (${(error as Error).message}); the ledger is kept in memory only`);
    }
  }

  private warn(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.options.warn?.(message);
  }
}
