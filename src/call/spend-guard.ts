import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Input } from './command.js';

/** Every tool that can spend takes it: the one way past the guard, for a person who means it. */
export const REPEAT_PARAM = 'repeat';
export const repeatParam = z.boolean().optional().describe('true to resend a spend identical to a recent one');

/** Agents that lose track repeat calls; for a spend, a repeat is money. */
export interface SpendGuardOptions {
  /** How long an identical spend is refused; 0 turns the guard off. */
  windowMs: number;
  now?: () => number;
  /** Bound on remembered spends: the oldest are forgotten first. */
  maxEntries?: number;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Remembers recent spends by a digest of tool and arguments (never the arguments themselves). */
export class SpendGuard {
  private readonly sent = new Map<string, number>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: SpendGuardOptions) {
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 1000;
  }

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  private key(tool: string, input: Input): string {
    const { repeat: _repeat, ...args } = input;
    return createHash('sha256').update(JSON.stringify([tool, canonical(args)])).digest('base64url');
  }

  /** When an identical spend went within the window, and how long ago; otherwise undefined. */
  previous(tool: string, input: Input): { at: number; ageMs: number } | undefined {
    if (!this.enabled) return undefined;
    const key = this.key(tool, input);
    const at = this.sent.get(key);
    if (at === undefined) return undefined;
    const ageMs = this.now() - at;
    if (ageMs < this.windowMs) return { at, ageMs };
    this.sent.delete(key);
    return undefined;
  }

  /** A spend that was sent (it succeeded, or its outcome is unknown). */
  record(tool: string, input: Input): void {
    if (!this.enabled) return;
    const key = this.key(tool, input);
    this.sent.delete(key);
    this.sent.set(key, this.now());
    const cutoff = this.now() - this.windowMs;
    for (const [oldKey, at] of this.sent) {
      if (at >= cutoff && this.sent.size <= this.maxEntries) break;
      this.sent.delete(oldKey);
    }
  }
}
