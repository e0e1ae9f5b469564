import { z } from 'zod';
import { tool, type Answer, type Input, type Outcome } from '../call/command.js';
import { accountNumber, callerId } from '../call/params.js';

const extNumber = z.number().int().min(200).max(10_000);

const sipAccount = (input: Input) => (input.accountNumber === undefined ? 'The first SIP account' : `SIP account ${String(input.accountNumber)}`);

function deleted(answer: Answer, input: Input): Outcome | undefined {
  const asked = [input.accountNumber].flat().length;
  const deleted = answer.affected_rows === '' || answer.affected_rows === null ? NaN : Number(answer.affected_rows);
  if (deleted === 0) {
    return { failure: 'NOTHING_DONE', message: 'no SIP account was deleted (affected_rows is 0)', next: 'Check the account numbers with list_sip_accounts.' };
  }
  return Number.isFinite(deleted) && deleted < asked ? { warning: `Only ${deleted} of ${asked} account(s) were deleted.` } : undefined;
}

export const sipTools = [
  tool({
    name: 'create_sip_account',
    title: 'Create a SIP account',
    command: 'CreateSipAccount',
    toolset: 'sip',
    effect: 'write',
    summary: 'Create a SIP account (SIP servers only). Its password is masked unless the operator allows revealing secrets.',
    keywords: ['סיפ', 'שלוחה פנימית', 'טלפון', 'softphone'],
    params: { extNumber: extNumber.optional().describe('Internal extension 200..10000') },
    output: { accountID: z.string(), accountNumber: z.number(), PASS: z.string() },
    verifyWith: 'list_sip_accounts',
    examples: [
      { extNumber: 205 },
      { extNumber: 250 },
      {},
    ],
  }),
  tool({
    name: 'list_sip_accounts',
    title: 'SIP accounts',
    command: 'GetSipAccountsInCustomer',
    toolset: 'sip',
    effect: 'read',
    summary: 'List the SIP accounts and the account limit. Passwords are masked.',
    params: {},
    output: {
      accounts: z.array(z.looseObject({ id: z.unknown(), accountNumber: z.unknown(), customerExtension: z.unknown(), transport: z.unknown(), callerid: z.unknown(), specialCallerID: z.unknown(), password: z.unknown(), created_date: z.unknown() })),
      accountLimit: z.number(),
    },
    examples: [{}],
  }),
  tool({
    name: 'set_sip_to_wss',
    title: 'SIP over WebSocket',
    command: 'SipToWss',
    toolset: 'sip',
    effect: 'write',
    summary: 'Let a SIP account connect over WebSocket (WSS, for WebRTC in a browser) instead of UDP.',
    params: { accountNumber: accountNumber().optional() },
    output: {},
    done: (input) => `${sipAccount(input)} now uses WSS`,
    verifyWith: 'list_sip_accounts',
    examples: [{ accountNumber: 1 }],
  }),
  tool({
    name: 'set_sip_to_udp',
    title: 'SIP over UDP',
    command: 'SipToUdp',
    toolset: 'sip',
    effect: 'write',
    summary: 'Let a SIP account connect over UDP instead of WSS.',
    params: { accountNumber: accountNumber().optional() },
    output: {},
    done: (input) => `${sipAccount(input)} now uses UDP`,
    verifyWith: 'list_sip_accounts',
    examples: [
      { accountNumber: 1 },
      {},
    ],
  }),
  tool({
    name: 'edit_sip_caller_id',
    title: 'SIP caller ID',
    command: 'EditCallerIdInSipAccount',
    toolset: 'sip',
    effect: 'write',
    summary: 'Set the fixed outgoing caller ID of a SIP account (an approved or secondary number).',
    params: { accountNumber: accountNumber('SIP account number'), callerId: callerId('Outgoing caller ID') },
    output: {},
    done: (input) => `${sipAccount(input)} now calls out as ${String(input.callerId)}`,
    verifyWith: 'list_sip_accounts',
    examples: [{ accountNumber: 1, callerId: '0770000000' }],
  }),
  tool({
    name: 'delete_sip_account',
    title: 'Delete SIP accounts',
    command: 'DeleteSipAccount',
    toolset: 'sip',
    effect: 'delete',
    summary: 'Delete one or more SIP accounts.',
    params: {
      accountNumber: z
        .union([accountNumber(), z.array(accountNumber()).min(1).max(100)])
        .describe('Account number, or an array of them'),
    },
    output: { affected_rows: z.number() },
    outcome: deleted,
    confirm: (input) => `DeleteSipAccount will permanently delete SIP account(s) ${[input.accountNumber].flat().join(', ')}.`,
    verifyWith: 'list_sip_accounts',
    examples: [
      { accountNumber: 2 },
      { accountNumber: [3, 4] },
    ],
  }),
  tool({
    name: 'get_sip_extension',
    title: 'SIP extension number',
    command: 'SipExtensionManagement',
    toolset: 'sip',
    effect: 'read',
    summary: 'Read the internal extension number of a SIP account.',
    actionParam: 'SipExtensionManagement',
    actions: { Get: {} },
    params: { accountNumber: accountNumber().optional() },
    output: { extNumber: z.unknown() },
    examples: [
      {},
      { accountNumber: 1 },
    ],
  }),
  tool({
    name: 'set_sip_extension',
    title: 'Set a SIP extension number',
    command: 'SipExtensionManagement',
    toolset: 'sip',
    effect: 'write',
    summary: 'Set the internal extension number of a SIP account; without extNumber the extension is removed.',
    actionParam: 'SipExtensionManagement',
    actions: { Set: { escalate: { to: 'irreversible', when: (input) => input.extNumber === undefined, why: 'without extNumber the binding is removed' } } },
    params: {
      accountNumber: accountNumber().optional(),
      extNumber: extNumber.optional().describe('New extension 200..10000; omit to remove it'),
    },
    output: { extNumber: z.unknown() },
    verifyWith: 'get_sip_extension',
    examples: [
      { accountNumber: 1, extNumber: 210 },
      { accountNumber: 1, extNumber: 10000 },
      { accountNumber: 1 },
    ],
  }),
  tool({
    name: 'get_sip_contexts',
    title: 'SIP devices registered',
    command: 'SipGetContexts',
    toolset: 'sip',
    effect: 'read',
    summary: 'Show the live registrations of a SIP account (device, address, expiry).',
    params: { accountNumber: accountNumber().optional() },
    output: { contexts: z.array(z.looseObject({ expiration_time: z.unknown(), uri: z.unknown(), user_agent: z.unknown(), via_addr: z.unknown(), via_port: z.unknown() })) },
    examples: [{ accountNumber: 1 }],
  }),
  tool({
    name: 'get_sip_registration_status',
    title: 'SIP registration status',
    command: 'GetSipAccountsRegisteredStatus',
    toolset: 'sip',
    effect: 'read',
    summary: 'List SIP accounts with whether each is registered now.',
    keywords: ['סיפ', 'רשום', 'מחובר', 'online'],
    params: {},
    output: { accounts: z.array(z.looseObject({ userName: z.unknown(), createdDate: z.unknown(), registered: z.unknown() })) },
    examples: [{}],
  }),
];
