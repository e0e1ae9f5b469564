import type { z } from 'zod';
import type { ToolSpec } from './command.js';
import { fieldName } from './issues.js';
import { unwrapOptional } from './params.js';

/**
 * What the API would choke on never leaves: one pass over every value of every call, at any depth, before
 * anything is sent. A NUL or another control character cuts or corrupts a form value on the vendor's side; the
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make a file or a message read other
 * than it is; a number that JavaScript writes with an exponent (1e-7, 1e21) goes to the API as that text. The
 * Hebrew marks U+200E/U+200F are ordinary in Hebrew text and stay.
 */

/** Fields of text that runs over lines (a file's contents, an SMS): tab and line breaks are theirs. */
const MULTILINE_FIELDS = new WeakSet<z.ZodType>();

/** Marks a text param whose value may hold tabs and line breaks. */
export function multiline<T extends z.ZodType>(schema: T): T {
  MULTILINE_FIELDS.add(schema);
  return schema;
}

const ONE_LINE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
// JSON arguments are shallow; anything deeper is refused by the schema anyway.
const MAX_DEPTH = 8;

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function textProblem(text: string, lines: boolean): string | undefined {
  const found = (lines ? MULTI_LINE : ONE_LINE).exec(text)?.[0];
  if (found === undefined) return undefined;
  if (BIDI.test(found)) return `must not hold bidi embedding, override or isolate characters (found ${codePoint(found)}); U+200E and U+200F are fine`;
  return lines
    ? `must not hold control characters other than tab and line breaks (found ${codePoint(found)})`
    : `must not hold control characters, tab and line breaks included (found ${codePoint(found)})`;
}

function numberProblem(value: number): string | undefined {
  return /e/i.test(String(value)) ? `${value} would go as exponent notation; give a number between 0.000001 and 1e21 in size, or 0` : undefined;
}

/** `field: rule` for every value of the arguments the API could not take as it is. */
export function unsendable(spec: ToolSpec, args: unknown): string[] {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return [];
  const problems: string[] = [];
  const visit = (value: unknown, path: PropertyKey[], lines: boolean) => {
    const problem = typeof value === 'string' ? textProblem(value, lines) : typeof value === 'number' ? numberProblem(value) : undefined;
    if (problem) problems.push(`${fieldName(path)}: ${problem}`);
    if (!value || typeof value !== 'object' || path.length >= MAX_DEPTH) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index], lines));
    else for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], [...path, key], lines);
  };
  for (const key of Object.keys(args)) {
    const schema = Object.hasOwn(spec.params, key) ? unwrapOptional(spec.params[key] as z.ZodType) : undefined;
    visit((args as Record<string, unknown>)[key], [key], schema !== undefined && MULTILINE_FIELDS.has(schema));
  }
  return problems;
}
