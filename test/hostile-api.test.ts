import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { YemotError } from '../src/client/errors.js';
import { YemotHttp } from '../src/client/http.js';
import { YemotSession } from '../src/client/session.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { Secrets } from '../src/core/secrets.js';
import { caught } from './caught.js';

/**
 * The client against an API that misbehaves on purpose: huge, dripping, hanging, mis-encoded answers,
 * refused logins. Each server here is a few lines of node:http on 127.0.0.1.
 */

type Handler = (command: string, req: IncomingMessage, res: ServerResponse) => void;

interface TestApi {
  url: string;
  commands: string[];
  close(): Promise<void>;
}

const servers: TestApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: Handler): Promise<TestApi> {
  const commands: string[] = [];
  const server = createServer((req, res) => {
    const command = decodeURIComponent(req.url!.split('/').pop()!);
    commands.push(command);
    req.resume();
    req.on('end', () => handler(command, req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api: TestApi = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ym/api/`,
    commands,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(api);
  return api;
}

const clients: YemotHttp[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

function client(api: TestApi, options: ConstructorParameters<typeof YemotHttp>[0] = {}): YemotHttp {
  const http = new YemotHttp({ baseUrl: api.url, retryDelayMs: 10, ...options });
  clients.push(http);
  return http;
}


const json = (res: ServerResponse, body: Record<string, unknown>, delayMs = 0) =>
  setTimeout(() => {
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }, delayMs);

/** Writes `total` bytes of one JSON string answer in 16 KB chunks, respecting backpressure; stops when the peer goes away. */
function streamHuge(res: ServerResponse, total: number, state: { sent: number; closedEarly: boolean }, declareLength: boolean) {
  res.writeHead(200, { 'content-type': 'application/json', ...(declareLength && { 'content-length': String(total) }) });
  res.on('close', () => {
    if (state.sent < total) state.closedEarly = true;
  });
  const chunk = Buffer.alloc(16 * 1024, 'a');
  const write = () => {
    while (!res.destroyed && state.sent < total) {
      state.sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', write);
    }
    if (!res.destroyed) res.end();
  };
  write();
}

describe('1. answers larger than the cap', () => {
  const TOTAL = 64 * 1024 * 1024;

  it.each([
    ['streamed without a length', false],
    ['with a declared Content-Length', true],
  ])('%s: RESPONSE_TOO_LARGE, the connection dropped early, a read not retried', async (_name, declareLength) => {
    const state = { sent: 0, closedEarly: false };
    const api = await serve((_command, _req, res) => streamHuge(res, TOTAL, state, declareLength));
    const http = client(api, { maxResponseBytes: 64 * 1024 });
    const error = await caught(http.send('GetApprovedCallerIDs', { token: 't' }, { retry: true }));
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.toJSON()).toMatchObject({ maxResponseBytes: 64 * 1024 });
    await expect.poll(() => state.closedEarly, { timeout: 2000 }).toBe(true);
    expect(state.sent).toBeLessThan(TOTAL / 4);
    expect(api.commands).toEqual(['GetApprovedCallerIDs']);
  });

  it('reads an answer just under the cap in full', async () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ callerId: `0500000${String(i).padStart(3, '0')}`, note: 'x'.repeat(80) }));
    const api = await serve((_command, _req, res) => json(res, { responseStatus: 'OK', rows }));
    expect(JSON.stringify({ responseStatus: 'OK', rows }).length).toBeGreaterThan(48 * 1024);
    const answer = await client(api, { maxResponseBytes: 64 * 1024 }).send('GetApprovedCallerIDs', { token: 't' });
    expect(answer.answer.rows).toHaveLength(500);
  });
});

describe('2. a total deadline per request', () => {
  /** Sends headers, then one byte every 50 ms for as long as the client stays. */
  function drip(closed: { at?: number }): Handler {
    return (_command, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => {
        clearInterval(timer);
        closed.at = Date.now();
      });
    };
  }

  it('a dripping answer fails with TIMEOUT after about timeoutMs, and the connection is closed', async () => {
    const closed: { at?: number } = {};
    const api = await serve(drip(closed));
    const started = Date.now();
    const error = await caught(client(api, { timeoutMs: 1000 }).send('SendTTS', { token: 't' }));
    const elapsed = Date.now() - started;
    expect(error.code).toBe('TIMEOUT');
    expect(error.outcomeUnknown).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(2500);
    await expect.poll(() => closed.at, { timeout: 1000 }).toBeDefined();
  });

  it('a per-request timeoutMs replaces the client default for that request only', async () => {
    const api = await serve(drip({}));
    const http = client(api, { timeoutMs: 30_000 });
    const started = Date.now();
    const error = await caught(http.send('GetApprovedCallerIDs', { token: 't' }, { timeoutMs: 200 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('200 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('3. requests that hang cannot starve the others', () => {
  it('a call waiting too long for a slot is BUSY, says what is in flight and waiting, and is never sent', async () => {
    const api = await serve((command, _req, res) => {
      if (command !== 'Hang') json(res, { responseStatus: 'OK' });
    });
    const http = client(api, { maxInFlight: 2, queueWaitMs: 150, maxQueue: 1, timeoutMs: 10_000 });
    const stop = new AbortController();
    const hung = [1, 2].map(() => http.send('Hang', { token: 't' }, { signal: stop.signal }).catch((error: unknown) => error));
    await expect.poll(() => api.commands.length).toBe(2);

    const started = Date.now();
    const waited = caught(http.send('MFASession', { token: 't', action: 'isPass' }));
    // The queue holds one: a second waiter is refused at once.
    const full = await caught(http.send('MFASession', { token: 't', action: 'isPass' }));
    expect(full.code).toBe('BUSY');
    expect(full.toJSON()).toMatchObject({ inFlight: 2, waiting: 1 });
    expect(Date.now() - started).toBeLessThan(100);

    const busy = await waited;
    const elapsed = Date.now() - started;
    expect(busy.code).toBe('BUSY');
    expect(busy.message).toMatch(/not sent.*2 requests in flight, 0 more waiting/);
    expect(busy.outcomeUnknown).toBe(false);
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1000);
    expect(api.commands).toEqual(['Hang', 'Hang']);

    // Once the hung requests end, calls go through again.
    stop.abort();
    expect(((await hung[0]) as YemotError).code).toBe('CANCELLED');
    await expect(http.send('MFASession', { token: 't', action: 'isPass' })).resolves.toMatchObject({ answer: { responseStatus: 'OK' } });
  });

  it('a waiter served before its wait runs out goes through', async () => {
    const api = await serve((command, _req, res) => json(res, { responseStatus: 'OK' }, command === 'Slow' ? 60 : 0));
    const http = client(api, { maxInFlight: 1, queueWaitMs: 1000 });
    const [slow, quick] = await Promise.all([http.send('Slow', { token: 't' }), http.send('Quick', { token: 't' })]);
    expect(slow.answer.responseStatus).toBe('OK');
    expect(quick.answer.responseStatus).toBe('OK');
    expect(api.commands).toEqual(['Slow', 'Quick']);
  });
});

describe('4. no login storm after a refused Login', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined });
  });
  afterAll(() => sandbox.close());

  const logins = (from: number) => sandbox.requests.slice(from).filter((request) => request.command === 'Login').length;

  it('20 calls with a wrong password send one Login, and each refusal says when the next attempt is allowed', async () => {
    let now = 1_000_000;
    const http = new YemotHttp({ baseUrl: sandbox.url });
    clients.push(http);
    const session = new YemotSession(http, { username: '0770000000', password: 'wrong' }, { now: () => now });
    const before = sandbox.requests.length;

    const first = await caught(session.call('GetApprovedCallerIDs', {}));
    expect(first.code).toBe('AUTH_FAILED');
    expect(first.retryAfterSeconds).toBe(30);
    expect(first.vendorMessage).toBe('Username or password is incorrect');
    for (let i = 1; i < 20; i++) {
      now += 1000;
      const refusal = await caught(session.call('GetApprovedCallerIDs', {}));
      expect(refusal.code).toBe('AUTH_FAILED');
      expect(refusal.retryAfterSeconds).toBe(30 - i);
    }
    expect(logins(before)).toBe(1);
    expect(sandbox.requests.length - before).toBe(1);

    // After the cool-down one more Login goes out; the next cool-down is twice as long, up to 15 minutes.
    now += 11_000;
    expect((await caught(session.call('GetApprovedCallerIDs', {}))).retryAfterSeconds).toBe(60);
    expect(logins(before)).toBe(2);
    const cooldowns: number[] = [];
    for (let i = 0; i < 8; i++) {
      now += 15 * 60_000;
      cooldowns.push((await caught(session.currentToken())).retryAfterSeconds!);
    }
    expect(cooldowns).toEqual([120, 240, 480, 900, 900, 900, 900, 900]);
    expect(logins(before)).toBe(10);
  });

  it('concurrent calls share the one refused Login', async () => {
    const http = new YemotHttp({ baseUrl: sandbox.url });
    clients.push(http);
    const session = new YemotSession(http, { username: '0770000000', password: 'wrong' });
    const before = sandbox.requests.length;
    const errors = await Promise.all(Array.from({ length: 20 }, () => caught(session.call('GetApprovedCallerIDs', {}))));
    expect(errors.every((error) => error.code === 'AUTH_FAILED')).toBe(true);
    expect(logins(before)).toBe(1);
  });

  it('a successful Login ends the cool-down and resets it', async () => {
    let now = 0;
    let password = 'wrong';
    const api = await serve((_command, _req, res) =>
      json(res, password === 'right' ? { responseStatus: 'OK', token: `session-${api.commands.length}` } : { responseStatus: 'ERROR', message: 'Username or password is incorrect' }),
    );
    const session = new YemotSession(client(api), { username: '0770000000', password: 'ignored' }, { now: () => now });
    expect((await caught(session.currentToken())).retryAfterSeconds).toBe(30);
    password = 'right';
    expect((await caught(session.currentToken())).retryAfterSeconds).toBe(30);
    now += 30_000;
    await expect(session.currentToken()).resolves.toMatch(/^session-/);
    expect(api.commands).toEqual(['Login', 'Login']);
  });
});

describe('5. a shared Login is not cancelled by one of its waiters', () => {
  it('the cancelled waiter stops waiting; the other gets the token from the one Login', async () => {
    let loginFinished = false;
    const api = await serve((_command, _req, res) => {
      res.on('finish', () => (loginFinished = true));
      json(res, { responseStatus: 'OK', token: 'fresh-session-token' }, 150);
    });
    const session = new YemotSession(client(api), { username: '0770000000', password: 'secret-password' });
    const impatient = new AbortController();
    const started = Date.now();
    const first = caught(session.currentToken(impatient.signal));
    const second = session.currentToken(new AbortController().signal);
    setTimeout(() => impatient.abort(), 20);

    const cancelled = await first;
    expect(cancelled.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(140);
    await expect(second).resolves.toBe('fresh-session-token');
    expect(loginFinished).toBe(true);
    expect(api.commands).toEqual(['Login']);
  });

  it('an already cancelled caller starts no Login', async () => {
    const api = await serve((_command, _req, res) => json(res, { responseStatus: 'OK', token: 'fresh-session-token' }));
    const session = new YemotSession(client(api), { username: '0770000000', password: 'secret-password' });
    expect((await caught(session.currentToken(AbortSignal.abort()))).code).toBe('CANCELLED');
    expect(api.commands).toEqual([]);
  });
});

describe('6. text answers decoded by their declared charset', () => {
  /** windows-1255 for ASCII and the Hebrew letters (U+05D0..U+05EA are 0xE0..0xFA). */
  const windows1255 = (text: string) => Buffer.from([...text].map((char) => (char >= 'א' && char <= 'ת' ? char.charCodeAt(0) - 0x05d0 + 0xe0 : char.charCodeAt(0))));
  const CSV = 'שם,טלפון\nמשה כהן,0501234567\n';

  it.each([
    ['text/csv; charset=windows-1255', windows1255(CSV)],
    ['text/csv; charset="Windows-1255"', windows1255(CSV)],
    ['text/csv;charset=utf-8', Buffer.from(CSV)],
    ['text/csv; charset=no-such-charset', Buffer.from(CSV)],
    ['text/csv', Buffer.from(CSV)],
  ])('%s', async (contentType, bytes) => {
    const api = await serve((_command, _req, res) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
      res.end(bytes);
    });
    const reply = await client(api).send('RenderYMGRFile', { token: 't' }, { answer: 'text' });
    expect(reply).toEqual({ kind: 'text', text: CSV, contentType: contentType.split(';')[0] });
  });

  it('a JSON answer in windows-1255', async () => {
    const body = windows1255(JSON.stringify({ responseStatus: 'OK', name: 'משה' }));
    const api = await serve((_command, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=windows-1255' });
      res.end(body);
    });
    await expect(client(api).send('GetCustomerData', { token: 't' })).resolves.toMatchObject({ answer: { name: 'משה' } });
  });
});

describe('7 and 8. session expiry matched exactly; a replaced token is forgotten', () => {
  let sandbox: Sandbox;
  let http: YemotHttp;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined });
    http = new YemotHttp({ baseUrl: sandbox.url });
  });
  afterAll(async () => {
    await http.close();
    await sandbox.close();
  });
  afterEach(() => sandbox.clearFaults());

  const sent = (from: number, command: string) => sandbox.requests.slice(from).filter((request) => request.command === command).length;

  it.each([
    { responseStatus: 'ERROR', message: 'campaign not started: session is expired' },
    { responseStatus: 'FORBIDDEN', message: 'session is expired for this list, renew it first' },
    { responseStatus: 'ERROR', message: 'IllegalStateException(session token is invalid)' },
  ])('%j is an API_ERROR, sent once, no new Login', async (answer) => {
    const session = new YemotSession(http, { username: '0770000000', password: 'sandbox-password' });
    await session.currentToken();
    const before = sandbox.requests.length;
    sandbox.injectFault({ kind: 'answer', answer }, { command: 'SendTTS' });
    const error = await caught(session.call('SendTTS', { phones: '0500000000', ttsMessage: 'hi' }));
    expect(error.code).toBe('API_ERROR');
    expect(sent(before, 'SendTTS')).toBe(1);
    expect(sent(before, 'Login')).toBe(0);
  });

  it.each([
    { responseStatus: 'Forbidden', message: 'session is expired' },
    { responseStatus: 'exception', message: 'IllegalStateException(session token is invalid)' },
  ])('%j (any case of status) renews the session and forgets the old token', async (answer) => {
    const secrets = new Secrets();
    const forgetSecret = vi.spyOn(secrets, 'forget');
    const session = new YemotSession(http, { username: '0770000000', password: 'sandbox-password' }, { secrets });
    const old = await session.currentToken();
    sandbox.injectFault({ kind: 'answer', answer }, { command: 'GetApprovedCallerIDs' });
    const result = await session.call('GetApprovedCallerIDs', {});
    expect(result.renewed).toBe(true);
    const fresh = await session.currentToken();
    expect(fresh).not.toBe(old);
    expect(forgetSecret).toHaveBeenCalledWith(old);
    expect(forgetSecret).not.toHaveBeenCalledWith(fresh);
  });
});

describe('configuration of the limits', () => {
  it('reads the new limits, with defaults', () => {
    expect(loadConfig([], {})).toMatchObject({ maxResponseBytes: 20 * 1024 * 1024, queueWaitMs: 10_000, maxQueue: 64, timeoutMs: 30_000 });
    expect(loadConfig([], { YEMOT_MAX_RESPONSE_BYTES: '65536', YEMOT_QUEUE_WAIT_MS: '500', YEMOT_MAX_QUEUE: '0', YEMOT_TIMEOUT_MS: '300' })).toMatchObject({
      maxResponseBytes: 65536,
      queueWaitMs: 500,
      maxQueue: 0,
      timeoutMs: 300,
    });
  });

  it.each([
    ['YEMOT_CONNECT_TIMEOUT_MS', '500', /YEMOT_CONNECT_TIMEOUT_MS must be a whole number from 1000 .*about one second/],
    ['YEMOT_TIMEOUT_MS', '50', /YEMOT_TIMEOUT_MS must be a whole number from 100/],
    ['YEMOT_MAX_RESPONSE_BYTES', '20MB', /YEMOT_MAX_RESPONSE_BYTES must be a whole number/],
    ['YEMOT_QUEUE_WAIT_MS', '-1', /YEMOT_QUEUE_WAIT_MS must be a whole number/],
    ['YEMOT_MAX_QUEUE', '1.5', /YEMOT_MAX_QUEUE must be a whole number/],
  ])('refuses %s=%s at start-up', (name, value, message) => {
    expect(() => loadConfig([], { [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig([], { [name]: value })).toThrow(message);
  });
});
