import { McpError, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { actionParamOf, effectOf, EFFECTS, type Effect, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { startHarness, type Harness } from './harness.js';

/** The operator's policy and the person's confirmation, through a real MCP client. */

const byName = new Map(TOOLS.map((spec) => [spec.name, spec]));
const spec = (name: string): ToolSpec => byName.get(name)!;
const isMfa = (tool: ToolSpec) => tool.toolset === 'mfa';
/** Tools whose actions differ in effect, each action's effect stated here (the policy keeps a tool if any action is allowed). */
const MIXED: Record<string, Record<string, Effect>> = {
  manage_queue: { kick: 'delete', pause: 'write', unpause: 'write' },
  music_on_hold: { GetMusicOnHoldByPath: 'read', CreateMusicOnHolds: 'write', DeleteMusicOnHolds: 'delete' },
  validate_caller_id: { send: 'spend', valid: 'write' },
  // Issue 14: deleting rows, replacing or removing a list are deletes; adding numbers to a campaign and tasks that send spend.
  update_template_entries: { block: 'write', unblock: 'write', delete: 'delete' },
  upload_phone_list: { UPDATE: 'write', NEW: 'delete', REMOVE: 'delete' },
  // Issue 24: hanging up or stopping a campaign cannot be taken back; neither can ending a live call.
  campaign_action: { add: 'spend', block: 'write', hangup: 'irreversible', stop: 'irreversible', setPaused: 'write', setMaxActiveChannels: 'write', setMaxBridgedChannels: 'write' },
  act_on_calls: {
    'set:GOasap': 'write',
    'set:ConfbridgeNewGoto': 'write',
    // Issue 29: a live call's language.
    'set:Clanguage': 'write',
    'path:add': 'write',
    'path:remove': 'write',
    kick: 'irreversible',
    mute: 'write',
    unmute: 'write',
    raisehand: 'write',
    lowerhand: 'write',
  },
  create_task: { SendSMS: 'spend', RunTzintuk: 'spend', MoveOnFile: 'write' },
};
/** Writes that some inputs make stronger (issue 24): listed as their strongest, yet writes too. */
const ESCALATING: Record<string, Effect[]> = {
  update_task: ['write', 'spend'],
  set_sip_extension: ['write', 'irreversible'],
};
/** Reads that one param of this server's own makes a write on its machine (issue 25: download_file saveTo). */
const LOCAL_WRITES = new Set(['download_file']);
/**
 * What a tool can do, as tools/list tells an agent (readOnlyHint, destructiveHint), or MIXED for a mixed tool:
 * an expectation independent of the code that filters by policy. Irreversible, delete and spend look alike there; the
 * policies below allow neither.
 */
function effectsSeen(name: string, annotations: { readOnlyHint?: boolean; destructiveHint?: boolean } | undefined): Effect[] {
  if (MIXED[name]) return Object.values(MIXED[name]);
  if (ESCALATING[name]) return ESCALATING[name];
  if (LOCAL_WRITES.has(name)) return ['read', 'write'];
  return [annotations?.readOnlyHint ? 'read' : annotations?.destructiveHint ? 'delete' : 'write'];
}
/** The actions a listed tool offers in its input schema (its action enum); none for a tool without a choice. */
const offered = (tool: { name: string; inputSchema: { properties?: Record<string, object> } }): string[] =>
  (tool.inputSchema.properties?.[actionParamOf(spec(tool.name))] as { enum?: string[] } | undefined)?.enum ?? [];
let unrestricted: Array<{ name: string; annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean } }>;
/** Every tool with what it can do, from an unrestricted server's tools/list. */
const listedWith = (allowed: Set<Effect>) =>
  unrestricted.filter((tool) => isMfa(spec(tool.name)) || effectsSeen(tool.name, tool.annotations).some((effect) => allowed.has(effect))).map((tool) => tool.name).sort();

/** Requests for a command, without the isPass probes sent before gated calls. */
const sentFor = (harness: Harness, from: number, command: string) =>
  harness.since(from).filter((request) => request.command === command && request.params.action !== 'isPass');

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  const all = await startHarness({ use: sandbox, argv: ['--toolsets', 'all'] });
  unrestricted = (await all.client.listTools()).tools;
  await all.close();
});

describe('the mixed tools', () => {
  it('are exactly the tools whose actions differ in effect, with the effects stated above', () => {
    const mixed = TOOLS.filter((tool) => new Set(Object.keys(tool.actions ?? {}).map((action) => effectOf(tool, action))).size > 1);
    expect(Object.fromEntries(mixed.map((tool) => [tool.name, Object.fromEntries(Object.keys(tool.actions!).map((action) => [action, effectOf(tool, action)]))]))).toEqual(MIXED);
  });
});
afterAll(() => sandbox.close());

/** A tool of the table the policy hides: NOT_ENABLED naming the setting that would serve it, and nothing sent. */
async function expectNotEnabled(harness: Harness, name: string, args: Record<string, unknown>) {
  const before = harness.sandbox.requests.length;
  const refused = await harness.call(name, args);
  expect(refused.isError, `${name} should not be callable`).toBe(true);
  expect(refused.json, name).toMatchObject({ error: 'NOT_ENABLED', tool: name, settings: ['YEMOT_ALLOW'] });
  expect(String(refused.json.next)).toMatch(/Nothing was sent.*YEMOT_ALLOW/);
  expect(harness.since(before)).toHaveLength(0);
}

it('answers a name that is no tool of the table with the protocol error', async () => {
  const harness = await startHarness({ use: sandbox, argv: ['--read-only', '--toolsets', 'all'] });
  try {
    const error = await harness.client.callTool({ name: 'send_pigeon', arguments: {} }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(McpError);
    expect(String((error as Error).message)).toContain('send_pigeon');
  } finally {
    await harness.close();
  }
});

// An agent guessed copy_file and file_action, read "Unknown tool", and took the capability for missing.
it('names the nearest tools of the table to a guessed name, marking those this server does not serve', async () => {
  const harness = await startHarness({ use: sandbox, argv: [] });
  try {
    const guessed = await harness.client.callTool({ name: 'copy_file', arguments: {} }).catch((reason: unknown) => reason);
    expect(guessed).toBeInstanceOf(McpError);
    expect(String((guessed as Error).message)).toMatch(/Unknown tool: copy_file\. Nearest by name: .*copy_move_files \(toolset files_admin, off here\)/);
    const served = await harness.client.callTool({ name: 'upload_audio', arguments: {} }).catch((reason: unknown) => reason);
    expect(String((served as Error).message)).toMatch(/Nearest by name: upload_file[,.]/);
    const long = await harness.client.callTool({ name: `x${'y'.repeat(5000)}`, arguments: {} }).catch((reason: unknown) => reason);
    expect(String((long as Error).message).length).toBeLessThan(400);
  } finally {
    await harness.close();
  }
});

describe('--read-only', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ use: sandbox, argv: ['--read-only', '--toolsets', 'all'] });
  });
  afterAll(() => harness.close());

  it('lists only read tools, plus the always-present mfa toolset', async () => {
    const { tools } = await harness.client.listTools();
    const names = tools.map((tool) => tool.name).sort();
    expect(names).toEqual(listedWith(new Set(['read'])));
    expect(unrestricted.length).toBeGreaterThan(names.length);
    for (const tool of tools) {
      // A mixed tool with a read action stays, for that action only: the listing is a read tool's (issue 25).
      if (isMfa(spec(tool.name))) continue;
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      expect(tool.annotations?.destructiveHint, tool.name).not.toBe(true);
      expect(offered(tool), tool.name).toEqual(offered(tool).filter((action) => effectOf(spec(tool.name), action) === 'read'));
    }
    // Every read tool is there, and every mfa tool, writes included.
    for (const tool of TOOLS.filter((t) => t.effect === 'read' || isMfa(t))) expect(names).toContain(tool.name);
    expect(names).toEqual(expect.arrayContaining(['mfa_try', 'mfa_send_code', 'mfa_verify_code']));
    expect(names.filter((name) => MIXED[name])).toEqual(['music_on_hold']);
  });

  it('lists a mixed tool with its read actions only: the action enum, the params and the description are those of a read tool', async () => {
    const { tools } = await harness.client.listTools();
    const music = tools.find((tool) => tool.name === 'music_on_hold')!;
    expect(offered(music)).toEqual(['GetMusicOnHoldByPath']);
    expect(Object.keys(music.inputSchema.properties ?? {}).sort()).toEqual(['command', 'path']);
    // The human title stays; the description names the one command left.
    expect(music.title).toBe('Music on hold');
    expect(music.annotations).toEqual({ readOnlyHint: true });
    expect(music.description).toMatch(/Here only GetMusicOnHoldByPath: the operator allows no other action\./);
    expect(music.description).not.toMatch(/CreateMusicOnHolds|DeleteMusicOnHolds/);
    // Discovery mode describes the same narrowed tool.
    const discover = await startHarness({ use: sandbox, argv: ['--read-only', '--toolsets', 'all', '--tool-mode', 'discover'] });
    const described = await discover.call('yemot_describe', { name: 'music_on_hold' });
    expect(described.json).toMatchObject({ annotations: { readOnlyHint: true }, inputSchema: music.inputSchema });
    await discover.close();
  });

  it('serves only the read action of a mixed tool: the others are NOT_ALLOWED, and nothing is sent', async () => {
    const read = await harness.call('music_on_hold', { command: 'GetMusicOnHoldByPath', path: '5' });
    expect(read.isError, read.text).toBe(false);
    for (const args of [
      { command: 'CreateMusicOnHolds', name: 'sales', folderPath: '5/music' },
      { command: 'DeleteMusicOnHolds', name: 'sales' },
    ]) {
      const before = harness.sandbox.requests.length;
      const refused = await harness.call('music_on_hold', args);
      expect(refused.isError, refused.text).toBe(true);
      expect(refused.json.error).toBe('NOT_ALLOWED');
      expect(String(refused.json.message)).toContain(args.command);
      expect(harness.since(before)).toHaveLength(0);
    }
  });

  it('cannot call a write, delete or spend tool at all, and nothing is sent', async () => {
    const hidden = unrestricted.filter((tool) => !isMfa(spec(tool.name)) && !effectsSeen(tool.name, tool.annotations).includes('read'));
    expect(hidden.map((tool) => tool.name)).toEqual(expect.arrayContaining(['send_tts', 'delete_sip_account', 'manage_queue', 'set_sip_to_wss']));
    for (const tool of hidden) await expectNotEnabled(harness, tool.name, spec(tool.name).examples[0]);
  });

  it('still serves reads', async () => {
    const result = await harness.call('get_approved_caller_ids');
    expect(result.isError, result.text).toBe(false);
  });

  it('YEMOT_READ_ONLY=1 is the same', async () => {
    const other = await startHarness({ use: sandbox, env: { YEMOT_READ_ONLY: '1' }, argv: ['--toolsets', 'all'] });
    const [a, b] = await Promise.all([harness.client.listTools(), other.client.listTools()]);
    expect(b.tools.map((tool) => tool.name)).toEqual(a.tools.map((tool) => tool.name));
    await other.close();
  });
});

describe('YEMOT_ALLOW=read,write', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ use: sandbox, env: { YEMOT_ALLOW: 'read,write' } });
  });
  afterAll(() => harness.close());

  it('hides spend and delete tools, keeps a mixed tool that has a write action', async () => {
    const { tools } = await harness.client.listTools();
    const names = tools.map((tool) => tool.name);
    const allowed = new Set<Effect>(['read', 'write']);
    expect(names.sort()).toEqual(listedWith(allowed));
    for (const hidden of ['send_tts', 'bridge_calls_to_extension', 'delete_sip_account', 'remove_queue_callback', 'mfa_delete_method', 'mfa_delete_trust_token']) {
      expect(names).not.toContain(hidden);
    }
    for (const name of names) {
      const tool = spec(name);
      if (isMfa(tool)) continue;
      expect(effectsSeen(name, unrestricted.find((listed) => listed.name === name)?.annotations).some((effect) => allowed.has(effect)), name).toBe(true);
      if (tool.effect !== 'read' && tool.effect !== 'write') expect(MIXED, name).toHaveProperty(name);
    }
    expect(names).toEqual(expect.arrayContaining(['manage_queue', 'music_on_hold', 'validate_caller_id', 'act_on_calls']));
  });

  it('lists a mixed tool with its allowed actions only, annotated for the strongest of them', async () => {
    const { tools } = await harness.client.listTools();
    const queue = tools.find((tool) => tool.name === 'manage_queue')!;
    expect(offered(queue)).toEqual(['pause', 'unpause']);
    expect(queue.annotations).toEqual({ destructiveHint: false });
    expect(Object.keys(queue.inputSchema.properties ?? {})).not.toContain('callIds');
    for (const tool of tools) {
      if (isMfa(spec(tool.name))) continue;
      for (const action of offered(tool)) expect(['read', 'write'], `${tool.name} ${action}`).toContain(effectOf(spec(tool.name), action));
    }
  });

  it('refuses the delete action of the mixed tool with NOT_ALLOWED, sending nothing', async () => {
    const before = harness.sandbox.requests.length;
    const kick = await harness.call('manage_queue', { action: 'kick', queuePath: '/5', callIds: ['call-a'] });
    expect(kick.isError).toBe(true);
    expect(kick.json.error).toBe('NOT_ALLOWED');
    expect(String(kick.json.message)).toMatch(/QueueManagement kick.*delete/);
    expect(String(kick.json.next)).toMatch(/Nothing was sent/);
    expect(harness.since(before)).toHaveLength(0);
  });

  it('lets the write actions of the mixed tool through, once', async () => {
    const before = harness.sandbox.requests.length;
    const pause = await harness.call('manage_queue', { action: 'pause', queuePath: '/5', agent: 'agent1' });
    expect(pause.isError, pause.text).toBe(false);
    expect(sentFor(harness, before, 'QueueManagement')).toHaveLength(1);
  });

  it('cannot call a hidden tool', async () => {
    await expectNotEnabled(harness, 'send_tts', spec('send_tts').examples[0]);
    await expectNotEnabled(harness, 'delete_sip_account', spec('delete_sip_account').examples[0]);
  });
});

describe('a bad policy value stops start-up', () => {
  it('throws ConfigError listing the valid effects', () => {
    for (const [argv, env] of [
      [[], { YEMOT_ALLOW: 'read,destroy' }],
      [['--allow', 'everything'], {}],
      [['--allow=read,Write'], {}],
    ] as Array<[string[], Record<string, string>]>) {
      let thrown: unknown;
      try {
        loadConfig(argv, env);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify([argv, env])).toBeInstanceOf(ConfigError);
      const message = (thrown as Error).message;
      expect(message).toMatch(/destroy|everything|Write/);
      for (const effect of EFFECTS) expect(message).toContain(effect);
      expect(message).toMatch(/Valid: read, write, irreversible, delete, spend, all/);
    }
  });

  it('accepts the valid values', () => {
    expect([...loadConfig([], { YEMOT_ALLOW: 'read,write' }).policy.allow].sort()).toEqual(['read', 'write']);
    expect([...loadConfig(['--allow', 'all'], {}).policy.allow].sort()).toEqual([...EFFECTS].sort());
  });
});

describe('confirmation before spend and delete', () => {
  const SEND_TTS = spec('send_tts');
  const DELETE_SIP = spec('delete_sip_account');
  /** Arguments that do what they ask: the sandbox is shared, so delete_sip_account gets an account created for it. */
  const argsFor = async (harness: Harness, tool: ToolSpec) => {
    if (tool !== DELETE_SIP) return tool.examples[0];
    return { accountNumber: (await harness.call('create_sip_account', {})).json.accountNumber };
  };
  let asked: ElicitRequest['params'][] = [];
  let reply: ElicitResult = { action: 'decline' };
  let asking: Harness;

  beforeAll(async () => {
    asking = await startHarness({
      use: sandbox,
      capabilities: { elicitation: { form: {} } },
      onElicit: (request) => {
        asked.push(request);
        return reply;
      },
    });
  });
  afterAll(() => asking.close());

  const question = () => {
    expect(asked).toHaveLength(1);
    const [request] = asked;
    expect(request.mode ?? 'form').toBe('form');
    const schema = (request as { requestedSchema: { properties: Record<string, { type: string }>; required?: string[] } }).requestedSchema;
    expect(schema.properties.confirm.type).toBe('boolean');
    expect(schema.required).toContain('confirm');
    return request.message;
  };

  const refusals: Array<[string, ElicitResult]> = [
    ['decline', { action: 'decline' }],
    ['cancel', { action: 'cancel' }],
    ['accept without confirm', { action: 'accept', content: { confirm: false } }],
  ];

  describe.each(refusals)('%s', (_label, answer) => {
    it('send_tts: DECLINED, nothing sent; the question names the command and the number count', async () => {
      asked = [];
      reply = answer;
      const before = asking.sandbox.requests.length;
      const result = await asking.call('send_tts', SEND_TTS.examples[0]);
      expect(result.isError).toBe(true);
      expect(result.json.error).toBe('DECLINED');
      expect(result.json.command).toBe('SendTTS');
      expect(String(result.json.next)).toMatch(/Nothing was sent/);
      expect(sentFor(asking, before, 'SendTTS')).toHaveLength(0);
      const message = question();
      expect(message).toContain('SendTTS');
      expect(message).toContain('2 numbers');
    });

    it('delete_sip_account: DECLINED, nothing sent; the question names what gets deleted', async () => {
      asked = [];
      reply = answer;
      const before = asking.sandbox.requests.length;
      const result = await asking.call('delete_sip_account', DELETE_SIP.examples[0]);
      expect(result.isError).toBe(true);
      expect(result.json.error).toBe('DECLINED');
      expect(sentFor(asking, before, 'DeleteSipAccount')).toHaveLength(0);
      const message = question();
      expect(message).toContain('DeleteSipAccount');
      expect(message).toMatch(/SIP account\(s\) 2\b/);
    });
  });

  it('accept with confirm:true sends each request once', async () => {
    reply = { action: 'accept', content: { confirm: true } };
    for (const tool of [SEND_TTS, DELETE_SIP]) {
      const args = await argsFor(asking, tool);
      asked = [];
      const before = asking.sandbox.requests.length;
      const result = await asking.call(tool.name, args);
      expect(result.isError, result.text).toBe(false);
      expect(asked).toHaveLength(1);
      expect(sentFor(asking, before, tool.command)).toHaveLength(1);
    }
  });

  it('does not ask before reads and writes', async () => {
    asked = [];
    reply = { action: 'decline' };
    for (const name of ['get_approved_caller_ids', 'set_sip_to_wss', 'set_pirsum_phone_registration']) {
      const result = await asking.call(name, spec(name).examples[0]);
      expect(result.isError, result.text).toBe(false);
    }
    expect(asked).toHaveLength(0);
  });

  it('with --no-confirm no question is asked, and the request is sent once', async () => {
    const questions: unknown[] = [];
    const harness = await startHarness({
      use: sandbox,
      argv: ['--toolsets', 'all', '--no-confirm'],
      capabilities: { elicitation: { form: {} } },
      onElicit: (request) => {
        questions.push(request);
        return { action: 'decline' };
      },
    });
    for (const tool of [SEND_TTS, DELETE_SIP]) {
      const args = await argsFor(harness, tool);
      const before = harness.sandbox.requests.length;
      const result = await harness.call(tool.name, args);
      expect(result.isError, result.text).toBe(false);
      expect(sentFor(harness, before, tool.command)).toHaveLength(1);
    }
    expect(questions).toHaveLength(0);
    await harness.close();
  });

  it('a client without elicitation is not asked; the annotations let the host ask', async () => {
    const harness = await startHarness({ use: sandbox });
    const { tools } = await harness.client.listTools();
    for (const tool of [SEND_TTS, DELETE_SIP]) {
      const listed = tools.find((candidate) => candidate.name === tool.name)!;
      expect(listed.annotations).toEqual({ destructiveHint: true });
      const args = await argsFor(harness, tool);
      const before = harness.sandbox.requests.length;
      const result = await harness.call(tool.name, args);
      expect(result.isError, result.text).toBe(false);
      expect(sentFor(harness, before, tool.command)).toHaveLength(1);
    }
    await harness.close();
  });
});
