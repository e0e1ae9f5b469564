import { findFolder, LOCAL_PHONE, own, pathSegments, type DemoAccount } from './account.js';
import { assertApprovedCaller } from './commands-account.js';
import {
  campaignId,
  fail,
  optFlag,
  optInt,
  optString,
  requireString,
  unitsString,
  type CommandContext,
  type CommandResult,
} from './commands-params.js';

const MAX_NUMBERS = 500;

/** `a:b:c`, `tpl:<list id>` or `tzl:<tzintuk list name>`. */
function expandPhoneString(account: DemoAccount, phones: string): string[] {
  const text = phones.trim();
  const template = /^tpl:(.*)$/i.exec(text);
  if (template) {
    const list = own(account.templates, template[1].trim());
    return list ? [...list] : fail(`phones: distribution list ${template[1]} not found`);
  }
  const tzintuk = /^tzl:(.*)$/i.exec(text);
  if (tzintuk) {
    const list = own(account.tzintukLists, tzintuk[1].trim());
    return list ? [...list] : fail(`phones: tzintuk list ${tzintuk[1]} not found`);
  }
  return text
    .split(':')
    .map((phone) => phone.trim())
    .filter((phone) => phone !== '');
}

function unique<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(key(item)) ? false : (seen.add(key(item)), true)));
}

function checkCallbackUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('callbackUrl is invalid');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail('callbackUrl is invalid');
}

export function sendTts({ params, account }: CommandContext): CommandResult {
  const phones = requireString(params, 'phones');
  const ttsMessage = requireString(params, 'ttsMessage');
  optInt(params, 'ttsRate', { min: -10, max: 10 });
  optInt(params, 'repeatFile', { min: 1 });
  optFlag(params, 'SendMail');
  optString(params, 'ttsVoice');
  const callerId = optString(params, 'callerId') ?? account.mainDid;
  assertApprovedCaller(account, callerId);
  const numbers = unique(expandPhoneString(account, phones), (phone) => phone);
  if (numbers.length === 0) fail('phones is required');
  const callbackUrl = optString(params, 'callbackUrl');
  if (callbackUrl !== undefined) {
    checkCallbackUrl(callbackUrl);
    if (numbers.length > MAX_NUMBERS) fail(`callbackUrl is allowed only for up to ${MAX_NUMBERS} numbers`);
  }

  const ok = numbers.filter((phone) => LOCAL_PHONE.test(phone));
  const ErrorCalls: Record<string, string> = {};
  for (const phone of numbers) if (!LOCAL_PHONE.test(phone)) ErrorCalls[phone] = 'not valid';
  const id = campaignId(3, account.mainDid);
  if (ok.length > account.units) {
    for (const phone of ok) ErrorCalls[phone] = 'NO_CREDIT';
    return { CampaignId: id, OKCalls: 0, ErrorCalls, billing: 0, units: unitsString(account.units) };
  }
  account.units -= ok.length;
  if (ok.length) account.campaigns.push({ command: 'SendTTS', campaignId: id, numbers: ok, callerId, ttsMessage, callbackUrl, units: ok.length });
  return { CampaignId: id, OKCalls: ok.length, ErrorCalls, billing: ok.length, units: unitsString(account.units) };
}

interface Dial {
  phone: string;
  callerId: string;
}

const asPhone = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined);

function bridgingDials({ params, account, json }: CommandContext, callerId: string): Dial[] {
  const raw = params.phones;
  if (raw === undefined || raw === null || raw === '') return fail('phones is required');
  if (typeof raw === 'string' || typeof raw === 'number') return expandPhoneString(account, String(raw)).map((phone) => ({ phone, callerId }));
  if (!json || !Array.isArray(raw)) return fail('phones is invalid');
  const dials: Dial[] = [];
  for (const item of raw) {
    const phone = asPhone(item);
    if (phone !== undefined) {
      dials.push({ phone, callerId });
      continue;
    }
    if (!item || typeof item !== 'object') return fail('phones is invalid');
    const entry = item as Record<string, unknown>;
    const own = entry.callerId === undefined || entry.callerId === null || entry.callerId === '' ? callerId : asPhone(entry.callerId);
    if (own === undefined) return fail('phones is invalid: callerId must be a string');
    const single = asPhone(entry.phone);
    if (single !== undefined) dials.push({ phone: single, callerId: own });
    else if (Array.isArray(entry.phones)) {
      for (const member of entry.phones) {
        const phone = asPhone(member);
        if (phone === undefined) return fail('phones is invalid');
        dials.push({ phone, callerId: own });
      }
    } else return fail('phones is invalid: each object needs phone or phones');
  }
  return dials;
}

export function callExtensionBridging(ctx: CommandContext): CommandResult {
  const { params, account } = ctx;
  const ivrPath = requireString(params, 'ivrPath');
  if (!/^ivr2:/i.test(ivrPath.trim())) fail('ivrPath must start with ivr2:, e.g. ivr2:/1/100');
  const folder = findFolder(account.ivr, pathSegments(ivrPath));
  if (!folder) fail(`ivrPath not found: ${ivrPath}`);
  const callsTimeout = optInt(params, 'callsTimeOut', { min: 1, max: 35 }) ?? 30;
  const callerId = optString(params, 'callerId') ?? account.mainDid;
  assertApprovedCaller(account, callerId);
  const dials = unique(bridgingDials(ctx, callerId), (dial) => dial.phone);
  if (dials.length === 0) fail('phones is required');
  if (dials.length > MAX_NUMBERS) fail(`phones: up to ${MAX_NUMBERS} numbers per campaign`);

  const errors: Record<string, string> = {};
  const ok: Dial[] = [];
  for (const dial of dials) {
    if (!LOCAL_PHONE.test(dial.phone)) errors[dial.phone] = 'not Vaild';
    else if (dial.callerId !== callerId && !isApproved(account, dial.callerId)) errors[dial.phone] = 'callerId not approved';
    else ok.push(dial);
  }
  const cost = Math.round(ok.length * 10) / 100;
  const id = campaignId(1, account.mainDid);
  let callsCount = ok.length;
  if (cost > account.units) {
    for (const dial of ok) errors[dial.phone] = 'NO_CREDIT';
    callsCount = 0;
  } else if (ok.length) {
    account.units = Math.round((account.units - cost) * 100) / 100;
    account.campaigns.push({ command: 'CallExtensionBridging', campaignId: id, numbers: ok.map((dial) => dial.phone), callerId, ivrPath, units: cost });
  }
  return { module: folder!.type, callerId, callsCount, bilingPerCall: 1, errors, callsTimeout, campaignId: id };
}

function isApproved(account: DemoAccount, callerId: string): boolean {
  try {
    assertApprovedCaller(account, callerId);
    return true;
  } catch {
    return false;
  }
}
