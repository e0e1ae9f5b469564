import { fail, type NumberRange, type Params } from './handler.js';

/** Readers of request parameters as the API checks them (strings, integers in a range, 0/1 flags, choices). */

export function isPresent(params: Params, name: string): boolean {
  const value = params[name];
  return value !== undefined && value !== null && value !== '';
}

export function optString(params: Params, name: string): string | undefined {
  if (!isPresent(params, name)) return undefined;
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(`${name} is invalid`);
}

export function requireString(params: Params, name: string): string {
  const value = optString(params, name);
  if (value === undefined || value.trim() === '') return fail(`${name} is required`);
  return value;
}

function toNumber(value: unknown, decimals: boolean): number | undefined {
  const pattern = decimals ? /^-?\d+(\.\d+)?$/ : /^-?\d+$/;
  if (typeof value === 'number') return Number.isFinite(value) && (decimals || Number.isInteger(value)) ? value : undefined;
  if (typeof value === 'string' && pattern.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** A number in its documented range: an integer unless the range says decimals. */
export function optNumber(params: Params, name: string, range: NumberRange = {}): number | undefined {
  if (!isPresent(params, name)) return undefined;
  const value = toNumber(params[name], range.decimals === true);
  if (value === undefined) return fail(`${name} must be ${range.decimals ? 'a number' : 'an integer'}`);
  const { min = -Infinity, max = Infinity } = range;
  if (value < min || value > max) {
    if (Number.isFinite(min) && Number.isFinite(max)) return fail(`${name} must be between ${min} and ${max}`);
    return fail(Number.isFinite(min) ? `${name} must be at least ${min}` : `${name} must be at most ${max}`);
  }
  return value;
}

export const optInt = (params: Params, name: string, range: NumberRange = {}) => optNumber(params, name, { ...range, decimals: false });

export function requireInt(params: Params, name: string, range: NumberRange = {}): number {
  const value = optInt(params, name, range);
  if (value === undefined) return fail(`${name} is required`);
  return value;
}

/** 0/1 flags; JSON booleans count too. */
export function optFlag(params: Params, name: string): 0 | 1 | undefined {
  if (!isPresent(params, name)) return undefined;
  const value = params[name];
  if (value === 0 || value === '0' || value === false) return 0;
  if (value === 1 || value === '1' || value === true) return 1;
  return fail(`${name} must be 0 or 1`);
}

export function optChoice<T extends string>(params: Params, name: string, choices: readonly T[]): T | undefined {
  const value = optString(params, name);
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) return fail(`${name} must be one of ${choices.join(', ')}`);
  return value as T;
}

export function requireChoice<T extends string>(params: Params, name: string, choices: readonly T[]): T {
  const value = optChoice(params, name, choices);
  if (value === undefined) return fail(`${name} is required`);
  return value;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** YYYY-MM-DD HH:mm:ss in local time. */
export function formatDateTime(date: Date = new Date()): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

let campaignSeq = 0;

/** Like YA-3-0770000000-Yemot-1672066954231731: milliseconds plus a 3-digit sequence. */
export function campaignId(kind: number, mainDid: string): string {
  campaignSeq = (campaignSeq + 1) % 1000;
  return `YA-${kind}-${mainDid}-Yemot-${Date.now()}${pad(campaignSeq, 3)}`;
}

/** Units as the API prints them: a string, at most 2 decimals. */
export function unitsString(units: number): string {
  return String(Math.round(units * 100) / 100);
}

/** An http(s) URL (callbackUrl, deliveryUrl, a PDF's address). */
export function isHttpUrl(url: string): boolean {
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  return protocol === 'http:' || protocol === 'https:';
}
