import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PromiseStore } from './store.js';

export type Redeemed = 'ok' | 'mismatch' | 'expired' | 'used';

const VERSION = 'c1';

/**
 * Single-use confirmation tokens for hosts that cannot show a form. A token is bound by an HMAC to one call (the
 * tool, its canonical arguments and the account), expires, and is spent the first time it is redeemed: its nonce
 * is claimed in the shared store, so it works once across every session (and, with a shared store and key, every
 * instance). It carries nothing secret: a nonce, an expiry, a MAC and, for a change set, the digest of what the
 * person saw (`seen`), under the MAC too: the call goes ahead only while the account still holds it.
 */
export class ConfirmationTokens {
  constructor(
    private readonly key: Buffer,
    private readonly store: PromiseStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(binding: string, seen?: string): { token: string; expiresAt: number } {
    const expiresAt = this.now() + this.ttlMs;
    const nonce = randomBytes(12).toString('base64url');
    const tail = seen === undefined ? '' : `.${seen}`;
    return { token: `${VERSION}.${expiresAt.toString(36)}.${nonce}.${this.mac(expiresAt, nonce, binding, seen)}${tail}`, expiresAt };
  }

  /** `ok` once for a token issued for exactly this binding and not expired; never `ok` again for it. */
  async redeem(token: string, binding: string): Promise<Redeemed> {
    const [version, expiry, nonce, mac, seen, ...rest] = token.trim().split('.');
    const expiresAt = parseInt(expiry ?? '', 36);
    if (version !== VERSION || rest.length || !nonce || !mac || seen === '' || !Number.isSafeInteger(expiresAt)) return 'mismatch';
    const expected = Buffer.from(this.mac(expiresAt, nonce, binding, seen));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'mismatch';
    const left = expiresAt - this.now();
    if (left <= 0) return 'expired';
    return (await this.store.claim(`confirmed:${nonce}`, '1', left)) === undefined ? 'ok' : 'used';
  }

  /** The digest of what the person saw, as the token carries it (authenticated once redeem said ok). */
  seenIn(token: string): string | undefined {
    return token.trim().split('.')[4];
  }

  private mac(expiresAt: number, nonce: string, binding: string, seen?: string): string {
    const tail = seen === undefined ? '' : `\n${seen}`;
    return createHmac('sha256', this.key).update(`${VERSION}\n${expiresAt}\n${nonce}\n${binding}${tail}`).digest('base64url').slice(0, 32);
  }
}
