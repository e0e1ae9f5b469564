import { appendFileSync, closeSync, mkdirSync, openSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromiseStore } from '../call/store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/** One change as a line of the log: a key set until `e`, or (`d`) removed. */
type Change = { k: string; v: string; e: number } | { k: string; d: 1 };

export interface LocalStoreOptions {
  /** The state folder (YEMOT_STATE_DIR); undefined keeps everything in memory. */
  dir?: string;
  /** Bound on entries kept: the expired go first, then the oldest written. */
  maxEntries?: number;
  /** Told once when the folder cannot be read or written: the store then lives in memory only. */
  warn?: (message: string) => void;
  now?: () => number;
}

const FILE = 'promises.log';
/** The log is rewritten with only the live entries once it holds this many lines per live entry (and some). */
const COMPACT_FACTOR = 4;
const COMPACT_MIN_LINES = 256;

/**
 * The promises of one machine: in memory, and appended to a log in `dir` as each change happens (one line, no
 * rewrite: a spend pays for one small append, not for the whole ledger). The log is compacted (rewritten with the
 * live entries, a temporary file renamed over it) when it grows well past them. Another process on the same folder
 * (a second host of the same account) is seen too: the lines it appended since this process last looked are read
 * before every operation. A corrupt line or an unwritable folder never stops the server: it warns once and goes on,
 * in memory where it must.
 */
export class LocalStore implements PromiseStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private file?: string;
  /** How far this process has read the log, and which file that was (a compaction replaces it). */
  private read = { ino: -1, offset: 0 };
  private lines = 0;
  private warned = false;

  constructor(private readonly options: LocalStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 2000;
    this.now = options.now ?? Date.now;
    if (!options.dir) return;
    try {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
      this.file = join(options.dir, FILE);
      appendFileSync(this.file, '', { mode: 0o600 });
      this.reload();
    } catch (error) {
      this.file = undefined;
      this.warn(`the state folder ${options.dir} cannot be used (${(error as Error).message}); the ledger of spends is kept in memory only and is lost on restart`);
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
    this.append({ k: key, d: 1 });
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
    const entry = { value, expiresAt: this.now() + ttlMs };
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.prune();
    this.append({ k: key, v: value, e: entry.expiresAt });
  }

  /** A Map iterates in the order keys were written (`set` and `apply` delete first): the first keys are the oldest. */
  private prune(): void {
    if (this.entries.size <= this.maxEntries) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }

  private apply(change: Change): void {
    if ('d' in change) this.entries.delete(change.k);
    else {
      const mine = this.entries.get(change.k);
      // Another process's line never shortens what this one set later.
      if (mine && mine.expiresAt > change.e) return;
      this.entries.delete(change.k);
      this.entries.set(change.k, { value: change.v, expiresAt: change.e });
    }
  }

  /** Reads the lines appended since this process last looked (all of them after a compaction replaced the file). */
  private reload(): void {
    if (!this.file) return;
    let info;
    try {
      info = statSync(this.file);
    } catch {
      return;
    }
    if (info.ino !== this.read.ino) this.read = { ino: info.ino, offset: 0 };
    if (info.size <= this.read.offset) return;
    const fd = openSync(this.file, 'r');
    try {
      const tail = Buffer.alloc(info.size - this.read.offset);
      const got = readSync(fd, tail, 0, tail.length, this.read.offset);
      const text = tail.subarray(0, got).toString('utf8');
      const complete = text.lastIndexOf('\n') + 1;
      this.read.offset += Buffer.byteLength(text.slice(0, complete));
      for (const line of text.slice(0, complete).split('\n')) {
        if (!line) continue;
        this.lines++;
        try {
          const change = JSON.parse(line) as Change;
          if (typeof change?.k === 'string' && ('d' in change || (typeof change.v === 'string' && typeof change.e === 'number'))) this.apply(change);
          else throw new Error('not a change');
        } catch (error) {
          this.warn(`a line of the ledger file ${this.file} is unreadable (${(error as Error).message}); it is skipped`);
        }
      }
      this.prune();
    } finally {
      closeSync(fd);
    }
  }

  private append(change: Change): void {
    if (!this.file) return;
    try {
      const line = `${JSON.stringify(change)}\n`;
      appendFileSync(this.file, line);
      this.read.offset += Buffer.byteLength(line);
      this.lines++;
      if (this.lines > COMPACT_MIN_LINES && this.lines > COMPACT_FACTOR * this.entries.size) this.compact();
    } catch (error) {
      this.warn(`the ledger file ${this.file} cannot be written (${(error as Error).message}); the ledger is kept in memory only`);
    }
  }

  /** The log rewritten with the live entries only: a temporary file renamed over it, so a crash leaves one or the other. */
  private compact(): void {
    const now = this.now();
    const live = [...this.entries].filter(([, entry]) => entry.expiresAt > now);
    const text = live.map(([k, entry]) => `${JSON.stringify({ k, v: entry.value, e: entry.expiresAt })}\n`).join('');
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o600 });
    renameSync(temporary, this.file!);
    this.read = { ino: statSync(this.file!).ino, offset: Buffer.byteLength(text) };
    this.lines = live.length;
  }

  private warn(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.options.warn?.(message);
  }
}
