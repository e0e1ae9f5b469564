/**
 * Waits, or rejects with the signal's reason as soon as it aborts. The abort listener goes when the wait ends: a watch
 * or a two-factor poll sleeps many times on one call's signal, and each left behind would pile up on it (Node warns
 * past ten: MaxListenersExceededWarning).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
