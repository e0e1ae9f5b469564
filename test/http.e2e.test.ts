import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema, type LoggingMessageNotification } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { serveHttp as serve, type Served } from './http-server.js';
import { INITIALIZE, raw } from './raw-http.js';

const HTTP_TOKEN = 'http-bearer-4e1d2c9b7a-5f6e7d8c9b0a1f2e3d';

async function connect(url: string, headers: Record<string, string> = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  const client = new Client({ name: 'http-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const textOf = (result: object) => ((result as { content?: unknown }).content as Array<{ type: string; text: string }>)[0].text;

describe('the Streamable HTTP server (built entry, --http --port 0)', () => {
  let sandbox: Sandbox;
  let fresh: Sandbox;
  let server: Served;
  let mfaServer: Served;
  let guarded: Served;

  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => {} });
    fresh = await startSandbox({ mfa: 'not-passed', log: () => {} });
    [server, mfaServer, guarded] = await Promise.all([
      serve(['--toolsets', 'all', '--log-level', 'debug'], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token }),
      serve(['--toolsets', 'all'], { YEMOT_API_URL: fresh.url, YEMOT_TOKEN: fresh.token }),
      serve(['--toolsets', 'all'], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token, YEMOT_HTTP_TOKEN: HTTP_TOKEN }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([server, mfaServer, guarded].map((served) => served?.stop()));
    await Promise.all([sandbox, fresh].map((simulator) => simulator?.close()));
  });

  it('serves on an ephemeral loopback port at /mcp', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(new URL(server.url).port).not.toBe('3000');
  });

  it('initializes, lists tools and calls a read tool with structured content', async () => {
    const { client, transport } = await connect(server.url);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.getServerVersion()?.name).toBe('yemot-mcp');
    expect(client.getServerCapabilities()).toMatchObject({ tools: {}, logging: {} });
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('get_approved_caller_ids');
    expect(names).toContain('list_sip_accounts');
    const before = sandbox.requests.length;
    const result = await client.callTool({ name: 'get_approved_caller_ids', arguments: {} });
    expect(result.isError, textOf(result)).toBeFalsy();
    const structured = result.structuredContent as Record<string, unknown>;
    expect(structured.call).toBeDefined();
    expect(structured.sms).toBeDefined();
    expect(JSON.parse(textOf(result))).toEqual(structured);
    expect(sandbox.requests.slice(before).map((r) => r.command)).toContain('GetApprovedCallerIDs');
    await client.close();
  });

  it('answers logging/setLevel and then delivers log messages on the session', async () => {
    const { client } = await connect(server.url);
    const messages: LoggingMessageNotification['params'][] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void messages.push(notification.params));
    await expect(client.setLoggingLevel('debug')).resolves.toEqual({});
    const result = await client.callTool({ name: 'list_sip_accounts', arguments: {} });
    expect(result.isError, textOf(result)).toBeFalsy();
    await expect.poll(() => messages.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(messages[0]).toMatchObject({ logger: 'yemot-mcp' });
    await client.close();
  });

  it('refuses a normal tool on a session that has not passed two-factor with MFA_REQUIRED', async () => {
    const { client } = await connect(mfaServer.url);
    const result = await client.callTool({ name: 'get_approved_caller_ids', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    const error = JSON.parse(textOf(result));
    expect(error.error).toBe('MFA_REQUIRED');
    expect(String(error.next)).toMatch(/mfa_try/);
    expect(fresh.requests.map((r) => r.command)).not.toContain('GetApprovedCallerIDs');
    await client.close();
  });

  it('opens the standalone SSE stream on GET, ends the session on DELETE, then answers 404 for it', async () => {
    const { client, transport } = await connect(server.url);
    const sessionId = transport.sessionId!;
    const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    // The SDK client already holds the one standalone stream of this session; a second one conflicts.
    const stream = await raw(server.url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' }, headersOnly: true });
    expect([200, 409]).toContain(stream.status);
    if (stream.status === 200) expect(stream.headers['content-type']).toContain('text/event-stream');

    const ended = await raw(server.url, { method: 'DELETE', headers: session });
    expect(ended.status).toBe(200);
    const after = await raw(server.url, { headers: session, body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } });
    expect(after.status).toBe(404);
    expect((await raw(server.url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' } })).status).toBe(404);
    expect((await raw(server.url, { method: 'DELETE', headers: session })).status).toBe(404);
    await client.close().catch(() => undefined);
  });

  it('opens an SSE stream on GET for a session whose client holds none', async () => {
    const init = await raw(server.url, { body: INITIALIZE });
    expect(init.status).toBe(200);
    const sessionId = init.headers['mcp-session-id'] as string;
    expect(sessionId).toBeTruthy();
    const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' };
    expect((await raw(server.url, { headers: session, body: { jsonrpc: '2.0', method: 'notifications/initialized' } })).status).toBe(202);
    const stream = await raw(server.url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' }, headersOnly: true });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    expect((await raw(server.url, { method: 'DELETE', headers: session })).status).toBe(200);
  });

  it('ends a session through the SDK client (terminateSession)', async () => {
    const { client, transport } = await connect(server.url);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    const after = await raw(server.url, { headers: { 'mcp-session-id': sessionId }, body: { jsonrpc: '2.0', id: 2, method: 'tools/list' } });
    expect(after.status).toBe(404);
    await client.close().catch(() => undefined);
  });

  it('rejects a foreign Host or Origin header with 403 (DNS rebinding) and accepts loopback names', async () => {
    const port = new URL(server.url).port;
    const evil = await raw(server.url, { headers: { host: `evil.example.com:${port}` }, body: INITIALIZE });
    expect(evil.status).toBe(403);
    expect((await raw(server.url, { headers: { host: 'evil.example.com' }, body: INITIALIZE })).status).toBe(403);
    expect((await raw(server.url, { headers: { host: `127.0.0.1.evil.example.com:${port}` }, body: INITIALIZE })).status).toBe(403);
    expect((await raw(server.url, { headers: { host: `localhost:${port}`, origin: 'http://evil.example.com' }, body: INITIALIZE })).status).toBe(403);
    expect(JSON.parse(evil.body).error.message).toMatch(/^Host not allowed/);
    const foreignOrigin = await raw(server.url, { headers: { host: `127.0.0.1:${port}`, origin: 'http://evil.example.com' }, body: INITIALIZE });
    expect(foreignOrigin.status).toBe(403);
    expect(JSON.parse(foreignOrigin.body).error.message).toMatch(/^Origin not allowed/);
    expect(JSON.parse((await raw(server.url, { headers: { origin: 'null' }, body: INITIALIZE })).body).error.message).toMatch(/^Origin not allowed/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const ok = await raw(server.url, { headers: { host, origin: `http://${host}` }, body: INITIALIZE });
      expect(ok.status, host).toBe(200);
      await raw(server.url, { method: 'DELETE', headers: { host, 'mcp-session-id': ok.headers['mcp-session-id'] as string } });
    }
  });

  it('answers 400 to a request without a session that is not initialize, and 404 off /mcp', async () => {
    expect((await raw(server.url, { body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } })).status).toBe(400);
    expect((await raw(server.url.replace(/\/mcp$/, '/other'), { body: INITIALIZE })).status).toBe(404);
    expect((await raw(server.url, { headers: { 'mcp-session-id': 'no-such-session' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } })).status).toBe(404);
  });

  it('runs no tool without a session: tools/call before initialize gets 400 and never reaches the API', async () => {
    const before = sandbox.requests.length;
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'send_tts', arguments: { phones: '0501234567', ttsMessage: 'hi' } } };
    expect((await raw(server.url, { body: call })).status).toBe(400);
    expect((await raw(server.url, { body: [INITIALIZE, { ...call, id: 2 }] })).status).toBe(400);
    expect(sandbox.requests.slice(before)).toEqual([]);
  });

  it('answers a tools/call with params of the wrong shape with -32602 naming the field', async () => {
    const init = await raw(server.url, { body: INITIALIZE });
    const session = { 'mcp-session-id': init.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' };
    const bad = await raw(server.url, { headers: session, body: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 5 } } });
    const reply = JSON.parse(/^data: (.*)$/m.exec(bad.body)?.[1] ?? bad.body);
    expect(reply).toMatchObject({ id: 2, error: { code: -32602 } });
    expect(reply.error.message).toMatch(/params\.name/);
    await raw(server.url, { method: 'DELETE', headers: session });
  });

  it('answers a tools/call that nothing but its result can follow as one JSON body; with a progress token, or for a client that takes forms, as an event stream', async () => {
    const open = async (capabilities: object) => {
      const init = await raw(server.url, { body: { ...INITIALIZE, params: { ...INITIALIZE.params, capabilities } } });
      const session = { 'mcp-session-id': init.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' };
      await raw(server.url, { headers: session, body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
      return session;
    };
    const call = (id: number, meta?: object) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_approved_caller_ids', arguments: {}, ...(meta && { _meta: meta }) } });
    const plain = await open({});
    const json = await raw(server.url, { headers: plain, body: call(2) });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.headers['mcp-session-id']).toBe(plain['mcp-session-id']);
    expect(JSON.parse(json.body)).toMatchObject({ jsonrpc: '2.0', id: 2, result: { structuredContent: { call: expect.anything() } } });
    // An error answer comes the same way, to its id.
    const twice = await raw(server.url, { headers: plain, body: { ...call(3), params: { name: 'no_such_tool', arguments: {} } } });
    expect(JSON.parse(twice.body)).toMatchObject({ id: 3, error: { code: -32602, message: expect.stringContaining('no_such_tool') } });
    const progress = await raw(server.url, { headers: plain, body: call(4, { progressToken: 'p1' }) });
    expect(progress.headers['content-type']).toBe('text/event-stream');
    expect(JSON.parse(/^data: (.*)$/m.exec(progress.body)![1])).toMatchObject({ id: 4, result: { structuredContent: { call: expect.anything() } } });
    const forms = await open({ elicitation: { form: {} } });
    expect((await raw(server.url, { headers: forms, body: call(5) })).headers['content-type']).toBe('text/event-stream');
    await Promise.all([plain, forms].map((session) => raw(server.url, { method: 'DELETE', headers: session })));
  });

  it('cancels a call answered as JSON when its client hangs up: the id is free again at once', async () => {
    const init = await raw(server.url, { body: INITIALIZE });
    const session = { 'mcp-session-id': init.headers['mcp-session-id'] as string, 'mcp-protocol-version': '2025-11-25' };
    await raw(server.url, { headers: session, body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
    const call = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'get_approved_caller_ids', arguments: {} } };
    // The API never answers this one: only the hang-up ends it.
    sandbox.injectFault({ kind: 'timeout' }, { command: 'GetApprovedCallerIDs' });
    const target = new URL(server.url);
    const hungUp = new Promise<void>((resolve) => {
      const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...session, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } });
      req.on('error', () => resolve());
      req.end(JSON.stringify(call));
      setTimeout(() => (req.destroy(), resolve()), 500);
    });
    await hungUp;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const again = await raw(server.url, { headers: session, body: call });
    expect(JSON.parse(again.body)).toMatchObject({ id: 7, result: { structuredContent: { call: expect.anything() } } });
    await raw(server.url, { method: 'DELETE', headers: session });
  });

  it('serves on another loopback address (127.0.0.2) without the beyond-loopback warning', async () => {
    const other = await serve(['--host', '127.0.0.2'], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token });
    try {
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/mcp$/);
      expect((await raw(other.url, { body: INITIALIZE })).status).toBe(200);
      expect(other.stderr()).not.toMatch(/warning/);
    } finally {
      await other.stop();
    }
  });

  it('refuses a body over 4 MB with 413, whether its length is declared or streamed', async () => {
    for (const declared of [true, false]) {
      const status = await new Promise<number>((resolve, reject) => {
        const target = new URL(server.url);
        const headers: Record<string, string | number> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
        if (declared) headers['content-length'] = 5 * 1024 * 1024;
        const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers }, (response) => {
          resolve(response.statusCode ?? 0);
          response.resume();
          req.destroy();
        });
        let answered = false;
        req.on('response', () => (answered = true));
        req.on('error', (error) => (answered ? undefined : reject(error)));
        // Write until the server answers; it must answer before the whole body arrives.
        const chunk = Buffer.alloc(256 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (!answered && sent < (declared ? 5 : 6) * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
        };
        pump();
      });
      expect(status, declared ? 'declared length' : 'chunked').toBe(413);
    }
    expect((await raw(server.url, { body: INITIALIZE })).status).toBe(200);
  });

  it('with YEMOT_HTTP_TOKEN set, answers 401 without or with a wrong bearer and serves the right one', async () => {
    expect((await raw(guarded.url, { body: INITIALIZE })).status).toBe(401);
    expect((await raw(guarded.url, { headers: { authorization: 'Bearer wrong' }, body: INITIALIZE })).status).toBe(401);
    expect((await raw(guarded.url, { headers: { authorization: HTTP_TOKEN }, body: INITIALIZE })).status).toBe(401);
    expect((await raw(guarded.url, { headers: { authorization: `Bearer ${HTTP_TOKEN}x` }, body: INITIALIZE })).status).toBe(401);
    await expect(connect(guarded.url)).rejects.toThrow();
    const { client } = await connect(guarded.url, { authorization: `Bearer ${HTTP_TOKEN}` });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('get_approved_caller_ids');
    const result = await client.callTool({ name: 'get_approved_caller_ids', arguments: {} });
    expect(result.isError, textOf(result)).toBeFalsy();
    await client.close();
    expect(guarded.stderr()).not.toContain(HTTP_TOKEN);
  });

  it('gives two clients two sessions that work independently', async () => {
    const first = await connect(server.url);
    const second = await connect(server.url);
    expect(first.transport.sessionId).toBeTruthy();
    expect(second.transport.sessionId).toBeTruthy();
    expect(first.transport.sessionId).not.toBe(second.transport.sessionId);
    const [a, b] = await Promise.all([
      first.client.callTool({ name: 'list_sip_accounts', arguments: {} }),
      second.client.callTool({ name: 'get_approved_caller_ids', arguments: {} }),
    ]);
    expect(a.isError, textOf(a)).toBeFalsy();
    expect(b.isError, textOf(b)).toBeFalsy();
    await first.transport.terminateSession();
    await first.client.close();
    const still = await second.client.listTools();
    expect(still.tools.length).toBeGreaterThan(0);
    await second.client.close();
  });

  it('in tenant mode (--tenant-credentials --sandbox) serves a client its own login and refuses one without credentials', async () => {
    const tenants = await serve(['--sandbox', '--tenant-credentials', '--toolsets', 'all'], { YEMOT_HTTP_INSTANCE: 'east' });
    try {
      expect((await raw(tenants.url, { body: INITIALIZE })).status).toBe(401);
      const { client, transport } = await connect(tenants.url, { 'x-yemot-username': '0770000000', 'x-yemot-password': 'sandbox-password' });
      expect(transport.sessionId).toMatch(/^east\.[0-9a-f-]{36}$/);
      const result = await client.callTool({ name: 'read_account', arguments: { command: 'GetSession' } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ username: '0770000000' });
      await client.close();
      expect(tenants.stderr()).not.toContain('sandbox-password');
      expect(tenants.stdout()).toBe('');
    } finally {
      await tenants.stop();
    }
  });

  it('writes nothing at all to stdout in HTTP mode, and never the API token to stderr', async () => {
    for (const served of [server, mfaServer, guarded]) {
      expect(served.stdout()).toBe('');
      expect(served.stderr()).not.toContain(sandbox.token);
      expect(served.stderr()).not.toContain(fresh.token);
    }
  });

  it('refuses at start-up a YEMOT_HTTP_TOKEN shorter than 32 characters, naming the rule', async () => {
    await expect(serve([], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token, YEMOT_HTTP_TOKEN: 'abc' })).rejects.toThrow(
      /exited with 2:[\s\S]*YEMOT_HTTP_TOKEN must be at least 32 characters \(it has 3\)/,
    );
  });

  it('on SIGTERM lets a call in flight finish, then exits 0', async () => {
    const slow = await startSandbox({ latencyMs: 700, log: () => {} });
    try {
      const extra = await serve(['--toolsets', 'all'], { YEMOT_API_URL: slow.url, YEMOT_TOKEN: slow.token });
      const { client } = await connect(extra.url);
      const exited = new Promise<[number | null, string | null]>((resolve) => extra.child.once('exit', (code, signal) => resolve([code, signal])));
      const call = client.callTool({ name: 'get_approved_caller_ids', arguments: {} });
      await expect.poll(() => slow.inFlight()).toBe(1);
      extra.child.kill('SIGTERM');
      const result = await call;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await exited).toEqual([0, null]);
      await client.close();
    } finally {
      await slow.close();
    }
  });

  it('shuts down on SIGTERM and exits 0', async () => {
    const extra = await serve([], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token });
    // A session in flight, whose transport the shutdown closes.
    expect((await raw(extra.url, { body: INITIALIZE })).status).toBe(200);
    const exited = new Promise<[number | null, string | null]>((resolve) => extra.child.once('exit', (code, signal) => resolve([code, signal])));
    extra.child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
    expect(extra.stdout()).toBe('');
  });
});
