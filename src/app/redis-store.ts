import { YemotError } from '../client/errors.js';
import type { PromiseStore } from '../call/store.js';
import { RespConnection, type RedisAddress, type Reply } from './resp.js';

/** Every key this server writes starts with it: a Redis shared with other software keeps them apart. */
export const KEY_PREFIX = 'yemot-mcp:';
/** Loopback answers in well under a millisecond and a LAN in a few: past this the store is down, not slow. */
export const REDIS_DEADLINE_MS = 1000;

// Lua runs atomically in Redis: no other command comes between the read and the write.
const CLAIM = "local held = redis.call('GET', KEYS[1]) if held then return held end redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return false";
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
const COUNT = "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], ARGV[1]) return n";

const ttl = (ms: number) => String(Math.max(1, Math.ceil(ms)));

export interface RedisStoreOptions {
  deadlineMs?: number;
  /** Told when Redis stops answering, and again when it answers again (once each time). */
  warn?: (message: string) => void;
}

/**
 * The promises of a fleet, in Redis (YEMOT_REDIS_URL): every instance claims, reads and releases the same keys,
 * each operation one atomic command or script. When Redis does not answer within its deadline, every operation
 * throws STORE_UNAVAILABLE at once; the first one after Redis is back reconnects.
 */
export class RedisStore implements PromiseStore {
  private readonly connection: RespConnection;
  private down = false;

  constructor(
    private readonly address: RedisAddress,
    private readonly options: RedisStoreOptions = {},
  ) {
    this.connection = new RespConnection(address, options.deadlineMs ?? REDIS_DEADLINE_MS);
  }

  get where(): string {
    return `redis ${this.address.host}:${this.address.port}`;
  }

  async claim(key: string, value: string, ttlMs: number): Promise<string | undefined> {
    const held = await this.run(['EVAL', CLAIM, '1', KEY_PREFIX + key, value, ttl(ttlMs)]);
    return typeof held === 'string' ? held : undefined;
  }

  async put(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run(['SET', KEY_PREFIX + key, value, 'PX', ttl(ttlMs)]);
  }

  async get(key: string): Promise<string | undefined> {
    const value = await this.run(['GET', KEY_PREFIX + key]);
    return typeof value === 'string' ? value : undefined;
  }

  async release(key: string, value: string): Promise<boolean> {
    return (await this.run(['EVAL', RELEASE, '1', KEY_PREFIX + key, value])) === 1;
  }

  async count(key: string, ttlMs: number): Promise<number> {
    return Number(await this.run(['EVAL', COUNT, '1', KEY_PREFIX + key, ttl(ttlMs)]));
  }

  async ready(): Promise<void> {
    await this.run(['PING']);
  }

  close(): void {
    this.connection.close();
  }

  private async run(args: string[]): Promise<Reply> {
    try {
      const reply = await this.connection.command(args);
      if (this.down) {
        this.down = false;
        this.options.warn?.(`Redis at ${this.address.host}:${this.address.port} answers again: spends, deletes and irreversible calls go on`);
      }
      return reply;
    } catch (error) {
      throw this.unavailable((error as Error).message);
    }
  }

  private unavailable(why: string): YemotError {
    if (!this.down) {
      this.down = true;
      this.options.warn?.(`Redis at ${this.address.host}:${this.address.port} does not answer (${why}): spends, deletes and irreversible calls are refused until it does; reads go on`);
    }
    // The address and the cause go to the operator's log only.
    return new YemotError('STORE_UNAVAILABLE', 'The store this server keeps its ledger of spends and single-use confirmations in does not answer', {
      hint: 'Nothing was sent. Spends, deletes and irreversible changes wait for it; reads still work. Try again in a minute, and tell the operator if it lasts.',
    });
  }
}
