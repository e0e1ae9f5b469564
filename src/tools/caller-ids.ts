import { z } from 'zod';
import { tool } from '../call/command.js';
import { callerId, isTextSender, smsSender } from '../call/params.js';

export const callerIdTools = [
  tool({
    name: 'get_approved_caller_ids',
    title: 'Approved caller IDs',
    command: 'GetApprovedCallerIDs',
    toolset: 'caller_ids',
    effect: 'read',
    summary: 'List the numbers this system may show as caller ID for calls and for SMS (E.164). No expiry here: read_account GetCustomerData gives each added one its expiryDate and expired flag.',
    keywords: ['זיהוי שיחה', 'מספר מזהה', 'מספרים מאושרים', 'outgoing number', 'מספרים מורשים', 'use as caller ID', 'allowed numbers'],
    params: {},
    output: { call: z.looseObject({ mainDid: z.unknown(), secondaryDids: z.unknown(), callerIds: z.unknown() }), sms: z.looseObject({ smsId: z.unknown(), allowText: z.unknown() }) },
    examples: [{}],
  }),
  tool({
    name: 'check_caller_id',
    title: 'Check a caller ID',
    command: 'IsCallerIDApproved',
    toolset: 'caller_ids',
    effect: 'read',
    summary: 'Tell whether a number (for SMS also a sender name) is approved as caller ID for calls or SMS, and why.',
    keywords: ['זיהוי שיחה', 'מאושר', 'בדוק', 'שם שולח'],
    params: {
      callerId: smsSender('Number (sms: or a sender name)'),
      serviceType: z.enum(['call', 'sms']).optional().describe('Default call'),
    },
    check: (input) => (isTextSender(input.callerId) && input.serviceType !== 'sms' ? ['callerId: a sender name is checked for SMS only: give serviceType sms'] : []),
    output: { parsedCallerId: z.string(), isApproved: z.boolean(), reason: z.string() },
    examples: [{ callerId: '0770000000', serviceType: 'sms' }, { callerId: 'OrHaChaim', serviceType: 'sms' }],
  }),
  tool({
    name: 'set_secondary_did_usage',
    title: 'Route a secondary number',
    command: 'SetSecondaryDidUsageDescription',
    toolset: 'caller_ids',
    effect: 'write',
    summary: 'Route a secondary number to a SIP account (sip:N) or to an IVR extension (goto:/path).',
    keywords: ['מספר משני', 'מספר נוסף', 'ניתוב', 'secondary number', 'route'],
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
  tool({
    name: 'validate_caller_id',
    title: 'Approve a caller ID',
    command: 'ValidationCallerId',
    toolset: 'caller_ids',
    effect: 'spend',
    summary:
      'Approve a number as caller ID for a year: send texts or calls it a code (costs units at the normal rate) and answers reqId; valid checks the code the person received (reId = that reqId).',
    keywords: ['אישור', 'לאשר', 'זיהוי שיחה', 'מספר מזהה', 'approve', 'verify'],
    actions: {
      // A code sent shows only as its charge in the ledger; an approval shows in get_approved_caller_ids.
      send: { needs: ['callerId', 'validType'], verifyWith: 'get_transactions' },
      valid: { effect: 'write', needs: ['reId', 'code'] },
    },
    params: {
      callerId: callerId('Number to approve').optional(),
      validType: z.enum(['SMS', 'CALL']).optional().describe('How the code is sent'),
      reId: z.string().min(1).max(40).optional().describe('The reqId that send answered (the API spells it reId)'),
      code: z.string().regex(/^[0-9]{3,8}$/, 'must be the digits received').optional().describe('The code the person received'),
    },
    output: { reqId: z.unknown() },
    confirm: (input) => `ValidationCallerId send will ${input.validType === 'CALL' ? 'call' : 'text'} ${String(input.callerId)} a code (costs units at the normal rate).`,
    verifyWith: 'get_approved_caller_ids',
    examples: [
      { action: 'send', callerId: '0521234567', validType: 'SMS' },
      { action: 'valid', reId: '1', code: '1234' },
    ],
  }),
];
