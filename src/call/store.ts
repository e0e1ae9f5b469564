/**
 * Where the promises that guard money and accounts are kept: the ledger of spends, the single use of
 * confirmation tokens, two-factor links and the cool-downs of refused logins. One process keeps them in a state
 * folder (app/local-store.ts); a fleet shares them in Redis (app/redis-store.ts). Every operation is atomic for
 * the keys it names, so two calls claiming one key cannot both win, on one instance or on two.
 *
 * A store that cannot answer (Redis down, or slower than its deadline) throws a YemotError STORE_UNAVAILABLE:
 * nothing that needs it goes on.
 */
export interface PromiseStore {
  /** Sets `key` to `value` for `ttlMs` when it holds nothing; answers undefined when it did, else what the key holds. */
  claim(key: string, value: string, ttlMs: number): Promise<string | undefined>;
  /** Sets `key` whatever it holds. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Removes `key` only while it still holds `value` (a claim released by its owner, not a newer one); true when it did. */
  release(key: string, value: string): Promise<boolean>;
  /** Adds one to the number `key` holds (none: 0) and keeps it `ttlMs` from now; answers the new number. */
  count(key: string, ttlMs: number): Promise<number>;
  /** Resolves when the store answers now; throws STORE_UNAVAILABLE otherwise. */
  ready(): Promise<void>;
  /** For the operator: `memory`, `folder <path>`, `redis <host:port>`. */
  readonly where: string;
}
