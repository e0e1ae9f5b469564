import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { canonicalArgs } from './canonical.js';
import type { Input, ToolSpec } from './command.js';
import type { PromiseStore } from './store.js';

/** Every tool that can spend takes it: the one way past the guard, for a person who means it. */
export const REPEAT_PARAM = 'repeat';
// Undescribed on purpose, like confirm: the instructions and the DUPLICATE_SPEND answer say when to use it.
export const repeatParam = z.boolean().optional();

/** Where a spend stands in the ledger: being sent, sent, or sent with an unknown outcome. */
export type SpendState = 'claimed' | 'sent' | 'unknown';
export interface SpendRecord {
  state: SpendState;
  /** When it was claimed (ms since the epoch). */
  at: number;
  /** Who holds a claim: only its holder releases it. */
  holder: string;
  /** The ledger (one per app, in one process) that claimed it: while it holds claims, its heartbeat says it lives. */
  owner?: string;
}

/**
 * A ledger holding unsettled claims renews its heartbeat this often, and the heartbeat lasts three times as
 * long: a claim whose owner's heartbeat is gone (its process died mid-request, on this instance or another) reads
 * as an unknown outcome seconds later, not after the stale-claim time.
 */
const HEARTBEAT_MS = 2_000;
const HEARTBEAT_LIFE_MS = 3 * HEARTBEAT_MS;

export interface SpendLedgerOptions {
  /** How long an identical spend is refused; 0 turns the guard off. */
  windowMs: number;
  /**
   * A claim older than this whose holder never settled it (the process died mid-request) reads as an unknown
   * outcome: the request may have gone.
   */
  staleClaimMs: number;
  now?: () => number;
}

/** A claim held by one call: settle it once with what became of the request. */
export interface SpendClaim {
  /** The request was answered: the spend went. */
  sent(): Promise<void>;
  /** The request may have reached Yemot. */
  unknown(): Promise<void>;
  /** The request is known not to have been carried out (refused before work): the same spend may go again. */
  release(): Promise<void>;
}

/**
 * The ledger of spends of one Yemot account, kept in a store shared by every session of the account (and, on a
 * fleet, every instance). A spend is claimed atomically before it is sent, so identical calls made at once send
 * one; keys are digests of the tool and its canonical arguments, never the arguments themselves.
 */
export class SpendLedger {
  private readonly now: () => number;
  private readonly owner = randomUUID();
  /** Claims not yet settled; the heartbeat beats while there are any. */
  private open = 0;
  private beating?: NodeJS.Timeout;
  /** When the heartbeat was last written: within HEARTBEAT_MS it has life left for a new claim, and is not written again. */
  private beatAt = -Infinity;

  constructor(
    private readonly store: PromiseStore,
    private readonly options: SpendLedgerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.windowMs > 0;
  }

  private key(account: string, spec: ToolSpec, input: Input): string {
    const digest = createHash('sha256').update(JSON.stringify([account, spec.name, canonicalArgs(spec, input, [REPEAT_PARAM, 'confirm'])])).digest('base64url');
    return `spend:${digest}`;
  }

  /** What the ledger holds for this spend within the window, if anything. */
  async previous(account: string, spec: ToolSpec, input: Input): Promise<SpendRecord | undefined> {
    if (!this.enabled) return undefined;
    return this.read(await this.store.get(this.key(account, spec, input)));
  }

  /**
   * Claims the spend: undefined and a claim when this call may send it, else what the ledger holds. With `force`
   * (the person asked for a repeat) the claim is taken over whatever is there.
   */
  async claim(account: string, spec: ToolSpec, input: Input, force: boolean): Promise<{ claim: SpendClaim } | { held: SpendRecord }> {
    const key = this.key(account, spec, input);
    if (!this.enabled) return { claim: { sent: async () => undefined, unknown: async () => undefined, release: async () => undefined } };
    const mine: SpendRecord = { state: 'claimed', at: this.now(), holder: randomUUID(), owner: this.owner };
    const value = JSON.stringify(mine);
    let held: SpendRecord | undefined;
    try {
      // The heartbeat first: nobody may see the claim without it and take this live call for a dead one.
      await this.beat(+1);
      if (force) await this.store.put(key, value, this.options.windowMs);
      else held = await this.read(await this.store.claim(key, value, this.options.windowMs));
    } catch (error) {
      await this.beat(-1);
      throw error;
    }
    if (held) {
      await this.beat(-1);
      return { held };
    }
    let settled = false;
    const settle = async (write: () => Promise<unknown>) => {
      if (settled) return;
      settled = true;
      try {
        await write();
      } finally {
        await this.beat(-1);
      }
    };
    const record = (state: SpendState) => () => this.store.put(key, JSON.stringify({ ...mine, state }), this.options.windowMs);
    return { claim: { sent: () => settle(record('sent')), unknown: () => settle(record('unknown')), release: () => settle(() => this.store.release(key, value)) } };
  }

  /** Counts claims opened (+1) and settled (-1); the heartbeat beats from the first open claim until the last is settled. */
  private async beat(change: 1 | -1): Promise<void> {
    this.open += change;
    if (this.open === 0) {
      clearInterval(this.beating);
      this.beating = undefined;
      return;
    }
    if (this.beating) return;
    const alive = async () => {
      const at = Date.now();
      await this.store.put(`alive:${this.owner}`, '1', HEARTBEAT_LIFE_MS);
      this.beatAt = at;
    };
    this.beating = setInterval(() => void alive().catch(() => undefined), HEARTBEAT_MS);
    this.beating.unref();
    if (Date.now() - this.beatAt >= HEARTBEAT_MS) await alive();
  }

  private async read(value: string | undefined): Promise<SpendRecord | undefined> {
    if (value === undefined) return undefined;
    let record: SpendRecord;
    try {
      record = JSON.parse(value) as SpendRecord;
    } catch {
      return { state: 'unknown', at: this.now(), holder: '' };
    }
    if (record.state !== 'claimed') return record;
    const stale = this.now() - record.at > this.options.staleClaimMs;
    const orphan = record.owner !== undefined && record.owner !== this.owner && (await this.store.get(`alive:${record.owner}`)) === undefined;
    return stale || orphan ? { ...record, state: 'unknown' } : record;
  }
}
