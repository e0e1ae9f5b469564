import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

/**
 * Bounded load: 4,000 tool calls, 50 at a time, through a real MCP client against the simulator.
 * No request lost or duplicated, never more than YEMOT_MAX_CONCURRENCY in flight, memory back where it was.
 * The count is what the heap check needs: anything kept per call of 1 KB or more exceeds its tolerance.
 */

const TOTAL = 4_000;
const AT_A_TIME = 50;
const MAX_IN_FLIGHT = 6;
/** Heap growth allowed after a full GC: the server must not keep anything per call. */
const HEAP_TOLERANCE_BYTES = 4 * 1024 * 1024;

/** A real gc() even without --expose-gc: the flag can be set at run time, and a fresh context picks it up. */
function gcFunction(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const gc = gcFunction();

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc?.();
  }
  return gc ? process.memoryUsage().heapUsed : process.memoryUsage().rss;
}

const MB = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

describe('bounded load', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ sandbox: { mfa: 'passed', latencyMs: 1, log: () => undefined }, env: { YEMOT_MAX_CONCURRENCY: String(MAX_IN_FLIGHT) } });
  });
  afterAll(() => harness.close());

  it(`${TOTAL} calls, ${AT_A_TIME} at a time: one request per call, at most ${MAX_IN_FLIGHT} in flight, no memory kept`, { timeout: 60_000 }, async () => {
    const { sandbox, logLines } = harness;
    // Warm-up: the two-factor state, the connections, the JIT; then a clean slate for counting.
    for (let i = 0; i < 200; i++) await harness.call(i % 2 ? 'set_sip_to_wss' : 'get_approved_caller_ids', i % 2 ? { accountNumber: 1 } : {});
    const drain = () => {
      sandbox.requests.length = 0;
      logLines.length = 0;
    };
    drain();
    const heapBefore = await settledHeap();

    const made = { GetApprovedCallerIDs: 0, SipToWss: 0 };
    const seen: Record<string, number> = {};
    const failures: string[] = [];
    /** Counts what the simulator saw so far, then drops its records, so the test itself keeps no per-call memory. */
    const tally = () => {
      for (const request of sandbox.requests) seen[request.command] = (seen[request.command] ?? 0) + 1;
      drain();
    };

    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const index = next++;
        const write = index % 3 === 0;
        const result = write ? await harness.call('set_sip_to_wss', { accountNumber: 1 }) : await harness.call('get_approved_caller_ids');
        made[write ? 'SipToWss' : 'GetApprovedCallerIDs'] += 1;
        if (result.isError) failures.push(result.text);
        if (index % 1000 === 999) tally();
      }
    };
    await Promise.all(Array.from({ length: AT_A_TIME }, worker));
    const seconds = (performance.now() - started) / 1000;
    tally();

    const heapAfter = await settledHeap();
    const figures = {
      calls: TOTAL,
      concurrency: AT_A_TIME,
      seconds: Math.round(seconds * 100) / 100,
      callsPerSecond: Math.round(TOTAL / seconds),
      maxInFlightAtSimulator: sandbox.maxInFlight,
      limit: MAX_IN_FLIGHT,
      requests: seen,
      [gc ? 'heapUsedMB' : 'rssMB']: { before: MB(heapBefore), after: MB(heapAfter), delta: MB(heapAfter - heapBefore) },
    };
    process.stderr.write(`load figures: ${JSON.stringify(figures)}\n`);

    expect(failures.slice(0, 3)).toEqual([]);
    expect(made.GetApprovedCallerIDs + made.SipToWss).toBe(TOTAL);
    // Exactly one request per call: none lost, none repeated; nothing else was sent (the state was known).
    expect(seen).toEqual(made);
    expect(sandbox.maxInFlight).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(sandbox.maxInFlight).toBeGreaterThan(1);
    expect(sandbox.inFlight()).toBe(0);
    expect(heapAfter - heapBefore).toBeLessThan(gc ? HEAP_TOLERANCE_BYTES : 4 * HEAP_TOLERANCE_BYTES);
  });
});
