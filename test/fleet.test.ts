import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import type { Served as Instance } from './http-server.js';
import { findProgram } from './nginx-proxy.js';
import { connectMcp, startFleet, type Connected, type Fleet } from './proxied-client.js';
import { INITIALIZE, raw } from './raw-http.js';
import { RespConnection } from '../src/app/resp.js';
import { redisServerPath, startRedis, type Redis } from './redis-server.js';
import { IN_CI } from './system-parts.js';

/**
 * Issue 32: many instances, one ledger. The deployment of examples/nginx/ as its README tells it: two built
 * instances in tenant mode behind the shipped nginx site, sharing a redis-server started with the shipped
 * redis.conf (here on a free loopback port, without persistence), in front of one simulated Yemot API that
 * counts what reaches it. Nothing that guards money or accounts may depend on which instance a request meets.
 */

const nginxPath = findProgram('nginx');
const opensslPath = findProgram('openssl');
const REDIS_CONF = fileURLToPath(new URL('../examples/nginx/redis.conf', import.meta.url));
const PUBLIC_NAME = 'yemot-fleet.test';
const CONFIRM_KEY = 'fleet-confirm-key-2b7d9e4f1a6c8e0b3d5f7a9c';
const TENANT = { authorization: 'Bearer sandbox-token' };
/** An account whose session has not passed two-factor. */
const UNVERIFIED = { username: '0773333333', password: 'unverified-pass-5e1c' };
/** An account a stranger guesses at. */
const OWNER = { username: '0774444444', password: 'owner-pass-8d2a' };
const CLIENTS = 20;

const json = (result: object) => JSON.parse(((result as { content: Array<{ text: string }> }).content)[0].text) as Record<string, unknown>;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf((!redisServerPath || !nginxPath || !opensslPath) && !IN_CI)('a fleet: two instances behind nginx sharing Redis (examples/nginx/)', () => {
  let sandbox: Sandbox;
  let redis: Redis;
  let fleet: Fleet | undefined;
  let viaProxy: FetchLike;
  let publicUrl: string;
  let instances: Map<string, Instance>;
  const opened: Client[] = [];

  const connect = (options: Omit<Parameters<typeof connectMcp>[2], 'headers'> & { headers?: Record<string, string> } = {}) =>
    connectMcp(`${publicUrl}/mcp`, viaProxy, { ...options, headers: options.headers ?? TENANT }, opened);
  /** A client on each instance (new sessions are spread round-robin: a few tries find both). */
  async function onEach(): Promise<Record<'a' | 'b', Connected>> {
    const found: Partial<Record<string, Connected>> = {};
    for (let tries = 0; tries < 8 && !(found.a && found.b); tries++) {
      const one = await connect();
      found[one.instance] ??= one;
    }
    expect(Object.keys(found).sort()).toEqual(['a', 'b']);
    return found as Record<'a' | 'b', Connected>;
  }
  const call = async (one: Connected, name: string, args: Record<string, unknown>) => json(await one.client.callTool({ name, arguments: args }));
  const sent = (message: string) => sandbox.requests.filter((request) => request.command === 'SendSms' && request.params.message === message).length;
  const direct = (name: string) => new URL(instances.get(name)!.url).origin;

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined, mfa: 'passed', accounts: [{ ...UNVERIFIED, mfa: 'not-passed' }, { ...OWNER, mfa: 'passed' }] });
    redis = await startRedis([REDIS_CONF]);
    // As the example's README runs them: the same key, Redis and public URL on both; a name and port each.
    fleet = await startFleet({ nginx: nginxPath!, openssl: opensslPath! }, PUBLIC_NAME, ['--tenant-credentials'], (name, url) => ({
      YEMOT_API_URL: sandbox.url,
      YEMOT_HTTP_INSTANCE: name,
      YEMOT_HTTP_ALLOWED_HOSTS: PUBLIC_NAME,
      YEMOT_PUBLIC_URL: url,
      YEMOT_REDIS_URL: redis.url,
      YEMOT_CONFIRM_KEY: CONFIRM_KEY,
      YEMOT_TRUSTED_PROXIES: '127.0.0.1',
      YEMOT_HTTP_MAX_SESSIONS_PER_TENANT: '100',
      YEMOT_TOOLSETS: 'default,sip',
    }));
    ({ fetch: viaProxy, publicUrl, instances } = fleet);
  });

  afterAll(async () => {
    await Promise.all(opened.map((client) => client.close().catch(() => undefined)));
    await fleet?.stop();
    await redis?.stop();
    await sandbox?.close();
  });

  it('twenty clients fire the same spend at both instances at once: exactly one request reaches the API, every other answer is the same DUPLICATE_SPEND', async () => {
    const SMS = { message: 'פעם אחת בלבד, בכל הצי', phones: '0501234567' };
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect()));
    expect(new Set(clients.map((one) => one.instance))).toEqual(new Set(['a', 'b']));
    // Each asks first (nothing is sent), then all go at once with their own tokens.
    const tokens = await Promise.all(clients.map(async (one) => {
      const asked = await call(one, 'send_sms', SMS);
      expect(asked.error, JSON.stringify(asked)).toBe('CONFIRMATION_REQUIRED');
      return String(asked.confirm);
    }));
    expect(sent(SMS.message)).toBe(0);
    const answers = await Promise.all(clients.map((one, i) => call(one, 'send_sms', { ...SMS, confirm: tokens[i] })));
    expect(sent(SMS.message)).toBe(1);
    const refused = answers.map((answer, i) => ({ answer, instance: clients[i].instance })).filter(({ answer }) => answer.error !== undefined);
    expect(refused).toHaveLength(CLIENTS - 1);
    expect(new Set(refused.map(({ answer }) => answer.error))).toEqual(new Set(['DUPLICATE_SPEND']));
    // The same answer whichever instance gave it: the one spend that went, and when.
    expect(new Set(refused.map(({ instance }) => instance))).toEqual(new Set(['a', 'b']));
    expect(new Set(refused.map(({ answer }) => answer.firstSentAt)).size).toBe(1);
    // And a repeat after it went, on each instance, is refused with nothing sent.
    const { a, b } = await onEach();
    for (const one of [a, b]) expect(await call(one, 'send_sms', SMS)).toMatchObject({ error: 'DUPLICATE_SPEND', state: 'sent', firstSentAt: refused[0].answer.firstSentAt });
    expect(sent(SMS.message)).toBe(1);
  }, 60_000);

  it('a confirmation token issued by one instance works once on the other, then is refused on both', async () => {
    const { a, b } = await onEach();
    const SMS = { message: 'אושרה במופע אחד, נשלחה מהשני', phones: '0527654321' };
    const asked = await call(a, 'send_sms', SMS);
    expect(asked.error).toBe('CONFIRMATION_REQUIRED');
    const done = await call(b, 'send_sms', { ...SMS, confirm: asked.confirm });
    expect(done.error, JSON.stringify(done)).toBeUndefined();
    expect(sent(SMS.message)).toBe(1);
    for (const one of [a, b]) {
      const again = await call(one, 'send_sms', { ...SMS, confirm: asked.confirm });
      expect(again.error).toBe('CONFIRMATION_EXPIRED');
      expect(String(again.message)).toContain('already used');
    }
    expect(sent(SMS.message)).toBe(1);
  }, 60_000);

  it('a two-factor link made by one instance completes when another serves it, and only once', async () => {
    const headers = { 'x-yemot-username': UNVERIFIED.username, 'x-yemot-password': UNVERIFIED.password };
    let link = '';
    let self: Connected | undefined;
    const verifiedElsewhere = async (): Promise<ElicitResult> => {
      const other = self!.instance === 'a' ? 'b' : 'a';
      const there = `${direct(other)}${new URL(link).pathname}`;
      expect((await fetch(there)).status).toBe(200);
      const redirect = await fetch(there, { method: 'POST', redirect: 'manual' });
      expect(redirect.status).toBe(303);
      const vendor = new URL(redirect.headers.get('location') ?? '');
      // The person's browser on the (simulated) vendor page.
      expect((await fetch(vendor)).status).toBe(200);
      await fetch(new URL(vendor.pathname, vendor), { method: 'POST', body: new URLSearchParams({ ymapitoken: vendor.searchParams.get('ymapitoken') ?? '' }) });
      // Used: through the proxy (to the instance that made it) it is gone too.
      expect((await viaProxy(link, { method: 'POST', redirect: 'manual', headers: { origin: publicUrl } })).status).toBe(404);
      return { action: 'accept' };
    };
    self = await connect({ headers, capabilities: { elicitation: { url: {} } }, onElicit: async (request) => ((link = String((request as { url?: string }).url)), verifiedElsewhere()) });
    const result = await self.client.callTool({ name: 'read_account', arguments: { command: 'GetSession' } });
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(link.startsWith(`${publicUrl}/mfa/${self.instance}.`), link).toBe(true);
  }, 60_000);

  it("a new SIP account's password link made by one instance is shown once by the other, and never held in clear in Redis", async () => {
    const { a } = await onEach();
    const created = await call(a, 'create_sip_account', { extNumber: 241 });
    const { link } = created.forPerson as { link: string };
    expect(link.startsWith(`${publicUrl}/once/a.`), link).toBe(true);
    const { password } = sandbox.account.sipAccounts.find((item) => item.extension === 241)!;
    const kept = new RespConnection({ host: '127.0.0.1', port: redis.port, tls: false }, 1000);
    try {
      const keys = (await kept.command(['KEYS', '*'])) as string[];
      const values = await Promise.all(keys.map((key) => kept.command(['GET', key])));
      expect(keys.some((key) => key.endsWith(`link:${link.slice(link.lastIndexOf('/') + 1)}`))).toBe(true);
      expect(values.join('\n')).not.toContain(password);
    } finally {
      kept.close();
    }
    const there = `${direct('b')}${new URL(link).pathname}`;
    const preview = await fetch(there);
    expect(preview.status).toBe(200);
    expect(await preview.text()).not.toContain(password);
    const shown = await fetch(there, { method: 'POST' });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain(password);
    // Used: through the proxy (to the instance that made it) and on the other, it is gone.
    for (const again of [() => viaProxy(link, { method: 'POST', headers: { origin: publicUrl } }), () => fetch(there, { method: 'POST' })]) {
      const refused = await again();
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain(password);
    }
  }, 60_000);

  it("counts a stranger's refused login on every instance, and still lets the owner in", async () => {
    const initialize = (name: string, password: string, from?: string) =>
      raw(`${direct(name)}/mcp`, {
        body: INITIALIZE,
        headers: { 'x-yemot-username': OWNER.username, 'x-yemot-password': password, ...(from && { 'x-forwarded-for': from }) },
      });
    const logins = () => sandbox.requests.filter((request) => request.command === 'Login' && request.params.username === OWNER.username).length;
    expect((await initialize('a', 'a-stranger-guess')).status).toBe(401);
    const again = await initialize('b', 'a-stranger-guess');
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
    expect(logins()).toBe(1);
    // The owner, from another address (named by the trusted proxy), gets in on either.
    const owner = await initialize('b', OWNER.password, '198.51.100.7');
    expect(owner.status, owner.body).toBe(200);
    await raw(`${direct('b')}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': String(owner.headers['mcp-session-id']), 'x-yemot-username': OWNER.username, 'x-yemot-password': OWNER.password } });
  }, 60_000);

  it('with Redis stopped, spends are refused on both instances with nothing sent and reads are answered; when it is back both spend again', async () => {
    const { a, b } = await onEach();
    await redis.stop();
    for (const one of [a, b]) {
      const message = `בזמן שהמאגר נפל ${one.instance}`;
      const refused = await call(one, 'send_sms', { message, phones: '0501234567' });
      expect(refused.error, JSON.stringify(refused)).toBe('STORE_UNAVAILABLE');
      expect(String(refused.next)).toMatch(/^Nothing was sent\./);
      expect(sent(message)).toBe(0);
      const read = await call(one, 'read_account', { command: 'GetSession' });
      expect(read.error, JSON.stringify(read)).toBeUndefined();
    }
    // A new tenant session too: its login cool-down falls back to the instance's memory.
    const newcomer = await connect();
    expect((await call(newcomer, 'read_account', { command: 'GetSession' })).error).toBeUndefined();

    await redis.start();
    for (const one of [a, b]) {
      const message = `אחרי שהמאגר חזר ${one.instance}`;
      let asked: Record<string, unknown> = {};
      await expect.poll(async () => (asked = await call(one, 'send_sms', { message, phones: '0501234567' })).error, { timeout: 10_000, interval: 200 }).toBe('CONFIRMATION_REQUIRED');
      const done = await call(one, 'send_sms', { message, phones: '0501234567', confirm: asked.confirm });
      expect(done.error, JSON.stringify(done)).toBeUndefined();
      expect(sent(message)).toBe(1);
    }
    for (const name of ['a', 'b']) expect(instances.get(name)!.stderr()).toMatch(/does not answer[\s\S]*answers again/);
  }, 60_000);

  it('an instance killed between its claim and the answer: the same spend on the other is refused as an unknown outcome, with the way to check', async () => {
    const SMS = { message: 'נשלחה ולא נענתה', phones: '0501234567' };
    const { a, b } = await onEach();
    const asked = await call(a, 'send_sms', SMS);
    sandbox.injectFault({ kind: 'timeout' }, { command: 'SendSms' });
    void a.client.callTool({ name: 'send_sms', arguments: { ...SMS, confirm: asked.confirm } }).catch(() => undefined);
    await expect.poll(() => sent(SMS.message), { timeout: 10_000, interval: 20 }).toBe(1);
    const dead = instances.get('a')!;
    const exited = new Promise((resolve) => dead.child.once('exit', resolve));
    dead.child.kill('SIGKILL');
    await exited;

    // At first its claim may still read as being sent; once its heartbeat is gone (seconds), as unknown. Each try is refused.
    let refused: Record<string, unknown> = {};
    const started = Date.now();
    while (refused.state !== 'unknown' && Date.now() - started < 20_000) {
      refused = await call(b, 'send_sms', SMS);
      expect(refused.error, JSON.stringify(refused)).toBe('DUPLICATE_SPEND');
      if (refused.state !== 'unknown') await pause(250);
    }
    expect(refused.state).toBe('unknown');
    expect(String(refused.message)).toMatch(/outcome is unknown/);
    expect(String(refused.next)).toMatch(/^Nothing was sent\. Check on get_sms_out_log or the Yemot website whether the first one went out/);
    expect(sent(SMS.message)).toBe(1);
    sandbox.clearFaults();
  }, 60_000);
});
