import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import type { HttpHandle } from '../src/host/http-host.js';
import { Logger } from '../src/core/log.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { processSecrets, Secrets } from '../src/core/secrets.js';
import { OneTimeLinks } from '../src/app/one-time-links.js';
import { senderOf } from '../src/host/tenants.js';
import { MAX_REFUSED, NUMBER_SPACING_MS, RefusedLogins } from '../src/host/refused-logins.js';
import { INITIALIZE } from './raw-http.js';
import { loginHeaders, tenantHost } from './tenant-host.js';

/**
 * Attacks on tenant mode (--http --tenant-credentials): one tenant against another, against the login
 * cool-down, and against the host's bounds. Each test guards a hole an attack found, or shows a defence that held.
 */

const ALPHA = { username: '0771111111', password: 'ALPHA-pass-canary-5b17c2' };
const BETA = { username: '0772222222', password: 'BETA-pass-canary-e40a93' };
const MCP = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with every header under the test's control (repeated headers too), from a loopback address of its choice (`from`); SSE answers are cut after the headers. */
function send(url: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: unknown; from?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: options.method ?? 'POST', headers: { ...MCP, ...options.headers }, localAddress: options.from },
      (response) => {
        const headers = response.headers;
        if (String(headers['content-type']).startsWith('text/event-stream')) {
          response.destroy();
          return resolve({ status: response.statusCode ?? 0, headers, body: '' });
        }
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Requests that reached the simulator for one system number: Logins naming it, and calls with a `<number>:<password>` token. */
const sentFor = (sandbox: Sandbox, system: string) =>
  sandbox.requests.filter((request) => request.params.username === system || String(request.params.token ?? '').startsWith(`${system}:`)).length;

describe('attack: tenant logins and the cool-down', () => {
  let sandbox: Sandbox;
  let handle: HttpHandle;
  let hostLines: string[];
  const logins = () => sandbox.requests.filter((request) => request.command === 'Login').length;

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined, accounts: [{ ...ALPHA, mfa: 'passed' }, { ...BETA, mfa: 'passed' }] });
    ({ handle, lines: hostLines } = await tenantHost(sandbox));
  });

  afterAll(async () => {
    await handle?.close(0);
    await sandbox?.close();
  });

  // Was a hole (now guarded): the vendor's documented static token is `<system number>:<password>`; as a Bearer it is throttled
  // per token, so every password guess is a new key and reaches Yemot at once.
  it('throttles a Bearer token of the form <system number>:<password> by its system number, in both credential forms', async () => {
    const system = '0775550001';
    const first = await send(handle.url, { body: INITIALIZE, headers: { authorization: `Bearer ${system}:guess-1` } });
    expect(first.status).toBe(401);
    expect(sentFor(sandbox, system)).toBe(1);
    const second = await send(handle.url, { body: INITIALIZE, headers: { authorization: `Bearer ${system}:guess-2` } });
    expect(second.status).toBe(429);
    const asLogin = await send(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: system, password: 'guess-3' }) });
    expect(asLogin.status).toBe(429);
    expect(sentFor(sandbox, system)).toBe(1);
  });

  it('and a refused Login holds back the same system number sent as a <system number>:<password> token', async () => {
    const system = '0775550002';
    expect((await send(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: system, password: 'guess-1' }) })).status).toBe(401);
    expect((await send(handle.url, { body: INITIALIZE, headers: { authorization: `Bearer ${system}:guess-2` } })).status).toBe(429);
    expect(sentFor(sandbox, system)).toBe(1);
  });

  // Was a hole (now guarded): Yemot's own "wait Ns" answer to a Login becomes a 502, and the next initialize logs in again at once
  // (the vendor: repeated attempts make the wait longer).
  it("honours Yemot's own wait after a rate-limited Login: the next initialize sends nothing", async () => {
    const system = '0775550003';
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'too many attempts, wait 120s' } }, { command: 'Login' });
    try {
      const first = await send(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: system, password: 'whatever' }) });
      expect(first.status).not.toBe(200);
      const again = await send(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: system, password: 'whatever' }) });
      expect(again.status).toBe(429);
      expect(Number(again.headers['retry-after'])).toBeGreaterThanOrEqual(100);
      expect(sentFor(sandbox, system)).toBe(1);
    } finally {
      sandbox.clearFaults();
    }
  });

  // Was a hole (now guarded): mediaRefusal accepts a Content-Type the SDK transport refuses (a comma after the parameters, as
  // joined duplicate headers look), so the initialize costs a Login and then gets 415.
  it('refuses an initialize whose Content-Type the transport would refuse before any Login', async () => {
    const before = logins();
    const reply = await send(handle.url, { body: INITIALIZE, headers: { ...loginHeaders(ALPHA), 'content-type': 'application/json; charset=utf-8, text/plain' } });
    expect(reply.status).toBe(415);
    expect(logins()).toBe(before);
  });

  // HOLDS: malformed credential headers are refused without a request to Yemot, or cost one refused Login; never a 500.
  it('refuses malformed credential headers without an API request (or with one refused Login), never with a 500', async () => {
    const before = sandbox.requests.length;
    const refusedLocally: OutgoingHttpHeaders[] = [
      { authorization: 'Bearer ' },
      { authorization: 'Bearer     ' },
      { authorization: `Basic ${Buffer.from(`${ALPHA.username}:${ALPHA.password}`).toString('base64')}` },
      { authorization: 'Bearer' },
      { 'x-yemot-username': '', 'x-yemot-password': ALPHA.password },
      { 'x-yemot-username': ALPHA.username, 'x-yemot-password': '' },
      { 'x-yemot-username': ALPHA.username },
      { ...loginHeaders(ALPHA), authorization: 'Bearer abc' },
    ];
    for (const headers of refusedLocally) {
      const reply = await send(handle.url, { body: INITIALIZE, headers });
      expect(reply.status, JSON.stringify(headers)).toBe(401);
      expect(reply.body).not.toContain(ALPHA.password);
    }
    expect(sandbox.requests.length).toBe(before);
    // Repeated headers arrive joined ("a, b"): not ALPHA's username, so one refused Login and a cool-down for that spelling.
    const doubled = await send(handle.url, { body: INITIALIZE, headers: { 'x-yemot-username': ['0775550004', '0775550004'], 'x-yemot-password': 'x' } });
    expect(doubled.status).toBe(401);
    // Headers beyond Node's limit never reach the host.
    const huge = await send(handle.url, { body: INITIALIZE, headers: { 'x-yemot-username': '0'.repeat(20_000), 'x-yemot-password': 'x' } });
    expect(huge.status).toBe(431);
    expect(logins()).toBeLessThanOrEqual(before + 1);
  });

  // HOLDS: what Yemot echoes of a refused password is scrubbed from the 401 body and the host's lines, in the
  // encodings the scrubber claims; and the tenant's secret never joins the process registry.
  it("keeps a tenant's password out of refusals, host lines and the process registry", async () => {
    const password = 'Gamma/pass+canary=0c9e71';
    const echo = [password, encodeURIComponent(password), Buffer.from(password).toString('base64'), JSON.stringify(password)].join(' | ');
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: `wrong password: ${echo}` } }, { command: 'Login' });
    const refused = await send(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: '0775550005', password }) });
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('[redacted]');
    for (const form of echo.split(' | ')) {
      expect(refused.body).not.toContain(form);
      expect(hostLines.join('\n')).not.toContain(form);
      expect(JSON.stringify(refused.headers)).not.toContain(form);
    }
    const opened = await send(handle.url, { body: INITIALIZE, headers: loginHeaders(ALPHA) });
    expect(opened.status).toBe(200);
    expect(processSecrets.scrub(`${ALPHA.password} ${password}`)).toBe(`${ALPHA.password} ${password}`);
    await send(handle.url, { method: 'DELETE', headers: { ...loginHeaders(ALPHA), 'mcp-session-id': String(opened.headers['mcp-session-id']) } });
  });
});

describe('attack: a stranger against the owner of a system number (issue 25)', () => {
  let sandbox: Sandbox;
  let direct: HttpHandle;
  let proxied: HttpHandle;
  const wrong = (account: { username: string }) => loginHeaders({ username: account.username, password: 'a-stranger-guess' });
  const behind = (address: string, headers: OutgoingHttpHeaders) => ({ ...headers, 'x-forwarded-for': address });

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined, accounts: [{ ...ALPHA, mfa: 'passed' }, { ...BETA, mfa: 'passed' }] });
    ({ handle: direct } = await tenantHost(sandbox));
    ({ handle: proxied } = await tenantHost(sandbox, { YEMOT_TRUSTED_PROXIES: '127.0.0.0/8, ::1' }));
  });

  afterAll(async () => {
    await direct?.close(0);
    await proxied?.close(0);
    await sandbox?.close();
  });

  const opens = async (handle: HttpHandle, options: Parameters<typeof send>[1]) => {
    const reply = await send(handle.url, { body: INITIALIZE, ...options });
    if (reply.status === 200) await send(handle.url, { method: 'DELETE', headers: { ...options?.headers, 'mcp-session-id': String(reply.headers['mcp-session-id']) }, from: options?.from });
    return reply.status;
  };

  // Was a hole (now guarded): one initialize with the public system number and a wrong password gave its owner 429 for 30 s,
  // doubling to 15 minutes, from anywhere.
  it('cools down the stranger who sent a wrong password, not the owner: from another address the owner gets in', async () => {
    expect(await opens(direct, { headers: wrong(ALPHA) })).toBe(401);
    expect(await opens(direct, { headers: wrong(ALPHA) })).toBe(429);
    expect(await opens(direct, { headers: loginHeaders(ALPHA) }), 'the stranger\'s own address stays cooled down').toBe(429);
    // X-Forwarded-For from a peer that is no trusted proxy is not believed: it names no other sender.
    expect(await opens(direct, { headers: behind('198.51.100.77', wrong(ALPHA)) })).toBe(429);
    expect(await opens(direct, { headers: loginHeaders(ALPHA), from: '127.0.0.2' })).toBe(200);
  });

  it('behind a trusted proxy, tells senders apart by X-Forwarded-For (an IPv6 one by its /64), and believes no hop a client wrote', async () => {
    expect(await opens(proxied, { headers: behind('203.0.113.7', wrong(BETA)) })).toBe(401);
    expect(await opens(proxied, { headers: behind('203.0.113.7', wrong(BETA)) })).toBe(429);
    // A client that writes its own X-Forwarded-For: the proxy appends the address it came from, and only that is read.
    expect(await opens(proxied, { headers: behind('198.51.100.9, 203.0.113.7', wrong(BETA)) })).toBe(429);
    expect(await opens(proxied, { headers: behind('2001:db8:1:2::a', wrong(BETA)) })).toBe(401);
    expect(await opens(proxied, { headers: behind('2001:db8:1:2:ffff::b', wrong(BETA)) })).toBe(429);
    expect(await opens(proxied, { headers: behind('198.51.100.9', loginHeaders(BETA)) })).toBe(200);
  });

  it('only slows the system number: new senders after a refusal wait their turn, NUMBER_SPACING_MS apart, and none is refused unheard', async () => {
    const started = Date.now();
    const statuses = [];
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) statuses.push(await opens(proxied, { headers: behind(address, wrong(ALPHA)) }));
    expect(statuses).toEqual([401, 401, 401]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * NUMBER_SPACING_MS - 50);
    expect(await opens(proxied, { headers: behind('192.0.2.4', loginHeaders(ALPHA)) })).toBe(200);
  }, 15_000);

  it('counts an IPv6 sender by its /64', () => {
    expect(senderOf('2001:db8:1:2::a')).toBe(senderOf('2001:0db8:0001:0002:ffff:0:0:b'));
    expect(senderOf('2001:db8:1:2::a')).not.toBe(senderOf('2001:db8:1:3::a'));
    expect(senderOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
    expect(senderOf('192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('attack: one tenant against another session', () => {
  let sandbox: Sandbox;
  let handle: HttpHandle;

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined, accounts: [{ ...ALPHA, mfa: 'passed' }, { ...BETA, mfa: 'passed' }] });
    ({ handle } = await tenantHost(sandbox));
  });

  afterAll(async () => {
    await handle?.close(0);
    await sandbox?.close();
  });

  // HOLDS: the session id alone is worth nothing, whatever the method; POST is covered by tenants.e2e.test.ts.
  it("refuses GET, DELETE and a batch on ALPHA's session with BETA's credentials or none, and ALPHA's session lives on", async () => {
    const opened = await send(handle.url, { body: INITIALIZE, headers: loginHeaders(ALPHA) });
    expect(opened.status).toBe(200);
    const session = { 'mcp-session-id': String(opened.headers['mcp-session-id']), 'mcp-protocol-version': '2025-11-25' };
    const batch = [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read_account', arguments: { command: 'GetSession' } } },
    ];
    for (const credentials of [loginHeaders(BETA), {}, { authorization: `Bearer ${ALPHA.username}:${ALPHA.password}` }]) {
      const headers = { ...session, ...credentials };
      expect((await send(handle.url, { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } })).status).toBe(401);
      expect((await send(handle.url, { body: batch, headers })).status).toBe(401);
      expect((await send(handle.url, { method: 'DELETE', headers })).status).toBe(401);
    }
    expect(sandbox.requests.filter((request) => request.command === 'GetSession')).toEqual([]);
    const own = await send(handle.url, { body: { jsonrpc: '2.0', id: 3, method: 'ping' }, headers: { ...session, ...loginHeaders(ALPHA) } });
    expect(own.status).toBe(200);
    expect((await send(handle.url, { method: 'DELETE', headers: { ...session, ...loginHeaders(ALPHA) } })).status).toBe(200);
  });

  // Was a hole (now guarded): the two-factor links of every tenant share one store of 1000 that evicts the oldest; one tenant that
  // makes links (each gated call with URL elicitation makes one) pushes out another tenant's link before it is used.
  it("keeps BETA's two-factor link working however many links ALPHA's session makes", async () => {
    const links = new OneTimeLinks({ apiUrl: async () => 'http://127.0.0.1:9/ym/api/' });
    links.servedAt('https://mcp.example.test');
    const config = loadConfig(['--http', '--tenant-credentials'], {});
    const appFor = (token: string) =>
      createApp(config, { apiUrl: 'http://127.0.0.1:9/ym/api/', credentials: { token }, secrets: new Secrets(processSecrets), links, log: new Logger('emergency', () => undefined) });
    const alpha = appFor('alpha-session-token-0123456789abcdef');
    const beta = appFor('beta-session-token-0123456789abcdef');
    const server = createServer((request, response) => links.answer(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const betaLink = await beta.ctx.ssoLink('beta-session-token-0123456789abcdef');
      for (let i = 0; i < 1000; i++) await alpha.ctx.ssoLink('alpha-session-token-0123456789abcdef');
      const local = `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(betaLink).pathname}`;
      expect((await send(local, { method: 'GET', headers: { accept: 'text/html' } })).status).toBe(200);
    } finally {
      server.close();
      await Promise.all([alpha.close(), beta.close()]);
    }
  });
});

describe('attack: the host bounds', () => {
  // Was a hole (now guarded): a client that hangs up while its Login runs never learns the session id, yet the session is kept
  // (holding a slot of YEMOT_HTTP_MAX_SESSIONS, a Yemot session and its keep-alive) until it idles out: 30 minutes by default.
  it('keeps no session for a client that hung up during its Login', async () => {
    const sandbox = await startSandbox({ log: () => undefined, latencyMs: 150, accounts: [{ ...ALPHA, mfa: 'passed' }, { ...BETA, mfa: 'passed' }] });
    const { handle } = await tenantHost(sandbox, { YEMOT_HTTP_MAX_SESSIONS: '1' });
    try {
      const target = new URL(handle.url);
      const dropped = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...MCP, ...loginHeaders(ALPHA) } });
      dropped.on('error', () => undefined);
      dropped.end(JSON.stringify(INITIALIZE));
      await expect.poll(() => sandbox.requests.some((request) => request.command === 'Login'), { timeout: 2000 }).toBe(true);
      dropped.destroy();
      // The Login and the isPass check finish at the simulator; then the host has had time to open (or not) the session.
      await expect.poll(() => sandbox.requests.some((request) => request.command === 'MFASession') && sandbox.inFlight() === 0, { timeout: 2000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = await send(handle.url, { body: INITIALIZE, headers: loginHeaders(BETA) });
      expect(next.status, next.body).toBe(200);
    } finally {
      await handle.close(0);
      await sandbox.close();
    }
  });

  // Was a hole (now guarded): one customer with valid credentials can hold every slot of YEMOT_HTTP_MAX_SESSIONS (each initialize is
  // just another Login of its own account), and every other customer gets 503. The knob named here is the proposed fix.
  it("keeps a slot for BETA however many sessions ALPHA opens", async () => {
    const sandbox = await startSandbox({ log: () => undefined, accounts: [{ ...ALPHA, mfa: 'passed' }, { ...BETA, mfa: 'passed' }] });
    const { handle } = await tenantHost(sandbox, { YEMOT_HTTP_MAX_SESSIONS: '3', YEMOT_HTTP_MAX_SESSIONS_PER_TENANT: '2' });
    try {
      const alpha = [];
      for (let i = 0; i < 3; i++) alpha.push((await send(handle.url, { body: INITIALIZE, headers: loginHeaders(ALPHA) })).status);
      expect(alpha.slice(0, 2)).toEqual([200, 200]);
      expect(alpha[2]).not.toBe(200);
      const beta = await send(handle.url, { body: INITIALIZE, headers: loginHeaders(BETA) });
      expect(beta.status, beta.body).toBe(200);
    } finally {
      await handle.close(0);
      await sandbox.close();
    }
  });

  // Issue 25 changed this: a full table used to hold every new credential back until a cool-down ended (a flood of refusals locked
  // out every new tenant). Now it forgets its oldest entries; each entry forgotten cost the flooder a Login Yemot refused.
  it('forgets the oldest refusals of a full table instead of holding back new credentials', async () => {
    const refused = new RefusedLogins();
    await refused.record('victim', 'victim 198.51.100.1');
    for (let i = 0; i < MAX_REFUSED; i++) await refused.record(`junk-${i}`, `junk-${i} 198.51.100.1`);
    expect(await refused.waitSeconds('newcomer', 'newcomer 198.51.100.1')).toBe(0);
    expect(await refused.waitSeconds('victim', 'victim 198.51.100.1')).toBe(0);
    expect(await refused.waitSeconds(`junk-${MAX_REFUSED - 1}`, `junk-${MAX_REFUSED - 1} 198.51.100.1`)).toBeGreaterThan(0);
  });
});
