import type { SettingKey, ValueKind } from './settings-types.js';

/**
 * What a value of each kind looks like (EXT-INI.md §2.2, §3.1): the check behind checkSettings' kind warnings and
 * the wording lookupSettings shows.
 */

/** Characters that no folder name uses and that would break a target. */
const BAD_CHARACTER = /[\s\\,=|\u0000-\u001f\u007f]/;

const EMPTY_NAME = 'has an empty folder name ("//" or a trailing "/")';
const isShortcut = (segment: string) => segment === '.' || segment === '..';

/** Why a value is not a navigation target (§3.1: /, /1/1, 1, ., .., ../1, hangup), or undefined when it is one. */
export function targetProblem(value: string): string | undefined {
  if (value === 'hangup' || value === '/' || value === '.') return undefined;
  if (BAD_CHARACTER.test(value)) return 'contains a space, comma, "=", "|", "\\" or control character';
  const absolute = value.startsWith('/');
  const segments = (absolute ? value.slice(1) : value).split('/');
  if (segments.includes('')) return EMPTY_NAME;
  if (absolute) return segments.some(isShortcut) ? 'uses "." or ".." in an absolute target' : undefined;
  const firstName = segments.findIndex((segment) => segment !== '..');
  if (firstName < 0) return undefined;
  return segments.slice(firstName).some(isShortcut) ? 'uses "." or ".." after a folder name (they only lead a relative target: .., ../1)' : undefined;
}

/** Keys that point at file locations need full paths: the shortcuts only work when the caller is moved (§3.1). */
function pathProblem(value: string, style: 'absolute' | 'no-leading-slash'): string | undefined {
  if (BAD_CHARACTER.test(value)) return 'contains a space, comma, "=", "|", "\\" or control character';
  if (style === 'absolute' && !value.startsWith('/')) return 'must start with "/" (e.g. /1/2)';
  if (style === 'no-leading-slash' && value.startsWith('/')) return 'must not start with "/" (a full path written like 1/2)';
  if (value === '/') return undefined;
  // The reference writes some no-leading-slash paths with a trailing slash (queue_record_duplicate_link=1/1/).
  const path = style === 'absolute' ? value.slice(1) : value.replace(/\/$/, '');
  const segments = path.split('/');
  if (segments.includes('')) return EMPTY_NAME;
  return segments.some(isShortcut) ? 'uses "." or ".." (a folder location needs a full path)' : undefined;
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;
const PHONE = /^\+?\d{3,15}$/;

function numberProblem(value: string, min?: number, max?: number): string | undefined {
  if (!NUMBER.test(value)) return `expects a number, not "${value}"`;
  const n = Number(value);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) return `expects ${describeNumber(min, max)}, not ${value}`;
  return undefined;
}

function urlProblem(value: string, https: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expects a URL, not "${value}"`;
  }
  if (https && url.protocol !== 'https:') return 'should be an https URL: the request carries the caller\'s number and input';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `expects an http(s) URL, not ${url.protocol}`;
  return undefined;
}

function kindProblem(kind: ValueKind, value: string): string | undefined {
  switch (kind.kind) {
    case 'yesno':
      return value === 'yes' || value === 'no' ? undefined : `expects yes or no, not "${value}"`;
    case 'number':
      return numberProblem(value, kind.min, kind.max);
    case 'enum':
      return kind.open || kind.values.includes(value) ? undefined : `expects one of ${kind.values.join(', ')}, not "${value}"`;
    case 'target': {
      const problem = targetProblem(value);
      return problem && `is not a navigation target: "${value}" ${problem}`;
    }
    case 'path': {
      const problem = pathProblem(value, kind.style);
      return problem && `"${value}" ${problem}`;
    }
    case 'url':
      return urlProblem(value, kind.https === true);
    case 'phone':
      return PHONE.test(value) ? undefined : `expects a phone number (digits, optional leading +), not "${value}"`;
    case 'list': {
      const element = kind.of === 'number' ? NUMBER : kind.of === 'phone' ? PHONE : undefined;
      const bad = element && value.split(',').find((item) => !element.test(item));
      return bad === undefined ? undefined : `expects a comma-separated list of ${kind.of}s, "${bad}" is not one`;
    }
    case 'file':
    case 'text':
      return undefined;
  }
}

/**
 * Why a value does not fit the key, or undefined. An empty value is always fine: it puts the key back to the
 * built-in default (§1.1).
 */
export function valueProblem(key: SettingKey, value: string): string | undefined {
  if (value === '' || key.also?.includes(value)) return undefined;
  return kindProblem(key.value, value);
}

function describeNumber(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `a number from ${min} to ${max}`;
  if (min !== undefined) return `a number of at least ${min}`;
  if (max !== undefined) return `a number of at most ${max}`;
  return 'a number';
}

/** The values a key takes, in words. */
export function describeValues(key: SettingKey): string {
  const kind = key.value;
  const also = key.also ? ` (or ${key.also.join(', ')})` : '';
  switch (kind.kind) {
    case 'yesno':
      return 'yes | no';
    case 'number':
      return describeNumber(kind.min, kind.max);
    case 'enum':
      return kind.values.join(' | ') + (kind.open ? ' | …' : '') + also;
    case 'target':
      return `where the caller goes: / (root), /1/1 (absolute), 1 (child), . (this one), .. (up), ../1 (sibling), hangup${also}`;
    case 'path':
      return (kind.style === 'absolute' ? 'a folder path starting with / (e.g. /1/2)' : 'a folder path without a leading / (e.g. 1/2)') + also;
    case 'file':
      return 'a file name (e.g. 005)';
    case 'text':
      return 'text';
    case 'url':
      return kind.https ? 'an https URL' : 'a URL';
    case 'phone':
      return `a phone number${also}`;
    case 'list':
      return `a comma-separated list of ${kind.of}s`;
  }
}
