import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CallToolResultSchema, ElicitRequestSchema, McpError, type ElicitRequest, type ElicitResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import type { ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { createServer } from '../src/server.js';
import { readyExample } from './made-values.js';
import { startHarness, type CallOutcome, type Harness, type HarnessOptions } from './harness.js';
import { wireCommandOf } from './wire.js';

/**
 * Discovery mode (`--tool-mode discover`) through a real MCP client: three tools that find, describe and call
 * every tool the operator's policy registers. A discovery client shares its server's tool context with the
 * harness's direct client, so each guard is compared call for call with the direct tool.
 */

const SURFACE_BUDGET = 1_500;
const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
const byName = new Map(TOOLS.map((spec) => [spec.name, spec]));
const TOOL_DEFAULTS = ['campaigns', 'files', 'sms', 'tzintuk', 'account', 'mfa'];
const spec = (name: string): ToolSpec => byName.get(name)!;

interface Discovering {
  harness: Harness;
  client: Client;
  /** Calls one of the three discovery tools. */
  use(tool: 'yemot_search' | 'yemot_describe' | 'yemot_call', args: Record<string, unknown>): Promise<CallOutcome>;
  /** yemot_call of a tool with its arguments. */
  call(name: string, args?: Record<string, unknown>): Promise<CallOutcome>;
  close(): Promise<void>;
}

/** The harness (a direct client) and a discovery client on the same tool context, policy and simulator. */
async function startDiscovering(options: HarnessOptions = {}): Promise<Discovering> {
  const harness = await startHarness(options);
  const server = createServer({ ctx: harness.app.ctx, tools: harness.app.tools, version: 'test', toolMode: 'discover' });
  const client = new Client({ name: 'discovering', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const onElicit = options.onElicit;
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(request.params));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const use: Discovering['use'] = async (tool, args) => {
    const result = await client.callTool({ name: tool, arguments: args });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
    return { isError: result.isError === true, json: JSON.parse(text), text, structured: result.structuredContent as Record<string, unknown> | undefined };
  };
  return {
    harness,
    client,
    use,
    call: (name, args = {}) => use('yemot_call', { name, arguments: args }),
    async close() {
      await client.close();
      await server.close();
      await harness.close();
    },
  };
}

/** A direct call of a name the server does not list: the protocol's unknown-tool error, and nothing sent. */
async function expectDirectUnknown(harness: Harness, name: string, args: Record<string, unknown>) {
  const error = await harness.client.callTool({ name, arguments: args }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, name).toBeInstanceOf(McpError);
  expect(String((error as Error).message)).toContain(name);
  return String((error as Error).message);
}

/** A tool of the table the policy leaves off: NOT_ENABLED naming the setting that would serve it. */
const notEnabled = (setting: string) => ({ isError: true, json: expect.objectContaining({ error: 'NOT_ENABLED', settings: [setting], next: expect.stringContaining(setting) }) });

/** Requests for a command, without the isPass probes sent before gated calls. */
const sentFor = (harness: Harness, from: number, command: string) =>
  harness.since(from).filter((request) => request.command === command && request.params.action !== 'isPass');

describe('configuration', () => {
  it('takes --tool-mode and YEMOT_TOOL_MODE, direct by default, and names the valid modes on a bad value', () => {
    expect(loadConfig([], {}).toolMode).toBe('direct');
    expect(loadConfig(['--tool-mode', 'discover'], {}).toolMode).toBe('discover');
    expect(loadConfig(['--tool-mode=discover'], {}).toolMode).toBe('discover');
    expect(loadConfig([], { YEMOT_TOOL_MODE: 'discover' }).toolMode).toBe('discover');
    expect(loadConfig(['--tool-mode', 'direct'], { YEMOT_TOOL_MODE: 'discover' }).toolMode).toBe('direct');
    expect(() => loadConfig(['--tool-mode', 'lazy'], {})).toThrow(ConfigError);
    expect(() => loadConfig([], { YEMOT_TOOL_MODE: 'lazy' })).toThrow(/YEMOT_TOOL_MODE.*lazy.*Valid: direct, discover/);
  });
});

describe('the surface of discovery mode', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  });
  afterAll(() => sandbox.close());

  const listed = async (options: HarnessOptions) => {
    const discovering = await startDiscovering({ use: sandbox, ...options });
    const { tools } = await discovering.client.listTools();
    await discovering.close();
    return tools;
  };

  it('lists exactly the three tools, within the token budget, whatever the toolsets', async () => {
    const all = await listed({ argv: ['--toolsets', 'all'] });
    expect(all.map((tool) => tool.name)).toEqual(['yemot_search', 'yemot_describe', 'yemot_call']);
    const measured = tokens(all);
    process.stderr.write(`discovery surface: ${measured} tokens (o200k) for ${all.length} tools reaching ${TOOLS.length}\n`);
    expect(measured).toBeLessThanOrEqual(SURFACE_BUDGET);
    expect((await listed({ argv: [] })).map((tool) => tool.name)).toEqual(['yemot_search', 'yemot_describe', 'yemot_call']);
    for (const tool of all.filter((tool) => tool.name !== 'yemot_call')) expect(tool.annotations, tool.name).toEqual({ readOnlyHint: true });
  });

  // What each policy lets yemot_call reach, stated here: the mfa writes stay reachable under --read-only,
  // hanging up calls (act_on_calls kick, or a move to hangup) is irreversible: not reachable under read,write.
  it.each([
    [['--toolsets', 'all'], {}, 'spend', { destructiveHint: true }],
    [['--toolsets', 'all'], { YEMOT_ALLOW: 'read,write' }, 'write', { destructiveHint: false }],
    [['--toolsets', 'sip'], { YEMOT_ALLOW: 'read,write' }, 'write', { destructiveHint: false }],
    [['--read-only', '--toolsets', 'all'], {}, 'write', { destructiveHint: false }],
  ] as const)('annotates yemot_call with the strongest effect allowed (%j %j): %s', async (argv, env, effect, hints) => {
    const call = (await listed({ argv: [...argv], env: { ...env } })).find((tool) => tool.name === 'yemot_call')!;
    expect(call.annotations).toMatchObject(hints);
    expect(call.description).toContain(`strongest effect this server allows: ${effect}.`);
  });
});

describe('search and describe', () => {
  let discovering: Discovering;
  beforeAll(async () => {
    discovering = await startDiscovering({ sandbox: { mfa: 'hard' }, argv: ['--toolsets', 'all'] });
    // Listed first, so the client checks each search answer against the outputSchema it was given.
    await discovering.client.listTools();
  });
  afterAll(() => discovering.close());

  it('answers the best matches first, each with its command, effect and one line, and how many matched', async () => {
    const found = await discovering.use('yemot_search', { query: 'שלח הודעת SMS', limit: 3 });
    expect(found.isError, found.text).toBe(false);
    expect(found.structured).toEqual(found.json);
    const results = found.json.results as Array<Record<string, string>>;
    expect(results).toHaveLength(3);
    expect(found.json.found).toBeGreaterThanOrEqual(3);
    expect(results[0]).toEqual({ name: 'send_sms', title: 'Send an SMS', yemot: 'SendSms', effect: 'spend', summary: 'Send an SMS to numbers; draws SMS units per message (rate undocumented).' });
    // One line: the first sentence of a longer summary.
    const queue = (await discovering.use('yemot_search', { query: 'kick a caller out of the queue' })).json.results as Array<Record<string, string>>;
    const manage = queue.find((result) => result.name === 'manage_queue')!;
    expect(manage).toMatchObject({ title: 'Act on a queue', yemot: 'QueueManagement: kick | pause | unpause', effect: 'delete|write' });
    expect(manage.summary).not.toContain('. ');
  });

  it('lists a toolset in table order, and narrows words to one', async () => {
    const sip = await discovering.use('yemot_search', { toolset: 'sip', limit: 20 });
    expect((sip.json.results as Array<{ name: string }>).map((result) => result.name)).toEqual(TOOLS.filter((tool) => tool.toolset === 'sip').map((tool) => tool.name));
    expect(sip.json.found).toBe(TOOLS.filter((tool) => tool.toolset === 'sip').length);
    const narrowed = (await discovering.use('yemot_search', { query: 'delete', toolset: 'sip' })).json.results as Array<{ name: string }>;
    expect(narrowed[0].name).toBe('delete_sip_account');
    expect(narrowed.every((result) => spec(result.name).toolset === 'sip')).toBe(true);
  });

  it('says when nothing matched, and refuses a search with neither words nor toolset, naming the field', async () => {
    const none = await discovering.use('yemot_search', { query: 'bake a pizza' });
    expect(none.json).toMatchObject({ found: 0, results: [], next: expect.stringContaining('toolset') });
    for (const args of [{}, { query: '  ' }]) {
      const refused = await discovering.use('yemot_search', args);
      expect(refused.isError).toBe(true);
      expect(refused.json).toMatchObject({ error: 'INVALID_INPUT', message: expect.stringContaining('query') });
    }
    const bad = await discovering.use('yemot_search', { query: 'sms', limit: 500, colour: 'red' });
    expect(bad.json.error).toBe('INVALID_INPUT');
    expect(String(bad.json.message)).toMatch(/limit/);
    expect(String(bad.json.message)).toMatch(/colour/);
  });

  it('describes a tool with exactly the definition direct mode lists', async () => {
    const direct = (await discovering.harness.client.listTools()).tools;
    for (const name of ['send_sms', 'read_ivr', 'manage_queue', 'mfa_status']) {
      const described = await discovering.use('yemot_describe', { name });
      expect(described.isError, described.text).toBe(false);
      expect(described.json).toEqual(JSON.parse(JSON.stringify(direct.find((tool) => tool.name === name))));
    }
    const unknown = await discovering.use('yemot_describe', { name: 'send_pigeon' });
    expect(unknown.json).toMatchObject({ error: 'NOT_FOUND', next: expect.stringContaining('yemot_search') });
  });

  it('answers a direct tool name in discovery mode with the unknown-tool error, pointing to yemot_call', async () => {
    const message = await expectDirectUnknown({ ...discovering.harness, client: discovering.client }, 'send_sms', spec('send_sms').examples[0]);
    expect(message).toContain('yemot_call');
  });
});

describe('a default install: what is off is named, never offered', () => {
  let discovering: Discovering;
  beforeAll(async () => {
    discovering = await startDiscovering({ sandbox: { mfa: 'hard' }, argv: [] });
    await discovering.client.listTools();
  });
  afterAll(() => discovering.close());

  it('searches the whole table but offers only served tools; the toolset holding a better match is named with its setting', async () => {
    const found = await discovering.use('yemot_search', { query: 'which caller IDs are approved', limit: 5 });
    expect(found.isError, found.text).toBe(false);
    const names = (found.json.results as Array<{ name: string }>).map((result) => result.name);
    expect(names).not.toContain('get_approved_caller_ids');
    // The best match's toolset first.
    expect((found.json.off as unknown[])[0]).toEqual({ toolset: 'caller_ids', adds: 'Approved caller IDs and secondary numbers', turnOn: ['YEMOT_TOOLSETS'] });
    expect(String(found.json.next)).toMatch(/off/);
    // Listing an off toolset offers nothing and names it.
    const sip = await discovering.use('yemot_search', { toolset: 'sip' });
    expect(sip.json).toMatchObject({ found: 0, results: [], off: [{ toolset: 'sip', turnOn: ['YEMOT_TOOLSETS'] }] });
  });

  it('never offers a tool the server does not serve, over many requests', async () => {
    const served = new Set(discovering.harness.app.tools.map((tool) => tool.name));
    for (const query of ['hang up a call', 'create a SIP account', 'מחק את הקובץ', 'schedule a campaign every Sunday', 'who logged in', 'send an SMS', 'תור', 'approve a caller ID']) {
      const found = await discovering.use('yemot_search', { query, limit: 20 });
      for (const result of found.json.results as Array<{ name: string }>) expect(served, `${query}: ${result.name}`).toContain(result.name);
      for (const entry of (found.json.off ?? []) as Array<{ toolset: string }>) expect(TOOL_DEFAULTS).not.toContain(entry.toolset);
    }
  });

  it('answers describe and call of an off tool with NOT_ENABLED naming its toolset and the setting, sending nothing', async () => {
    const before = discovering.harness.sandbox.requests.length;
    const described = await discovering.use('yemot_describe', { name: 'get_approved_caller_ids' });
    const called = await discovering.call('get_approved_caller_ids');
    for (const refused of [described, called]) {
      expect(refused).toMatchObject(notEnabled('YEMOT_TOOLSETS'));
      expect(refused.json).toMatchObject({ tool: 'get_approved_caller_ids', toolset: 'caller_ids' });
      expect(String(refused.json.next)).toMatch(/YEMOT_TOOLSETS=default,caller_ids/);
    }
    expect(discovering.harness.since(before)).toHaveLength(0);
  });
});

describe('every tool of the table through yemot_call', () => {
  /** The two-factor flow works only before (hard) verification: those tools run on a session that has not passed. */
  const onFreshSession = (tool: ToolSpec) => Object.values(tool.actions ?? {}).some((action) => action.unavailableAfter);
  let hard: Sandbox;
  let fresh: Sandbox;
  beforeAll(async () => {
    hard = await startSandbox({ mfa: 'hard', log: () => undefined });
    fresh = await startSandbox({ mfa: 'not-passed', log: () => undefined });
  });
  afterAll(() => Promise.all([hard.close(), fresh.close()]));

  // Each first example from the demo account in a session of its own, as tools.e2e runs them: the request reaches
  // the simulator (an example whose value another call makes, a running campaign's id, may be refused by it there).
  it.each(TOOLS.map((tool) => [tool.name, tool] as const))('%s: its first example reaches the API', async (_name, tool) => {
    const sandbox = onFreshSession(tool) ? fresh : hard;
    sandbox.reset();
    const discovering = await startDiscovering({ use: sandbox, auth: 'login', argv: ['--toolsets', 'all'] });
    try {
      const args = await readyExample(discovering.harness, tool, tool.examples[0]);
      const before = sandbox.requests.length;
      const result = await discovering.call(tool.name, args);
      expect(['INVALID_INPUT', 'NOT_FOUND', 'NOT_ALLOWED', 'MFA_REQUIRED', 'HARD_AUTH_REQUIRED'], result.text).not.toContain(result.json.error);
      const command = wireCommandOf(tool, args);
      // The isPass probes sent before gated calls aside, unless isPass is the call itself.
      const sent = discovering.harness.since(before).filter((request) => request.command === command && !(request.params.action === 'isPass' && tool.name !== 'mfa_status'));
      expect(sent.length, result.text).toBeGreaterThanOrEqual(1);
    } finally {
      await discovering.close();
    }
  });

  it('refuses bad arguments of every tool exactly as the direct tool does, sending nothing', async () => {
    const discovering = await startDiscovering({ use: hard, argv: ['--toolsets', 'all'] });
    try {
      for (const tool of TOOLS) {
        const args = { ...tool.examples[0], notAParam: 1 };
        const before = hard.requests.length;
        const direct = await discovering.harness.call(tool.name, args);
        const discovered = await discovering.call(tool.name, args);
        expect(discovered, tool.name).toEqual(direct);
        expect(discovered.json.error, tool.name).toBe('INVALID_INPUT');
        expect(String(discovered.json.message), tool.name).toContain('notAParam');
        expect(hard.requests.slice(before), tool.name).toHaveLength(0);
      }
    } finally {
      await discovering.close();
    }
  });

  it('refuses a name it does not know, and arguments that are not an object', async () => {
    const discovering = await startDiscovering({ use: hard });
    try {
      const unknown = await discovering.call('send_pigeon', {});
      expect(unknown).toMatchObject({ isError: true, json: { error: 'NOT_FOUND', message: expect.stringContaining('send_pigeon') } });
      const bad = await discovering.use('yemot_call', { name: 'send_sms', arguments: 'hello' });
      expect(bad.json.error).toBe('INVALID_INPUT');
      expect(String(bad.json.message)).toMatch(/^yemot_call: arguments/);
    } finally {
      await discovering.close();
    }
  });
});

describe('each guard behaves exactly as through the direct tool', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  });
  afterAll(() => sandbox.close());

  it('--read-only: a write tool is not offered by search, and describe or call answers NOT_ENABLED; a mixed tool serves its read action only', async () => {
    const discovering = await startDiscovering({ use: sandbox, argv: ['--read-only', '--toolsets', 'all'] });
    try {
      const found = (await discovering.use('yemot_search', { query: 'send an SMS', limit: 20 })).json.results as Array<{ name: string; effect: string }>;
      expect(found.map((result) => result.name)).not.toContain('send_sms');
      expect(found.map((result) => result.name)).toContain('get_sms_out_log');
      for (const result of found) if (spec(result.name).toolset !== 'mfa') expect(result.effect, result.name).toBe('read');
      expect(await discovering.use('yemot_describe', { name: 'send_sms' })).toMatchObject(notEnabled('YEMOT_ALLOW'));
      const before = sandbox.requests.length;
      const called = await discovering.call('send_sms', spec('send_sms').examples[0]);
      expect(called).toMatchObject(notEnabled('YEMOT_ALLOW'));
      expect(await discovering.harness.call('send_sms', spec('send_sms').examples[0])).toEqual(called);
      expect(sandbox.requests.slice(before)).toHaveLength(0);

      const write = { command: 'CreateMusicOnHolds', name: 'sales', folderPath: '5/music' };
      const direct = await discovering.harness.call('music_on_hold', write);
      const discovered = await discovering.call('music_on_hold', write);
      expect(direct.json.error).toBe('NOT_ALLOWED');
      expect(discovered).toEqual(direct);
      expect(sandbox.requests.slice(before)).toHaveLength(0);
      const read = await discovering.call('music_on_hold', { command: 'GetMusicOnHoldByPath', path: '5' });
      expect(read.isError, read.text).toBe(false);
    } finally {
      await discovering.close();
    }
  });

  it('YEMOT_ALLOW=read,write: a delete action is NOT_ALLOWED, a spend tool NOT_ENABLED, as directly', async () => {
    const discovering = await startDiscovering({ use: sandbox, env: { YEMOT_ALLOW: 'read,write' } });
    try {
      const kick = { action: 'kick', queuePath: '/5', callIds: ['call-a'] };
      const before = sandbox.requests.length;
      const direct = await discovering.harness.call('manage_queue', kick);
      const discovered = await discovering.call('manage_queue', kick);
      expect(direct.json.error).toBe('NOT_ALLOWED');
      expect(discovered).toEqual(direct);
      const spend = await discovering.call('send_tts', spec('send_tts').examples[0]);
      expect(spend).toMatchObject(notEnabled('YEMOT_ALLOW'));
      expect(await discovering.harness.call('send_tts', spec('send_tts').examples[0])).toEqual(spend);
      expect(sandbox.requests.slice(before)).toHaveLength(0);
    } finally {
      await discovering.close();
    }
  });

  it('two-factor: MFA_REQUIRED on a session that has not passed, and the mfa tools stay reachable', async () => {
    const notPassed = await startSandbox({ mfa: 'not-passed', log: () => undefined });
    const discovering = await startDiscovering({ use: notPassed, argv: ['--read-only', '--toolsets', 'all'] });
    try {
      const direct = await discovering.harness.call('get_approved_caller_ids');
      const discovered = await discovering.call('get_approved_caller_ids');
      expect(direct.json.error).toBe('MFA_REQUIRED');
      expect(discovered).toEqual(direct);
      expect(notPassed.requests.filter((request) => request.command === 'GetApprovedCallerIDs')).toHaveLength(0);
      // Under --read-only the two-factor flow (writes) is still found and called.
      const found = (await discovering.use('yemot_search', { query: 'send me a verification code' })).json.results as Array<{ name: string }>;
      expect(found.map((result) => result.name)).toContain('mfa_send_code');
      const status = await discovering.call('mfa_status');
      expect(status.isError, status.text).toBe(false);
    } finally {
      await discovering.close();
      await notPassed.close();
    }
  });

  it('secrets: an answer is the direct one, its token and line passwords masked', async () => {
    const discovering = await startDiscovering({ use: sandbox });
    try {
      const args = { command: 'GetSession' };
      const direct = await discovering.harness.call('read_account', args);
      const discovered = await discovering.call('read_account', args);
      expect(direct.isError, direct.text).toBe(false);
      expect(discovered).toEqual(direct);
      expect(discovered.text).not.toContain(await discovering.harness.app.ctx.session.currentToken());
    } finally {
      await discovering.close();
    }
  });

  it('progress: a file uploaded in parts reports the same progress through yemot_call', async () => {
    const discovering = await startDiscovering({ use: sandbox, env: { YEMOT_UPLOAD_PART_BYTES: '1024' } });
    try {
      const upload = { path: '1/greeting.wav', base64: Buffer.alloc(2500, 7).toString('base64'), fileName: 'greeting.wav' };
      const progressOf = async (client: Client, name: string, args: Record<string, unknown>) => {
        const seen: Progress[] = [];
        const result = await client.callTool({ name, arguments: args }, CallToolResultSchema, { onprogress: (update) => void seen.push(update) });
        expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
        return seen;
      };
      const direct = await progressOf(discovering.harness.client, 'upload_file', upload);
      const discovered = await progressOf(discovering.client, 'yemot_call', { name: 'upload_file', arguments: upload });
      // Three parts of at most 1024 bytes, then done.
      expect(direct).toHaveLength(4);
      expect(discovered).toEqual(direct);
    } finally {
      await discovering.close();
    }
  });

  it('a declined confirmation: DECLINED after the same question, nothing sent', async () => {
    const asked: ElicitRequest['params'][] = [];
    const discovering = await startDiscovering({
      use: sandbox,
      capabilities: { elicitation: { form: {} } },
      onElicit: (request): ElicitResult => {
        asked.push(request);
        return { action: 'decline' };
      },
    });
    try {
      const before = sandbox.requests.length;
      const direct = await discovering.harness.call('send_tts', spec('send_tts').examples[0]);
      const discovered = await discovering.call('send_tts', spec('send_tts').examples[0]);
      expect(direct.json.error).toBe('DECLINED');
      expect(discovered).toEqual(direct);
      expect(asked).toHaveLength(2);
      expect(asked[1].message).toBe(asked[0].message);
      expect(sentFor(discovering.harness, before, 'SendTTS')).toHaveLength(0);
    } finally {
      await discovering.close();
    }
  });
});
