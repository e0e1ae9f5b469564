/**
 * Where the promises that guard money and accounts are kept: the ledger of spends and the single use of
 * confirmation tokens. One process keeps them in a state folder (app/local-store.ts); a fleet shares them.
 * Every operation is atomic for the keys it names, so two calls claiming one key cannot both win.
 */
export interface PromiseStore {
  /** Sets `key` to `value` for `ttlMs` when it holds nothing; answers undefined when it did, else what the key holds. */
  claim(key: string, value: string, ttlMs: number): Promise<string | undefined>;
  /** Sets `key` whatever it holds. */
  put(key: string, value: string, ttlMs: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Removes `key` only while it still holds `value` (a claim released by its owner, not a newer one). */
  release(key: string, value: string): Promise<void>;
  /** For the operator: `memory`, `folder <path>`. */
  readonly where: string;
}
