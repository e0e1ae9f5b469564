import { z } from 'zod';
import { tool, type Input } from '../call/command.js';
import { bridgingPhones, callerId, describeNumbers, MAX_CAMPAIGN_NUMBERS, numbersWithin } from '../call/params.js';
import { callsVerdict } from '../call/verdicts.js';

const isFreeList = (input: Input) => input.tzintukLists !== undefined || (typeof input.phones === 'string' && /^tzl:/i.test(input.phones));

const listName = z.string().min(1).max(100).describe('List name');

const MAX_LISTS = 20;

export const tzintukTools = [
  tool({
    name: 'run_tzintuk',
    title: 'Send a tzintuk',
    command: 'RunTzintuk',
    toolset: 'tzintuk',
    effect: 'spend',
    summary:
      'Send a tzintuk (a short ring; 0.1 unit a number, free to a free list); callerId RAND verifies a phone by verifyCode.',
    keywords: ['צינתוק', 'צינתוקים', 'שלח', 'ring', 'missed call'],
    params: {
      phones: bridgingPhones.optional(),
      tzintukLists: z.array(z.string().min(1).max(100)).min(1).max(MAX_LISTS).optional().describe('Free lists, instead of phones (one client\'s reading)'),
      callerId: callerId('Main number (default), approved or secondary, or RAND', { rand: true }).optional(),
      TzintukTimeOut: z.number().min(1).max(16).optional().describe('Seconds; default 9'),
    },
    check: (input) => [
      ...(input.phones === undefined === (input.tzintukLists === undefined) ? ['phones, tzintukLists: give exactly one of them'] : []),
      ...numbersWithin(MAX_CAMPAIGN_NUMBERS, 'per call')(input),
      ...(input.callerId === 'RAND' && (typeof input.phones !== 'string' || /^(tpl|tzl):/i.test(input.phones)) ? ['phones: with callerId RAND, one number (RAND calls only the first; no lists)'] : []),
    ],
    // Several free lists go as phones "tzl:" beside tzintukLists (ZV, API-CATALOG §6).
    prepare: async (_ctx, input) => (input.tzintukLists === undefined ? input : { ...input, phones: 'tzl:' }),
    output: {
      callerId: z.string(),
      callsCount: z.number(),
      verifyCode: z.string().describe('RAND: ask the person the last 4 digits of the number that rang them; compare'),
      errors: z.unknown(),
    },
    outcome: (answer) =>
      callsVerdict(answer.errors, answer.callsCount, 'tzintuk') ??
      (answer.verifyCode ? { note: `Ask the person for the last 4 digits of the number that just rang them; they must equal verifyCode (${String(answer.verifyCode)}).` } : undefined),
    confirm: (input) =>
      `RunTzintuk will ring ${input.tzintukLists ? `the free lists ${(input.tzintukLists as string[]).join(', ')}` : describeNumbers(input.phones)}${input.callerId === 'RAND' ? ' from a random number (phone verification)' : ''}.`,
    price: { perItem: 0.1, per: 'number', note: 'free to a free tzintuk list, tzl:', free: isFreeList },
    defaults: { TzintukTimeOut: 9 },
    verifyWith: 'get_transactions',
    follows: 'campaignId',
    examples: [
      { phones: '0501234567:0527654321' },
      { phones: '0501234567', callerId: 'RAND', TzintukTimeOut: 16 },
      { phones: 'tzl:members' },
      { phones: [{ phone: '0501234567', callerId: '0770000000' }] },
      { tzintukLists: ['members', 'parents'] },
    ],
  }),
  tool({
    name: 'tzintuk_lists',
    title: 'Tzintuk lists',
    command: 'TzintukimListManagement',
    toolset: 'tzintuk',
    effect: 'read',
    summary:
      'Free tzintuk lists (getlists), one list\'s members (getlistEnteres) or its join/leave log (getLogList).',
    keywords: ['רשימות צינתוקים', 'צינתוק', 'נרשם', 'נרשמים', 'מצטרפים', 'subscribers', 'joined'],
    actions: { getlists: {}, getlistEnteres: { needs: ['TzintukimList'] }, getLogList: { needs: ['TzintukimList'] } },
    params: { TzintukimList: listName.optional() },
    output: {
      lists: z.array(z.looseObject({ listName: z.unknown(), subscribers: z.unknown() })),
      enteres: z.array(z.looseObject({ phone: z.unknown(), active: z.unknown() })),
      events: z.array(z.looseObject({ Phone: z.unknown(), TypeOperation: z.unknown() })),
    },
    examples: [{ action: 'getlists' }, { action: 'getlistEnteres', TzintukimList: 'members' }, { action: 'getLogList', TzintukimList: 'members' }],
  }),
  tool({
    name: 'reset_tzintuk_list',
    title: 'Reset a tzintuk list',
    command: 'TzintukimListManagement',
    toolset: 'tzintuk',
    effect: 'delete',
    summary: 'Reset a free tzintuk list (resetList); what it clears is undocumented.',
    keywords: ['רשימת צינתוקים', 'צינתוק', 'אפס', 'clear'],
    actions: { resetList: {} },
    params: { TzintukimList: listName },
    output: {},
    confirm: (input) => `TzintukimListManagement resetList will reset the free tzintuk list ${String(input.TzintukimList)} (the vendor does not document what is cleared).`,
    verifyWith: 'tzintuk_lists',
    examples: [{ TzintukimList: 'members' }],
  }),
];
