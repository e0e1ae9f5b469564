import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { YemotHttp } from '../src/client/http.js';
import { LOGOUT_DEADLINE_MS, YemotSession } from '../src/client/session.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { caught } from './caught.js';

let sandbox: Sandbox;
let http: YemotHttp;
beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined });
  http = new YemotHttp({ baseUrl: sandbox.url, timeoutMs: 500, retryDelayMs: 10 });
});
afterAll(async () => {
  await http.close();
  await sandbox.close();
});
afterEach(() => sandbox.clearFaults());


describe('YemotHttp against the simulator', () => {
  it('posts a form body with the token in the body, never in the URL', async () => {
    const before = sandbox.requests.length;
    await http.send('CheckIfFolderExists', { token: sandbox.token, path: '1', flag: true, skipped: undefined });
    const [request] = sandbox.requests.slice(before);
    expect(request.url).toBe('/ym/api/CheckIfFolderExists');
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(request.params).toEqual({ token: sandbox.token, path: '1', flag: '1' });
  });

  it('sends JSON when asked or when a value is an array', async () => {
    const before = sandbox.requests.length;
    await http.send('DeleteSipAccount', { token: sandbox.token, accountNumber: [999] }).catch(() => undefined);
    await http.send('GetApprovedCallerIDs', { token: sandbox.token }, { request: 'json' });
    const [array, forced] = sandbox.requests.slice(before);
    expect(array.contentType).toBe('application/json');
    expect(array.params.accountNumber).toEqual([999]);
    expect(forced.contentType).toBe('application/json');
  });

  it('reads responseStatus in any casing', async () => {
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ok', value: 1 } });
    await expect(http.send('GetApprovedCallerIDs', { token: sandbox.token })).resolves.toMatchObject({ kind: 'json', answer: { value: 1 } });
  });

  it.each([
    [{ responseStatus: 'ERROR', message: 'path is required' }, 'API_ERROR'],
    [{ responseStatus: 'Exception', message: 'bad action', file: 'x.ym', Line: '1:1' }, 'API_ERROR'],
    [{ responseStatus: 'EXCEPTION', message: 'NullPointerException' }, 'API_ERROR'],
    [{ responseStatus: 'FORBIDDEN', message: 'you are not allowed to do this' }, 'API_ERROR'],
    // Only the two documented expiry answers count as an expiry: this one is a refusal.
    [{ responseStatus: 'ERROR', message: 'list not sent: session is expired' }, 'API_ERROR'],
    [{ responseStatus: 'EXCEPTION', message: 'IllegalStateException(session token is invalid)' }, 'SESSION_EXPIRED'],
    [{ responseStatus: 'FORBIDDEN', message: 'session is expired' }, 'SESSION_EXPIRED'],
    [{ responseStatus: 'FORBIDDEN', message: 'MFA_REQUIRED' }, 'MFA_REQUIRED'],
    [{ responseStatus: 'ERROR', message: 'MFA_REQUIRED' }, 'MFA_REQUIRED'],
    [{ responseStatus: 'Exception', message: 'exception send by customer. wait 55s' }, 'RATE_LIMITED'],
    [{ responseStatus: 'ERROR', message: 'שרת זה אינו תומך במערכת SIP', yAfastVersion: 'any' }, 'NOT_SUPPORTED'],
    [{ message: 'no status' }, 'BAD_RESPONSE'],
  ])('turns %j into %s with the command and vendor message, sent once, its outcome known', async (answer, code) => {
    sandbox.injectFault({ kind: 'answer', answer }, { times: 2 });
    const before = sandbox.requests.length;
    // Even a read that may be retried is not: an answer is not a transient failure.
    const error = await caught(http.send('GetApprovedCallerIDs', { token: sandbox.token }, { retry: true }));
    expect(error.code).toBe(code);
    expect(error.command).toBe('GetApprovedCallerIDs');
    expect(error.outcomeUnknown).toBe(false);
    expect(sandbox.requests.length - before).toBe(1);
    if (answer.message) expect(error.vendorMessage).toBe(answer.message);
    if (code === 'RATE_LIMITED') expect(error.retryAfterSeconds).toBe(55);
  });

  it('returns non-JSON renders as text when the command produces files', async () => {
    const reply = await http.send('RenderYMGRFile', { token: sandbox.token, wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'csv' }, { answer: 'text' });
    expect(reply).toMatchObject({ kind: 'text', contentType: 'text/csv' });
    expect(reply.kind === 'text' && reply.text).toContain(',');
  });

  it.each([
    [{ kind: 'http', status: 500, body: '<html>oops</html>', contentType: 'text/html' }, 'HTTP_ERROR'],
    [{ kind: 'http', status: 502 }, 'HTTP_ERROR'],
    [{ kind: 'raw', body: '{"responseStatus": "OK", ' }, 'BAD_RESPONSE'],
    [{ kind: 'raw', body: '' }, 'BAD_RESPONSE'],
    [{ kind: 'reset' }, 'NETWORK'],
    [{ kind: 'timeout' }, 'TIMEOUT'],
  ] as const)('maps fault %j to %s; reads retry once, writes never', async (fault, code) => {
    sandbox.injectFault(fault, { times: 2 });
    let before = sandbox.requests.length;
    const write = await caught(http.send('SipToWss', { token: sandbox.token }));
    expect(write.code).toBe(code);
    expect(write.outcomeUnknown).toBe(true);
    expect(sandbox.requests.length - before).toBe(1);
    sandbox.clearFaults();
    sandbox.injectFault(fault, { times: 2 });
    before = sandbox.requests.length;
    const read = await caught(http.send('GetApprovedCallerIDs', { token: sandbox.token }, { retry: true }));
    expect(read.code).toBe(code);
    const retried = code === 'NETWORK' || code === 'HTTP_ERROR';
    expect(sandbox.requests.length - before).toBe(retried ? 2 : 1);
  });

  it('recovers on the retry of a read when the fault was passing', async () => {
    sandbox.injectFault({ kind: 'http', status: 502 });
    await expect(http.send('GetApprovedCallerIDs', { token: sandbox.token }, { retry: true })).resolves.toHaveProperty('answer.call');
  });

  it('reports a refused connection as NETWORK without an unknown outcome', async () => {
    const closed = new YemotHttp({ baseUrl: 'http://127.0.0.1:9/ym/api/', timeoutMs: 2000 });
    const error = await caught(closed.send('SipToWss', { token: 'x' }));
    expect(error.code).toBe('NETWORK');
    expect(error.outcomeUnknown).toBe(false);
    await closed.close();
  });

  it('aborts the request when the caller cancels', async () => {
    sandbox.injectFault({ kind: 'timeout' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await caught(http.send('GetApprovedCallerIDs', { token: sandbox.token }, { signal: controller.signal }));
    expect(error.code).toBe('CANCELLED');
  });

  it('reuses keep-alive connections instead of opening one per request', async () => {
    const quiet = await startSandbox({ log: () => undefined });
    const own = new YemotHttp({ baseUrl: quiet.url });
    for (let i = 0; i < 20; i++) await own.send('GetApprovedCallerIDs', { token: quiet.token });
    // undici may open a second socket while the first is being returned to its pool; never one per request.
    expect(quiet.connections()).toBeLessThanOrEqual(2);
    await own.close();
    await quiet.close();
  });

  it('never has more requests in flight than its cap', async () => {
    const slow = await startSandbox({ latencyMs: 40, log: () => undefined });
    const capped = new YemotHttp({ baseUrl: slow.url, maxInFlight: 3 });
    await Promise.all(Array.from({ length: 12 }, () => capped.send('GetApprovedCallerIDs', { token: slow.token })));
    expect(slow.maxInFlight).toBe(3);
    await capped.close();
    await slow.close();
  });
});

describe('YemotSession', () => {
  it('logs in once, reuses the token, and logs in again once after expiry', async () => {
    const session = new YemotSession(http, { username: '0770000000', password: 'sandbox-password' });
    const before = sandbox.requests.length;
    await session.call('GetApprovedCallerIDs', {});
    await session.call('GetApprovedCallerIDs', {});
    const first = await session.currentToken();
    sandbox.expireSession(first);
    const renewed = await session.call('GetApprovedCallerIDs', {});
    expect(renewed.renewed).toBe(true);
    expect(await session.currentToken()).not.toBe(first);
    expect(sandbox.requests.slice(before).map((request) => request.command)).toEqual([
      'Login',
      'GetApprovedCallerIDs',
      'GetApprovedCallerIDs',
      'GetApprovedCallerIDs',
      'Login',
      'GetApprovedCallerIDs',
    ]);
  });

  it('reports expiry of a fixed token as SESSION_EXPIRED', async () => {
    const other = await startSandbox({ log: () => undefined });
    const session = new YemotSession(new YemotHttp({ baseUrl: other.url }), { token: other.token });
    other.expireSession();
    expect((await caught(session.call('GetApprovedCallerIDs', {}))).code).toBe('SESSION_EXPIRED');
    await other.close();
  });

  it('logs out, when it closes, a session it logged in itself: its token is dead afterwards, and it logs in no more', async () => {
    const session = new YemotSession(http, { username: '0770000000', password: 'sandbox-password' });
    await session.call('GetApprovedCallerIDs', {});
    const token = await session.currentToken();
    const before = sandbox.requests.length;
    await session.close();
    expect(sandbox.requests.slice(before).map((request) => [request.command, request.params.token])).toEqual([['Logout', token]]);
    expect((await caught(http.send('GetApprovedCallerIDs', { token }))).code).toBe('SESSION_EXPIRED');
    const sent = sandbox.requests.length;
    expect((await caught(session.call('GetApprovedCallerIDs', {}))).code).toBe('CANCELLED');
    expect(sandbox.requests.length).toBe(sent);
  });

  it('leaves a token it was given alone when it closes', async () => {
    const session = new YemotSession(http, { token: sandbox.token });
    await session.call('GetApprovedCallerIDs', {});
    const before = sandbox.requests.length;
    await session.close();
    expect(sandbox.requests.length).toBe(before);
    expect((await http.send('GetApprovedCallerIDs', { token: sandbox.token })).answer.responseStatus).toBe('OK');
  });

  it('gives the Logout a short deadline: an API that never answers does not hold the close', async () => {
    const session = new YemotSession(new YemotHttp({ baseUrl: sandbox.url }), { username: '0770000000', password: 'sandbox-password' });
    await session.call('GetApprovedCallerIDs', {});
    sandbox.injectFault({ kind: 'timeout' }, { command: 'Logout' });
    const started = Date.now();
    await session.close();
    expect(Date.now() - started).toBeLessThan(LOGOUT_DEADLINE_MS + 500);
    expect(sandbox.requests.at(-1)?.command).toBe('Logout');
  });

  it('refuses wrong credentials as AUTH_FAILED and missing ones as AUTH_MISSING', async () => {
    expect((await caught(new YemotSession(http, { username: '0770000000', password: 'wrong' }).call('GetApprovedCallerIDs', {}))).code).toBe('AUTH_FAILED');
    expect((await caught(new YemotSession(http, undefined).call('GetApprovedCallerIDs', {}))).code).toBe('AUTH_MISSING');
  });
});
