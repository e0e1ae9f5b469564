import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf, actionParamOf } from '../src/tools/command.js';
import { TOOLS } from '../src/tools/index.js';
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
    beforeAll(async () => {
      harness = await startHarness({ sandbox: { mfa } });
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
      if (typeof result.json.methodId !== 'undefined') resolved.set('NEW', String(result.json.methodId));
      if (Array.isArray(result.json.trustTokens) && result.json.trustTokens.length) resolved.set('TRUST', String((result.json.trustTokens[0] as { id: unknown }).id));
    });
  });
}

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
