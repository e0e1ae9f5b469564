import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf, actionParamOf } from '../src/tools/command.js';
import { TOOLS } from '../src/tools/index.js';
import type { ValidateFunction } from 'ajv';
import { strictAjv } from './ajv.js';
import { startHarness, type Harness } from './harness.js';

interface Case {
  tool: string;
  args: Record<string, unknown>;
  /** The command's documented JSON-only rule, or array/object values. */
  json?: boolean;
}

/** One case per command and per action; every tool of the table appears (checked below). */
const PASSED_SESSION: Case[] = [
  { tool: 'mfa_status', args: {} },
  { tool: 'mfa_list_methods', args: {} },
  { tool: 'send_tts', args: { phones: '0501234567:0527654321', ttsMessage: 'שלום', callerId: '0770000000', repeatFile: 1, ttsRate: -3, ttsVoice: 'Osnat', SendMail: 1 } },
  { tool: 'send_tts', args: { phones: 'tpl:1', ttsMessage: 'hello', callbackUrl: 'https://example.com/hook' } },
  { tool: 'bridge_calls_to_extension', args: { phones: '0501234567:0527654321', ivrPath: 'ivr2:/1/100', callsTimeOut: 35 } },
  { tool: 'bridge_calls_to_extension', args: { phones: ['0501234567', '0527654321'], ivrPath: 'ivr2:/1/100' }, json: true },
  { tool: 'bridge_calls_to_extension', args: { phones: [{ phone: '0501234567', callerId: '0770000000' }], ivrPath: 'ivr2:/1' }, json: true },
  { tool: 'bridge_calls_to_extension', args: { phones: [{ phones: ['0501234567', '0527654321'], callerId: '0770000000' }], ivrPath: 'ivr2:/1', callerId: '0770000000' }, json: true },
  { tool: 'render_ymgr_file', args: { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'json', notLoadLang: 1, renderLanguage: 'EN' } },
  { tool: 'render_ymgr_file', args: { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'csv' } },
  { tool: 'render_ymgr_file', args: { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'html' } },
  { tool: 'check_folder_exists', args: { path: '1' } },
  { tool: 'get_folder_stats', args: { path: '/' } },
  { tool: 'get_sms_transactions', args: {} },
  { tool: 'get_incoming_sms', args: { limit: 3000, startDate: '2025-01-01 00:00:00', endDate: '2030-01-01 00:00:00' } },
  { tool: 'get_approved_caller_ids', args: {} },
  { tool: 'check_caller_id', args: { callerId: '0770000000', serviceType: 'sms' } },
  { tool: 'set_secondary_did_usage', args: { secondaryDidId: 1, newUsage: 'goto:/1/20/11' } },
  { tool: 'set_secondary_did_usage', args: { secondaryDidId: 2, newUsage: 'sip:1' } },
  { tool: 'manage_queue', args: { action: 'pause', queuePath: '/5', agent: 'agent1' }, json: true },
  { tool: 'manage_queue', args: { action: 'unpause', queuePath: '/5', agent: 'agent1' }, json: true },
  { tool: 'manage_queue', args: { action: 'kick', queuePath: '/5', callIds: ['call-a', 'nope'], moreData: 'GOTO:/1' }, json: true },
  { tool: 'list_queue_callbacks', args: { action: 'getQueues' } },
  { tool: 'list_queue_callbacks', args: { action: 'getList', id: 110 } },
  { tool: 'remove_queue_callback', args: { id: 84299 } },
  { tool: 'get_pirsum_phone_status', args: {} },
  { tool: 'set_pirsum_phone_registration', args: { action: 'Registration' } },
  { tool: 'set_pirsum_phone_registration', args: { action: 'UnRegistration' } },
  { tool: 'create_sip_account', args: { extNumber: 250 } },
  { tool: 'create_sip_account', args: {} },
  { tool: 'list_sip_accounts', args: {} },
  { tool: 'set_sip_to_wss', args: { accountNumber: 1 } },
  { tool: 'set_sip_to_udp', args: {} },
  { tool: 'edit_sip_caller_id', args: { accountNumber: 1, callerId: '0770000000' } },
  { tool: 'get_sip_extension', args: { accountNumber: 1 } },
  { tool: 'set_sip_extension', args: { accountNumber: 1, extNumber: 10000 } },
  { tool: 'set_sip_extension', args: { accountNumber: 1 } },
  { tool: 'get_sip_contexts', args: { accountNumber: 1 } },
  { tool: 'get_sip_registration_status', args: {} },
  { tool: 'delete_sip_account', args: { accountNumber: 2 } },
  { tool: 'delete_sip_account', args: { accountNumber: [3, 4] }, json: true },
  { tool: 'mfa_add_method', args: { mfaNewType: 'EMAIL', mtaNewValue: 'office@example.co.il', mtaNewValidNote: 'office', newExpiredDate: '2030-01-01 00:00:00' } },
  { tool: 'mfa_verify_method', args: { action: 'reValidMethod', mfaId: 'NEW', mfaSendType: 'EMAIL', lang: 'EN' } },
  { tool: 'mfa_verify_method', args: { action: 'validMethod', mfaId: 'NEW', mfaCode: 'CODE' } },
  { tool: 'mfa_list_trust', args: { action: 'getMFATrustTokens' } },
  { tool: 'mfa_list_trust', args: { action: 'getMFATrustIps' } },
  { tool: 'mfa_set_trust_ips', args: { trustIps: '203.0.113.7\n2001:db8::1' } },
  { tool: 'mfa_set_trust_ips', args: { trustIps: ['203.0.113.8'] }, json: true },
  { tool: 'mfa_delete_trust_token', args: { trustTokenId: 'TRUST' } },
  { tool: 'mfa_delete_method', args: { mfaId: 'NEW' } },
];

/** The verification flow itself runs on a session that has not passed. */
const FRESH_SESSION: Case[] = [
  { tool: 'mfa_try', args: {} },
  { tool: 'mfa_send_code', args: { mfaId: 1, mfaSendType: 'SMS', lang: 'EN', autoOtpHostname: 'example.com' } },
  { tool: 'mfa_verify_code', args: { mfaCode: 'CODE', mfaRememberMe: true, mfaRememberNote: 'my laptop' } },
];

const byName = new Map(TOOLS.map((spec) => [spec.name, spec]));

/** What the simulator must receive: the arguments, the action under the API's field name, and the token. */
function expectedWire(testCase: Case, token: string): Record<string, unknown> {
  const spec = byName.get(testCase.tool)!;
  const action = actionOf(spec, testCase.args);
  const wire: Record<string, unknown> = { ...testCase.args, token };
  if (action) wire[actionParamOf(spec)] = action;
  if (testCase.json) return wire;
  return Object.fromEntries(Object.entries(wire).map(([key, value]) => [key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value)]));
}

function runCases(title: string, cases: Case[], mfa: 'hard' | 'not-passed') {
  describe(title, () => {
    let harness: Harness;
    const resolved = new Map<string, string>();
    const outputValidators = new Map<string, ValidateFunction>();
    beforeAll(async () => {
      harness = await startHarness({ sandbox: { mfa } });
      const ajv = strictAjv();
      for (const listed of (await harness.client.listTools()).tools) outputValidators.set(listed.name, ajv.compile(listed.outputSchema!));
    });
    afterAll(() => harness.close());

    it.each(cases.map((testCase) => [`${testCase.tool} ${JSON.stringify(testCase.args)}`, testCase] as const))('%s', async (_title, testCase) => {
      // Some ids only exist once an earlier case created them.
      const args = JSON.parse(JSON.stringify(testCase.args), (_key, value) => (typeof value === 'string' && resolved.has(value) ? resolved.get(value) : value));
      if (args.mfaCode === 'CODE') args.mfaCode = harness.sandbox.mfa.lastCode();
      const spec = byName.get(testCase.tool)!;
      const before = harness.sandbox.requests.length;
      const result = await harness.call(testCase.tool, args);
      expect(result.isError, result.text).toBe(false);
      const sent = harness.since(before).filter((request) => request.command === spec.command && !(request.params.action === 'isPass' && testCase.tool !== 'mfa_status'));
      expect(sent).toHaveLength(1);
      const [request] = sent;
      expect(request.method).toBe('POST');
      expect(request.url).not.toContain(harness.sandbox.token);
      expect(request.contentType).toBe(testCase.json || spec.json ? 'application/json' : 'application/x-www-form-urlencoded');
      expect(request.params).toEqual(expectedWire({ ...testCase, args }, harness.sandbox.token));
      expect(result.structured).toEqual(result.json);
      // What tools/list promised: the answer fits the output schema, and is never an empty object.
      const fits = outputValidators.get(testCase.tool)!;
      expect(fits(result.structured), JSON.stringify(fits.errors)).toBe(true);
      expect(Object.keys(result.json).length, result.text).toBeGreaterThan(0);
      if (typeof result.json.methodId !== 'undefined') resolved.set('NEW', String(result.json.methodId));
      if (Array.isArray(result.json.trustTokens) && result.json.trustTokens.length) resolved.set('TRUST', String((result.json.trustTokens[0] as { id: unknown }).id));
    });
  });
}

describe('an OK answer that did none of what was asked is an error with a stable code, keeping the answer', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
  });
  afterAll(() => harness.close());

  it.each([
    // The simulator refuses 3-digit and 7-digit numbers, as the docs' examples show the API doing.
    ['send_tts', { phones: '123', ttsMessage: 'x' }, { OKCalls: 0, ErrorCalls: { '123': expect.any(String) } }],
    ['bridge_calls_to_extension', { phones: '0510001', ivrPath: 'ivr2:/1' }, { callsCount: 0, errors: { '0510001': expect.any(String) } }],
    ['manage_queue', { action: 'kick', queuePath: '/5', callIds: ['gone'] }, { status: { gone: 'Call not found' } }],
    ['delete_sip_account', { accountNumber: 99 }, { affected_rows: 0 }],
  ] as const)('%s %j', async (tool, args, fields) => {
    const result = await harness.call(tool, args);
    expect(result.isError, result.text).toBe(true);
    expect(result.json).toMatchObject({ error: 'NOTHING_DONE', command: byName.get(tool)!.command, ...fields });
    expect(result.json).not.toHaveProperty('outcomeUnknown');
  });

  it('keeps a partial success an OK answer with its warning', async () => {
    const result = await harness.call('manage_queue', { action: 'kick', queuePath: '/5', callIds: ['call-b', 'gone'] });
    expect(result.isError, result.text).toBe(false);
    expect(result.json).toMatchObject({ warning: expect.stringContaining('1 of 2'), status: { 'call-b': 'OK', gone: 'Call not found' } });
  });

  it('says what an answer without fields did', async () => {
    expect((await harness.call('set_sip_to_wss', { accountNumber: 1 })).json).toEqual({ done: 'SIP account 1 now uses WSS' });
    expect((await harness.call('manage_queue', { action: 'pause', queuePath: '/5', agent: 'agent1' })).json).toEqual({ done: 'QueueManagement pause done (queuePath /5, agent agent1)' });
  });
});

describe('every documented command and action, through a real MCP client against the simulator', () => {
  it('has a case for every tool and every action', () => {
    const covered = new Set([...PASSED_SESSION, ...FRESH_SESSION].map((c) => `${c.tool}:${actionOf(byName.get(c.tool)!, c.args) ?? ''}`));
    for (const spec of TOOLS) {
      const actions = Object.keys(spec.actions ?? { '': {} });
      for (const action of actions) expect(covered, `${spec.name} ${action}`).toContain(`${spec.name}:${action}`);
    }
  });
  runCases('on a session with hard authentication', PASSED_SESSION, 'hard');
  runCases('on a session that has not passed two-factor', FRESH_SESSION, 'not-passed');
});
