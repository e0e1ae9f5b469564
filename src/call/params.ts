import { z } from 'zod';
import { isPhoneNumber, isRandomCallerId, isServerList, normalizePhone, normalizePhoneList } from './phone.js';

/** Shared parameter schemas, in the API's own terms. Kept free of long regexes: every byte is context. */

export const MAX_CAMPAIGN_NUMBERS = 500;

export const dateTime = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be YYYY-MM-DD HH:mm:ss')
    .describe(`${what}, YYYY-MM-DD HH:mm:ss`);

/** Which schemas hold phone numbers (one, or a list): table-wide tests find every phone field by it. */
export const PHONE_FIELDS = new WeakMap<z.ZodType, 'one' | 'list'>();
const phoneField = <T extends z.ZodType>(kind: 'one' | 'list', schema: T): T => (PHONE_FIELDS.set(schema, kind), schema);

const PHONE_RULE = { message: 'must be a phone number: digits, optional leading +' };
// A bound checked by a refinement, not `.max()`: the phone rule already says what a number is, and a maxLength
// on every phone field of every tool costs context on every turn.
const MAX_PHONE_CHARS = 30;
const shortEnough = (value: string) => value.length <= MAX_PHONE_CHARS;
const LENGTH_RULE = { message: `must be at most ${MAX_PHONE_CHARS} characters` };

export const callerId = (what = 'Caller ID; default the main number', options: { rand?: boolean } = {}) =>
  phoneField(
    'one',
    z
      .string()
      .min(1)
      .refine(shortEnough, LENGTH_RULE)
      .overwrite(normalizePhone)
      .refine((value) => isPhoneNumber(value) || (options.rand === true && isRandomCallerId(value)), options.rand ? { message: `${PHONE_RULE.message}, or RAND` } : PHONE_RULE)
      .describe(what),
  );

/** Numbers joined by ":" only (no server-side lists): SMS, bridge legs. */
const numbersList = () =>
  z
    .string()
    .min(1)
    .max(12_000)
    .overwrite(normalizePhoneList)
    .refine((value) => value.split(':').every(isPhoneNumber), { message: 'must be phone numbers (digits, optional leading +) joined by ":"' });
export const phoneNumbers = (what: string) => phoneField('list', numbersList().describe(what));

export const accountNumber = (what = 'SIP account number (not extension); default the first account') =>
  z.number().int().min(1).max(100_000).describe(what);

// Checked by refinements, which stay out of the JSON Schema the host pays for in context; normalised
// (phone.ts) before they are checked, so `+972 50-123-4567` and `0501234567` are the same input.
export const phoneString = phoneField('list', z
  .string()
  .min(1)
  .max(12_000)
  .overwrite(normalizePhoneList)
  .refine((value) => isServerList(value) || value.split(':').every(isPhoneNumber), {
    message: 'must be phone numbers (digits, optional leading +) joined by ":", or tpl:ID, or tzl:NAME',
  })
  .describe('Numbers joined by ":", tpl:ID (a list) or tzl:NAME (a tzintuk list)'));

const phone = z
  .string()
  .min(1)
  .refine(shortEnough, LENGTH_RULE)
  .overwrite(normalizePhone)
  .refine(isPhoneNumber, PHONE_RULE);

/** CallExtensionBridging takes a string, or (sent as JSON) one of three array shapes. */
export const bridgingPhones = phoneField('list', z
  .union([
    phoneString,
    z.array(phone).min(1).max(MAX_CAMPAIGN_NUMBERS),
    z.array(z.strictObject({ phone, callerId: phone })).min(1).max(MAX_CAMPAIGN_NUMBERS),
    z.array(z.strictObject({ phones: z.array(phone).min(1).max(MAX_CAMPAIGN_NUMBERS), callerId: phone })).min(1).max(MAX_CAMPAIGN_NUMBERS),
  ])
  .describe('"a:b:c", tpl:ID, tzl:NAME, or an array; max 500 numbers'));

/**
 * RunCampaign's `phones` and CampaignAction's `value` as JSON (AF post/481): an object keyed by phone, each with the
 * person's own name, moreinfo, text (read after the message with ttsMode 1) and blocked, as JSON true/false.
 */
const MAX_PERSONAL_PHONES = 5000;
const personal = z.strictObject({ name: z.string().max(200).optional(), moreinfo: z.string().max(1000).optional(), text: z.string().max(1000).optional(), blocked: z.boolean().optional() });
// Each phone's object is checked by a refinement: the description states its shape once, the JSON Schema stays lean.
export const personalPhones = phoneField('list', z
  .record(phone, z.unknown())
  .superRefine((value, ctx) => {
    const count = Object.keys(value).length;
    if (count < 1 || count > MAX_PERSONAL_PHONES) ctx.addIssue({ code: 'custom', message: `must name 1 to ${MAX_PERSONAL_PHONES} phones` });
    for (const [key, entry] of Object.entries(value)) {
      for (const issue of personal.safeParse(entry).error?.issues ?? []) ctx.addIssue({ code: 'custom', path: [key, ...issue.path], message: `${issue.message} (each phone: {name, moreinfo, text: strings; blocked: true/false})` });
    }
  }));

/**
 * SendSms's `from`, and what IsCallerIDApproved checks for SMS: an approved number, or a text name where
 * GetApprovedCallerIDs says sms.allowText (a name holds a letter; a number is normalised like any other).
 */
export const smsSender = (what: string) =>
  phoneField(
    'one',
    z
      .string()
      .min(1)
      .max(20)
      .overwrite((value) => (/^[+\d\s().-]+$/.test(value) ? normalizePhone(value) : value))
      .refine((value) => isPhoneNumber(value) || /[A-Za-z\u05D0-\u05EA]/.test(value), { message: 'must be a phone number, or a sender name with a letter' })
      .describe(what),
  );
export const isTextSender = (value: unknown) => typeof value === 'string' && !isPhoneNumber(value);

/** RunCampaign's phones and CampaignAction's value: numbers joined by ":", or the per-phone object. */
export const phonesOrPersonal = (what: string) => phoneField('list', z.union([numbersList(), personalPhones]).describe(`${what}, or {"050…": {name, moreinfo, text, blocked}}`));

/** How many numbers a phones value names; undefined for lists kept on the server (tpl:, tzl:). */
export function countNumbers(phones: unknown): number | undefined {
  if (phones && typeof phones === 'object' && !Array.isArray(phones)) return Object.keys(phones).length;
  if (typeof phones === 'string') {
    if (isServerList(phones)) return undefined;
    return phones.split(':').filter(Boolean).length;
  }
  if (Array.isArray(phones)) {
    return phones.reduce<number>((sum, item) => {
      if (typeof item === 'string') return sum + 1;
      if (item && typeof item === 'object' && Array.isArray((item as { phones?: unknown }).phones)) {
        return sum + (item as { phones: unknown[] }).phones.length;
      }
      return sum + 1;
    }, 0);
  }
  return undefined;
}

export function describeNumbers(phones: unknown): string {
  const count = countNumbers(phones);
  return count === undefined ? `the list ${String(phones)}` : `${count} number${count === 1 ? '' : 's'}`;
}

export function numbersWithin(limit: number, why: string) {
  return (input: Record<string, unknown>): string[] => {
    const count = countNumbers(input.phones);
    return count !== undefined && count > limit ? [`phones: at most ${limit} numbers ${why} (got ${count})`] : [];
  };
}

export const zeroOrOne = (what: string) => z.literal([0, 1]).describe(what);

/** The schema inside any optional wrappers: registries (phone fields, indexed lists) hold the inner one. */
export const unwrapOptional = (schema: z.ZodType): z.ZodType => (schema instanceof z.ZodOptional ? unwrapOptional(schema.unwrap() as z.ZodType) : schema);

/** Params whose list value goes on the wire as name0…nameN (FileAction's `what`): found by the runner through this. */
export const INDEXED_LISTS = new WeakSet<z.ZodType>();

/** One value, or several sent as `name0…nameN` in one call. */
export function indexedList(item: z.ZodType<string>, what: string, max: number) {
  const schema = z.union([item, z.array(item).min(1).max(max)]).describe(`${what}; several as an array (max ${max})`);
  INDEXED_LISTS.add(schema);
  return schema;
}

/** Params whose list value goes on the wire joined by a separator (CallAction's `ids` by ":"). */
export const JOINED_LISTS = new WeakMap<z.ZodType, string>();

/** One value, or several sent joined by `separator`. */
export function joinedList(item: z.ZodType<string | number>, separator: string, what: string, max: number) {
  const schema = z.union([item, z.array(item).min(1).max(max)]).describe(`${what}; several as an array (max ${max})`);
  JOINED_LISTS.set(schema, separator);
  return schema;
}

/** The wire form of an indexed list: one value as `name`, several as `name0…nameN`. */
export function expandIndexed(name: string, value: unknown): Array<[string, unknown]> {
  if (!Array.isArray(value)) return [[name, value]];
  return value.length === 1 ? [[name, value[0]]] : value.map((item, index) => [`${name}${index}`, item]);
}
