import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { MAX_LINE_BYTES } from '../src/host/stdio-transport.js';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

type Reply = Record<string, unknown> & { id?: unknown; error?: { code: number; message: string }; result?: Record<string, unknown> };

/** The built stdio server, spoken to in raw lines; every reply line is kept and can be awaited by id. */
class Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly replies: Reply[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  private buffered = '';
  private readonly waiting = new Map<unknown, (reply: Reply) => void>();

  constructor(args: string[], env: Record<string, string> = {}) {
    this.process = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stdout.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let newline;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const reply = JSON.parse(this.buffered.slice(0, newline)) as Reply;
        this.buffered = this.buffered.slice(newline + 1);
        this.replies.push(reply);
        this.waiting.get(JSON.stringify(reply.id))?.(reply);
      }
    });
    this.process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.process.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  send(line: string | object): void {
    this.process.stdin.write(typeof line === 'string' ? `${line}\n` : `${JSON.stringify(line)}\n`);
  }

  /** The reply with this id (null included) among the replies from index `from` on, within `ms`. */
  reply(id: unknown, ms = 5_000, from = 0): Promise<Reply> {
    const key = JSON.stringify(id);
    const known = this.replies.slice(from).find((reply) => JSON.stringify(reply.id) === key);
    if (known) return Promise.resolve(known);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply with id ${key} within ${ms} ms; stderr:\n${this.stderr}`)), ms);
      this.waiting.set(key, (reply) => (clearTimeout(timer), this.waiting.delete(key), resolve(reply)));
    });
  }

  async initialize(): Promise<void> {
    this.send({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'hostile', version: '1' } } });
    expect((await this.reply('init')).result).toBeDefined();
    this.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Exit code and signal, or a failure when the process is still running after `ms`. */
  exit(ms: number) {
    return Promise.race([this.exited, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms; stderr:\n${this.stderr}`)), ms))]);
  }

  /** Streams `bytes` of `fill` (no newline) into stdin, waiting for the pipe to drain as it goes. */
  async pour(bytes: number, fill = 0x20): Promise<void> {
    const chunk = Buffer.alloc(1024 * 1024, fill);
    for (let sent = 0; sent < bytes; sent += chunk.length) {
      const piece = sent + chunk.length <= bytes ? chunk : chunk.subarray(0, bytes - sent);
      if (!this.process.stdin.write(piece)) await new Promise((resolve) => this.process.stdin.once('drain', resolve));
    }
  }

  /** Peak resident memory of the child so far, in bytes (Linux). */
  peakMemory(): number {
    const kilobytes = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.process.pid}/status`, 'utf8'))?.[1];
    return Number(kilobytes) * 1024;
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }
}

const children: Child[] = [];
const start = (args: string[] = ['--sandbox'], env: Record<string, string> = {}) => {
  const child = new Child(args, env);
  children.push(child);
  return child;
};
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

const call = (id: number | string, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const ping = (id: number | string) => ({ jsonrpc: '2.0', id, method: 'ping' });

describe('the stdio server under malformed JSON-RPC', () => {
  let malformedTarget: Child | undefined;
  /** Started outside `start`, so that it outlives each test; killed after the group. */
  const initialized = async () => {
    const child = new Child(['--sandbox']);
    await child.initialize();
    return child;
  };
  afterAll(() => malformedTarget?.kill());

  it.each([
    ['invalid JSON', '{"jsonrpc":"2.0","id":1,"method":', null, -32700],
    ['a batch', JSON.stringify([ping(1), ping(2)]), null, -32600],
    ['a bare value', '42', null, -32600],
    ['a wrong jsonrpc', JSON.stringify({ jsonrpc: '1.0', id: 3, method: 'ping' }), 3, -32600],
    ['no jsonrpc', JSON.stringify({ id: 4, method: 'ping' }), 4, -32600],
    ['a non-string method', JSON.stringify({ jsonrpc: '2.0', id: 5, method: 7 }), 5, -32600],
    ['an object id', JSON.stringify({ jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }), null, -32600],
    ['tools/call with params null', JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: null }), 6, -32602],
    ['tools/call with params an array', JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: ['send_tts'] }), 7, -32602],
    ['tools/call without params', JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call' }), 8, -32602],
    ['tools/call with a numeric name', JSON.stringify(call(9, 5 as unknown as string)), 9, -32602],
    ['logging/setLevel with an unknown level', JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'logging/setLevel', params: { level: 'loud' } }), 10, -32602],
  ])('answers %s with a JSON-RPC error and keeps serving', async (name, line, id, code) => {
    // One server takes every malformed line in turn: each must leave it serving the next.
    const child = (malformedTarget ??= await initialized());
    const from = child.replies.length;
    child.send(line);
    const reply = await child.reply(id, 5_000, from);
    expect(reply.jsonrpc).toBe('2.0');
    expect(reply.error?.code).toBe(code);
    expect(reply.error?.message.length).toBeGreaterThan(10);
    child.send(ping(`after ${name}`));
    expect((await child.reply(`after ${name}`, 5_000, from)).result).toEqual({});
  });

  it('names the field and the rule of a bad tools/call', async () => {
    const child = start();
    await child.initialize();
    child.send(call(1, 5 as unknown as string));
    expect((await child.reply(1)).error?.message).toMatch(/tools\/call.*params\.name.*string/);
  });

  it('does not echo a megabyte method name back in its error', async () => {
    const child = start();
    child.send({ jsonrpc: '2.0', id: 1, method: 'm'.repeat(1024 * 1024) });
    const reply = await child.reply(1);
    expect(reply.error?.code).toBe(-32600);
    expect(reply.error?.message.length).toBeLessThan(300);
  });

  it('refuses a second request with an id still in flight', async () => {
    const child = start();
    await child.initialize();
    child.send(call('twin', 'mfa_status'));
    child.send(call('twin', 'mfa_status'));
    await expect.poll(() => child.replies.filter((reply) => reply.id === 'twin').length).toBe(2);
    const twins = child.replies.filter((reply) => reply.id === 'twin');
    expect(twins.filter((reply) => reply.error?.code === -32600)).toHaveLength(1);
    expect(twins.filter((reply) => reply.result)).toHaveLength(1);
  });
});

describe('the stdio server before initialize', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ log: () => undefined });
  });
  afterAll(() => sandbox.close());

  it('refuses tools/call and tools/list before initialize, answers ping, and never reaches the API', async () => {
    const child = start([], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token });
    child.send(call(1, 'send_tts', { phones: '0501234567', ttsMessage: 'hello' }));
    child.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    child.send(ping(3));
    for (const id of [1, 2]) {
      const reply = await child.reply(id);
      expect(reply.error?.code, String(id)).toBe(-32600);
      expect(reply.error?.message).toMatch(/before initialize/);
    }
    expect((await child.reply(3)).result).toEqual({});
    expect(sandbox.requests).toHaveLength(0);
    await child.initialize();
    child.send(call(4, 'read_account', { command: 'GetSession' }));
    const served = await child.reply(4);
    expect(served.result).toBeDefined();
    expect(served.result?.isError).toBeUndefined();
    expect(sandbox.requests.map((request) => request.command)).not.toContain('SendTTS');
  });
});

describe('the stdio server and long lines', () => {
  it(`serves a 50 MB line (the limit is ${MAX_LINE_BYTES} bytes)`, async () => {
    const child = start();
    await child.initialize();
    const padding = 'A'.repeat(50 * 1024 * 1024);
    child.send({ jsonrpc: '2.0', id: 'big', method: 'ping', params: { _meta: { padding } } });
    expect((await child.reply('big', 15_000)).result).toEqual({});
    child.send(ping('after'));
    expect((await child.reply('after')).result).toEqual({});
  });

  it('answers a line over the limit with an error carrying its id, without holding it in memory, and keeps serving', async () => {
    const child = start();
    await child.initialize();
    child.send(ping('warm'));
    await child.reply('warm');
    const before = child.peakMemory();
    child.process.stdin.write('{"jsonrpc":"2.0","id":"huge","method":"tools/call","params":{"name":"upload_file","arguments":{"id":"nested","data":"');
    // Three times the limit: a server that kept the line would hold more than the bound below allows.
    await child.pour(3 * MAX_LINE_BYTES, 0x41);
    child.process.stdin.write('"}}}\n');
    const reply = await child.reply('huge', 20_000);
    expect(reply.error?.code).toBe(-32600);
    expect(reply.error?.message).toContain(String(MAX_LINE_BYTES));
    // Up to the limit the line is kept (it may be a valid message); past it, nothing more is.
    expect(child.peakMemory() - before).toBeLessThan(2 * MAX_LINE_BYTES);
    child.send(ping('after'));
    expect((await child.reply('after')).result).toEqual({});
    expect(child.process.exitCode).toBeNull();
  });

  it('answers an oversized line whose id is at its end (where the SDK client writes it) to that id; with none at either end, to null', async () => {
    const child = start();
    await child.initialize();
    child.process.stdin.write('{"method":"tools/call","params":{"name":"read_ivr","arguments":{"id":"nested","what":"');
    await child.pour(MAX_LINE_BYTES + 1, 0x41);
    child.send('"}},"jsonrpc":"2.0","id":"late"}');
    const late = await child.reply('late', 20_000);
    expect(late.error?.code).toBe(-32600);
    // Not an upload: no word of base64.
    expect(late.error?.message).not.toContain('localFile');
    const from = child.replies.length;
    await child.pour(MAX_LINE_BYTES + 1, 0x20);
    child.send(',"id":"late-but-nested"}}');
    expect((await child.reply(null, 20_000, from)).error?.code).toBe(-32600);
  });
});

describe('an upload too large for one line, through the SDK client', () => {
  it('is refused to its id at once (the client writes the id last), with the advice to use localFile', { timeout: 60_000 }, async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [entry, '--sandbox'], env: { PATH: process.env.PATH ?? '' }, stderr: 'ignore' });
    const client = new Client({ name: 'oversized', version: '1' });
    await client.connect(transport);
    try {
      // 50 MB as base64 is about 67 million characters: one line over the limit, within the schema's bound.
      const base64 = Buffer.alloc(50 * 1024 * 1024, 7).toString('base64');
      expect(base64.length).toBeGreaterThan(MAX_LINE_BYTES);
      const started = Date.now();
      // The SDK's own timeout (60 s) would be the answer if the refusal did not carry the request's id.
      const error = await client.callTool({ name: 'upload_file', arguments: { path: '1/000.wav', fileName: 'big.wav', base64 } }, undefined, { timeout: 45_000 }).then(
        () => undefined,
        (failure: unknown) => failure as { code?: number; message?: string },
      );
      expect(error?.code).toBe(-32600);
      expect(error?.message).toMatch(/longer than \d+ bytes.*base64.*YEMOT_FILES_DIR.*localFile/);
      expect(Date.now() - started).toBeLessThan(40_000);
      expect((await client.ping())).toEqual({});
    } finally {
      await client.close();
    }
  });
});

describe('the stdio server when the client goes away', () => {
  it('exits quietly with 0 when the client closes its end of stdout (EPIPE)', async () => {
    const child = start();
    await child.initialize();
    child.process.stdout.destroy();
    for (let id = 0; id < 20 && child.process.exitCode === null; id++) {
      child.send(ping(id));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await child.exit(5_000)).toEqual({ code: 0, signal: null });
    expect(child.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  });
});

/** A Yemot API that passes two-factor at once, answers GetApprovedCallerIDs after `answerMs`, and drips forever on anything else. */
async function startDrippingApi(answerMs: number) {
  const dripping = new Set<ServerResponse>();
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    const command = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.split('/').pop() ?? '');
    seen.push(command);
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    if (command === 'MFASession') return void response.end(JSON.stringify({ responseStatus: 'OK', isPass: true, isPassInThisSession: false }));
    if (command === 'GetApprovedCallerIDs') {
      return void setTimeout(() => response.end(JSON.stringify({ responseStatus: 'OK', call: { mainDid: '', secondaryDids: [], callerIds: [] }, sms: { smsId: '', allowText: false } })), answerMs);
    }
    dripping.add(response);
    response.write('{"responseStatus":"OK",');
    const timer = setInterval(() => response.write(' '), 50);
    response.on('close', () => (clearInterval(timer), dripping.delete(response)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ym/api/`,
    seen,
    close: () => {
      for (const response of dripping) response.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the stdio server shutting down with calls in flight', () => {
  let api: Awaited<ReturnType<typeof startDrippingApi>>;
  beforeAll(async () => {
    api = await startDrippingApi(400);
  });
  afterAll(() => api.close());

  it.each([
    ['SIGTERM', (child: Child) => child.process.kill('SIGTERM')],
    ['stdin EOF', (child: Child) => child.process.stdin.end()],
  ])('on %s finishes a call that ends within the grace, stops one that drips, and exits 0 within seconds', async (_how, stop) => {
    const child = start(['--toolsets', 'all'], { YEMOT_API_URL: api.url, YEMOT_TOKEN: 'x' });
    await child.initialize();
    const from = api.seen.length;
    child.send(call('quick', 'get_approved_caller_ids'));
    child.send(call('stuck', 'get_incoming_sms', { limit: 1 }));
    await expect.poll(() => api.seen.slice(from)).toEqual(expect.arrayContaining(['GetApprovedCallerIDs', 'GetIncomingSms']));
    const stoppedAt = Date.now();
    stop(child);
    expect(await child.exit(6_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    const quick = child.replies.find((reply) => reply.id === 'quick');
    expect(quick?.result?.isError, JSON.stringify(quick)).toBeUndefined();
    const stuck = child.replies.find((reply) => reply.id === 'stuck');
    expect(stuck?.error?.message).toMatch(/shutting down.*outcome is unknown/);
  });

  it('refuses a request that arrives during the grace', async () => {
    const child = start(['--toolsets', 'all'], { YEMOT_API_URL: api.url, YEMOT_TOKEN: 'x' });
    await child.initialize();
    child.send(call('stuck', 'get_incoming_sms', { limit: 1 }));
    await expect.poll(() => api.seen).toContain('GetIncomingSms');
    child.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.send(ping('late'));
    expect((await child.reply('late')).error?.message).toMatch(/shutting down/);
    expect(await child.exit(6_000)).toEqual({ code: 0, signal: null });
  });
});
