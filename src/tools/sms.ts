import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type Input } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { countNumbers, dateTime, phoneNumbers, smsSender } from '../call/params.js';
import { callsVerdict } from '../call/verdicts.js';
import { multiline } from '../call/sendable.js';

const sender = smsSender('Approved number, or a name if get_approved_caller_ids says sms.allowText');

/** SendSms refuses a sender that is not approved for SMS: asked first, so nobody confirms a message that cannot go. */
async function approvedSender(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<void> {
  if (input.from === undefined) return;
  const { answer } = await ctx.session.call('IsCallerIDApproved', { callerId: input.from, serviceType: 'sms' }, { retry: true, signal });
  if (answer.isApproved === true) return;
  throw new YemotError('CONFLICT', `from: ${String(input.from)} is not an approved SMS sender (IsCallerIDApproved: ${String(answer.reason ?? 'not approved')})`, {
    command: 'SendSms',
    hint: 'Nothing was sent and the person was not asked. Leave from out (the default sender), or use one get_approved_caller_ids lists under sms.',
  });
}

const smsCount = (input: Input) => {
  const count = countNumbers(input.phones) ?? 0;
  return `${count} message${count === 1 ? '' : 's'}`;
};

export const smsTools = [
  tool({
    name: 'send_sms',
    title: 'Send an SMS',
    command: 'SendSms',
    toolset: 'sms',
    effect: 'spend',
    summary: 'Send an SMS to numbers; draws SMS units per message (rate undocumented).',
    keywords: ['שלח', 'הודעה', 'מסרון', 'סמס', 'text message'],
    params: {
      message: multiline(z.string().min(1).max(1000).describe('The text')),
      phones: phoneNumbers('Numbers joined by ":"'),
      from: sender.optional(),
      sendFlashMessage: z.literal([0, 1]).optional().describe('1 = flash SMS (shown at once, not stored)'),
    },
    output: { message: z.unknown(), from: z.unknown(), sendCount: z.number(), Billing: z.unknown(), oks: z.array(z.unknown()), errors: z.unknown() },
    outcome: (answer) => callsVerdict(answer.errors, answer.sendCount, 'SMS'),
    confirm: (input) => `SendSms will send ${smsCount(input)}.`,
    price: { unit: 'SMS units', note: 'drawn per message; the rate is not documented' },
    precheck: approvedSender,
    verifyWith: 'get_sms_out_log',
    examples: [{ message: 'תזכורת: הפגישה מחר ב-10', phones: '0501234567:0527654321' }, { message: 'Hi', phones: '0501234567', from: '0770000000', sendFlashMessage: 1 }],
  }),
  tool({
    name: 'get_sms_out_log',
    title: 'Sent SMS log',
    command: 'GetSmsOutLog',
    toolset: 'sms',
    effect: 'read',
    summary: 'Sent SMS, newest first, with delivery reports (DELIVRD delivered; ESME_ROK only accepted).',
    keywords: ['נשלחו', 'דיווח מסירה', 'הודעות', 'סמס', 'delivered'],
    params: { limit: z.number().int().min(1).max(100_000).optional().describe('Default all') },
    output: { rows: z.array(z.looseObject({ CallerId: z.unknown(), To: z.unknown(), Message: z.unknown(), Billing: z.unknown(), Time: z.unknown(), DeliveryReport: z.unknown() })) },
    narrowWith: 'limit',
    examples: [{}, { limit: 20 }],
  }),
  tool({
    name: 'get_sms_transactions',
    title: 'SMS unit transactions',
    command: 'GetCustomerSmsTransactions',
    toolset: 'account',
    effect: 'read',
    summary: 'The last 2000 SMS-unit transactions (charges, top-ups, balance after).',
    keywords: ['יחידות סמס', 'סמס', 'balance'],
    params: {},
    output: { rows: z.array(z.looseObject({ transactionTime: z.unknown(), amount: z.unknown(), description: z.unknown(), newBalance: z.unknown(), expireDate: z.unknown(), who: z.unknown() })) },
    examples: [{}],
  }),
  tool({
    name: 'get_incoming_sms',
    title: 'Received SMS',
    command: 'GetIncomingSms',
    toolset: 'sms',
    effect: 'read',
    summary: 'SMS received, newest first.',
    keywords: ['הודעות נכנסות', 'התקבלו', 'סמס', 'received', 'inbox', 'replies', 'text messages'],
    params: {
      limit: z.number().int().min(1).max(3000).optional().describe('Default 100'),
      startDate: dateTime('From').optional(),
      endDate: dateTime('Until').optional(),
    },
    narrowWith: 'limit',
    output: { rows: z.array(z.looseObject({ source: z.unknown(), destination: z.unknown(), message: z.unknown(), receive_date: z.unknown() })) },
    examples: [
      { limit: 20 },
      { limit: 3000, startDate: '2025-01-01 00:00:00', endDate: '2030-01-01 00:00:00' },
    ],
  }),
];
