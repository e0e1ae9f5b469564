import { z } from 'zod';
import type { Input, ToolSpec } from './command.js';
import { PHONE_FIELDS, unwrapOptional } from './params.js';

/**
 * One spelling for the arguments of one call, so that what a person means once is one key: text trimmed and
 * NFC-normalised, a number and its string alike, an explicit default (the entry's `defaults`) the same as none,
 * a list of phone numbers a set. Applied to validated input (numbers are normalised to the local form already).
 */
export function canonicalArgs(spec: ToolSpec, input: Input, drop: readonly string[]): string {
  const kept = Object.keys(input)
    .filter((key) => !drop.includes(key) && input[key] !== undefined && !isDefault(spec, key, input[key]))
    .sort()
    .map((key) => [key, isPhoneList(spec, key) ? phoneSet(input[key]) : plain(input[key])]);
  return JSON.stringify(kept);
}

const isDefault = (spec: ToolSpec, key: string, value: unknown) => spec.defaults !== undefined && Object.hasOwn(spec.defaults, key) && plain(spec.defaults[key]) === plain(value);

function isPhoneList(spec: ToolSpec, key: string): boolean {
  const schema = Object.hasOwn(spec.params, key) ? unwrapOptional(spec.params[key] as z.ZodType) : undefined;
  return schema !== undefined && PHONE_FIELDS.get(schema) === 'list';
}

/** `a:b:a` and `b:a` name the same people; a list kept on the server (tpl:1) stays as it is. */
function phoneSet(value: unknown): unknown {
  const items = typeof value === 'string' && !/^(tpl|tzl):/i.test(value) ? value.split(':') : Array.isArray(value) ? value : undefined;
  if (!items) return plain(value);
  return [...new Set(items.map((item) => JSON.stringify(plain(item))))].sort();
}

function plain(value: unknown): unknown {
  if (typeof value === 'string') return value.trim().normalize('NFC');
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.keys(value)
      .sort()
      .map((key) => [key, plain((value as Record<string, unknown>)[key])]);
  }
  return value;
}
