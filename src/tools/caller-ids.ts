import { z } from 'zod';
import { tool } from './command.js';
import { callerId } from './params.js';

export const callerIdTools = [
  tool({
    name: 'get_approved_caller_ids',
    command: 'GetApprovedCallerIDs',
    toolset: 'caller_ids',
    effect: 'read',
    summary: 'List the numbers this system may show as caller ID for calls and for SMS (E.164).',
    params: {},
    output: { call: z.looseObject({ mainDid: z.unknown(), secondaryDids: z.unknown(), callerIds: z.unknown() }), sms: z.looseObject({ smsId: z.unknown(), allowText: z.unknown() }) },
    examples: [{}],
  }),
  tool({
    name: 'check_caller_id',
    command: 'IsCallerIDApproved',
    toolset: 'caller_ids',
    effect: 'read',
    summary: 'Tell whether a number is approved as caller ID for calls or SMS, and why.',
    params: {
      callerId: callerId('Number to check'),
      serviceType: z.enum(['call', 'sms']).optional().describe('Default call'),
    },
    output: { parsedCallerId: z.string(), isApproved: z.boolean(), reason: z.string() },
    examples: [{ callerId: '0770000000', serviceType: 'sms' }],
  }),
  tool({
    name: 'set_secondary_did_usage',
    command: 'SetSecondaryDidUsageDescription',
    toolset: 'caller_ids',
    effect: 'write',
    summary: 'Route a secondary number to a SIP account (sip:N) or to an IVR extension (goto:/path).',
    params: {
      secondaryDidId: z.number().int().min(1).describe('Secondary number id, from the account data (GetCustomerData)'),
      newUsage: z
        .string()
        .max(300)
        .regex(/^(sip:\d+|goto:\/[A-Za-z0-9\u05D0-\u05EA/]*)$/, 'must be sip:<digits> or goto:/<path of letters, digits, Hebrew letters>')
        .describe('sip:5 (SIP account 5) or goto:/1/20/11 (an extension)'),
    },
    output: { status: z.unknown() },
    examples: [
      { secondaryDidId: 1, newUsage: 'goto:/1/20' },
      { secondaryDidId: 1, newUsage: 'goto:/1/20/11' },
      { secondaryDidId: 2, newUsage: 'sip:1' },
    ],
  }),
];
