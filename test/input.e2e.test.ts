import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionChoices, actionParamOf, paramsOfAction } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { startHarness, type Harness } from './harness.js';

const numbers = (count: number) => Array.from({ length: count }, (_, i) => `05${String(10_000_000 + i)}`);

/** Rules the docs state, each broken once: [tool, args, the field the refusal must name]. */
const BROKEN_RULES: Array<[string, Record<string, unknown>, string]> = [
  ['create_sip_account', { extNumber: 199 }, 'extNumber'],
  ['create_sip_account', { extNumber: 10_001 }, 'extNumber'],
  ['set_sip_extension', { extNumber: 12.5 }, 'extNumber'],
  ['send_tts', { phones: '0501234567', ttsMessage: 'x', ttsRate: 11 }, 'ttsRate'],
  ['send_tts', { phones: '0501234567', ttsMessage: 'x', ttsRate: -11 }, 'ttsRate'],
  ['send_tts', { phones: '0501234567', ttsMessage: 'x', SendMail: 2 }, 'SendMail'],
  ['send_tts', { phones: numbers(501).join(':'), ttsMessage: 'x', callbackUrl: 'https://example.com/h' }, 'phones'],
  ['send_tts', { ttsMessage: 'x' }, 'phones'],
  ['send_tts', { phones: '0501234567:not-a-number', ttsMessage: 'x' }, 'phones'],
  ['bridge_calls_to_extension', { phones: ['0501234567', '050 abc'], ivrPath: 'ivr2:/1' }, 'phones[1]'],
  ['bridge_calls_to_extension', { phones: '0501234567', ivrPath: 'ivr2:/1', callsTimeOut: 36 }, 'callsTimeOut'],
  ['bridge_calls_to_extension', { phones: numbers(501), ivrPath: 'ivr2:/1' }, 'phones'],
  ['bridge_calls_to_extension', { phones: numbers(501).join(':'), ivrPath: 'ivr2:/1' }, 'phones'],
  ['bridge_calls_to_extension', { phones: [{ phones: numbers(300), callerId: '1' }, { phones: numbers(201), callerId: '2' }], ivrPath: 'ivr2:/1' }, 'phones'],
  ['bridge_calls_to_extension', { phones: [{ number: '050' }], ivrPath: 'ivr2:/1' }, 'phones'],
  ['get_incoming_sms', { limit: 3001 }, 'limit'],
  ['get_incoming_sms', { startDate: '2025-06-01' }, 'startDate'],
  ['get_incoming_sms', { endDate: '2025-06-01T10:00:00Z' }, 'endDate'],
  ['render_ymgr_file', { wath: 'ivr2:/a.ymgr', convertType: 'pdf' }, 'convertType'],
  ['render_ymgr_file', { wath: 'ivr2:/a.ymgr', convertType: 'json', renderLanguage: 'he' }, 'renderLanguage'],
  ['check_caller_id', { callerId: '0770000000', serviceType: 'fax' }, 'serviceType'],
  ['set_secondary_did_usage', { secondaryDidId: 1, newUsage: 'ivr:/1' }, 'newUsage'],
  ['set_secondary_did_usage', { secondaryDidId: 1, newUsage: 'sip:abc' }, 'newUsage'],
  ['manage_queue', { action: 'kick', queuePath: '/5' }, 'callIds'],
  ['manage_queue', { action: 'pause', queuePath: '/5', agent: 'a', callIds: ['x'] }, 'callIds'],
  ['manage_queue', { action: 'evict', queuePath: '/5' }, 'action'],
  ['list_queue_callbacks', { action: 'getList' }, 'id'],
  ['mfa_send_code', { mfaId: 1, mfaSendType: 'FAX' }, 'mfaSendType'],
  ['mfa_verify_code', { mfaCode: 'abc' }, 'mfaCode'],
  ['mfa_verify_method', { action: 'validMethod', mfaId: '1' }, 'mfaCode'],
  ['mfa_add_method', { mfaNewType: 'FAX', mtaNewValue: 'x@y.z' }, 'mfaNewType'],
  ['mfa_add_method', { mfaNewType: 'EMAIL', mtaNewValue: 'x@y.z', newExpiredDate: '2030/01/01' }, 'newExpiredDate'],
  ['mfa_set_trust_ips', { trustIps: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`) }, 'trustIps'],
  ['mfa_set_trust_ips', { trustIps: Array.from({ length: 51 }, (_, i) => `10.0.0.${i}`).join('\n') }, 'trustIps'],
  ['delete_sip_account', { accountNumber: 'two' }, 'accountNumber'],
  ['list_queue_callbacks', { action: 'getQueues', id: 110 }, 'id: not used by action getQueues'],
  ['manage_queue', { action: 'pause', queuePath: '/5', agent: 'a', moreData: 'GOTO:/1' }, 'moreData: not used by action pause'],
  // Fields that take several shapes say which, and what is wrong in the closest one.
  ['bridge_calls_to_extension', { phones: [{ phone: '0501234567' }], ivrPath: 'ivr2:/1' }, 'phones[0].callerId: required in the {phone, callerId} form'],
  ['delete_sip_account', { accountNumber: ['1', '2'] }, 'accountNumber: expected a number, or an array of numbers; got an array of strings'],
  ['mfa_set_trust_ips', { trustIps: 12 }, 'trustIps: expected a string, or an array of strings; got a number'],
];

/** A valid value for every param an action needs or uses, to build otherwise valid calls. */
const SAMPLES: Record<string, unknown> = {
  callIds: ['call-a'],
  moreData: 'GOTO:/1',
  agent: 'agent1',
  queuePath: '/5',
  id: 110,
  mfaId: '6601',
  mfaSendType: 'EMAIL',
  lang: 'EN',
  autoOtpHostname: 'example.com',
  mfaCode: '123456',
  path: '1',
  what: '1/ext.ini',
  filesFrom: 0,
  filesLimit: 5,
  orderBy: 'name',
  orderDir: 'asc',
  TzintukimList: 'members',
  callerId: '0770000000',
  validType: 'SMS',
  reId: '1',
  code: '1234',
  name: 'sales',
  folderPath: '5/music',
  ids: 'call-1',
  target: 'hangup',
  templateId: 1,
  campaignId: '0770000000-1-2025-06-01-10-00-00-000-API',
  CampaignId: '3-0770000000-Yemot-1748772000000001',
  value: '1',
  type: 'PENDING',
  order: 'desc',
  from: 0,
  limit: 10,
  TaskId: 1,
  smsList: 'parents',
  smsMessage: 'תזכורת',
  toList: 'members',
  typeList: 'tzl',
  folder: '1/10',
  moveFileType: 'maxFile',
  blockMoveIfNewFileInMinutes: 5,
  minute: 0,
  hour: 9,
  day: 1,
  month: 1,
  year: 2030,
  days: [0, 3],
  ifAnyDay: 0,
  checkIsKodesh: 1,
  mailInEnd: 0,
  mailInError: 1,
  active: 1,
  description: 'weekly',
  username: '0770000000',
  SessionId: 2,
  to: '2025-12-31',
};
/** Where one name means different things in different tools: a MoveOnFile task's target folder, GetIncomingSum's date. */
const SAMPLES_OF: Record<string, Record<string, unknown>> = { create_task: { target: '2' }, read_account: { from: '2025-01-01' } };
const sampleOf = (tool: string, param: string) => (SAMPLES_OF[tool] && param in SAMPLES_OF[tool] ? SAMPLES_OF[tool][param] : SAMPLES[param]);

/** Every multi-action tool, every action, every param another action takes and this one does not. */
const STRAY_PARAMS = TOOLS.flatMap((spec) =>
  actionChoices(spec).flatMap((action) => {
    const own = paramsOfAction(spec, action);
    const valid = Object.fromEntries([actionParamOf(spec), ...own].map((param) => [param, param === actionParamOf(spec) ? action : sampleOf(spec.name, param)]));
    const stray = Object.keys(spec.params).filter((param) => !own.includes(param));
    return stray.map((param) => [spec.name, action, param, { ...valid, [param]: sampleOf(spec.name, param) }] as const);
  }),
);

describe('bad input is refused by field, before any request', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
  });
  afterAll(() => harness.close());

  async function expectRefused(tool: string, args: Record<string, unknown>, field: string) {
    const before = harness.sandbox.requests.length;
    const result = await harness.call(tool, args);
    expect(result.isError).toBe(true);
    expect(result.json.error).toBe('INVALID_INPUT');
    expect(String(result.json.message)).toContain(field);
    expect(harness.since(before)).toHaveLength(0);
  }

  it.each(BROKEN_RULES)('%s %j names %s', (tool, args, field) => expectRefused(tool, args, field));

  it('covers the param rules of every multi-action tool', () => {
    expect(STRAY_PARAMS.map(([tool, action, param]) => `${tool} ${action} ${param}`)).toEqual(
      expect.arrayContaining(['list_queue_callbacks getQueues id', 'manage_queue pause callIds', 'manage_queue kick agent', 'mfa_verify_method validMethod lang', 'read_ivr GetFile path', 'read_ivr GetIVR2DirStats filesLimit']),
    );
    for (const [tool, action, param, args] of STRAY_PARAMS) for (const [key, value] of Object.entries(args)) expect(value, `${tool} ${action}: a sample for ${key} (${param})`).toBeDefined();
  });

  it.each(STRAY_PARAMS)('%s %s refuses %s, a param of another action, by name', async (tool, action, param, args) => {
    await expectRefused(tool, args, `${param}: not used by action ${action}`);
    // The same call without the stray param goes through validation.
    const { [param]: _stray, ...valid } = args;
    const result = await harness.call(tool, valid);
    expect(result.json.error, result.text).not.toBe('INVALID_INPUT');
  });

  describe.each(TOOLS.map((spec) => [spec.name, spec] as const))('%s', (name, spec) => {
    it('refuses an unknown field by name', () => expectRefused(name, { ...spec.examples[0], surprise: true }, 'surprise'));
    it.each(Object.keys(spec.params))('refuses a wrong type for %s by name', (param) => expectRefused(name, { ...spec.examples[0], [param]: { wrong: true } }, param));
  });
});
