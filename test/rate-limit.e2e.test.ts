import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { YemotHttp } from '../src/client/http.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { caught } from './caught.js';
import { startHarness, type Harness } from './harness.js';

/**
 * HTTP 429 (and 503 with Retry-After) from the API. A 429 refuses a request before any work: RATE_LIMITED
 * with the wait the API asked for, never an unknown outcome, so a refused spend may be sent again once the
 * wait is over. A read waits once for Retry-After, and only when the wait fits in its deadline.
 */

/** What this server assumes when a 429 does not say how long (stated here, not imported). */
const DEFAULT_WAIT_SECONDS = 30;

const quiet = () => undefined;
/** The clients' whole-request deadline: far above one request on a loaded machine, far below the waits that must not fit. */
const DEADLINE_MS = 10_000;
const READ = 'GetApprovedCallerIDs';
const WRITE = 'SipToWss';

describe('the client', () => {
  let sandbox: Sandbox;
  const clients: YemotHttp[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ log: quiet });
  });
  afterEach(async () => {
    sandbox.clearFaults();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => sandbox.close());

  function client(): YemotHttp {
    const http = new YemotHttp({ baseUrl: sandbox.url, timeoutMs: DEADLINE_MS, retryDelayMs: 10 });
    clients.push(http);
    return http;
  }
  const requests = (from: number, command: string) => sandbox.requests.slice(from).filter((request) => request.command === command).length;

  it('a read answered 429 with Retry-After in seconds is RATE_LIMITED with those seconds, its next step says when, and it is not retried past its deadline', async () => {
    sandbox.injectFault({ kind: 'http', status: 429, retryAfter: '60' }, { command: READ, times: 2 });
    const before = sandbox.requests.length;
    const started = Date.now();
    const error = await caught(client().send(READ, { token: sandbox.token }, { retry: true }));
    // 60 s does not fit in the deadline: answered at once, not after a wait.
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS);
    expect(requests(before, READ)).toBe(1);
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.status).toBe('429');
    expect(error.retryAfterSeconds).toBe(60);
    expect(error.outcomeUnknown).toBe(false);
    expect(error.hint).toMatch(/\b60 seconds\b/);
    expect(error.hint).toMatch(/nothing was done/i);
    expect(error.hint).not.toMatch(/YEMOT_API_URL/);
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 120_000).toUTCString();
    sandbox.injectFault({ kind: 'http', status: 429, retryAfter: at }, { command: READ });
    const error = await caught(client().send(READ, { token: sandbox.token }, { retry: true }));
    expect(error.code).toBe('RATE_LIMITED');
    // The date has whole seconds and the clock moved on since: 119 or 120.
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(118);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  it.each([
    ['absent', undefined],
    ['not a number or a date', 'soon'],
  ])('a 429 whose Retry-After is %s waits the default and says that the API named no time', async (_what, retryAfter) => {
    sandbox.injectFault({ kind: 'http', status: 429, ...(retryAfter !== undefined && { retryAfter }) }, { command: READ });
    const error = await caught(client().send(READ, { token: sandbox.token }, { retry: true }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(DEFAULT_WAIT_SECONDS);
    expect(error.message).toMatch(/did not say how long/);
  });

  it('a hostile Retry-After is still a plain RATE_LIMITED, answered at once', async () => {
    sandbox.injectFault({ kind: 'http', status: 429, retryAfter: '9'.repeat(30) }, { command: READ });
    const error = await caught(client().send(READ, { token: sandbox.token }, { retry: true }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(Number('9'.repeat(30)));
    expect(error.hint).toMatch(/^Nothing was done/);
  });

  // A 503 that says when it is back gives a read the same wait.
  it.each([429, 503])('a read answered %i waits once for Retry-After when the wait fits in its deadline, then succeeds', async (status) => {
    sandbox.injectFault({ kind: 'http', status, retryAfter: '1' }, { command: READ });
    const before = sandbox.requests.length;
    const started = Date.now();
    await expect(client().send(READ, { token: sandbox.token }, { retry: true })).resolves.toHaveProperty('answer.call');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(requests(before, READ)).toBe(2);
  });

  it('waits only once: a second 429 is the answer', async () => {
    sandbox.injectFault({ kind: 'http', status: 429, retryAfter: '0' }, { command: READ, times: 3 });
    const before = sandbox.requests.length;
    const error = await caught(client().send(READ, { token: sandbox.token }, { retry: true }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(requests(before, READ)).toBe(2);
  });

  it('a write answered 429 is sent once, and its outcome is known: nothing was done', async () => {
    sandbox.injectFault({ kind: 'http', status: 429, retryAfter: '0' }, { command: WRITE, times: 2 });
    const before = sandbox.requests.length;
    const error = await caught(client().send(WRITE, { token: sandbox.token }));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.outcomeUnknown).toBe(false);
    expect(requests(before, WRITE)).toBe(1);
  });

  describe('503 with Retry-After: the same deadline, but the outcome of a write stays unknown', () => {
    it('a read is answered at once when it does not fit, with the seconds', async () => {
      sandbox.injectFault({ kind: 'http', status: 503, retryAfter: '60' }, { command: READ, times: 2 });
      const before = sandbox.requests.length;
      const error = await caught(client().send(READ, { token: sandbox.token }, { retry: true }));
      expect(error.code).toBe('HTTP_ERROR');
      expect(error.retryAfterSeconds).toBe(60);
      expect(error.hint).toMatch(/\b60 seconds\b/);
      expect(requests(before, READ)).toBe(1);
    });

    it('a write: a proxy may answer 503 after Yemot took the request, so its outcome is unknown', async () => {
      sandbox.injectFault({ kind: 'http', status: 503, retryAfter: '5' }, { command: WRITE });
      const error = await caught(client().send(WRITE, { token: sandbox.token }));
      expect(error.code).toBe('HTTP_ERROR');
      expect(error.outcomeUnknown).toBe(true);
      expect(error.retryAfterSeconds).toBe(5);
    });
  });
});

describe('through MCP', () => {
  const TTS = { phones: '0501234567:0527654321', ttsMessage: 'שלום' };
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard', log: quiet } });
  });
  afterAll(() => harness.close());
  afterEach(() => harness.sandbox.clearFaults());

  it('a read tool answered 429 is RATE_LIMITED with retryAfterSeconds and a next step that says when, not "check YEMOT_API_URL"', async () => {
    harness.sandbox.injectFault({ kind: 'http', status: 429, retryAfter: '120' }, { command: READ, times: 2 });
    const result = await harness.call('get_approved_caller_ids');
    expect(result.isError, result.text).toBe(true);
    expect(result.json).toMatchObject({ error: 'RATE_LIMITED', command: READ, status: '429', retryAfterSeconds: 120 });
    expect(result.json).not.toHaveProperty('outcomeUnknown');
    expect(String(result.json.next)).toMatch(/\b120 seconds\b/);
    expect(String(result.json.next)).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(result.text).not.toMatch(/YEMOT_API_URL/);
  });

  it('a spend answered 429 is not recorded as sent: the same spend goes through once the limit clears, never refused as DUPLICATE_SPEND', async () => {
    harness.sandbox.injectFault({ kind: 'http', status: 429, retryAfter: '3' }, { command: 'SendTTS' });
    const before = harness.sandbox.requests.length;
    const limited = await harness.call('send_tts', TTS);
    expect(limited.isError, limited.text).toBe(true);
    expect(limited.json).toMatchObject({ error: 'RATE_LIMITED', command: 'SendTTS', retryAfterSeconds: 3 });
    expect(limited.json).not.toHaveProperty('outcomeUnknown');
    expect(String(limited.json.next)).toMatch(/nothing was done/i);
    expect(String(limited.json.next)).not.toMatch(/outcome is unknown/i);

    const again = await harness.call('send_tts', TTS);
    expect(again.json.error, again.text).not.toBe('DUPLICATE_SPEND');
    expect(again.isError, again.text).toBe(false);
    expect(again.json).toMatchObject({ OKCalls: 2 });
    const sent = harness.since(before).filter((request) => request.command === 'SendTTS');
    // The refused one and the one that went; neither carried `repeat`.
    expect(sent).toHaveLength(2);
    for (const request of sent) expect(request.params).not.toHaveProperty('repeat');
    // And now it is a spend that went: an identical one is refused.
    expect((await harness.call('send_tts', TTS)).json.error).toBe('DUPLICATE_SPEND');
  });
});
