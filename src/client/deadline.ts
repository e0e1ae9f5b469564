/**
 * One request's total time limit (connection, headers and body), joined with the caller's signal.
 * A native timer, so it is precise to the millisecond (undici's own timers resolve to about 1 s),
 * and undici's idle-time timers, which a server dripping a byte at a time never trips, are not needed.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private expired = false;

  constructor(
    readonly ms: number,
    private readonly caller: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort();
    }, ms);
    if (caller?.aborted) this.controller.abort(caller.reason);
    else caller?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get timedOut(): boolean {
    return this.expired;
  }

  /** Drops the request and its connection now. */
  abort(): void {
    this.controller.abort();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
  }

  private readonly onCallerAbort = () => this.controller.abort(this.caller?.reason);
}
