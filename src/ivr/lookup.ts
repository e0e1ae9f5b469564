import { forms, words } from './lookup-text.js';
import { keyInfo, SETTING_KEYS, type Confidence, type SettingKey } from './settings-data.js';
import { describeValues } from './value-kind.js';

/**
 * Finds ext.ini keys from what an owner says ("after the message go back to the main menu",
 * "הפניית שיחות לנייד"): words of the query are scored against each key's name, summary and `words`, rarer words
 * counting more, and a `words` phrase the query covers counting extra.
 */

export interface LookupMatch {
  key: string;
  summary: string;
  /** The values the key takes, in words. */
  values: string;
  default?: string;
  example: string;
  confidence: Confidence;
  source: string;
  /** The key applies to the given type (always false without one). */
  forType: boolean;
}

export interface LookupOptions {
  type?: string;
  limit?: number;
}

/** Vendor name parts said otherwise by owners. */
const NAME_PARTS: Record<string, string[]> = {
  goto: ['go'],
  go: ['goto'],
  playfile: ['play', 'file'],
  folder: ['extension'],
  foldar: ['folder', 'extension'],
  dir: ['folder'],
  confbridge: ['conference'],
  conf: ['conference'],
  tts: ['speech'],
  did: ['number'],
  phone: ['number'],
};

/** Family placeholders are not words. */
const PLACEHOLDERS = new Set(['n', 'nnn', 'x', 'word', 'var', 'value']);

interface Word {
  forms: string[];
  /** Rarer words say more: a word found in every key weighs nothing. */
  weight: number;
}

interface Indexed {
  key: SettingKey;
  name: Set<string>;
  summary: Set<string>;
  words: Set<string>;
  phrases: Word[][];
}

const formSet = (list: string[]) => new Set(list.flatMap(forms));

function nameWords(name: string): string[] {
  const parts = name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .filter((part) => part !== '' && !PLACEHOLDERS.has(part));
  return parts.flatMap((part) => [part, ...(NAME_PARTS[part] ?? [])]);
}

const meets = (wordForms: string[], set: Set<string>) => wordForms.some((form) => set.has(form));

let INDEX: Indexed[] | undefined;
const WEIGHTS = new Map<string, number>();

/**
 * Built on the first lookup, not at start-up: the index of every key costs more than the rest of a server's start.
 * Phrases are weighed once every key is indexed (a word's weight depends on all keys).
 */
function indexed(): Indexed[] {
  if (INDEX) return INDEX;
  const index: Indexed[] = SETTING_KEYS.map((key) => ({
    key,
    name: formSet(nameWords(key.name)),
    summary: formSet(words(key.summary)),
    words: formSet((key.words ?? []).flatMap(words)),
    phrases: [],
  }));
  INDEX = index;
  for (const entry of index) entry.phrases = (entry.key.words ?? []).map((phrase) => words(phrase).map(weigh));
  return index;
}

function weigh(word: string): Word {
  const wordForms = forms(word);
  let weight = WEIGHTS.get(word);
  if (weight === undefined) {
    const index = indexed();
    const found = index.filter((entry) => meets(wordForms, entry.name) || meets(wordForms, entry.words) || meets(wordForms, entry.summary)).length;
    weight = Math.max(0, Math.log((index.length + 1) / (found + 1)));
    WEIGHTS.set(word, weight);
  }
  return { forms: wordForms, weight };
}

const FIELD_WEIGHT = { name: 3, words: 2, summary: 1 };

function fieldWeight(entry: Indexed, wordForms: string[]): number {
  if (meets(wordForms, entry.name)) return FIELD_WEIGHT.name;
  if (meets(wordForms, entry.words)) return FIELD_WEIGHT.words;
  return meets(wordForms, entry.summary) ? FIELD_WEIGHT.summary : 0;
}

const same = (a: Word, b: Word) => a.forms.some((form) => b.forms.includes(form));

function score(entry: Indexed, query: Word[]): number {
  let total = 0;
  let matched = 0;
  for (const word of query) {
    const field = fieldWeight(entry, word.forms);
    if (field > 0) matched++;
    total += field * word.weight;
  }
  // A phrase of `words` mostly said in the query: the more of it, the more it counts.
  let phrase = 0;
  for (const phraseWords of entry.phrases) {
    const said = phraseWords.filter((word) => query.some((q) => same(q, word)));
    const weight = said.reduce((sum, word) => sum + word.weight, 0);
    phrase = Math.max(phrase, weight * (said.length / phraseWords.length) ** 2);
  }
  return (total + 2 * phrase) * (0.5 + (0.5 * matched) / query.length);
}

const applies = (key: SettingKey, type: string | undefined) =>
  type !== undefined && (key.modules === 'any' || key.modules.includes(type));

function toMatch(key: SettingKey, type: string | undefined): LookupMatch {
  return {
    key: key.name,
    summary: key.summary,
    values: describeValues(key),
    ...(key.default === undefined ? {} : { default: key.default }),
    example: key.example,
    confidence: key.confidence,
    source: key.source,
    forType: applies(key, type),
  };
}

/**
 * Keys matching the query, best first; with a type, every key of that type before any other (an agent takes the
 * first match: a better-worded key of another module is one Yemot ignores on this extension).
 */
export function lookupSettings(query: string, { type, limit = 5 }: LookupOptions = {}): LookupMatch[] {
  const named = keyInfo(query.trim());
  const queryWords = words(query).map(weigh);
  const scored = indexed().map((entry) => ({
    key: entry.key,
    score: entry.key === named ? Number.POSITIVE_INFINITY : queryWords.length === 0 ? 0 : score(entry, queryWords),
    forType: applies(entry.key, type),
  }));
  return scored
    .filter((entry) => entry.score > 0)
    .sort((a, b) => Number(b.forType) - Number(a.forType) || b.score - a.score)
    .slice(0, limit)
    .map((entry) => toMatch(entry.key, type));
}
