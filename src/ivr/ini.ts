/**
 * A lossless model of an ext.ini text (EXT-INI.md §1.1): flat `key=value` lines, the value being everything after
 * the first `=`; any key may carry an expiry part, `key(YYYY-MM-DD-HH-MM-SS)=` or `key(date|other)=`.
 * serializeIni(parseIni(t)) === t for every string t: each line keeps its raw text and its own line ending.
 */

/** '' only on a last line that has no line break after it. A lone CR is not a line break: it stays in the text. */
export type LineEnding = '\n' | '\r\n' | '';

interface LineBase {
  /** The line as written, without its line ending. */
  readonly raw: string;
  readonly eol: LineEnding;
}

export interface SettingLine extends LineBase {
  readonly kind: 'setting';
  /** The name with surrounding spaces trimmed and the expiry part removed. */
  readonly key: string;
  /** What is written inside the parentheses, e.g. `2026-01-01-00-00-00|other`. */
  readonly expiry?: string;
  /** Everything after the first `=`, as written (not trimmed). */
  readonly value: string;
}

export interface OtherLine extends LineBase {
  /** comment: `;` or `#` is the first non-space character; other: text without `=`. */
  readonly kind: 'comment' | 'blank' | 'other';
}

export type IniLine = SettingLine | OtherLine;

export interface IniDocument {
  readonly lines: readonly IniLine[];
}

export type IniChange = { set: string; value: string } | { remove: string };

/** A change that would not read back as one `key=value` line. */
export class IniSyntaxError extends Error {
  constructor(
    readonly key: string,
    readonly rule: string,
  ) {
    super(`ext.ini key "${key}": ${rule}`);
    this.name = 'IniSyntaxError';
  }
}

const EXPIRY = /^([^()]*)\(([^()]*)\)$/;

function parseLine(raw: string, eol: LineEnding): IniLine {
  const content = raw.trim();
  if (content === '') return { kind: 'blank', raw, eol };
  if (content.startsWith(';') || content.startsWith('#')) return { kind: 'comment', raw, eol };
  const equals = raw.indexOf('=');
  const name = equals < 0 ? '' : raw.slice(0, equals).trim();
  if (name === '') return { kind: 'other', raw, eol };
  const value = raw.slice(equals + 1);
  const expiry = EXPIRY.exec(name);
  if (expiry && expiry[1].trim() !== '') return { kind: 'setting', key: expiry[1].trim(), expiry: expiry[2], value, raw, eol };
  return { kind: 'setting', key: name, value, raw, eol };
}

export function parseIni(text: string): IniDocument {
  const pieces = text.split('\n');
  const lines = pieces.flatMap((piece, i): IniLine[] => {
    const last = i === pieces.length - 1;
    if (last && piece === '') return [];
    if (last) return [parseLine(piece, '')];
    return piece.endsWith('\r') ? [parseLine(piece.slice(0, -1), '\r\n')] : [parseLine(piece, '\n')];
  });
  return { lines };
}

export function serializeIni(doc: IniDocument): string {
  return doc.lines.map((line) => line.raw + line.eol).join('');
}

const isPlain = (line: IniLine, key?: string): line is SettingLine =>
  line.kind === 'setting' && line.expiry === undefined && (key === undefined || line.key === key);

/**
 * The value Yemot uses for a key without expiry. Which of duplicate lines wins is not documented (EXT-INI.md §1.1);
 * we take the first, as the only parser the reference read does (BPI). applyChanges writes every duplicate, so a
 * change holds whichever line Yemot reads. Lines with an expiry depend on the clock and are left out.
 */
export function activeValue(doc: IniDocument, key: string): string | undefined {
  return doc.lines.find((line) => isPlain(line, key))?.value;
}

/** The plain (non-expiry) keys with their active values. */
export function settings(doc: IniDocument): Record<string, string> {
  const entries = new Map<string, string>();
  for (const line of doc.lines) if (isPlain(line) && !entries.has(line.key)) entries.set(line.key, line.value);
  return Object.fromEntries(entries);
}

/** The lines of a key that carry an expiry part: a plain set/remove leaves them, and they can override it later. */
export function expiringLines(doc: IniDocument, key: string): SettingLine[] {
  return doc.lines.filter((line): line is SettingLine => line.kind === 'setting' && line.key === key && line.expiry !== undefined);
}

function checkKey(key: string): void {
  if (key === '') throw new IniSyntaxError(key, 'a key cannot be empty');
  if (/[\r\n]/.test(key)) throw new IniSyntaxError(key, 'a key cannot contain a line break');
  if (key.includes('=')) throw new IniSyntaxError(key, 'a key cannot contain "=" (the first "=" ends the key)');
  if (key !== key.trim()) throw new IniSyntaxError(key, 'a key cannot start or end with a space');
  if (key.startsWith(';') || key.startsWith('#')) throw new IniSyntaxError(key, 'a key cannot start with ";" or "#" (the line would read as a comment)');
  if (/[()]/.test(key)) throw new IniSyntaxError(key, 'a key cannot contain "(" or ")": an expiry part is not set through a plain change');
}

function checkChange(change: IniChange): void {
  if ('remove' in change) return checkKey(change.remove);
  checkKey(change.set);
  if (/[\r\n]/.test(change.value)) throw new IniSyntaxError(change.set, 'a value cannot contain a line break');
}

/** The ending the file itself uses; a new line of a file without any takes LF. */
const fileEnding = (lines: readonly IniLine[]): LineEnding => lines.find((line) => line.eol !== '')?.eol ?? '\n';

function applyOne(lines: readonly IniLine[], change: IniChange): IniLine[] {
  if ('remove' in change) return lines.filter((line) => !isPlain(line, change.remove));
  const { set: key, value } = change;
  if (lines.some((line) => isPlain(line, key))) {
    return lines.map((line) => {
      if (!isPlain(line, key)) return line;
      const before = line.raw.slice(0, line.raw.indexOf('=') + 1);
      return { ...line, value, raw: before + value };
    });
  }
  const eol = fileEnding(lines);
  // A last line ending in a lone CR would read back as a CRLF line without it: it gets CRLF, keeping its CR.
  const kept = lines.map((line, i) => (i === lines.length - 1 && line.eol === '' ? { ...line, eol: line.raw.endsWith('\r') ? '\r\n' : eol } : line));
  // A file that ended without a line break still does, after the appended line.
  const last: LineEnding = lines.length > 0 && lines[lines.length - 1].eol === '' ? '' : eol;
  return [...kept, { kind: 'setting', key, value, raw: `${key}=${value}`, eol: last }];
}

/**
 * A new document with the changes applied in order. `set` rewrites every plain line of the key in place (same
 * position, spacing before `=` and line ending) or appends one; `remove` drops the plain lines of the key. Lines
 * with an expiry part, unknown keys, comments, blanks and order are kept. All changes are checked before any applies.
 */
export function applyChanges(doc: IniDocument, changes: readonly IniChange[]): IniDocument {
  changes.forEach(checkChange);
  return { lines: changes.reduce<readonly IniLine[]>(applyOne, doc.lines) };
}
