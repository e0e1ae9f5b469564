import { z } from 'zod';

/** Shared parameter schemas, in the API's own terms. Kept free of long regexes: every byte is context. */

export const MAX_CAMPAIGN_NUMBERS = 500;

export const dateTime = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be YYYY-MM-DD HH:mm:ss')
    .describe(`${what}, YYYY-MM-DD HH:mm:ss`);

export const callerId = (what = 'Outgoing caller ID; default the main number') =>
  z.string().min(1).max(20).describe(what);

export const accountNumber = (what = 'SIP account number (not extension); default the first account') =>
  z.number().int().min(1).max(100_000).describe(what);

// Checked by refinements, which stay out of the JSON Schema the host pays for in context.
const PHONE_NUMBER = /^\+?\d{3,15}$/;
const SERVER_LIST = /^(tpl|tzl):./i;

export const phoneString = z
  .string()
  .min(1)
  .max(12_000)
  .refine((value) => SERVER_LIST.test(value) || value.split(':').every((number) => PHONE_NUMBER.test(number)), {
    message: 'must be phone numbers (digits, optional leading +) joined by ":", or tpl:ID, or tzl:NAME',
  })
  .describe('Numbers joined by ":" (e.g. 0501234567:0527654321), or tpl:ID (a list), or tzl:NAME (a tzintuk list)');

const phone = z
  .string()
  .min(1)
  .max(20)
  .refine((value) => PHONE_NUMBER.test(value), { message: 'must be a phone number: digits, optional leading +' });

/** CallExtensionBridging takes a string, or (sent as JSON) one of three array shapes. */
export const bridgingPhones = z
  .union([
    phoneString,
    z.array(phone).min(1).max(MAX_CAMPAIGN_NUMBERS),
    z.array(z.object({ phone, callerId: phone })).min(1).max(MAX_CAMPAIGN_NUMBERS),
    z.array(z.object({ phones: z.array(phone).min(1).max(MAX_CAMPAIGN_NUMBERS), callerId: phone })).min(1).max(MAX_CAMPAIGN_NUMBERS),
  ])
  .describe('"a:b:c", tpl:ID or tzl:NAME; or an array of numbers, of {phone,callerId}, or of {phones[],callerId}. Max 500 numbers');

/** How many numbers a phones value names; undefined for lists kept on the server (tpl:, tzl:). */
export function countNumbers(phones: unknown): number | undefined {
  if (typeof phones === 'string') {
    if (/^(tpl|tzl):/i.test(phones)) return undefined;
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

export const zeroOrOne = (what: string) => z.literal([0, 1]).describe(`${what}: 0 or 1`);
