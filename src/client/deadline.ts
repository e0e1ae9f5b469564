import { EventEmitter } from 'node:events';

/**
 * The deadlines waiting on each caller's signal: one listener for a whole call (its retry, its parts), so a request
 * adds to a set instead of adding and removing a listener on an EventTarget, which costs more than the rest of
 * the deadline. The entry goes when the signal aborts.
 */
const waitingOn = new WeakMap<AbortSignal, Set<Deadline>>();

function watch(caller: AbortSignal): Set<Deadline> | undefined {
  let waiting = waitingOn.get(caller);
  if (waiting || caller.aborted) return waiting;
  waitingOn.set(caller, (waiting = new Set()));
  caller.addEventListener(
    'abort',
    () => {
      waitingOn.delete(caller);
      for (const deadline of waiting) deadline.abort(caller.reason);
    },
    { once: true },
  );
  return waiting;
}

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
    if (!caller) return;
    const waiting = watch(caller);
    if (waiting) waiting.add(this);
    else this.abort(caller.reason);
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
    if (this.caller) waitingOn.get(this.caller)?.delete(this);
  }
}
