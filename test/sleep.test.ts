import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../src/call/sleep.js';

/** Issue 29: the test run printed MaxListenersExceededWarning: every poll of a watch left its abort listener on the call's signal. */
describe('sleep', () => {
  it('leaves no abort listener behind, however often it waits on one signal, and Node warns of nothing', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const controller = new AbortController();
      for (let i = 0; i < 20; i++) await sleep(1, controller.signal);
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      // A warning is emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('rejects with the reason as soon as the signal aborts, and at once when it already has', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('stop');
  });
});
