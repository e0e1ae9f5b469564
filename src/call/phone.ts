/**
 * Phone numbers arrive in two dialects: what people type (`050-123 4567`, `+972 50…`) and what the API
 * itself returns (`+97250…` from GetApprovedCallerIDs). Every phone input is brought to the local form
 * the vendor's examples use (`0501234567`) here, in one place, before validation and sending.
 */

const SEPARATORS = /[\s\-().]/g;
// Israel's country code followed by a national number without its trunk 0 (8 or 9 digits).
const ISRAELI_INTERNATIONAL = /^(?:\+|00)?972(\d{8,9})$/;
const SERVER_LIST = /^(tpl|tzl):./i;
/** Values that are not numbers but stand where a number goes (RAND: a random caller ID for tzintuk). */
const KEYWORDS = new Set(['RAND']);

export const PHONE_NUMBER = /^\+?\d{3,15}$/;

export function normalizePhone(value: string): string {
  if (KEYWORDS.has(value.trim().toUpperCase())) return value.trim().toUpperCase();
  const compact = value.replace(SEPARATORS, '');
  const israeli = ISRAELI_INTERNATIONAL.exec(compact);
  return israeli ? `0${israeli[1]}` : compact;
}

/** A `:`-joined list of numbers; server-side lists (tpl:ID, tzl:NAME) are left as they are. */
export function normalizePhoneList(value: string): string {
  if (SERVER_LIST.test(value.trim())) return value.trim();
  return value
    .split(':')
    .map((number) => normalizePhone(number))
    .join(':');
}

export const isPhoneNumber = (value: string) => PHONE_NUMBER.test(value);
export const isRandomCallerId = (value: string) => KEYWORDS.has(value);
export const isServerList = (value: string) => SERVER_LIST.test(value);
