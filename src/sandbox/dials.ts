import { fail, type CommandContext } from './handler.js';
import { isApprovedCaller, LOCAL_PHONE } from './phones.js';
import type { AccountState } from './state.js';
import { own } from './vfs.js';

/** The `phones` forms of SendTTS, CallExtensionBridging and RunTzintuk, as the forum documents them. */

export interface Dial {
  phone: string;
  callerId: string;
}

const TEMPLATE = /^tpl:(.*)$/i;
const TZINTUK_LIST = /^tzl:(.*)$/i;

/** A `tzl:<list>` value: the free tzintuk list it names (the docs say a tzintuk to it costs nothing). */
export const isTzintukListSource = (phones: unknown) => typeof phones === 'string' && TZINTUK_LIST.test(phones.trim());
/** `tpl:` or `tzl:`: a list, not numbers written out. */
export const isListSource = (phones: unknown) => typeof phones === 'string' && (TEMPLATE.test(phones.trim()) || isTzintukListSource(phones));

/** `a:b:c`, `tpl:<template id>` (its entries not blocked) or `tzl:<tzintuk list name>` (its members not blocked). */
export function expandPhoneString(state: AccountState, phones: string): string[] {
  const text = phones.trim();
  const template = TEMPLATE.exec(text);
  if (template) {
    const found = own(state.templates, template[1].trim()) ?? fail(`phones: distribution list ${template[1]} not found`);
    return found.entries.filter((entry) => !entry.blocked).map((entry) => entry.phone);
  }
  const tzintuk = TZINTUK_LIST.exec(text);
  if (tzintuk) {
    const list = own(state.tzintukLists, tzintuk[1].trim()) ?? fail(`phones: tzintuk list ${tzintuk[1]} not found`);
    return list.members.filter((member) => !member.blocked).map((member) => member.phone);
  }
  return text
    .split(':')
    .map((phone) => phone.trim())
    .filter((phone) => phone !== '');
}

export function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)));
}

const asPhone = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined);

/** A phone string, or (JSON body only) an array of numbers, of {phone, callerId} or of {phones[], callerId}. */
export function phoneDials({ params, state, contentType }: CommandContext, callerId: string): Dial[] {
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

/** The dials that can be placed, and per number why the others cannot ('not Vaild' is the vendor's spelling). */
export function screenDials(state: AccountState, dials: Dial[], callerId: string): { ok: Dial[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  for (const dial of dials) {
    if (!LOCAL_PHONE.test(dial.phone)) errors[dial.phone] = 'not Vaild';
    else if (dial.callerId !== callerId && !isApprovedCaller(state, dial.callerId)) errors[dial.phone] = 'callerId not approved';
  }
  return { ok: dials.filter((dial) => !Object.hasOwn(errors, dial.phone)), errors };
}
