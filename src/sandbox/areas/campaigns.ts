import { fail, type Area, type CommandContext } from '../handler.js';
import { campaignId, formatDateTime, optFlag, optInt, optString, requireString, unitsString } from '../params.js';
import { assertApprovedCaller, isApprovedCaller, LOCAL_PHONE } from '../phones.js';
import type { AccountState, CampaignRecord } from '../state.js';
import { findFolder, folderType, own, pathSegments } from '../vfs.js';

const MAX_NUMBERS = 500;

/** `a:b:c`, `tpl:<template id>` (its entries not blocked) or `tzl:<tzintuk list name>`. */
function expandPhoneString(state: AccountState, phones: string): string[] {
  const text = phones.trim();
  const template = /^tpl:(.*)$/i.exec(text);
  if (template) {
    const found = own(state.templates, template[1].trim()) ?? fail(`phones: distribution list ${template[1]} not found`);
    return found.entries.filter((entry) => !entry.blocked).map((entry) => entry.phone);
  }
  const tzintuk = /^tzl:(.*)$/i.exec(text);
  if (tzintuk) return [...(own(state.tzintukLists, tzintuk[1].trim()) ?? fail(`phones: tzintuk list ${tzintuk[1]} not found`))];
  return text
    .split(':')
    .map((phone) => phone.trim())
    .filter((phone) => phone !== '');
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

function checkCallbackUrl(url: string): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') fail('callbackUrl is invalid');
}

/** Takes the units and writes the ledger line; the campaign is then recorded. */
function spend(state: AccountState, campaign: CampaignRecord): void {
  state.units = Math.round((state.units - campaign.units) * 100) / 100;
  state.transactions.push({ transactionTime: formatDateTime(), amount: -campaign.units, description: campaign.command, newBalance: state.units, campaignId: campaign.campaignId });
  state.campaigns.push(campaign);
}

interface Dial {
  phone: string;
  callerId: string;
}

const asPhone = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined);

/** The phones of CallExtensionBridging: a phone string, or (JSON) numbers, {phone, callerId} or {phones[], callerId}. */
function bridgingDials({ params, state, contentType }: CommandContext, callerId: string): Dial[] {
  const raw = params.phones;
  if (raw === undefined || raw === null || raw === '') return fail('phones is required');
  if (typeof raw === 'string' || typeof raw === 'number') return expandPhoneString(state, String(raw)).map((phone) => ({ phone, callerId }));
  if (contentType !== 'application/json' || !Array.isArray(raw)) return fail('phones is invalid');
  return raw.flatMap((item): Dial[] => {
    const phone = asPhone(item);
    if (phone !== undefined) return [{ phone, callerId }];
    if (!item || typeof item !== 'object') return fail('phones is invalid');
    const entry = item as Record<string, unknown>;
    const own = entry.callerId === undefined || entry.callerId === null || entry.callerId === '' ? callerId : asPhone(entry.callerId);
    if (own === undefined) return fail('phones is invalid: callerId must be a string');
    const single = asPhone(entry.phone);
    if (single !== undefined) return [{ phone: single, callerId: own }];
    if (!Array.isArray(entry.phones)) return fail('phones is invalid: each object needs phone or phones');
    return entry.phones.map((member) => ({ phone: asPhone(member) ?? fail('phones is invalid'), callerId: own }));
  });
}

export const campaigns: Area = {
  SendTTS: {
    // The docs give repeatFile no upper bound (default 2).
    rules: { ttsRate: { min: -10, max: 10 }, repeatFile: { min: 1 } },
    handle({ params, state }) {
      const phones = requireString(params, 'phones');
      const ttsMessage = requireString(params, 'ttsMessage');
      optFlag(params, 'SendMail');
      optString(params, 'ttsVoice');
      const callerId = optString(params, 'callerId') ?? state.mainDid;
      assertApprovedCaller(state, callerId);
      const numbers = uniqueBy(expandPhoneString(state, phones), (phone) => phone);
      if (numbers.length === 0) fail('phones is required');
      const callbackUrl = optString(params, 'callbackUrl');
      if (callbackUrl !== undefined) {
        checkCallbackUrl(callbackUrl);
        if (numbers.length > MAX_NUMBERS) fail(`callbackUrl is allowed only for up to ${MAX_NUMBERS} numbers`);
      }
      const ok = numbers.filter((phone) => LOCAL_PHONE.test(phone));
      const ErrorCalls: Record<string, string> = Object.fromEntries(numbers.filter((phone) => !LOCAL_PHONE.test(phone)).map((phone) => [phone, 'not valid']));
      const id = campaignId(3, state.mainDid);
      if (ok.length > state.units) {
        for (const phone of ok) ErrorCalls[phone] = 'NO_CREDIT';
        return { CampaignId: id, OKCalls: 0, ErrorCalls, billing: 0, units: unitsString(state.units) };
      }
      if (ok.length) spend(state, { command: 'SendTTS', campaignId: id, numbers: ok, callerId, ttsMessage, callbackUrl, units: ok.length });
      return { CampaignId: id, OKCalls: ok.length, ErrorCalls, billing: ok.length, units: unitsString(state.units) };
    },
  },
  CallExtensionBridging: {
    rules: { callsTimeOut: { min: 1, max: 35 } },
    handle(ctx) {
      const { params, state } = ctx;
      const ivrPath = requireString(params, 'ivrPath');
      if (!/^ivr2:/i.test(ivrPath.trim())) fail('ivrPath must start with ivr2:, e.g. ivr2:/1/100');
      const folder = findFolder(state.ivr, pathSegments(ivrPath)) ?? fail(`ivrPath not found: ${ivrPath}`);
      const callsTimeout = optInt(params, 'callsTimeOut') ?? 30;
      const callerId = optString(params, 'callerId') ?? state.mainDid;
      assertApprovedCaller(state, callerId);
      const dials = uniqueBy(bridgingDials(ctx, callerId), (dial) => dial.phone);
      if (dials.length === 0) fail('phones is required');
      if (dials.length > MAX_NUMBERS) fail(`phones: up to ${MAX_NUMBERS} numbers per campaign`);
      const errors: Record<string, string> = {};
      for (const dial of dials) {
        if (!LOCAL_PHONE.test(dial.phone)) errors[dial.phone] = 'not Vaild';
        else if (dial.callerId !== callerId && !isApprovedCaller(state, dial.callerId)) errors[dial.phone] = 'callerId not approved';
      }
      const ok = dials.filter((dial) => !Object.hasOwn(errors, dial.phone));
      const cost = Math.round(ok.length * 10) / 100;
      const id = campaignId(1, state.mainDid);
      let callsCount = ok.length;
      if (cost > state.units) {
        for (const dial of ok) errors[dial.phone] = 'NO_CREDIT';
        callsCount = 0;
      } else if (ok.length) spend(state, { command: 'CallExtensionBridging', campaignId: id, numbers: ok.map((dial) => dial.phone), callerId, ivrPath, units: cost });
      return { module: folderType(folder), callerId, callsCount, bilingPerCall: 1, errors, callsTimeout, campaignId: id };
    },
  },
};
