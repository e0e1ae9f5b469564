import { randomInt } from 'node:crypto';
import type { DemoAccount, SipAccount } from './account.js';
import { assertApprovedCaller } from './commands-account.js';
import { ApiFail, fail, formatDateTime, isPresent, optInt, requireInt, requireString, type CommandContext, type CommandResult } from './commands-params.js';

const EXTENSION = { min: 200, max: 10_000 };
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function randomPassword(length = 12): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

const userName = (account: DemoAccount, sip: SipAccount) => `${account.mainDid}=${sip.accountNumber}`;

/** The account named by accountNumber, or the first one when it may be omitted. */
function pickAccount(account: DemoAccount, params: Record<string, unknown>, required = false): SipAccount {
  const number = required ? requireInt(params, 'accountNumber', { min: 1 }) : optInt(params, 'accountNumber', { min: 1 });
  if (number === undefined) return account.sipAccounts[0] ?? fail('there are no SIP accounts in this system');
  return account.sipAccounts.find((sip) => sip.accountNumber === number) ?? fail(`accountNumber ${number} not found`);
}

function assertExtensionFree(account: DemoAccount, extension: number, except?: SipAccount): void {
  if (account.sipAccounts.some((sip) => sip !== except && sip.extension === extension)) fail(`extNumber ${extension} is already in use`);
}

export function createSipAccount({ params, account }: CommandContext): CommandResult {
  const extension = optInt(params, 'extNumber', EXTENSION);
  if (extension !== undefined) assertExtensionFree(account, extension);
  if (account.sipAccounts.length >= account.sipAccountLimit) fail(`SIP account limit reached (${account.sipAccountLimit})`);
  const sip: SipAccount = {
    accountNumber: account.nextSipAccountNumber++,
    extension: extension ?? null,
    transport: 'transport-udp',
    specialCallerID: '',
    password: randomPassword(),
    createdDate: formatDateTime(),
    contexts: [],
  };
  account.sipAccounts.push(sip);
  return { accountID: userName(account, sip), accountNumber: sip.accountNumber, PASS: sip.password };
}

export function getSipAccountsInCustomer({ account }: CommandContext): CommandResult {
  return {
    accounts: account.sipAccounts.map((sip) => ({
      id: userName(account, sip),
      accountNumber: sip.accountNumber,
      customerExtension: sip.extension,
      transport: sip.transport,
      callerid: account.mainDid,
      specialCallerID: sip.specialCallerID,
      password: sip.password,
      created_date: sip.createdDate,
    })),
    accountLimit: account.sipAccountLimit,
  };
}

export const sipToWss = ({ params, account }: CommandContext): CommandResult => ((pickAccount(account, params).transport = 'transport-wss'), {});
export const sipToUdp = ({ params, account }: CommandContext): CommandResult => ((pickAccount(account, params).transport = 'transport-udp'), {});

export function editCallerIdInSipAccount({ params, account }: CommandContext): CommandResult {
  const sip = pickAccount(account, params, true);
  const callerId = requireString(params, 'callerId').trim();
  assertApprovedCaller(account, callerId);
  sip.specialCallerID = callerId;
  return {};
}

export function deleteSipAccount({ params, account }: CommandContext): CommandResult {
  if (!isPresent(params, 'accountNumber')) fail('accountNumber is required');
  const raw = params.accountNumber;
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length === 0) fail('accountNumber is required');
  const numbers = items.map((item) => optInt({ accountNumber: item }, 'accountNumber', { min: 1 }) ?? fail('accountNumber is invalid'));
  const before = account.sipAccounts.length;
  account.sipAccounts = account.sipAccounts.filter((sip) => !numbers.includes(sip.accountNumber));
  return { affected_rows: before - account.sipAccounts.length };
}

export function sipExtensionManagement({ params, account }: CommandContext): CommandResult {
  const action = params.SipExtensionManagement;
  if (action !== 'Get' && action !== 'Set') throw new ApiFail({ responseStatus: 'Exception', message: 'bad action', file: 'SipExtensionManagement.ym', Line: '18:13' });
  const sip = pickAccount(account, params);
  if (action === 'Set') {
    const extension = optInt(params, 'extNumber', EXTENSION);
    if (extension !== undefined) assertExtensionFree(account, extension, sip);
    sip.extension = extension ?? null;
  }
  return { extNumber: sip.extension };
}

export function sipGetContexts({ params, account }: CommandContext): CommandResult {
  return { contexts: pickAccount(account, params).contexts.map((context) => ({ ...context })) };
}

export function getSipAccountsRegisteredStatus({ account }: CommandContext): CommandResult {
  return { accounts: account.sipAccounts.map((sip) => ({ userName: userName(account, sip), createdDate: sip.createdDate, registered: sip.contexts.length > 0 })) };
}
