import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ClientCapabilities, ElicitRequest, ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Served as Instance } from './http-server.js';
import { findProgram, type Proxy, type Served } from './nginx-proxy.js';
import { connectMcp, startFleet, type Connected, type Fleet } from './proxied-client.js';
import { IN_CI } from './system-parts.js';

const nginxPath = findProgram('nginx');
const opensslPath = findProgram('openssl');

/** The proxy's public name: resolved to 127.0.0.1 by the test's own lookup, so nginx must forward it as Host. */
const PUBLIC_NAME = 'yemot-mcp.test';
const HTTP_TOKEN = 'nginx-bearer-7c1e9a3f5b-2d4f6a8c0e-1b3d5f';
const CLIENTS = 20;
const CALLS_EACH = 3;

const textOf = (result: object) => ((result as { content?: unknown }).content as Array<{ type: string; text: string }>)[0].text;

/** The instance whose address served each session, from nginx's access log; initialize is counted by the id it handed out. */
function servedBy(log: Served[]): Map<string, Set<string>> {
  const bySession = new Map<string, Set<string>>();
  for (const line of log) {
    const session = line.sessionId || line.sentSessionId;
    if (!session || !line.uri.startsWith('/mcp')) continue;
    const addresses = bySession.get(session) ?? new Set<string>();
    addresses.add(line.upstreams.at(-1) ?? '');
    bySession.set(session, addresses);
  }
  return bySession;
}

describe.skipIf((!nginxPath || !opensslPath) && !IN_CI)('several instances behind nginx (examples/nginx/yemot-mcp.conf)', () => {
  let fleet: Fleet | undefined;
  let proxy: Proxy;
  let viaProxy: FetchLike;
  let publicUrl: string;
  let instances: Map<string, Instance>;
  const addressOf = new Map<string, string>();
  /** The sessions the scenarios go on with, from one test to the next. */
  const clients: Connected[] = [];
  /** Every client made, closed in afterAll whatever failed. */
  const opened: Client[] = [];

  const connect = (options: { capabilities?: ClientCapabilities; onElicit?: (request: ElicitRequest['params']) => Promise<ElicitResult> } = {}) =>
    connectMcp(`${publicUrl}/mcp`, viaProxy, { ...options, headers: { authorization: `Bearer ${HTTP_TOKEN}` } }, opened);

  async function cheapCalls(connected: Connected): Promise<void> {
    for (let i = 0; i < CALLS_EACH; i++) {
      const result = await connected.client.callTool({ name: 'mfa_status', arguments: {} });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ isPass: expect.any(Boolean) });
    }
  }

  beforeAll(async () => {
    fleet = await startFleet({ nginx: nginxPath!, openssl: opensslPath! }, PUBLIC_NAME, ['--sandbox'], (name, url) => ({
      YEMOT_HTTP_INSTANCE: name,
      YEMOT_HTTP_ALLOWED_HOSTS: PUBLIC_NAME,
      YEMOT_HTTP_TOKEN: HTTP_TOKEN,
      YEMOT_PUBLIC_URL: url,
      YEMOT_SANDBOX_MFA: 'none',
    }));
    ({ proxy, fetch: viaProxy, publicUrl, instances } = fleet);
    for (const [name, instance] of instances) addressOf.set(name, new URL(instance.url).host);
  });

  afterAll(async () => {
    await Promise.all(opened.map((client) => client.close().catch(() => undefined)));
    await fleet?.stop();
  });

  it('spreads new sessions over both instances and serves every request of a session from the instance that created it', async () => {
    const connected = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const one = await connect();
        const { tools } = await one.client.listTools();
        expect(tools.map((tool) => tool.name)).toContain('mfa_status');
        await cheapCalls(one);
        return one;
      }),
    );
    clients.push(...connected);
    const perInstance = (name: string) => connected.filter((one) => one.instance === name).length;
    expect(perInstance('a') + perInstance('b')).toBe(CLIENTS);
    expect(perInstance('a')).toBeGreaterThan(0);
    expect(perInstance('b')).toBeGreaterThan(0);

    const served = servedBy(proxy.log());
    for (const { sessionId, instance } of connected) {
      expect([...(served.get(sessionId) ?? [])], sessionId).toEqual([addressOf.get(instance)]);
    }
    const lines = proxy.log().filter((line) => connected.some((one) => one.sessionId === line.sessionId));
    // tools/list and the calls of each client, all answered by an instance, none refused by nginx.
    expect(lines.filter((line) => line.method === 'POST' && line.status === 200).length).toBeGreaterThanOrEqual(CLIENTS * (1 + CALLS_EACH));
    expect(lines.filter((line) => line.status >= 400)).toEqual([]);
  });

  it('routes a two-factor browser link to the instance that made it, and the gated call completes through it', async () => {
    const verified = async (one: Connected, link: string): Promise<ElicitResult> => {
      expect(link.startsWith(`${publicUrl}/mfa/${one.instance}.`), link).toBe(true);
      // Several opens: a link routed round-robin would meet the other instance, which does not know it (404).
      for (let i = 0; i < 4; i++) {
        const page = await viaProxy(link, { redirect: 'manual' });
        expect(page.status).toBe(200);
        expect(await page.text()).toMatch(/<form method="post">/);
      }
      const redirect = await viaProxy(link, { method: 'POST', redirect: 'manual', headers: { origin: publicUrl } });
      expect(redirect.status).toBe(303);
      const vendor = new URL(redirect.headers.get('location') ?? '');
      expect(vendor.pathname).toBe('/ym/mfa.php');
      // The person's browser on the (simulated) vendor page, which is not behind the proxy.
      expect(await (await fetch(vendor)).text()).toContain('Verify this session');
      const done = await fetch(new URL(vendor.pathname, vendor), { method: 'POST', body: new URLSearchParams({ ymapitoken: vendor.searchParams.get('ymapitoken') ?? '' }) });
      expect(done.status).toBe(200);
      return { action: 'accept' };
    };
    const links: string[] = [];
    // An assertion thrown inside the handler would reach the test only as the server's INTERNAL error.
    const problems: unknown[] = [];
    // One link at a time: requests of two links interleaved could meet round-robin's alternation by luck.
    let turn = Promise.resolve<unknown>(undefined);
    const onInstance = new Map<string, Connected>();
    for (let tries = 0; tries < 6 && onInstance.size < 2; tries++) {
      let self: Connected | undefined;
      const one = await connect({
        capabilities: { elicitation: { url: {} } },
        onElicit: async (request) => {
          const link = String((request as { url?: string }).url);
          links.push(link);
          const outcome = turn.then(() =>
            verified(self!, link).catch((problem: unknown) => {
              problems.push(problem);
              return { action: 'decline' as const };
            }),
          );
          turn = outcome;
          return outcome;
        },
      });
      self = one;
      clients.push(one);
      onInstance.set(one.instance, one);
    }
    expect([...onInstance.keys()].sort()).toEqual(['a', 'b']);
    await Promise.all(
      [...onInstance.values()].map(async (one) => {
        const result = await one.client.callTool({ name: 'read_account', arguments: { command: 'GetSession' } });
        if (problems.length) throw problems[0];
        expect(result.isError, textOf(result)).toBeFalsy();
      }),
    );
    expect(links).toHaveLength(2);
    const mfaLines = proxy.log().filter((line) => line.uri.startsWith('/mfa/'));
    for (const link of links) {
      const path = new URL(link).pathname;
      const instance = path.slice('/mfa/'.length).split('.')[0];
      const served = mfaLines.filter((line) => line.uri === path);
      expect(served.length).toBe(5);
      expect(new Set(served.map((line) => line.upstreams.at(-1)))).toEqual(new Set([addressOf.get(instance)]));
    }
  });

  it('when an instance dies, its sessions get 404 from nginx and start again on the other; the other keeps its sessions', async () => {
    const onA = clients.filter((one) => one.instance === 'a');
    const onB = clients.filter((one) => one.instance === 'b');
    expect(onA.length).toBeGreaterThan(0);
    expect(onB.length).toBeGreaterThan(0);
    const dead = instances.get('a')!;
    const exited = new Promise((resolve) => dead.child.once('exit', resolve));
    dead.child.kill('SIGKILL');
    await exited;

    await Promise.all(onB.map(cheapCalls));
    for (const one of onB) expect(one.transport.sessionId).toBe(one.sessionId);

    const failures = await Promise.all(onA.map((one) => one.client.callTool({ name: 'mfa_status', arguments: {} }).then(() => undefined, (error: unknown) => error)));
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(StreamableHTTPError);
      expect((failure as StreamableHTTPError).code).toBe(404);
      expect(String((failure as Error).message)).toMatch(/its server instance is gone/);
    }
    const refused = proxy.log().filter((line) => onA.some((one) => one.sessionId === line.sessionId) && line.status === 404);
    expect(refused.length).toBeGreaterThanOrEqual(onA.length);
    for (const line of refused) {
      expect(line.upstreamStatus).toMatch(/^502\b/);
      expect(line.upstreams).toEqual([addressOf.get('a')]);
    }

    const again = await Promise.all(
      onA.map(async () => {
        const one = await connect();
        await cheapCalls(one);
        return one;
      }),
    );
    clients.push(...again);
    for (const one of again) expect(one.instance).toBe('b');
    const served = servedBy(proxy.log());
    for (const one of [...onB, ...again]) expect(served.get(one.sessionId)).toEqual(new Set([addressOf.get('b')]));
  });
});
