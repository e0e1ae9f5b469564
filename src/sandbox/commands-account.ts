import { LOCAL_PHONE, toE164, type DemoAccount } from './account.js';
import {
  ApiFail,
  fail,
  optChoice,
  optInt,
  optString,
  requireChoice,
  requireInt,
  requireString,
  type CommandContext,
  type CommandResult,
} from './commands-params.js';

export const NO_SIP_ANSWER = Object.freeze({ responseStatus: 'ERROR', message: 'שרת זה אינו תומך במערכת SIP', yAfastVersion: 'any' });

/** Main number, secondary numbers and approved caller IDs (local numbers). */
function approvedForCalls(account: DemoAccount): Set<string> {
  return new Set([account.mainDid, ...account.secondaryDids.map((did) => did.did), ...account.approvedCallerIds]);
}

export function assertApprovedCaller(account: DemoAccount, callerId: string): void {
  if (!LOCAL_PHONE.test(callerId)) fail(`callerId ${callerId} is invalid: a local number is expected, like 0770000000`);
  if (!approvedForCalls(account).has(callerId)) fail(`callerId ${callerId} is not approved in this system`);
}

export function getApprovedCallerIds({ account }: CommandContext): CommandResult {
  return {
    call: {
      mainDid: toE164(account.mainDid),
      secondaryDids: account.secondaryDids.map((did) => toE164(did.did)),
      callerIds: account.approvedCallerIds.map(toE164),
    },
    sms: { smsId: account.smsId ? toE164(account.smsId) : '', allowText: account.smsAllowText },
  };
}

export function isCallerIdApproved({ params, account }: CommandContext): CommandResult {
  const callerId = requireString(params, 'callerId').trim();
  const serviceType = optChoice(params, 'serviceType', ['call', 'sms'] as const) ?? 'call';
  if (!LOCAL_PHONE.test(callerId)) {
    const textSender = serviceType === 'sms' && account.smsAllowText && !account.smsId && /^[A-Za-z][A-Za-z0-9 ]{1,10}$/.test(callerId);
    return textSender ? { parsedCallerId: callerId, isApproved: true, reason: 'INCLUDE' } : { parsedCallerId: '', isApproved: false, reason: 'INVALID_CALLER' };
  }
  const parsedCallerId = toE164(callerId);
  if (serviceType === 'sms' && account.smsId) return { parsedCallerId, isApproved: callerId === account.smsId, reason: 'SMS_ID' };
  return { parsedCallerId, isApproved: approvedForCalls(account).has(callerId), reason: 'INCLUDE' };
}

const SIP_USAGE = /^sip:\d+$/;
const GOTO_USAGE = /^goto:\/[A-Za-z0-9א-ת/]*$/;

export function setSecondaryDidUsage({ params, account, sip }: CommandContext): CommandResult {
  const id = requireInt(params, 'secondaryDidId', { min: 1 });
  const did = account.secondaryDids.find((candidate) => candidate.id === id);
  if (!did) return fail(`secondaryDidId ${id} not found`);
  const newUsage = requireString(params, 'newUsage').trim();
  if (!SIP_USAGE.test(newUsage) && !GOTO_USAGE.test(newUsage)) fail('newUsage must be sip:<number> or goto:/<path>');
  if (!SIP_USAGE.test(did.usage) && !GOTO_USAGE.test(did.usage)) fail('the current usage of this number cannot be changed');
  if (SIP_USAGE.test(newUsage) && !sip) throw new ApiFail({ ...NO_SIP_ANSWER });
  did.usage = newUsage;
  return { status: true };
}

export function pirsumPhoneManagement({ params, account }: CommandContext): CommandResult {
  const action = requireChoice(params, 'action', ['GetRegistrationStatus', 'Registration', 'UnRegistration'] as const);
  if (action === 'GetRegistrationStatus') return { registrationStatus: account.pirsumPhoneRegistered };
  account.pirsumPhoneRegistered = action === 'Registration';
  return { results: 'OK' };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function optDateTime(params: Record<string, unknown>, name: string): string | undefined {
  const value = optString(params, name)?.trim();
  if (value !== undefined && !DATE_TIME.test(value)) fail(`${name} must look like YYYY-MM-DD HH:mm:ss`);
  return value;
}

export function getIncomingSms({ params, account }: CommandContext): CommandResult {
  const limit = optInt(params, 'limit', { min: 1, max: 3000 }) ?? 100;
  const startDate = optDateTime(params, 'startDate');
  const endDate = optDateTime(params, 'endDate');
  const rows = account.incomingSms
    .filter((sms) => (!startDate || sms.receive_date >= startDate) && (!endDate || sms.receive_date <= endDate))
    .sort((a, b) => b.receive_date.localeCompare(a.receive_date))
    .slice(0, limit)
    .map((sms) => ({ ...sms }));
  return { rows };
}

export function getCustomerSmsTransactions({ account }: CommandContext): CommandResult {
  const rows = [...account.smsTransactions]
    .sort((a, b) => b.transactionTime.localeCompare(a.transactionTime))
    .slice(0, 2000)
    .map((row) => ({ ...row }));
  return { rows };
}
