import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PromiseStore } from './store.js';

export type Redeemed = 'ok' | 'mismatch' | 'expired' | 'used';

const VERSION = 'c1';

/**
 * Single-use confirmation tokens for hosts that cannot show a form. A token is bound by an HMAC to one call (the
 * tool, its canonical arguments and the account), expires, and is spent the first time it is redeemed: its nonce
 * is claimed in the shared store, so it works once across every session (and, with a shared store and key, every
 * instance). It carries nothing secret: a nonce, an expiry and a MAC.
 */
export class ConfirmationTokens {
  constructor(
    private readonly key: Buffer,
    private readonly store: PromiseStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(binding: string): { token: string; expiresAt: number } {
    const expiresAt = this.now() + this.ttlMs;
    const nonce = randomBytes(12).toString('base64url');
    return { token: `${VERSION}.${expiresAt.toString(36)}.${nonce}.${this.mac(expiresAt, nonce, binding)}`, expiresAt };
  }

  /** `ok` once for a token issued for exactly this binding and not expired; never `ok` again for it. */
  async redeem(token: string, binding: string): Promise<Redeemed> {
    const [version, expiry, nonce, mac, ...rest] = token.trim().split('.');
    const expiresAt = parseInt(expiry ?? '', 36);
    if (version !== VERSION || rest.length || !nonce || !mac || !Number.isSafeInteger(expiresAt)) return 'mismatch';
    const expected = Buffer.from(this.mac(expiresAt, nonce, binding));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
    const left = expiresAt - this.now();
    if (left <= 0) return 'expired';
    return (await this.store.claim(`confirmed:${nonce}`, '1', left)) === undefined ? 'ok' : 'used';
  }

  private mac(expiresAt: number, nonce: string, binding: string): string {
    return createHmac('sha256', this.key).update(`${VERSION}\n${expiresAt}\n${nonce}\n${binding}`).digest('base64url').slice(0, 32);
  }
}
