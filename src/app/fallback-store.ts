import { YemotError } from '../client/errors.js';
import type { PromiseStore } from '../call/store.js';

const unavailable = (error: unknown) => error instanceof YemotError && error.code === 'STORE_UNAVAILABLE';

/**
 * Two-factor links and login cool-downs: on the fleet's store, and in this instance's memory while it does not
 * answer. A link made then is served by the instance that made it (the proxy routes a link by its prefix), and
 * refusals are counted per instance, as before there was a fleet. What guards money (the ledger, single-use
 * confirmations) never falls back: it is refused (STORE_UNAVAILABLE).
 */
export class FallbackStore implements PromiseStore {
  constructor(
    private readonly shared: PromiseStore,
    private readonly local: PromiseStore,
  ) {}

  get where(): string {
    return `${this.shared.where}, else memory`;
  }

  claim(key: string, value: string, ttlMs: number): Promise<string | undefined> {
    return this.either((store) => store.claim(key, value, ttlMs));
  }

  put(key: string, value: string, ttlMs: number): Promise<void> {
    return this.either((store) => store.put(key, value, ttlMs));
  }

  /** What either holds: an entry written to memory during an outage stays readable after it. */
  async get(key: string): Promise<string | undefined> {
    return (await this.shared.get(key).catch((error: unknown) => this.quiet(error))) ?? this.local.get(key);
  }

  async release(key: string, value: string): Promise<boolean> {
    return (await this.shared.release(key, value).catch((error: unknown) => this.quiet(error))) || this.local.release(key, value);
  }

  count(key: string, ttlMs: number): Promise<number> {
    return this.either((store) => store.count(key, ttlMs));
  }

  async ready(): Promise<void> {}

  private async either<T>(operation: (store: PromiseStore) => Promise<T>): Promise<T> {
    try {
      return await operation(this.shared);
    } catch (error) {
      this.quiet(error);
      return operation(this.local);
    }
  }

  private quiet(error: unknown): undefined {
    if (!unavailable(error)) throw error;
    return undefined;
  }
}
