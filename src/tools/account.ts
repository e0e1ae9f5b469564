import { z } from 'zod';
import { tool } from '../call/command.js';
import { callerId } from '../call/params.js';
import { mergeProfile, profileFields, refuseUnrevealedLinePasswords } from './security.js';

const TRANSFER_CODES: Record<number, string> = {
  111: 'Bad destination: no such system, or it may not receive units from this one. Nothing was moved.',
  112: 'Bad amount. Nothing was moved.',
  113: 'Not enough balance. Nothing was moved.',
};

// The API answers amounts as doubles and charges in tenths (0.1 a dialled number); hundredths are as fine as this
// server sends. Anything finer is no amount of units, and 1e-7 would go out as the text "1e-7".
const unitAmount = z
  .number()
  .positive()
  .max(1_000_000)
  .refine((value) => Math.round(value * 100) / 100 === value, { message: 'must be units with at most 2 decimals, e.g. 5 or 2.5' })
  .describe('Units to move (at most 2 decimals)');

export const accountTools = [
  tool({
    name: 'read_account',
    title: 'Account and units',
    command: 'GetSession',
    selects: 'command',
    toolset: 'account',
    effect: 'read',
    summary:
      'The profile and call units, or everything (SMS units, secondary numbers, approved caller IDs), or incoming minutes by date; line passwords masked.',
    keywords: ['יחידות', 'יתרה', 'נשאר', 'חשבון', 'פרופיל', 'balance', 'left', 'remaining'],
    actions: { GetSession: {}, GetCustomerData: {}, GetIncomingSum: { uses: ['from', 'to'] } },
    params: {
      from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd').optional().describe('First day, yyyy-MM-dd'),
      to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd').optional().describe('Last day, yyyy-MM-dd'),
    },
    output: {
      units: z.unknown(),
      secondary_dids: z.array(z.looseObject({ id: z.unknown(), did: z.unknown() })),
      callerIds: z.array(z.looseObject({ callerId: z.unknown() })),
      smsUnits: z.unknown(),
      direct: z.unknown(),
    },
    examples: [{ command: 'GetSession' }, { command: 'GetCustomerData' }, { command: 'GetIncomingSum', from: '2025-01-01', to: '2025-12-31' }],
  }),
  tool({
    name: 'set_customer_details',
    title: 'Change account details',
    command: 'SetCustomerDetails',
    toolset: 'account_admin',
    effect: 'write',
    summary: "Change the profile: give only the fields to change (the others are kept: the server reads the profile and sends every field); answers the profile as it now is.",
    keywords: ['פרטים', 'פרופיל', 'מייל', 'email', 'address'],
    params: profileFields,
    check: (input) => (Object.values(input).some((value) => value !== undefined) ? [] : ['(arguments): give at least one field to change']),
    refuse: refuseUnrevealedLinePasswords,
    prepare: mergeProfile,
    output: {},
    readBack: () => ({ command: 'GetSession', params: {} }),
    verifyWith: 'read_account',
    examples: [{ email: 'office@example.co.il' }, { organization: 'תלמוד תורה', contactName: 'משה' }],
  }),
  tool({
    name: 'transfer_units',
    title: 'Transfer units',
    command: 'TransferUnits',
    toolset: 'account_admin',
    effect: 'spend',
    summary: 'Move units to another Yemot system (irreversible); answers this system\'s balance after it.',
    keywords: ['העברת יחידות', 'העבר', 'יחידות', 'מערכת אחרת', 'give'],
    params: { destination: callerId('The system number to receive them'), amount: unitAmount },
    output: { destination: z.unknown(), amount: z.number(), newBalance: z.number() },
    confirm: (input) => `TransferUnits will move ${String(input.amount)} units to system ${String(input.destination)}, irreversibly.`,
    // The amount leaves this balance: the question shows what is left, and an amount past the balance is refused before it.
    quote: async (_ctx, input) => ({ cost: { unit: 'units', total: Number(input.amount), note: `moved to ${String(input.destination)}` } }),
    codes: TRANSFER_CODES,
    verifyWith: 'get_transactions',
    examples: [{ destination: '0779999999', amount: 5 }],
  }),
  tool({
    name: 'get_transactions',
    title: 'Units ledger',
    command: 'GetTransactions',
    toolset: 'account',
    effect: 'read',
    summary: 'The units ledger: every charge, transfer, top-up; shows whether a spend went through.',
    keywords: ['חיובים', 'חיוב', 'פירוט', 'היסטוריה', 'יחידות', 'charges', 'history', 'statement', 'spent', 'cost'],
    params: {
      from: z.number().int().min(0).optional().describe('From this transaction on'),
      limit: z.number().int().min(1).max(10_000).optional().describe('Max rows'),
      filter: z.enum(['campaigns']).optional().describe('campaigns: only campaign charges'),
    },
    output: {
      transactions: z.array(
        z.looseObject({
          id: z.unknown(),
          transactionTime: z.unknown(),
          amount: z.unknown(),
          description: z.unknown().describe('Start-: campaign charge; transfer to/from; Units expired'),
          who: z.unknown().describe('IP (website), phone, ADMIN (support), TRANSFER or expire'),
          newBalance: z.unknown(),
          campaignId: z.unknown(),
        }),
      ),
      totalCount: z.number(),
    },
    narrowWith: 'limit',
    examples: [{}, { limit: 10, filter: 'campaigns' }],
  }),
  tool({
    name: 'get_pirsum_phone_status',
    title: 'Pirsum Phone status',
    command: 'PirsumPhoneManagement',
    toolset: 'account_admin',
    effect: 'read',
    summary: 'Tell whether the system is registered to the Pirsum Phone advertising service.',
    keywords: ['פרסום פון', 'פרסומת'],
    actions: { GetRegistrationStatus: {} },
    params: {},
    output: { registrationStatus: z.boolean() },
    examples: [{}],
  }),
  tool({
    name: 'set_pirsum_phone_registration',
    title: 'Pirsum Phone registration',
    command: 'PirsumPhoneManagement',
    toolset: 'account_admin',
    effect: 'write',
    summary: 'Register the system to, or remove it from, the Pirsum Phone advertising service.',
    keywords: ['פרסום פון', 'פרסומת', 'הרשמה'],
    actions: { Registration: {}, UnRegistration: {} },
    params: {},
    output: { results: z.unknown() },
    verifyWith: 'get_pirsum_phone_status',
    examples: [
      { action: 'Registration' },
      { action: 'UnRegistration' },
    ],
  }),
];
