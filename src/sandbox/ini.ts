import { fail } from './handler.js';

/** ext.ini text: `key=value` lines; other lines (comments, blanks) are kept as they are. */

const LINE = /^\s*([^=#;\s][^=]*?)\s*=(.*)$/;

const keyOf = (line: string) => LINE.exec(line)?.[1];

/** key=value lines of an ini text (a later line wins, as the IVR reads it). */
export function parseIni(text: string): Record<string, string> {
  const entries = text.split(/\r?\n/).flatMap((line) => {
    const match = LINE.exec(line);
    return match ? [[match[1], match[2].trim()] as const] : [];
  });
  return Object.fromEntries(entries);
}

/** A key must read back as itself: no `=`, no line break, no comment mark or space at its start or end. */
const VALID_KEY = /^[^=#;\s\r\n][^=\r\n]*$/;

/** Refuses what would break the file's line syntax (a key that is not one key, a value that spans lines). */
export function checkIniEntry(key: string, value: string): void {
  if (!VALID_KEY.test(key) || key !== key.trim()) fail(`ext.ini key "${key}" is invalid: a key has no "=" or line break and does not start with "#", ";" or a space`);
  if (/[\r\n]/.test(value)) fail(`ext.ini value of ${key} is invalid: a value must not contain a line break`);
}

/**
 * The text with these keys set: an existing key changes in place (a later duplicate of it is dropped, or it would
 * win over the new value), a new key is appended; every other line stays as it was, in its order.
 */
export function mergeIni(text: string, updates: ReadonlyArray<readonly [string, string]>): string {
  const values = new Map(updates);
  const written = new Set<string>();
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const merged = lines.flatMap((line) => {
    const key = keyOf(line);
    if (key === undefined || !values.has(key)) return [line];
    if (written.has(key)) return [];
    written.add(key);
    return [`${key}=${values.get(key)}`];
  });
  for (const [key, value] of values) if (!written.has(key)) merged.push(`${key}=${value}`);
  return merged.map((line) => `${line}\n`).join('');
}
