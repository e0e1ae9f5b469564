import { z } from 'zod';
import { tool, type Answer, type Input, type Outcome, type Transfer } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { nameEach } from './name-each.js';
import { accountNumber, callerId } from '../call/params.js';

const extNumber = z.number().int().min(200).max(10_000);

/** The accounts a delete removes, as the person knows them: user name, extension, transport, caller ID, when made. */
async function accountsNote(ctx: ToolContext, input: Input, signal?: AbortSignal): Promise<{ note: string }> {
  const wanted = [input.accountNumber].flat().map((number) => String(Number(number)));
  const note = await nameEach(ctx, { command: 'GetSipAccountsInCustomer', params: {} }, wanted, {
    rows: (answer) => answer.accounts,
    idOf: (account) => String(Number(account.accountNumber)),
    said: (number, account) => {
      const extension = account.customerExtension ? `extension ${String(account.customerExtension)}` : 'no extension';
      return `account ${number}: ${String(account.id)}, ${extension}, ${String(account.transport)}, caller ID ${String(account.specialCallerID || account.callerid)}, made ${String(account.created_date)}`;
    },
    gone: (number) => `account ${number}: not on this system`,
    unread: 'The accounts could not be read to name them: check list_sip_accounts before saying yes.',
  }, signal);
  return { note };
}

/**
 * What a desk phone or softphone needs. The user name is CreateSipAccount's accountID (system number=account number,
 * documented); the WebSocket server is documented as wss://sip.yemot.co.il:8089/ws; for UDP the same host on SIP's
 * standard port 5060 is a reading, not documented.
 */
function phoneSetup(result: Record<string, unknown>): Record<string, unknown> {
  const wss = /wss/i.test(String(result.transport ?? ''));
  const udp = /udp/i.test(String(result.transport ?? ''));
  return {
    userName: result.accountID,
    server: 'sip.yemot.co.il',
    ...(wss ? { transport: 'WSS', port: 8089, url: 'wss://sip.yemot.co.il:8089/ws' } : { transport: udp ? 'UDP' : 'UDP (unless list_sip_accounts shows wss)', port: 5060 }),
    confidence: wss ? 'documented by Yemot' : 'server documented for WSS; UDP on port 5060 inferred: check on the Yemot website (a private server may differ)',
  };
}

/** CreateSipAccount answers no transport: the account as GetSipAccountsInCustomer lists it gives it (and its extension). */
const createAndRead: Transfer = async ({ ctx, signal }, wire) => {
  const created = await ctx.session.call('CreateSipAccount', wire, { signal });
  try {
    const { answer } = await ctx.session.call('GetSipAccountsInCustomer', {}, { retry: true, signal });
    const accounts = Array.isArray(answer.accounts) ? (answer.accounts as Answer[]) : [];
    const account = accounts.find((item) => String(item.accountNumber) === String(created.answer.accountNumber));
    return { kind: 'json', answer: { ...created.answer, ...(account && { transport: account.transport, customerExtension: account.customerExtension }) } };
  } catch {
    return { kind: 'json', answer: created.answer };
  }
};

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
    summary: "Create a SIP account (SIP servers only): answers a desk phone's server, port, transport and user name (GetSipAccountsInCustomer), and a one-time link for the person to its password, never shown here.",
    keywords: ['סיפ', 'שלוחה פנימית', 'טלפון', 'softphone', 'desk phone', 'סיסמה'],
    params: { extNumber: extNumber.optional().describe('Internal extension 200..10000') },
    transfer: createAndRead,
    handOver: { field: 'PASS', title: (answer) => `Password of SIP account ${String(answer.accountID ?? answer.accountNumber ?? '')}` },
    derive: (result) => ({ ...result, phoneSetup: phoneSetup(result) }),
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
    // A number alone told an agent's owner nothing of the phone that would stop working.
    quote: accountsNote,
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
