import { EventEmitter } from 'node:events';

/**
 * One request's total time limit (connection, headers and body), joined with the caller's signal.
 * A native timer, so it is precise to the millisecond (undici's own timers resolve to about 1 s),
 * and undici's idle-time timers, which a server dripping a byte at a time never trips, are not needed.
 * It is itself the signal undici listens to: undici takes an EventEmitter with `aborted` and `reason`,
 * which costs a fraction of an AbortController and its EventTarget on every request.
 */
export class Deadline extends EventEmitter {
  aborted = false;
  reason: unknown;
  private readonly timer: NodeJS.Timeout;
  private expired = false;

  constructor(
    readonly ms: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    super();
    this.timer = setTimeout(() => {
      this.expired = true;
      this.abort();
    }, ms);
    if (caller?.aborted) this.abort(caller.reason);
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get timedOut(): boolean {
    return this.expired;
  }

  /** Drops the request and its connection now. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }

  clear(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private readonly onCallerAbort = () => this.abort(this.caller?.reason);
}
