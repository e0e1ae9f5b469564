import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, LoggingMessageNotificationSchema, type ClientCapabilities, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/app.js';
import { YemotHttp } from '../src/client/http.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { operatorHosting, serveHttp, type HttpHandle } from '../src/host/http-host.js';
import { Logger } from '../src/core/log.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { INITIALIZE, raw } from './raw-http.js';
import { loginHeaders, tenantHost } from './tenant-host.js';
import { caught } from './caught.js';

/**
 * Tenant mode: each HTTP client brings its own Yemot credentials. Two real SDK clients against two simulated
 * accounts behind one simulator URL: each sees only its own data, two-factor state and log lines.
 */

const ALPHA = { username: '0771111111', password: 'ALPHA-pass-canary-7d3e51' };
const BETA = { username: '0772222222', password: 'BETA-pass-canary-91fa08' };
/** Only ever refused here: a refusal holds its system number back for 30 s. */
const GAMMA = { username: '0773333333', password: 'GAMMA-pass-canary-c4b2e9' };
const PUBLIC_URL = 'https://mcp.example.test';


interface Tenant {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** The MCP log lines this client received. */
  logs: string[];
  /** Every text this client was shown. */
  seen: string[];
  call(name: string, args?: Record<string, unknown>): Promise<{ isError: boolean; json: Record<string, unknown>; text: string }>;
}

async function tenant(url: string, headers: Record<string, string>, options: { capabilities?: ClientCapabilities; onElicit?: (url: string) => Promise<ElicitResult> } = {}): Promise<Tenant> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'tenant', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const logs: string[] = [];
  const seen: string[] = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void logs.push(String(notification.params.data)));
  const onElicit = options.onElicit;
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(String((request.params as { url?: string }).url)));
  await client.connect(transport);
  await client.setLoggingLevel('debug');
  return {
    client,
    transport,
    logs,
    seen,
    async call(name, args = {}) {
      const result = await client.callTool({ name, arguments: args });
      const text = (result.content as Array<{ type: string; text?: string }>).map((block) => block.text ?? '').join('\n');
      seen.push(text);
      return { isError: !!result.isError, json: JSON.parse((result.content as Array<{ text: string }>)[0].text), text };
    },
  };
}

/** A real gc() even without --expose-gc: the flag can be set at run time, and a fresh context picks it up. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('tenant mode: each HTTP client brings its own Yemot credentials', () => {
  let sandbox: Sandbox;
  let handle: HttpHandle;
  let hostLines: string[];
  /** The secrets registry of every tenant session opened, held weakly. */
  const registries: Array<WeakRef<object>> = [];
  const tenants: Tenant[] = [];
  const logins = () => sandbox.requests.filter((request) => request.command === 'Login').length;

  beforeAll(async () => {
    sandbox = await startSandbox({
      log: () => undefined,
      accounts: [
        { ...ALPHA, mfa: 'passed' },
        { ...BETA, mfa: 'not-passed' },
        { ...GAMMA, mfa: 'passed' },
      ],
    });
    ({ handle, lines: hostLines } = await tenantHost(sandbox, { YEMOT_PUBLIC_URL: `${PUBLIC_URL}/` }, { mfaPollMs: 50 }, (deps) =>
      registries.push(new WeakRef(deps.ctx.secrets)),
    ));
  });

  afterAll(async () => {
    await Promise.all(tenants.map((t) => t.client.close().catch(() => undefined)));
    await handle?.close(0);
    await sandbox?.close();
  });

  const open = async (headers: Record<string, string>, options?: Parameters<typeof tenant>[2]) => {
    const opened = await tenant(handle.url, headers, options);
    tenants.push(opened);
    return opened;
  };

  it('gives each tenant its own account, data, two-factor state and log lines', async () => {
    const alpha = await open(loginHeaders(ALPHA));
    const beta = await open(loginHeaders(BETA));

    expect((await alpha.call('read_account', { command: 'GetSession' })).json).toMatchObject({ username: ALPHA.username });
    expect((await alpha.call('write_text_file', { what: '1/alpha-only.txt', contents: 'alpha' })).isError).toBe(false);
    expect((await alpha.call('read_ivr', { command: 'GetTextFile', what: '1/alpha-only.txt' })).json).toMatchObject({ contents: 'alpha' });
    // Refused before anything is sent: a log line naming the tool, on ALPHA's session only.
    expect((await alpha.call('read_ivr', { command: 'GetTextFile' })).json.error).toBe('INVALID_INPUT');

    // BETA has not passed two-factor: its gated call is refused; ALPHA's state is not BETA's.
    const refused = await beta.call('read_account', { command: 'GetSession' });
    expect(refused.json.error).toBe('MFA_REQUIRED');
    const methods = await beta.call('mfa_list_methods');
    const phone = (methods.json.mfaMethods as Array<Record<string, unknown>>).find((method) => (method.SEND_TYPE as string[]).includes('SMS'))!;
    expect((await beta.call('mfa_send_code', { mfaId: Number(phone.ID), mfaSendType: 'SMS' })).isError).toBe(false);
    const betaAccount = sandbox.accounts.find((account) => account.username === BETA.username)!;
    const verified = await beta.call('mfa_verify_code', { mfaCode: betaAccount.mfa.lastCode()! });
    expect(verified.isError, verified.text).toBe(false);
    expect((await beta.call('read_account', { command: 'GetSession' })).json).toMatchObject({ username: BETA.username });
    // Its own account: ALPHA's file is not there.
    expect((await beta.call('read_ivr', { command: 'GetTextFile', what: '1/alpha-only.txt' })).isError).toBe(true);

    // A brand-new session of the same account is a new Yemot session: the code verified above does not carry over.
    const betaAgain = await open(loginHeaders(BETA));
    expect((await betaAgain.call('read_account', { command: 'GetSession' })).json.error).toBe('MFA_REQUIRED');

    await expect.poll(() => alpha.logs.some((line) => line.startsWith('read_ivr: INVALID_INPUT')), { timeout: 2000 }).toBe(true);
    await expect.poll(() => beta.logs.some((line) => line.includes('MFA_REQUIRED')), { timeout: 2000 }).toBe(true);
    for (const other of [beta, betaAgain]) expect(other.logs.join('\n')).not.toContain('INVALID_INPUT');
    expect(alpha.logs.join('\n')).not.toContain('MFA_REQUIRED');
    expect(alpha.logs.join('\n')).not.toContain(BETA.username);

    // No tenant's password or Yemot token appears in anything a client was shown or the host logged.
    const tokens = sandbox.accounts.flatMap((account) => account.account.sessions.map((session) => session.token));
    const everything = [...tenants.flatMap((t) => [...t.seen, ...t.logs]), ...hostLines].join('\n');
    for (const secret of [ALPHA.password, BETA.password, ...tokens]) expect(everything).not.toContain(secret);
    // The operator's own account (the simulator's primary one) was never used.
    expect(sandbox.requests.filter((request) => request.params.token === sandbox.token)).toEqual([]);
  });

  it('takes a Yemot session token as Authorization: Bearer', async () => {
    const { answer } = await new YemotHttp({ baseUrl: sandbox.url }).send('Login', ALPHA);
    const withToken = await open({ authorization: `bearer ${String(answer.token)}` });
    expect((await withToken.call('read_account', { command: 'GetSession' })).json).toMatchObject({ username: ALPHA.username });
  });

  it('answers 401 at initialize for failing credentials, opens no session, and does not try them again at once', async () => {
    const before = logins();
    const wrong = await raw(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: GAMMA.username, password: 'not-it' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['mcp-session-id']).toBeUndefined();
    expect(JSON.parse(wrong.body).error.message).toMatch(/Yemot refused these credentials.*next try is allowed in 30 s/);
    expect(logins()).toBe(before + 1);
    // The same system number again, even with another password: nothing reaches Yemot during the cool-down.
    const again = await raw(handle.url, { body: INITIALIZE, headers: loginHeaders(GAMMA) });
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(logins()).toBe(before + 1);

    // A burst with the same wrong credentials costs one Login: each waits for the check before it.
    const burst = await Promise.all(Array.from({ length: 5 }, () => raw(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: '0774444444', password: 'guess' }) })));
    expect(burst.map((reply) => reply.status).sort()).toEqual([401, 429, 429, 429, 429]);
    expect(logins()).toBe(before + 2);
    // Another spelling of the same system number is the same account.
    const respelled = await raw(handle.url, { body: INITIALIZE, headers: loginHeaders({ username: '077-444-4444', password: 'guess2' }) });
    expect(respelled.status).toBe(429);
    expect(logins()).toBe(before + 2);

    const badToken = await raw(handle.url, { body: INITIALIZE, headers: { authorization: 'Bearer no-such-yemot-token' } });
    expect(badToken.status).toBe(401);
    const none = await raw(handle.url, { body: INITIALIZE });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.message).toMatch(/Authorization: Bearer <Yemot session token>.*X-Yemot-Username.*X-Yemot-Password/);
    const both = await raw(handle.url, { body: INITIALIZE, headers: { ...loginHeaders(BETA), authorization: 'Bearer x' } });
    expect(both.status).toBe(401);
    const half = await raw(handle.url, { body: INITIALIZE, headers: { 'x-yemot-username': BETA.username } });
    expect(half.status).toBe(401);
    // An initialize the transport would refuse costs no Login.
    const loginsNow = logins();
    const notAcceptable = await raw(handle.url, { body: INITIALIZE, headers: { ...loginHeaders(BETA), accept: 'application/json' } });
    expect(notAcceptable.status).toBe(406);
    expect(logins()).toBe(loginsNow);
  });

  it('admits a session only with the credentials it was opened with', async () => {
    const alpha = await open(loginHeaders(ALPHA));
    const session = { 'mcp-session-id': alpha.transport.sessionId!, 'mcp-protocol-version': '2025-11-25' };
    const list = { jsonrpc: '2.0', id: 7, method: 'tools/list' };
    expect((await raw(handle.url, { body: list, headers: { ...session, ...loginHeaders(BETA) } })).status).toBe(401);
    expect((await raw(handle.url, { body: list, headers: session })).status).toBe(401);
    expect((await raw(handle.url, { body: list, headers: { ...session, ...loginHeaders({ ...ALPHA, password: `${ALPHA.password}x` }) } })).status).toBe(401);
    expect((await raw(handle.url, { body: list, headers: { ...session, authorization: 'Bearer x' } })).status).toBe(401);
    expect((await raw(handle.url, { body: list, headers: { ...session, ...loginHeaders(ALPHA) } })).status).toBe(200);
  });

  it('hands out the two-factor link under YEMOT_PUBLIC_URL, serves it for the public Host and refuses other Hosts', async () => {
    let link = '';
    const local = (url: string) => `${new URL(handle.url).origin}${new URL(url).pathname}`;
    const publicHost = { host: new URL(PUBLIC_URL).host };
    const beta = await open(loginHeaders(BETA), {
      capabilities: { elicitation: { url: {} } },
      onElicit: async (url) => {
        link = url;
        // The person's browser reaches this server through the proxy: the public name is in the Host header.
        expect((await raw(local(url), { method: 'GET', headers: { host: 'evil.example' } })).status).toBe(403);
        const page = await raw(local(url), { method: 'GET', headers: publicHost });
        expect(page.status).toBe(200);
        expect(page.body).toMatch(/<form method="post">/);
        const redirect = await raw(local(url), { method: 'POST', headers: publicHost });
        expect(redirect.status).toBe(303);
        const vendor = new URL(String(redirect.headers.location));
        const form = new URLSearchParams({ ymapitoken: vendor.searchParams.get('ymapitoken')! });
        setTimeout(() => void fetch(new URL(vendor.pathname, vendor), { method: 'POST', body: form }), 50);
        return { action: 'accept' };
      },
    });
    const result = await beta.call('read_account', { command: 'GetSession' });
    expect(result.isError, result.text).toBe(false);
    expect(result.json).toMatchObject({ username: BETA.username });
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/mfa/[\\w-]+$`));
    expect((await raw(handle.url, { body: INITIALIZE, headers: { ...loginHeaders(ALPHA), host: 'evil.example' } })).status).toBe(403);
  });

  it("gives a new SIP account's one-time link under YEMOT_PUBLIC_URL, without the loopback note", async () => {
    const alpha = await open(loginHeaders(ALPHA));
    const created = await alpha.call('create_sip_account', {});
    expect(created.isError, created.text).toBe(false);
    const { link, note } = created.json.forPerson as { link: string; note: string };
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/once/[\\w.-]+$`));
    expect(note).not.toContain('opens only');
  });

  it('logs out the Yemot session it logged in for a tenant when that session ends; a Bearer token is left alone', async () => {
    const tokensOf = (username: string) => new Set(sandbox.accounts.find((account) => account.username === username)!.account.sessions.map((session) => session.token));
    const api = new YemotHttp({ baseUrl: sandbox.url });
    const before = tokensOf(ALPHA.username);
    const alpha = await tenant(handle.url, loginHeaders(ALPHA));
    expect((await alpha.call('read_account', { command: 'GetSession' })).isError).toBe(false);
    const [token] = [...tokensOf(ALPHA.username)].filter((candidate) => !before.has(candidate));
    expect(token).toBeDefined();
    await alpha.transport.terminateSession();
    await alpha.client.close();
    await expect.poll(() => sandbox.requests.some((request) => request.command === 'Logout' && request.params.token === token), { timeout: 2000 }).toBe(true);
    expect((await caught(api.send('GetSession', { token }))).code).toBe('SESSION_EXPIRED');

    const { answer } = await api.send('Login', ALPHA);
    const bearer = await tenant(handle.url, { authorization: `Bearer ${String(answer.token)}` });
    expect((await bearer.call('read_account', { command: 'GetSession' })).isError).toBe(false);
    await bearer.transport.terminateSession();
    await bearer.client.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sandbox.requests.some((request) => request.command === 'Logout' && request.params.token === answer.token)).toBe(false);
    expect((await api.send('GetSession', { token: answer.token })).answer.username).toBe(ALPHA.username);
  });

  // The idle clock of a session ended by DELETE used to restart when that DELETE closed, holding it 30 minutes.
  it("forgets a tenant's secrets registry when its session ends", async () => {
    const before = registries.length;
    const alpha = await tenant(handle.url, loginHeaders(ALPHA));
    expect((await alpha.call('read_account', { command: 'GetSession' })).isError).toBe(false);
    expect(registries.length).toBe(before + 1);
    await alpha.transport.terminateSession();
    await alpha.client.close();
    for (let i = 0; i < 10 && registries[before].deref() !== undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      collectGarbage();
    }
    expect(registries[before].deref()).toBeUndefined();
  });
});

describe("one tenant's concurrency cap is its own", () => {
  it('a tenant whose one slot is taken gets BUSY while another tenant is served', async () => {
    const sandbox = await startSandbox({ log: () => undefined, accounts: [{ ...ALPHA, mfa: 'passed' }, { ...BETA, mfa: 'passed' }] });
    const { handle } = await tenantHost(sandbox, { YEMOT_MAX_CONCURRENCY: '1', YEMOT_MAX_QUEUE: '0' }, { timeoutMs: 1500 });
    try {
      const alpha = await tenant(handle.url, loginHeaders(ALPHA));
      const beta = await tenant(handle.url, loginHeaders(BETA));
      // ALPHA's call hangs at the API and holds ALPHA's only slot.
      sandbox.injectFault({ kind: 'timeout' }, { command: 'GetCustomerData', times: 1 });
      const hanging = alpha.call('read_account', { command: 'GetCustomerData' });
      await expect.poll(() => sandbox.requests.some((request) => request.command === 'GetCustomerData'), { timeout: 2000 }).toBe(true);
      expect((await alpha.call('read_account', { command: 'GetSession' })).json.error).toBe('BUSY');
      expect((await beta.call('read_account', { command: 'GetSession' })).json).toMatchObject({ username: BETA.username });
      expect((await hanging).json.error).toBe('TIMEOUT');
      await Promise.all([alpha.client.close(), beta.client.close()]);
    } finally {
      await handle.close(0);
      await sandbox.close();
    }
  });
});

describe("the operator's policy bounds every tenant", () => {
  it('a read-only deployment lists and runs no write tool for a tenant', async () => {
    const sandbox = await startSandbox({ log: () => undefined, accounts: [{ ...ALPHA, mfa: 'passed' }] });
    const { handle } = await tenantHost(sandbox, { YEMOT_READ_ONLY: '1' }, {});
    try {
      const alpha = await tenant(handle.url, loginHeaders(ALPHA));
      const { tools } = await alpha.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('read_ivr');
      expect(tools.map((tool) => tool.name)).not.toContain('write_text_file');
      expect(await alpha.call('write_text_file', { what: '1/x.txt', contents: 'x' })).toMatchObject({ isError: true, json: { error: 'NOT_ENABLED', settings: ['YEMOT_ALLOW'] } });
      expect(sandbox.requests.filter((request) => request.command === 'UploadTextFile')).toEqual([]);
      await alpha.client.close();
    } finally {
      await handle.close(0);
      await sandbox.close();
    }
  });
});

describe('log lines stay in their session with the operator credentials too', () => {
  it("one session's lines never reach another session that asked for logs", async () => {
    const sandbox = await startSandbox({ mfa: 'passed', log: () => undefined });
    const config = loadConfig(['--toolsets', 'all'], {});
    const app = createApp(config, { apiUrl: sandbox.url, credentials: { token: sandbox.token }, log: new Logger('info', () => undefined) });
    const handle = await serveHttp(operatorHosting({ ctx: app.ctx, tools: app.tools, version: 'test' }), { ...config.http, port: 0 });
    try {
      const first = await tenant(handle.url, {});
      const second = await tenant(handle.url, {});
      // Each call is refused (a log line naming its tool) before anything is sent.
      expect((await first.call('read_ivr', { command: 'GetTextFile' })).isError).toBe(true);
      expect((await second.call('read_account', { command: 'GetIncomingSum', from: 'yesterday' })).isError).toBe(true);
      await expect.poll(() => first.logs.some((line) => line.startsWith('read_ivr: INVALID_INPUT')), { timeout: 2000 }).toBe(true);
      await expect.poll(() => second.logs.some((line) => line.startsWith('read_account: INVALID_INPUT')), { timeout: 2000 }).toBe(true);
      expect(first.logs.join('\n')).not.toContain('read_account');
      expect(second.logs.join('\n')).not.toContain('read_ivr');
      await Promise.all([first.client.close(), second.client.close()]);
    } finally {
      await handle.close(0);
      await app.close();
      await sandbox.close();
    }
  });
});

describe('tenant mode configuration', () => {
  const refusal = (argv: string[], env: Record<string, string>) => {
    try {
      loadConfig(argv, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return undefined;
  };

  it('needs --http, and refuses the operator credentials and YEMOT_HTTP_TOKEN beside it', () => {
    expect(refusal(['--tenant-credentials'], {})).toMatch(/needs --http/);
    expect(refusal(['--http'], { YEMOT_TENANT_CREDENTIALS: '1', YEMOT_TOKEN: 't' })).toMatch(/unset YEMOT_TOKEN/);
    expect(refusal(['--http', '--tenant-credentials'], { YEMOT_USERNAME: 'u', YEMOT_PASSWORD: 'p' })).toMatch(/unset YEMOT_USERNAME, YEMOT_PASSWORD/);
    expect(refusal(['--http', '--tenant-credentials'], { YEMOT_HTTP_TOKEN: 'x'.repeat(40) })).toMatch(/unset YEMOT_HTTP_TOKEN/);
    expect(loadConfig(['--http', '--tenant-credentials'], {})).toMatchObject({ tenantCredentials: true, credentials: undefined });
  });

  it('takes YEMOT_PUBLIC_URL as the link base and allows its host and origin', () => {
    const config = loadConfig(['--http'], { YEMOT_PUBLIC_URL: 'https://mcp.example.com:8443/yemot/', YEMOT_HTTP_ALLOWED_HOSTS: 'other.example' });
    expect(config.http.publicUrl).toBe('https://mcp.example.com:8443/yemot');
    expect(config.http.allowed).toEqual({ hosts: ['other.example', 'mcp.example.com:8443'], origins: ['https://mcp.example.com:8443'] });
    expect(refusal([], { YEMOT_PUBLIC_URL: 'mcp.example.com' })).toMatch(/YEMOT_PUBLIC_URL: mcp\.example\.com is not a URL/);
    expect(refusal([], { YEMOT_PUBLIC_URL: 'ftp://mcp.example.com' })).toMatch(/http\(s\) URL/);
    expect(refusal([], { YEMOT_PUBLIC_URL: 'https://mcp.example.com/?a=1' })).toMatch(/without credentials, query or fragment/);
  });

  it('takes YEMOT_TRUSTED_PROXIES as IP addresses and CIDRs only, naming the entry it refuses', () => {
    expect(loadConfig(['--http'], { YEMOT_TRUSTED_PROXIES: '10.0.0.5, 10.0.0.0/8,fd00::/8, ::1' }).trustedProxies).toEqual(['10.0.0.5', '10.0.0.0/8', 'fd00::/8', '::1']);
    expect(loadConfig(['--http'], {}).trustedProxies).toEqual([]);
    for (const entry of ['proxy.example', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '10.0.0.0/x']) {
      expect(refusal(['--http'], { YEMOT_TRUSTED_PROXIES: entry }), entry).toBe(`YEMOT_TRUSTED_PROXIES: ${entry} is not an IP address or CIDR; write e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8`);
    }
  });

  it('takes YEMOT_HTTP_INSTANCE only as a short name a proxy can route on', () => {
    expect(loadConfig(['--http'], { YEMOT_HTTP_INSTANCE: 'eu-1' }).http.instance).toBe('eu-1');
    expect(refusal(['--http'], { YEMOT_HTTP_INSTANCE: 'a.b' })).toMatch(/1 to 32 letters, digits, _ or -/);
  });
});
