import { API_KEYS } from './settings-api.js';
import { GLOBAL_KEYS } from './settings-common.js';
import { GOTO_KEYS } from './settings-goto.js';
import { MENU_KEYS } from './settings-menu.js';
import { MODULE_ROWS } from './settings-modules.js';
import { PLAYFILE_KEYS } from './settings-playfile.js';
import { RECORD_KEYS } from './settings-record.js';
import { ROUTING_AND_QUEUE_KEYS } from './settings-routing.js';
import { SERVICE_KEYS } from './settings-services.js';
import type { ModuleType, SettingKey } from './settings-types.js';

export type { Confidence, ModuleType, SettingKey, ValueKind, When } from './settings-types.js';

/**
 * The ext.ini vocabulary of shared/api-docs/EXT-INI.md: module types (§2.1) and keys (§2.2-§4). queue.ini keys are
 * not here: they live in another file, and `timeout`/`retry` there mean something else than in ext.ini.
 */
export const MODULE_TYPES: readonly ModuleType[] = MODULE_ROWS;

export const SETTING_KEYS: readonly SettingKey[] = [
  ...GLOBAL_KEYS,
  ...MENU_KEYS,
  ...PLAYFILE_KEYS,
  ...RECORD_KEYS,
  ...API_KEYS,
  ...ROUTING_AND_QUEUE_KEYS,
  ...GOTO_KEYS,
  ...SERVICE_KEYS,
];

/** Placeholders of family names: NNN a file number (3+ digits), N digits, X a phone key, WORD/VAR/VALUE free text. */
const PLACEHOLDER = /NNN|WORD|VAR|VALUE|N|X/g;
const PLACEHOLDER_PATTERN: Record<string, string> = { NNN: '\\d{3,}', N: '\\d+', X: '[0-9*#]', WORD: '.+?', VAR: '.+?', VALUE: '.+?' };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Family {
  pattern: RegExp;
  /** More fixed characters = more specific: api_answer_OK_1 is api_answer_WORD_N, not api_answer_WORD. */
  literal: number;
  key: SettingKey;
}

const EXACT = new Map<string, SettingKey>();
const FAMILIES: Family[] = [];
for (const key of SETTING_KEYS) {
  const parts = key.name.split(PLACEHOLDER);
  if (parts.length === 1) {
    EXACT.set(key.name, key);
    continue;
  }
  const holders = key.name.match(PLACEHOLDER) ?? [];
  const source = parts.map((part, i) => escape(part) + (i < holders.length ? PLACEHOLDER_PATTERN[holders[i]] : '')).join('');
  FAMILIES.push({ pattern: new RegExp(`^${source}$`), literal: parts.join('').length, key });
}
FAMILIES.sort((a, b) => b.literal - a.literal);

/** The key as the reference documents it; numbered names resolve to their family (api_add_3 -> api_add_N). */
export function keyInfo(name: string): SettingKey | undefined {
  return EXACT.get(name) ?? FAMILIES.find((family) => family.pattern.test(name))?.key;
}

const MODULES = new Map(MODULE_TYPES.map((module) => [module.type, module]));

export function moduleInfo(type: string): ModuleType | undefined {
  return MODULES.get(type);
}
