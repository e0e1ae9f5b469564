import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

/** Agents repeat calls when they lose track; a repeated spend is money. */

const TTS = { phones: '0501234567:0527654321', ttsMessage: 'שלום' };
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const campaigns = (h: Harness, from: number) => h.since(from).filter((request) => request.command === 'SendTTS');

describe('duplicate spends', () => {
  it('eight identical send_tts calls send one campaign; the others are refused with DUPLICATE_SPEND and nothing is sent', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    const before = harness.sandbox.requests.length;
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await harness.call('send_tts', TTS));
    expect(results[0].isError, results[0].text).toBe(false);
    for (const result of results.slice(1)) {
      expect(result.isError).toBe(true);
      expect(result.json.error).toBe('DUPLICATE_SPEND');
      expect(typeof result.json.firstSentAt).toBe('string');
      expect(result.json.secondsAgo).toBeGreaterThanOrEqual(0);
      expect(String(result.json.next)).toContain('repeat: true');
    }
    expect(campaigns(harness, before)).toHaveLength(1);
  });

  it('repeat: true sends again, different arguments are a different spend, and repeat never reaches the API', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    const before = harness.sandbox.requests.length;
    expect((await harness.call('send_tts', TTS)).isError).toBe(false);
    expect((await harness.call('send_tts', { ...TTS, repeat: true })).isError).toBe(false);
    expect((await harness.call('send_tts', { ...TTS, ttsMessage: 'אחר' })).isError).toBe(false);
    const sent = campaigns(harness, before);
    expect(sent).toHaveLength(3);
    for (const request of sent) expect(request.params).not.toHaveProperty('repeat');
  });

  it('a spend the API refused is not remembered; one whose outcome is unknown is', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    harness.sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'not enough units' } }, { command: 'SendTTS' });
    expect((await harness.call('send_tts', TTS)).json.error).toBe('API_ERROR');
    expect((await harness.call('send_tts', TTS)).isError).toBe(false);
    const other = { ...TTS, ttsMessage: 'נוסף' };
    harness.sandbox.injectFault({ kind: 'reset' }, { command: 'SendTTS' });
    const unknown = await harness.call('send_tts', other);
    expect(unknown.json.outcomeUnknown).toBe(true);
    expect((await harness.call('send_tts', other)).json.error).toBe('DUPLICATE_SPEND');
  });

  it('the window is the operator\'s: YEMOT_DUPLICATE_WINDOW_SECONDS=0 turns the guard off', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' }, env: { YEMOT_DUPLICATE_WINDOW_SECONDS: '0' } });
    const before = harness.sandbox.requests.length;
    for (let i = 0; i < 3; i++) expect((await harness.call('send_tts', TTS)).isError).toBe(false);
    expect(campaigns(harness, before)).toHaveLength(3);
  });

  /**
   * Every tool that can spend units (validate_caller_id by its send action), as the vendor's docs and issues 13–15
   * name them: RunCampaign, ScheduleCampaign (when it fires), CampaignAction add, a SendSMS or RunTzintuk task, TransferUnits,
   * and (issue 24) UpdateTask that turns a task back on.
   */
  const SPENDING = [
    'bridge_calls_to_extension',
    'campaign_action',
    'create_bridge_call',
    'create_task',
    'run_campaign',
    'run_tzintuk',
    'schedule_campaign',
    'send_fax',
    'send_sms',
    'send_tts',
    'transfer_units',
    'update_task',
    'validate_caller_id',
  ];

  it('only tools that spend take repeat', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    const { tools } = await harness.client.listTools();
    const withRepeat = tools.filter((tool) => 'repeat' in ((tool.inputSchema.properties as object | undefined) ?? {})).map((tool) => tool.name);
    expect(withRepeat.sort()).toEqual(SPENDING);
  });
});
