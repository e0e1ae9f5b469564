import { navigationRule } from './nav-keys.js';
import type { When } from './nav-keys.js';

/**
 * Where a navigation value sends the caller (EXT-INI §3.1). Paths are canonical: `/` or `/1/2`, no trailing slash.
 * A relative value (`1`, `.`, `..`, `../1`) counts from the extension that holds the key.
 */
export type Target = { kind: 'folder'; path: string } | { kind: 'hangup' } | { kind: 'invalid'; reason: string };

export type { When } from './nav-keys.js';

export interface Navigation {
  key: string;
  target: string;
  when: When;
}

// Characters no folder name can hold; anything else (Hebrew names included) is left for the folder check.
const BAD_SEGMENT = /[\u0000-\u001f\\:*?"<>|]/;

const segmentsOf = (path: string) => path.split('/').filter((segment) => segment !== '');

export function resolveTarget(from: string, target: string): Target {
  const value = target.trim();
  if (value === '') return { kind: 'invalid', reason: 'the target is empty' };
  if (value === 'hangup') return { kind: 'hangup' };
  const parts = value.split('/');
  if (value.startsWith('/')) parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const segments = value.startsWith('/') ? [] : segmentsOf(from);
  for (const part of parts) {
    if (part === '' && parts.length > 1) return { kind: 'invalid', reason: `"${value}" has an empty segment (//)` };
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (segments.length === 0) return { kind: 'invalid', reason: `"${value}" from ${from} goes above the root` };
      segments.pop();
      continue;
    }
    if (BAD_SEGMENT.test(part)) return { kind: 'invalid', reason: `"${value}" has a character no folder name can hold` };
    segments.push(part);
  }
  return { kind: 'folder', path: `/${segments.join('/')}` };
}

/** The folder one level up; the root has none. */
export function parentOf(path: string): string | undefined {
  const segments = segmentsOf(path);
  if (segments.length === 0) return undefined;
  return `/${segments.slice(0, -1).join('/')}`;
}

export function childOf(path: string, name: string): string {
  return path === '/' ? `/${name}` : `${path}/${name}`;
}

/**
 * Every key present that moves the caller, with its target value as written. An empty value is left out: Yemot
 * reads `key=` as "back to the built-in default" (EXT-INI §1.1), which for these keys is back one level.
 */
export function navigationOf(settings: Record<string, string>): Navigation[] {
  return Object.entries(settings).flatMap(([key, raw]) => {
    const value = raw.trim();
    if (value === '') return [];
    const rule = navigationRule(key);
    if (!rule || rule.skip?.includes(value)) return [];
    const target = rule.target ? rule.target(value) : value;
    return target === undefined ? [] : [{ key, target, when: rule.when }];
  });
}
