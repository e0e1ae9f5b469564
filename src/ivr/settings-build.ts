import type { Confidence, SettingKey, ValueKind, When } from './settings-types.js';

/** Value kinds used across the key tables. */
export const YESNO: ValueKind = { kind: 'yesno' };
export const TEXT: ValueKind = { kind: 'text' };
export const FILE: ValueKind = { kind: 'file' };
export const PHONE: ValueKind = { kind: 'phone' };
export const TARGET: ValueKind = { kind: 'target' };
export const ABSOLUTE: ValueKind = { kind: 'path', style: 'absolute' };
export const NO_LEADING_SLASH: ValueKind = { kind: 'path', style: 'no-leading-slash' };
export const num = (min?: number, max?: number): ValueKind => ({
  kind: 'number',
  ...(min === undefined ? {} : { min }),
  ...(max === undefined ? {} : { max }),
});
export const oneOf = (values: string[], open?: true): ValueKind => ({ kind: 'enum', values, ...(open ? { open } : {}) });
export const listOf = (of: string): ValueKind => ({ kind: 'list', of });

type Extra = Partial<Pick<SettingKey, 'default' | 'words' | 'also' | 'confidence' | 'source' | 'sic' | 'modules'>>;

/**
 * Builders for one table: the modules, source and confidence shared by its keys, overridable per key.
 * `goto` makes a navigating key (its value is a §3.1 target).
 */
export function table(modules: string[] | 'any', source: string, confidence: Confidence = 'F') {
  const key = (name: string, value: ValueKind, summary: string, example: string, extra: Extra = {}): SettingKey => ({
    name,
    modules,
    value,
    summary,
    example,
    confidence,
    source,
    ...extra,
  });
  const goto = (name: string, when: When, summary: string, example: string, extra: Extra = {}): SettingKey => ({
    ...key(name, TARGET, summary, example, extra),
    navigates: true,
    when,
  });
  return { key, goto };
}
