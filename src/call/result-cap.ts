import { SECRET_MARGIN_CHARS, type Cut } from '../client/json-cut.js';

/**
 * Caps what one tool result puts into the agent's context. Sizes are characters of compact JSON
 * (about 4 per token). Over the cap, the largest arrays and long strings are cut first; the result keeps
 * its shape (arrays stay arrays, strings stay strings) and gains a top-level `truncated` list saying
 * what was cut and how to ask for less.
 */

export const DEFAULT_MAX_RESULT_CHARS = 100_000;
const CHARS_PER_TOKEN = 4;
// Shorter strings are left whole: cutting them saves little and the marker costs about as much.
const MIN_CUT_STRING = 1024;

export interface CapOptions {
  /** Characters of compact JSON at most (default about 25,000 tokens). */
  maxChars?: number;
  /** The tool param that narrows a long list (e.g. `limit`), named in the note. */
  narrowWith?: string;
  /**
   * What a large answer lost while it was read (client/json-cut.ts): each field named is cut at least to what it
   * kept (a string to its kept text less the secret margin) and its note counts the whole answer's items.
   */
  cuts?: readonly Cut[];
  /** The result's compact JSON length when the caller has it, so it is not serialized again. */
  length?: number;
}

export interface Truncation {
  /** Path of the cut value, e.g. `rows` or `folders[0].files`. */
  field: string;
  unit: 'items' | 'characters';
  total: number;
  /** Absent only for a field cut while it was read that the result no longer has where it was. */
  shown?: number;
  note: string;
}

/** Where a value sits inside enclosing arrays: it is gone once an enclosing array is cut before its index. */
interface Enclosing {
  array: unknown[];
  index: number;
  up?: Enclosing;
}

/** A value's place in the result, as a chain to the root; spelled out only for what gets cut. */
interface Place {
  key: string | number;
  up?: Place;
}

function pathOf(place: Place): string {
  const up = place.up ? pathOf(place.up) : '';
  return typeof place.key === 'number' ? `${up}[${place.key}]` : up ? `${up}.${place.key}` : place.key;
}

interface Candidate {
  place: Place;
  size: number;
  value: unknown[] | string;
  parent: object;
  /** Compact JSON size of each item (arrays only). */
  itemSizes?: number[];
  within?: Enclosing;
}

/** What was decided: how many items each cut array keeps, and the replacement of each cut string. */
interface Cuts {
  arrays: Map<unknown[], number>;
  strings: Map<object, Map<string | number, string>>;
}

const jsonLength = (value: unknown) => JSON.stringify(value)?.length ?? 0;

/** The result, unchanged when it fits, or a capped copy with a `truncated` list. Never mutates its input. */
export function capResult(result: Record<string, unknown>, options: CapOptions = {}): Record<string, unknown> {
  const maxChars = options.maxChars ?? DEFAULT_MAX_RESULT_CHARS;
  const total = options.length ?? jsonLength(result);
  const earlier = new Map(options.cuts?.map((cut) => [cut.field, cut]));
  if (total <= maxChars && !earlier.size) return result;

  const candidates: Candidate[] = [];
  measure(result, undefined, undefined, candidates);
  candidates.sort((a, b) => b.size - a.size);

  const cuts: Cuts = { arrays: new Map(), strings: new Map() };
  const truncated: Truncation[] = [];
  // `,"truncated":[]` and one to spare.
  let excess = total - maxChars + 16;
  for (const candidate of candidates) {
    const before = earlier.size ? earlier.get(pathOf(candidate.place)) : undefined;
    if (before) earlier.delete(before.field);
    if ((excess <= 0 && !before) || isCutAway(candidate.within, cuts)) continue;
    const entry = typeof candidate.value === 'string' ? cutString(candidate, excess, maxChars, cuts, before) : cutArray(candidate, excess, maxChars, options.narrowWith, cuts, before);
    if (!entry) continue;
    truncated.push(entry.truncation);
    excess -= entry.saved - jsonLength(entry.truncation) - 1;
  }
  // Cut while read, and no longer where it was (the result's shape changed it): still said.
  for (const cut of earlier.values()) truncated.push({ ...cut, note: `${cut.field} had ${cut.total} ${cut.unit}; only its beginning is shown (a result is capped at about ${tokens(maxChars)}).` });
  // Nothing cuttable (many small fields): the result goes as it is rather than losing its shape.
  if (!truncated.length) return result;
  return { ...(rebuild(result, cuts) as Record<string, unknown>), truncated };
}

function isCutAway(within: Enclosing | undefined, cuts: Cuts): boolean {
  for (let at = within; at; at = at.up) if (at.index >= (cuts.arrays.get(at.array) ?? Infinity)) return true;
  return false;
}

/** Compact JSON size of `value`, collecting arrays and long strings as candidates on the way. */
function measure(value: unknown, place: Place | undefined, within: Enclosing | undefined, out: Candidate[], parent?: object): number {
  if (typeof value === 'string') {
    const size = jsonLength(value);
    if (place && parent && value.length >= MIN_CUT_STRING) out.push({ place, size, value, parent, within });
    return size;
  }
  if (Array.isArray(value)) {
    const itemSizes = value.map((item, index) => (item === undefined ? 4 : measure(item, { key: index, up: place }, { array: value, index, up: within }, out, value)));
    const size = 2 + itemSizes.reduce((sum, itemSize) => sum + itemSize, 0) + Math.max(0, value.length - 1);
    if (place && parent && value.length) out.push({ place, size, value, parent, itemSizes, within });
    return size;
  }
  if (value && typeof value === 'object') {
    let size = 2;
    let fields = 0;
    for (const [name, item] of Object.entries(value)) {
      if (item === undefined) continue;
      size += jsonLength(name) + 1 + measure(item, { key: name, up: place }, within, out, value);
      fields++;
    }
    return size + Math.max(0, fields - 1);
  }
  return jsonLength(value);
}

/** A copy with the cuts applied; only what is kept is copied. */
function rebuild(value: unknown, cuts: Cuts): unknown {
  if (Array.isArray(value)) {
    const replaced = cuts.strings.get(value);
    return value.slice(0, cuts.arrays.get(value)).map((item, index) => replaced?.get(index) ?? rebuild(item, cuts));
  }
  if (value && typeof value === 'object') {
    const replaced = cuts.strings.get(value);
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, replaced?.get(name) ?? rebuild(item, cuts)]));
  }
  return value;
}

const tokens = (maxChars: number) => `${Math.round(maxChars / CHARS_PER_TOKEN).toLocaleString('en-US')} tokens`;

function cutArray(candidate: Candidate, excess: number, maxChars: number, narrowWith: string | undefined, cuts: Cuts, before?: Cut) {
  const itemSizes = candidate.itemSizes!;
  const total = before?.total ?? itemSizes.length;
  const field = pathOf(candidate.place);
  const ask = narrowWith ? `narrow the list with ${narrowWith}` : 'ask for a narrower range';
  const truncation = (shown: number): Truncation => ({
    field,
    unit: 'items',
    total,
    shown,
    note: `Only the first ${shown} of ${total} items of ${field} are shown (a result is capped at about ${tokens(maxChars)}); ${ask} to see the rest.`,
  });
  const target = candidate.size - excess - jsonLength(truncation(total)) - 1;
  // At least one item stays, so the agent sees the shape; what is inside it can still be cut.
  let shown = 1;
  let size = 2 + itemSizes[0];
  while (shown < itemSizes.length && size + 1 + itemSizes[shown] <= target) size += 1 + itemSizes[shown++];
  if (shown === total) return undefined;
  cuts.arrays.set(candidate.value as unknown[], shown);
  return { truncation: truncation(shown), saved: candidate.size - size };
}

function cutString(candidate: Candidate, excess: number, maxChars: number, cuts: Cuts, before?: Cut) {
  const text = candidate.value as string;
  const total = before?.total ?? text.length;
  const field = pathOf(candidate.place);
  const truncation = (shown: number): Truncation => ({
    field,
    unit: 'characters',
    total,
    shown,
    note: `${field} was cut to its first ${shown} of ${total} characters (a result is capped at about ${tokens(maxChars)}).`,
  });
  const cut = (shown: number) => `${text.slice(0, shown)}…[cut: ${total - shown} more characters]`;
  const target = candidate.size - excess - jsonLength(truncation(total)) - 1;
  // Cut while read, the text ends at an arbitrary point: its last SECRET_MARGIN_CHARS are never shown, so a secret
  // the read cut in two (and the scrub could not find) is not shown either.
  const most = before ? Math.max(0, text.length - SECRET_MARGIN_CHARS) : text.length;
  // Escapes make JSON longer than the text: start from the proportional length and shrink until it fits.
  let shown = Math.min(most, Math.max(0, Math.floor((text.length * target) / candidate.size)));
  while (shown > 0 && jsonLength(cut(shown)) > target) shown = Math.floor(shown * 0.9);
  // Never split a surrogate pair.
  if (shown > 0 && /[\uD800-\uDBFF]/.test(text[shown - 1])) shown--;
  const value = cut(shown);
  let replaced = cuts.strings.get(candidate.parent);
  if (!replaced) cuts.strings.set(candidate.parent, (replaced = new Map()));
  replaced.set(candidate.place.key, value);
  return { truncation: truncation(shown), saved: candidate.size - jsonLength(value) };
}
