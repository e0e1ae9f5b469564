import { request as httpRequest, Agent } from 'node:http';
import { connect as tcpConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app/app.js';
import { loadConfig } from '../src/config.js';
import { operatorHosting, serveHttp, type HttpHandle, type HttpOptions } from '../src/host/http-host.js';
import { Logger, type LogSink } from '../src/core/log.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { INITIALIZE } from './raw-http.js';
import { checkEnvelope } from '../src/core/jsonrpc.js';

const TOKEN = 'abuse-test-bearer-0123456789abcdef0123';

/** Counts the sinks attached now to its session loggers: each live MCP server holds one, so this is the number of live servers. */
class CountingLogger extends Logger {
  live = 0;
  constructor(private readonly counter?: CountingLogger) {
    super('emergency', () => undefined);
  }
  override child(): Logger {
    return new CountingLogger(this.counter ?? this);
  }
  override attach(sink: LogSink): () => void {
    const counter = this.counter ?? this;
    counter.live += 1;
    const detach = super.attach(sink);
    let attached = true;
    return () => {
      if (attached) (attached = false), (counter.live -= 1);
      return detach();
    };
  }
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` };

interface Reply {
  status: number;
  sessionId?: string;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** One request; `dropAfterHeaders` reads the status and destroys the response (an SSE answer stays open). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown; dropAfterHeaders?: boolean } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: options.method ?? 'POST', headers: { ...MCP_HEADERS, ...options.headers }, agent },
      (response) => {
        const sessionId = response.headers['mcp-session-id'] as string | undefined;
        if (options.dropAfterHeaders) {
          response.destroy();
          return resolve({ status: response.statusCode ?? 0, sessionId, body: '' });
        }
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, sessionId, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
  });
}

const initialize = (url: string) => send(url, { body: INITIALIZE, dropAfterHeaders: true });

describe('HTTP under abuse (in-process host, real sessions)', () => {
  let sandbox: Sandbox;
  let log: CountingLogger;
  let roomy: HttpHandle;
  let strict: HttpHandle;

  beforeAll(async () => {
    sandbox = await startSandbox({ mfa: 'passed', log: () => undefined });
    log = new CountingLogger();
    const config = loadConfig(['--toolsets', 'all'], {});
    const app = createApp(config, { apiUrl: sandbox.url, credentials: { token: sandbox.token }, log });
    const deps = { ctx: app.ctx, tools: app.tools, version: 'test' };
    const base: HttpOptions = {
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      maxSessions: 1000,
      sessionIdleSeconds: 1800,
      bodyTimeoutSeconds: 1,
      allowed: { hosts: ['mcp.example.com', 'proxy.example.com:8443'], origins: ['https://app.example.com'] },
    };
    roomy = await serveHttp(operatorHosting(deps), base);
    strict = await serveHttp(operatorHosting(deps), { ...base, maxSessions: 2, sessionIdleSeconds: 1 });
  });

  afterAll(async () => {
    await Promise.all([roomy, strict].map((handle) => handle?.close(0)));
    agent.destroy();
    await sandbox?.close();
  });

  it('keeps no server alive for 3,000 refused requests (406, 415, 400, 401, 403, 404, 413)', async () => {
    const before = log.live;
    const refused: Array<{ status: number; options: { headers?: Record<string, string>; body: unknown } }> = [
      { status: 406, options: { headers: { accept: 'text/html' }, body: INITIALIZE } },
      { status: 415, options: { headers: { 'content-type': 'text/plain' }, body: INITIALIZE } },
      { status: 400, options: { body: '{not json' } },
      { status: 401, options: { headers: { authorization: 'Bearer wrong' }, body: INITIALIZE } },
      { status: 403, options: { headers: { host: 'evil.example' }, body: INITIALIZE } },
      { status: 404, options: { headers: { 'mcp-session-id': 'no-such-session' }, body: INITIALIZE } },
      { status: 413, options: { body: ' '.repeat(4 * 1024 * 1024 + 1) } },
    ];
    for (const { status, options } of refused) expect((await send(roomy.url, options)).status, String(status)).toBe(status);
    // The two the SDK transport refuses are the ones that used to leak: a transport and a server each.
    for (let round = 0; round < 3000; round += 8) {
      const batch = Array.from({ length: 8 }, (_, index) => send(roomy.url, refused[index % 2].options));
      expect((await Promise.all(batch)).map((reply) => reply.status)).toEqual(Array.from({ length: 8 }, (_, index) => refused[index % 2].status));
    }
    expect(log.live).toBe(before);
    // A good initialize still opens a session afterwards.
    const opened = await initialize(roomy.url);
    expect(opened.status).toBe(200);
    expect(log.live).toBe(before + 1);
    await send(roomy.url, { method: 'DELETE', headers: { 'mcp-session-id': opened.sessionId! } });
    expect(log.live).toBe(before);
  }, 20_000);

  it('answers the initialize over YEMOT_HTTP_MAX_SESSIONS with 503 naming the cap, and takes one again once a session ends', async () => {
    const first = await initialize(strict.url);
    const second = await initialize(strict.url);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await send(strict.url, { body: INITIALIZE });
    expect(third.status).toBe(503);
    expect(third.body).toMatch(/at most 2 \(YEMOT_HTTP_MAX_SESSIONS\)/);
    expect((await send(strict.url, { method: 'DELETE', headers: { 'mcp-session-id': first.sessionId! } })).status).toBe(200);
    const again = await initialize(strict.url);
    expect(again.status).toBe(200);
    for (const id of [second.sessionId!, again.sessionId!]) await send(strict.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
  });

  it('closes and forgets a session idle for YEMOT_HTTP_SESSION_IDLE_SECONDS, and keeps one that is used', async () => {
    const before = log.live;
    const idle = await initialize(strict.url);
    const used = await initialize(strict.url);
    expect(log.live).toBe(before + 2);
    const ping = (id: string) => send(strict.url, { headers: { 'mcp-session-id': id }, body: { jsonrpc: '2.0', id: 2, method: 'ping' }, dropAfterHeaders: true });
    for (let step = 0; step < 4; step += 1) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await ping(used.sessionId!)).status).toBe(200);
    }
    expect((await ping(idle.sessionId!)).status).toBe(404);
    expect(log.live).toBe(before + 1);
    await send(strict.url, { method: 'DELETE', headers: { 'mcp-session-id': used.sessionId! } });
    expect(log.live).toBe(before);
  });

  it('matches the Bearer scheme case-insensitively and the token exactly', async () => {
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const cased = await send(roomy.url, { headers: { authorization: `${scheme} ${TOKEN}` }, body: INITIALIZE, dropAfterHeaders: true });
      expect(cased.status, scheme).toBe(200);
      await send(roomy.url, { method: 'DELETE', headers: { 'mcp-session-id': cased.sessionId! } });
    }
    expect((await send(roomy.url, { headers: { authorization: `Bearer ${TOKEN.toUpperCase()}` }, body: INITIALIZE })).status).toBe(401);
  });

  it('accepts the Host names and Origins listed in YEMOT_HTTP_ALLOWED_HOSTS/ORIGINS and refuses others with 403', async () => {
    const status = async (headers: Record<string, string>) => {
      const reply = await send(roomy.url, { headers, body: INITIALIZE, dropAfterHeaders: true });
      if (reply.sessionId) await send(roomy.url, { method: 'DELETE', headers: { 'mcp-session-id': reply.sessionId } });
      return reply.status;
    };
    expect(await status({ host: 'mcp.example.com' })).toBe(200);
    expect(await status({ host: 'MCP.example.com:443' })).toBe(200);
    expect(await status({ host: 'proxy.example.com:8443' })).toBe(200);
    expect(await status({ host: 'proxy.example.com:9000' })).toBe(403);
    expect(await status({ host: 'evil.example.com' })).toBe(403);
    expect(await status({ host: 'mcp.example.com.evil.example' })).toBe(403);
    expect(await status({ host: 'mcp.example.com', origin: 'https://app.example.com' })).toBe(200);
    expect(await status({ host: 'mcp.example.com', origin: 'http://app.example.com' })).toBe(403);
    expect(await status({ host: 'mcp.example.com', origin: 'https://evil.example.com' })).toBe(403);
  });

  it('cuts off a body that dribbles in with 408 after YEMOT_HTTP_BODY_TIMEOUT_SECONDS', async () => {
    const { port } = new URL(roomy.url);
    const socket = tcpConnect(Number(port), '127.0.0.1');
    const started = Date.now();
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      socket.on('close', () => resolve(text));
    });
    socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"jsonrpc":`);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('within 1 s');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('answers a request with more than one Host header 400, even when the first is allowed', async () => {
    const { port } = new URL(roomy.url);
    const rawRequest = (hosts: string[]) =>
      new Promise<string>((resolve) => {
        const socket = tcpConnect(Number(port), '127.0.0.1');
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        socket.on('close', () => resolve(text));
        const body = JSON.stringify(INITIALIZE);
        const headers = [...hosts.map((host) => `Host: ${host}`), `Authorization: Bearer ${TOKEN}`, 'Content-Type: application/json', 'Accept: application/json, text/event-stream', `Content-Length: ${body.length}`, 'Connection: close'];
        socket.end(`POST /mcp HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n${body}`);
      });
    for (const hosts of [['127.0.0.1', 'evil.example'], ['127.0.0.1', '127.0.0.1']]) {
      const text = await rawRequest(hosts);
      expect(text, hosts.join(', ')).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toMatch(/more than one Host header/);
    }
    const one = await rawRequest(['127.0.0.1']);
    expect(one).toMatch(/^HTTP\/1\.1 200 /);
    const id = /mcp-session-id: (\S+)/i.exec(one)![1];
    await send(roomy.url, { method: 'DELETE', headers: { 'mcp-session-id': id } });
  });

  it('refuses a JSON-RPC batch with the error stdio gives, on a session and as an initialize, and runs none of it', async () => {
    const stdioAnswer = checkEnvelope([{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
    expect('reply' in stdioAnswer).toBe(true);
    const opened = await initialize(roomy.url);
    const session = { 'mcp-session-id': opened.sessionId!, 'mcp-protocol-version': '2025-11-25' };
    const before = sandbox.requests.length;
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'get_approved_caller_ids', arguments: {} } };
    for (const [headers, body] of [
      [session, [{ jsonrpc: '2.0', method: 'notifications/initialized' }, call]],
      [session, [call]],
      [{}, [INITIALIZE]],
    ] as const) {
      const reply = await send(roomy.url, { headers, body });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toEqual((stdioAnswer as { reply: unknown }).reply);
    }
    expect(sandbox.requests.length).toBe(before);
    await send(roomy.url, { method: 'DELETE', headers: session });
  });

  it('aborts the API request when the client drops the connection mid-call', async () => {
    const opened = await initialize(roomy.url);
    const session = { 'mcp-session-id': opened.sessionId!, 'mcp-protocol-version': '2025-11-25' };
    expect((await send(roomy.url, { headers: session, body: { jsonrpc: '2.0', method: 'notifications/initialized' } })).status).toBe(202);
    sandbox.injectFault({ kind: 'timeout' }, { command: 'GetApprovedCallerIDs' });
    try {
      const target = new URL(roomy.url);
      const call = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...MCP_HEADERS, ...session } });
      call.on('error', () => undefined);
      call.end(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_approved_caller_ids', arguments: {} } }));
      await expect.poll(() => sandbox.inFlight(), { timeout: 3_000 }).toBe(1);
      call.destroy();
      // The simulator never answers this request: only the server's abort can end it (the API timeout is 30 s).
      await expect.poll(() => sandbox.inFlight(), { timeout: 3_000 }).toBe(0);
    } finally {
      sandbox.clearFaults();
    }
    await send(roomy.url, { method: 'DELETE', headers: session });
  });
});
