import { z } from 'zod';
import { ivrPath } from '../call/ivr-path.js';
import { tool, type Answer } from '../call/command.js';
import { callsVerdict as calls } from '../call/verdicts.js';
import { bridgingPhones, callerId, describeNumbers, MAX_CAMPAIGN_NUMBERS, numbersWithin, phoneString, zeroOrOne } from '../call/params.js';
import { multiline } from '../call/sendable.js';

export const campaignTools = [
  tool({
    name: 'send_tts',
    title: 'Call numbers with a spoken message',
    command: 'SendTTS',
    toolset: 'campaigns',
    effect: 'spend',
    summary: 'Call numbers and read them a text-to-speech message; 1 unit per answered call for the first minute, then pro rata.',
    keywords: ['הודעה קולית', 'הקראה', 'חייגן', 'voice message', 'robocall', 'announce'],
    params: {
      phones: phoneString,
      ttsMessage: multiline(z.string().min(1).max(5000).describe('Text to read')),
      callerId: callerId('Main number (default), approved or secondary').optional(),
      callbackUrl: z.string().url().max(500).optional().describe('Live POST hooks (UP, FAILD, DOWN, END); max 500 numbers'),
      repeatFile: z.number().int().min(1).max(100).optional().describe('Plays; default 2'),
      ttsRate: z.number().int().min(-10).max(10).optional().describe('Speed -10..10'),
      ttsVoice: z.string().max(50).optional().describe('Voice name'),
      SendMail: zeroOrOne('Email a campaign report').optional(),
    },
    check: (input) => (input.callbackUrl ? numbersWithin(MAX_CAMPAIGN_NUMBERS, 'with callbackUrl')(input) : []),
    output: {
      CampaignId: z.string(),
      OKCalls: z.number(),
      ErrorCalls: z.unknown(),
    },
    outcome: (answer: Answer) => calls(answer.ErrorCalls, answer.OKCalls),
    confirm: (input) => `SendTTS will call ${describeNumbers(input.phones)} and read them the message.`,
    // The forum prices an answered call; what an unanswered one costs it does not say, and the ledger shows the charge
    // as the campaign starts ("Start-", API-CATALOG §3): a ceiling, said as such.
    price: { perItem: 1, per: 'answered call (its first minute; then pro rata)', upTo: true, note: 'the docs price answered calls only; the ledger shows the charge as the campaign starts' },
    // What the person can follow afterwards, before they say yes (an agent learned it only after the spend).
    quote: async (_ctx, input) => ({
      note: `Afterwards get_campaign_status shows this campaign's report (phone, callerId, billing), not who answered${input.callbackUrl ? '; callbackUrl gets each call\'s events live' : ': give callbackUrl for live events, or run a template campaign (run_campaign), which can be watched'}.`,
    }),
    defaults: { repeatFile: 2 },
    follows: 'CampaignId',
    examples: [
      { phones: '0501234567:0527654321', ttsMessage: 'שלום, זו הודעת בדיקה' },
      { phones: '0501234567:0527654321', ttsMessage: 'שלום', callerId: '0770000000', repeatFile: 1, ttsRate: -3, ttsVoice: 'Osnat', SendMail: 1 },
      { phones: 'tpl:1', ttsMessage: 'hello', callbackUrl: 'https://example.com/hook' },
    ],
  }),
  tool({
    name: 'bridge_calls_to_extension',
    title: 'Call numbers into an extension',
    command: 'CallExtensionBridging',
    toolset: 'campaign_admin',
    effect: 'spend',
    summary: 'Call up to 500 numbers and connect each answered call into an IVR extension. Costs 0.1 unit per number dialled plus 1 unit/minute answered (min 0.5).',
    params: {
      phones: bridgingPhones,
      ivrPath: ivrPath('Extension to enter, e.g. 1/100'),
      callerId: callerId().optional(),
      callsTimeOut: z.number().int().min(1).max(35).optional().describe('Seconds to ring; default 30'),
    },
    check: numbersWithin(MAX_CAMPAIGN_NUMBERS, 'per call'),
    output: {
      module: z.string(),
      callerId: z.string(),
      callsCount: z.number(),
      errors: z.unknown(),
      campaignId: z.string(),
    },
    outcome: (answer: Answer) => calls(answer.errors, answer.callsCount),
    confirm: (input) => `CallExtensionBridging will dial ${describeNumbers(input.phones)} into ${String(input.ivrPath)}.`,
    price: { perItem: 0.1, per: 'number dialled', note: 'plus 1 unit per answered minute, minimum 0.5' },
    defaults: { callsTimeOut: 30 },
    follows: 'campaignId',
    examples: [
      { phones: '0501234567:0527654321', ivrPath: 'ivr2:/1/100' },
      { phones: '0501234567:0527654321', ivrPath: 'ivr2:/1/100', callsTimeOut: 35 },
      { phones: ['0501234567', '0527654321'], ivrPath: 'ivr2:/1/100' },
      { phones: [{ phone: '0501234567', callerId: '0770000000' }], ivrPath: 'ivr2:/1' },
      { phones: [{ phones: ['0501234567', '0527654321'], callerId: '0770000000' }], ivrPath: 'ivr2:/1', callerId: '0770000000' },
    ],
  }),
];
