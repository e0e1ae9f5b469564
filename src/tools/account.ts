import { z } from 'zod';
import { tool } from './command.js';

export const accountTools = [
  tool({
    name: 'get_transactions',
    command: 'GetTransactions',
    toolset: 'account',
    effect: 'read',
    summary: 'The units ledger: every charge, transfer and top-up with the balance after it; shows whether a spend went through.',
    params: {
      from: z.number().int().min(0).optional().describe('Show from this transaction on'),
      limit: z.number().int().min(1).max(10_000).optional().describe('Max rows'),
      filter: z.enum(['campaigns']).optional().describe('campaigns: only campaign charges'),
    },
    output: {
      transactions: z.array(
        z.looseObject({
          id: z.unknown(),
          transactionTime: z.unknown(),
          amount: z.unknown(),
          description: z.unknown().describe('Start-: a campaign charge; transfer to / transfer from: units moved; Units expired'),
          who: z.unknown().describe('An IP (website), a phone (by phone), ADMIN (support), TRANSFER, or expire'),
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
    command: 'PirsumPhoneManagement',
    toolset: 'account',
    effect: 'read',
    summary: 'Tell whether the system is registered to the Pirsum Phone advertising service.',
    actions: { GetRegistrationStatus: {} },
    params: {},
    output: { registrationStatus: z.boolean() },
    examples: [{}],
  }),
  tool({
    name: 'set_pirsum_phone_registration',
    command: 'PirsumPhoneManagement',
    toolset: 'account',
    effect: 'write',
    summary: 'Register the system to, or remove it from, the Pirsum Phone advertising service.',
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
