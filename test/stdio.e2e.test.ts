import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { YemotHttp } from '../src/client/http.js';
import { caught } from './caught.js';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const CANARY_TOKEN = 'CANARY-token-7f3a9c1e5d';

interface Run {
  stdout: Buffer;
  stderr: string;
  replies: Array<Record<string, unknown>>;
}

/** Speaks raw JSON-RPC lines to the built server and keeps every byte it writes. */
async function converse(args: string[], env: Record<string, string>, messages: Array<Record<string, unknown>>): Promise<Run> {
  const child = spawn(process.execPath, [entry, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  let stderr = '';
  const replies: Array<Record<string, unknown>> = [];
  let buffered = '';
  const waiting = new Map<unknown, () => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const message = JSON.parse(line) as Record<string, unknown>;
      replies.push(message);
      waiting.get(message.id)?.();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  for (const message of messages) {
    const answered = 'id' in message ? new Promise<void>((resolve) => waiting.set(message.id, resolve)) : Promise.resolve();
    child.stdin.write(`${JSON.stringify(message)}\n`);
    await answered;
  }
  child.stdin.end();
  await new Promise((resolve) => child.on('close', resolve));
  return { stdout: Buffer.concat(stdout), stderr, replies };
}

const INITIALIZE = [
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
];
const call = (id: number, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

function expectOnlyJsonRpc(stdout: Buffer) {
  const text = stdout.toString('utf8');
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.split('\n').slice(0, -1)) {
    const message = JSON.parse(line);
    expect(message.jsonrpc).toBe('2.0');
  }
}

describe('the stdio server', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ token: CANARY_TOKEN, log: () => undefined });
  });
  afterAll(() => sandbox.close());

  it('writes nothing but JSON-RPC lines to stdout, and never the token anywhere', async () => {
    const run = await converse(['--toolsets', 'all', '--log-level', 'debug'], { YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: CANARY_TOKEN }, [
      ...INITIALIZE,
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      call(3, 'list_sip_accounts'),
      call(4, 'get_incoming_sms', { limit: 2 }),
      call(5, 'create_sip_account', { extNumber: 5 }),
      call(6, 'no_such_tool'),
      { jsonrpc: '2.0', id: 7, method: 'logging/setLevel', params: { level: 'debug' } },
      call(8, 'mfa_status'),
    ]);
    expectOnlyJsonRpc(run.stdout);
    expect(run.replies.filter((reply) => 'id' in reply).map((reply) => reply.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const byId = new Map(run.replies.map((reply) => [reply.id, reply]));
    expect((byId.get(3)?.result as { isError?: boolean }).isError).toBeUndefined();
    expect((byId.get(5)?.result as { isError?: boolean }).isError).toBe(true);
    expect(byId.get(6)?.error).toBeDefined();
    expect(run.replies.some((reply) => reply.method === 'notifications/message')).toBe(true);
    expect(run.stdout.toString('utf8')).not.toContain(CANARY_TOKEN);
    expect(run.stderr).not.toContain(CANARY_TOKEN);
    expect(sandbox.requests.filter((request) => request.command === 'GetSipAccountsInCustomer')).not.toHaveLength(0);
  });

  it('logs out, when stdin ends, the Yemot session it logged in itself: its token is dead afterwards', async () => {
    const before = sandbox.requests.length;
    const run = await converse(['--toolsets', 'all'], { YEMOT_API_URL: sandbox.url, YEMOT_USERNAME: '0770000000', YEMOT_PASSWORD: 'sandbox-password' }, [...INITIALIZE, call(2, 'get_approved_caller_ids')]);
    expect((run.replies.find((reply) => reply.id === 2)?.result as { isError?: boolean }).isError).toBeUndefined();
    const sent = sandbox.requests.slice(before);
    const token = sent.find((request) => request.command === 'GetApprovedCallerIDs')?.params.token;
    expect(sent.map((request) => request.command).at(-1)).toBe('Logout');
    expect(sent.at(-1)?.params.token).toBe(token);
    expect((await caught(new YemotHttp({ baseUrl: sandbox.url }).send('GetApprovedCallerIDs', { token }))).code).toBe('SESSION_EXPIRED');
  });

  // Issue 29: a system number without its password (a half-filled Desktop form) used to stop the server at start-up.
  it('starts with missing credentials of any kind, lists its tools, and answers each call with the same AUTH_MISSING', async () => {
    const envs: Array<Record<string, string>> = [{}, { YEMOT_USERNAME: '0770000000' }, { YEMOT_USERNAME: '0770000000', YEMOT_PASSWORD: '' }, { YEMOT_PASSWORD: 'secret-pw-1' }];
    const runs = await Promise.all(
      envs.map((env) => converse([], env, [...INITIALIZE, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, call(3, 'read_account', { command: 'GetSession' }), call(4, 'send_sms', { message: 'x', phones: '0501234567' })])),
    );
    const answers = runs.flatMap((run, index) => {
      expectOnlyJsonRpc(run.stdout);
      const tools = (run.replies.find((reply) => reply.id === 2)?.result as { tools: unknown[] }).tools;
      expect(tools.length, JSON.stringify(envs[index])).toBeGreaterThan(10);
      expect(run.stderr).toMatch(/no complete Yemot credentials.*AUTH_MISSING/);
      expect(run.stderr + run.stdout.toString('utf8')).not.toContain('secret-pw-1');
      return [3, 4].map((id) => {
        const result = run.replies.find((reply) => reply.id === id)?.result as { isError: boolean; content: Array<{ text: string }> };
        expect(result.isError, JSON.stringify(envs[index])).toBe(true);
        return JSON.parse(result.content[0].text) as Record<string, unknown>;
      });
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0].error).toBe('AUTH_MISSING');
    expect(answers[0].message).toMatch(/system number needs its password/);
    expect(answers[0].next).toMatch(/YEMOT_TOKEN.*YEMOT_USERNAME.*--sandbox/);
  });

  it('runs against its built-in sandbox with --sandbox', async () => {
    const run = await converse(['--sandbox', '--toolsets', 'all'], { TZ: 'UTC' }, [...INITIALIZE, call(2, 'get_approved_caller_ids'), call(3, 'read_security', { command: 'GetAllSessions' }), call(4, 'mfa_list_methods')]);
    expectOnlyJsonRpc(run.stdout);
    const result = run.replies.find((reply) => reply.id === 2)?.result as { isError?: boolean; structuredContent: Record<string, unknown> };
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent.call).toBeDefined();
    expect(run.stderr).toContain('sandbox API at http://127.0.0.1:');
    // The simulated API keeps Israel's clock, as Yemot does, on a machine set to UTC: the session just made is now.
    const sessions = JSON.stringify((run.replies.find((reply) => reply.id === 3)?.result as { structuredContent: unknown }).structuredContent);
    const made = [...sessions.matchAll(/"createTimeIso":"([^"]+)"/g)].map((match) => Math.abs(Date.parse(match[1]) - Date.now()));
    expect(Math.min(...made), sessions).toBeLessThan(60_000);
    // Its two-factor dates keep the same clock (they were UTC, two hours off every other date an agent read).
    const methods = (run.replies.find((reply) => reply.id === 4)?.result as { structuredContent: { mfaMethods: Array<Record<string, unknown>> } }).structuredContent.mfaMethods;
    const email = methods.find((method) => method.NIKE === 'RESET_MAIL')!;
    expect(Math.abs(Date.parse(String(email.LAST_USEDIso)) - (Date.now() - 10 * 86_400_000)), JSON.stringify(email)).toBeLessThan(60_000);
  });

  it.each([['--help'], ['--version'], ['--toolsets', 'nope'], ['--allow', 'read,burn']])('%s writes to stderr only', (...args) => {
    const run = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8', input: '' });
    expect(run.stdout).toBe('');
    expect(run.stderr.length).toBeGreaterThan(0);
  });

  it('stops at start-up on an unknown name, listing the valid ones', () => {
    const run = spawnSync(process.execPath, [entry, '--toolsets', 'sip,nope'], { encoding: 'utf8', input: '' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown toolset.*nope.*Valid: campaigns, files/);
    const allow = spawnSync(process.execPath, [entry], { encoding: 'utf8', input: '', env: { PATH: process.env.PATH ?? '', YEMOT_ALLOW: 'read,burn' } });
    expect(allow.status).toBe(2);
    expect(allow.stderr).toMatch(/burn.*Valid: read, write, irreversible, delete, spend/);
  });
});
