import { randomInt } from 'node:crypto';
import { expandPhoneString, isListSource, isTzintukListSource, phoneDials, screenDials, uniqueBy, type Dial } from '../../dials.js';
import { fail, type Area, type CommandContext } from '../../handler.js';
import { canPay, roundUnits } from '../../ledger.js';
import { campaignId, optNumber, optString, requireChoice, requireString } from '../../params.js';
import { assertApprovedCaller } from '../../phones.js';
import type { TzintukList, TzintukMember } from '../../state.js';
import { own } from '../../vfs.js';
import { startCampaign } from '../campaigns/send-tts.js';

/** Documented: 0.1 unit per number; a free tzintuk list (tzl:) costs nothing. */
const UNITS_PER_NUMBER = 0.1;
const DEFAULT_TIMEOUT = 9;
const RAND = 'RAND';

/** A random caller number for callerId=RAND; the caller types its last 4 digits to prove the phone rang. */
const randomCaller = () => `07${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;

const person = ({ phone, name }: TzintukMember) => ({ phone, name });

function listEntries(listName: string, { members }: TzintukList) {
  const blocked = members.filter((member) => member.blocked);
  const active = members.filter((member) => !member.blocked);
  return {
    listName,
    countSubscribers: members.length,
    countsBlocked: blocked.length,
    countsActive: active.length,
    enteres: members.map((member) => ({ ...person(member), active: !member.blocked })),
    blocked: blocked.map(person),
    active: active.map(person),
  };
}

/**
 * Several free lists at once: `phones` "tzl:" beside `tzintukLists`, an array of list names, in a JSON body (ZV's form,
 * API-CATALOG §6); their members not blocked, as one tzl:NAME would give them.
 */
function listsOrPhones(ctx: CommandContext, callerId: string): Dial[] {
  const { params, state, contentType } = ctx;
  if (params.tzintukLists === undefined) return phoneDials(ctx, callerId);
  if (contentType !== 'application/json' || !Array.isArray(params.tzintukLists) || params.tzintukLists.length === 0) fail('tzintukLists must be a non-empty array of list names, in a JSON body');
  if (String(params.phones ?? '').trim().toLowerCase() !== 'tzl:') fail('phones must be tzl: with tzintukLists');
  return (params.tzintukLists as unknown[]).flatMap((name) => {
    if (typeof name !== 'string') return fail('tzintukLists must hold list names');
    return expandPhoneString(state, `tzl:${name}`).map((phone) => ({ phone, callerId }));
  });
}

export const tzintuk: Area = {
  RunTzintuk: {
    // A Float in the docs: default 9, max 16; the lower bound is the sandbox's (a ring of under a second).
    rules: { TzintukTimeOut: { min: 1, max: 16, decimals: true } },
    handle(ctx) {
      const { params, state } = ctx;
      const callsTimeout = optNumber(params, 'TzintukTimeOut', { decimals: true }) ?? DEFAULT_TIMEOUT;
      const callerId = optString(params, 'callerId')?.trim() || state.mainDid;
      const rand = callerId === RAND;
      if (!rand) assertApprovedCaller(state, callerId);
      if (rand && isListSource(params.phones)) fail('phones: with callerId=RAND only one number is called, not a list (tpl:, tzl:)');
      const dials = uniqueBy(listsOrPhones(ctx, callerId), (dial) => dial.phone);
      if (dials.length === 0) fail('phones: no number to call');
      // RAND verifies one phone: only the first number is called (documented).
      const { ok, errors } = screenDials(state, rand ? dials.slice(0, 1) : dials, callerId);
      const bilingPerCall = isTzintukListSource(params.phones) || params.tzintukLists !== undefined ? 0 : UNITS_PER_NUMBER;
      const id = campaignId(2, state.mainDid);
      const cost = roundUnits(ok.length * bilingPerCall);
      if (!canPay(state, cost)) {
        for (const dial of ok) errors[dial.phone] = 'NO_CREDIT';
        return { callerId, callsCount: 0, verifyCode: '', bilingPerCall, biling: 0, errors, callsTimeout, campaignId: id };
      }
      const shown = rand ? randomCaller() : callerId;
      if (ok.length) startCampaign(state, { command: 'RunTzintuk', campaignId: id, numbers: ok.map((dial) => dial.phone), callerId: shown, units: cost }, ctx.now);
      const verifyCode = rand && ok.length ? shown.slice(-4) : '';
      return { callerId, callsCount: ok.length, verifyCode, bilingPerCall, biling: cost, errors, callsTimeout, campaignId: id };
    },
  },
  TzintukimListManagement: {
    handle({ params, state }) {
      const action = requireChoice(params, 'action', ['getlists', 'getlistEnteres', 'getLogList', 'resetList'] as const);
      if (action === 'getlists') {
        return {
          lists: Object.entries(state.tzintukLists).map(([listName, { members }]) => {
            const blocked = members.filter((member) => member.blocked).length;
            return { listName, subscribers: members.length, blocked, active: members.length - blocked };
          }),
        };
      }
      const name = requireString(params, 'TzintukimList').trim();
      const list = own(state.tzintukLists, name) ?? fail(`TzintukimList ${name} not found`);
      if (action === 'getlistEnteres') return listEntries(name, list);
      if (action === 'getLogList') return { events: list.events.map((event) => ({ ...event })) };
      // Undocumented what reset clears; the sandbox empties the members (a sign-up list starts over) and keeps the join/leave log.
      list.members = [];
      return {};
    },
  },
};
