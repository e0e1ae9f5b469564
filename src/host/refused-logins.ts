import { createHash } from 'node:crypto';
import { FallbackStore } from '../app/fallback-store.js';
import { LocalStore } from '../app/local-store.js';
import { sleep } from '../call/sleep.js';
import type { PromiseStore } from '../call/store.js';
import { loginCooldownMs } from '../client/session.js';

/** Senders remembered at most in memory (four entries each); past it the oldest are forgotten, never new credentials held back. */
export const MAX_REFUSED = 10_000;

/**
 * After Yemot refuses a Login for a system number, the next Login for that number, from any address and any
 * instance, waits this long: system numbers are public, so a number is only ever slowed (at most 30 refused
 * Logins a minute however many addresses guess), never closed to its owner.
 */
export const NUMBER_SPACING_MS = 2_000;
/** For this long after a refusal a number's Logins take turns, NUMBER_SPACING_MS apart. */
const PACED_MS = 60_000;
/** A sender's count of refusals is forgotten after this long without a new one (its cool-down starts again at 30 s). */
const FORGET_MS = 60 * 60_000;
/** A Login that gets no turn within this long is refused (429), not queued for ever. */
const TURN_WAIT_MS = 30_000;

/** A sender as a key: a digest, so no client address is kept in a store others read. */
const senderKey = (pair: string) => createHash('sha256').update(pair).digest('base64url');

/**
 * Repeated failed logins can lock a Yemot system, and each initialize of a new tenant session is a Login. A
 * refusal cools down its sender for that account (the pair of account and client address: 30 s, doubling to
 * 15 min); the account itself is only paced, so a stranger with a wrong password cannot lock its owner out.
 * Kept in the fleet's store (YEMOT_REDIS_URL), so every instance counts the same refusals.
 */
export class RefusedLogins {
  /** The check of each account under way here: a second one waits for it, so a burst of wrong initializes costs one Login. */
  private readonly checking = new Map<string, Promise<unknown>>();

  private readonly store: PromiseStore;

  /** `shared`: the fleet's store (this process's memory while it does not answer); default memory only. */
  constructor(shared?: PromiseStore) {
    const memory = new LocalStore({ maxEntries: 4 * MAX_REFUSED });
    this.store = shared ? new FallbackStore(shared, memory) : memory;
  }


  /** Seconds until this sender may try this account again (0: now): its own cool-down, or Yemot's wait for the account. */
  async waitSeconds(account: string, pair: string): Promise<number> {
    const [until, held] = await Promise.all([this.store.get(`login-until:${senderKey(pair)}`), this.store.get(`login-hold:${account}`)]);
    return Math.max(0, Math.ceil((Math.max(Number(until) || 0, Number(held) || 0) - Date.now()) / 1000));
  }

  /** Records a refusal; returns the seconds before this sender's next try. */
  async record(account: string, pair: string): Promise<number> {
    const sender = senderKey(pair);
    const waitMs = loginCooldownMs(await this.store.count(`login-count:${sender}`, FORGET_MS));
    const at = Date.now();
    await this.store.put(`login-until:${sender}`, String(at + waitMs), waitMs);
    await this.store.put(`login-paced:${account}`, '1', PACED_MS);
    await this.store.put(`login-turn:${account}`, String(at), NUMBER_SPACING_MS);
    return waitMs / 1000;
  }

  /** Yemot itself asked to wait: nothing is sent for this account before then, from any address (nothing would get in). */
  async hold(account: string, seconds: number): Promise<void> {
    const until = Date.now() + seconds * 1000;
    if (until > (Number(await this.store.get(`login-hold:${account}`)) || 0)) await this.store.put(`login-hold:${account}`, String(until), seconds * 1000);
  }

  async clear(pair: string): Promise<void> {
    const key = `login-count:${senderKey(pair)}`;
    const count = await this.store.get(key);
    if (count !== undefined) await this.store.release(key, count);
  }

  /**
   * Waits for this account's turn to send a Login: at once, unless one was refused lately; then one at a time
   * across the fleet, NUMBER_SPACING_MS apart (each takes the turn for that long). False when none came in time.
   */
  async turn(account: string): Promise<boolean> {
    if ((await this.store.get(`login-paced:${account}`)) === undefined) return true;
    const giveUpAt = Date.now() + TURN_WAIT_MS;
    for (;;) {
      const taken = await this.store.claim(`login-turn:${account}`, String(Date.now()), NUMBER_SPACING_MS);
      if (taken === undefined) return true;
      const waitMs = Math.max(20, (Number(taken) || 0) + NUMBER_SPACING_MS - Date.now());
      if (Date.now() + waitMs > giveUpAt) return false;
      await sleep(waitMs);
    }
  }

  /** Runs `check` once no other check of `account` is under way here. */
  async inTurn<T>(account: string, check: () => Promise<T>): Promise<T> {
    const before = this.checking.get(account);
    const mine = (async () => {
      await before?.catch(() => undefined);
      return check();
    })();
    this.checking.set(account, mine);
    try {
      return await mine;
    } finally {
      if (this.checking.get(account) === mine) this.checking.delete(account);
    }
  }
}
