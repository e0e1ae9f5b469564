import { fail } from './handler.js';
import type { AccountState } from './state.js';

/**
 * The one phone form the vendor docs show in requests (phones lists and callerId): a local Israeli
 * number, 0 and 8 or 9 digits. Only answers (GetApprovedCallerIDs, IsCallerIDApproved) show E.164.
 */
export const LOCAL_PHONE = /^0\d{8,9}$/;

/** A local number (see LOCAL_PHONE) as answers print it: E.164 with a plus. */
export const toE164 = (local: string) => `+972${local.slice(1)}`;

/** Main number, secondary numbers and approved caller IDs (local numbers). */
export function approvedForCalls(state: AccountState): Set<string> {
  return new Set([state.mainDid, ...state.secondaryDids.map((did) => did.did), ...state.approvedCallerIds.map((approved) => approved.callerId)]);
}

export function assertApprovedCaller(state: AccountState, callerId: string): void {
  if (!LOCAL_PHONE.test(callerId)) fail(`callerId ${callerId} is invalid: a local number is expected, like 0770000000`);
  if (!approvedForCalls(state).has(callerId)) fail(`callerId ${callerId} is not approved in this system`);
}

export const isApprovedCaller = (state: AccountState, callerId: string) => LOCAL_PHONE.test(callerId) && approvedForCalls(state).has(callerId);

/** A text sender name for SMS (allowed only when GetApprovedCallerIDs.sms.allowText is true and no sender lock is set). */
const TEXT_SENDER = /^[A-Za-z][A-Za-z0-9 ]{1,10}$/;

/** SMS `from`: the sender lock when one is set, else an approved number, or a text name where allowText is on. */
export function isApprovedSmsSender(state: AccountState, from: string): boolean {
  if (!LOCAL_PHONE.test(from)) return state.smsAllowText && !state.smsId && TEXT_SENDER.test(from);
  return state.smsId ? from === state.smsId : approvedForCalls(state).has(from);
}
