export interface LimiterBounds {
  /** How long one request may wait for a free slot. */
  maxWaitMs: number;
  /** How many requests may wait at once; more are refused at once. */
  maxQueue: number;
}

/** A request refused a slot: it was never started. Counts are at the moment of refusal, this one not included. */
export class LimiterBusy extends Error {
  constructor(
    readonly reason: 'queue-full' | 'wait-expired',
    readonly inFlight: number,
    readonly waiting: number,
  ) {
    super(`limiter busy (${reason}): ${inFlight} in flight, ${waiting} waiting`);
    this.name = 'LimiterBusy';
  }
}

/**
 * Caps the requests in flight to the API; the rest wait their turn in order, for a bounded time in a
 * bounded queue, so requests that hang cannot starve every other call.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly max: number,
    private readonly bounds: LimiterBounds,
  ) {}

  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiting.length >= this.bounds.maxQueue) return Promise.reject(new LimiterBusy('queue-full', this.active, this.waiting.length));
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
      };
      const grant = () => {
        leave();
        this.active++;
        resolve();
      };
      const onAbort = () => {
        leave();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        leave();
        reject(new LimiterBusy('wait-expired', this.active, this.waiting.length));
      }, this.bounds.maxWaitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    this.active--;
    this.waiting[0]?.();
  }
}
