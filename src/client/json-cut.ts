/**
 * A JSON answer parsed as it arrives, keeping of every array and string only what a result could show: an
 * array keeps items while what it kept is under `keepChars` of JSON, a string its first `keepChars` characters
 * plus a margin. What is dropped is still read (so a broken answer is still refused) and counted, never held:
 * a 100 MB answer costs about what it keeps, not what it is. Objects keep every member (a cut would change
 * their meaning); the response cap bounds them.
 */

/** Kept beyond `keepChars` of a string, so a secret that starts before the cut is whole when it is scrubbed. */
export const SECRET_MARGIN_CHARS = 4096;

/** What was left out of one array or string, by its path as the result cap names fields (`files`, `rows[3].text`). */
export interface Cut {
  field: string;
  unit: 'items' | 'characters';
  /** Items or characters the answer had. */
  total: number;
}

export class JsonCutError extends Error {}

type State = 'first' | 'key' | 'colon' | 'value' | 'comma';

interface Frame {
  object: boolean;
  /** null while skipping: the value is read and counted, not built. */
  value: unknown[] | Record<string, unknown> | null;
  field: string;
  /** JSON characters kept so far (about: escapes are counted as sent). */
  size: number;
  count: number;
  /** The member name read, waiting for its value. */
  key: string;
  /** This array stopped keeping items; the rest are counted only. */
  dropped: boolean;
  state: State;
}

interface Text {
  /** null when the string is skipped. */
  kept: string | null;
  length: number;
  isKey: boolean;
  field: string;
}

// Character classes of the ASCII range by code: a bare token's (numbers, literals), white space, or structural.
const TOKEN = 0;
const SPACE = 1;
const STRUCTURAL = 2;
const CLASSES = new Uint8Array(128);
for (const char of ' \t\n\r') CLASSES[char.charCodeAt(0)] = SPACE;
for (const char of '{}[],:"') CLASSES[char.charCodeAt(0)] = STRUCTURAL;
const classOf = (code: number) => (code < 128 ? CLASSES[code] : TOKEN);
// JSON.parse would overflow its stack long before; no API answer nests this deep or spells a number this long.
const MAX_DEPTH = 512;
const MAX_TOKEN = 1024;
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS = new Map<string, boolean | null>([
  ['true', true],
  ['false', false],
  ['null', null],
]);

export class JsonCutParser {
  private readonly stack: Frame[] = [];
  private readonly cuts: Cut[] = [];
  private root: { value: unknown } | undefined;
  private text: Text | undefined;
  /** An escape split by a chunk boundary. */
  private pending = '';
  /** A number or literal being read. */
  private token = '';
  /** Where the next backslash of the current input is, so strings are scanned once. */
  private slashAt = -1;

  constructor(private readonly keepChars: number) {}

  write(chunk: string): void {
    const input = this.pending ? this.pending + chunk : chunk;
    this.pending = '';
    this.slashAt = -1;
    const length = input.length;
    let at = 0;
    while (at < length) {
      if (this.text) {
        at = this.readString(input, at);
        continue;
      }
      const kind = classOf(input.charCodeAt(at));
      if (kind === TOKEN) {
        let end = at + 1;
        while (end < length && classOf(input.charCodeAt(end)) === TOKEN) end++;
        this.token += input.slice(at, end);
        if (this.token.length > MAX_TOKEN) throw new JsonCutError('a number or literal that never ends');
        at = end;
        continue;
      }
      if (this.token) this.endToken();
      if (kind === STRUCTURAL) this.structural(input[at]);
      at++;
    }
  }

  /** The answer and what was cut from it; throws JsonCutError unless the text was one complete JSON value. */
  end(): { value: unknown; cuts: Cut[] } {
    if (this.token) this.endToken();
    if (this.text || this.pending || this.stack.length || !this.root) throw new JsonCutError('the JSON ends before its value is complete');
    return { value: this.root.value, cuts: this.cuts };
  }

  private structural(char: string): void {
    const top = this.stack[this.stack.length - 1];
    if (char === '"' && top?.object && (top.state === 'first' || top.state === 'key')) {
      this.text = { kept: top.value === null ? null : '', length: 0, isKey: true, field: '' };
      return;
    }
    if (char === '"' || char === '{' || char === '[') {
      this.beforeValue(top);
      const keep = this.keeping(top);
      // A field's path is spelled only for what is kept: only that can be cut.
      const field = keep ? this.nextField(top) : '';
      if (char === '"') return void (this.text = { kept: keep ? '' : null, length: 0, isKey: false, field });
      if (this.stack.length >= MAX_DEPTH) throw new JsonCutError(`nested deeper than ${MAX_DEPTH}`);
      this.stack.push({ object: char === '{', value: keep ? (char === '{' ? {} : []) : null, field, size: 2, count: 0, key: '', dropped: false, state: 'first' });
      return;
    }
    if (!top) throw new JsonCutError(`unexpected ${char}`);
    if (char === ':' && top.state === 'colon') {
      top.state = 'value';
    } else if (char === ',' && top.state === 'comma') {
      top.state = top.object ? 'key' : 'value';
    } else if ((char === '}' ? top.object : char === ']' && !top.object) && (top.state === 'comma' || top.state === 'first')) {
      this.stack.pop();
      if (top.dropped) this.cuts.push({ field: top.field, unit: 'items', total: top.count });
      this.complete(top.value, top.size);
    } else {
      throw new JsonCutError(`unexpected ${char}`);
    }
  }

  /** A value may start here: at the top (once), after a colon, or where an array waits for an item. */
  private beforeValue(top: Frame | undefined): void {
    const ready = !top ? !this.root : top.state === 'value' || (!top.object && top.state === 'first');
    if (!ready) throw new JsonCutError('a value where none belongs');
  }

  private nextField(top: Frame | undefined): string {
    if (!top) return '';
    if (!top.object) return `${top.field}[${top.count}]`;
    return top.field ? `${top.field}.${top.key}` : top.key;
  }

  /** Whether the value starting now is built: not inside a skipped value, and its array still keeping. */
  private keeping(top: Frame | undefined): boolean {
    if (!top) return true;
    if (top.value === null) return false;
    if (top.object || top.size < this.keepChars) return true;
    top.dropped = true;
    return false;
  }

  /** A value ended: into its container (or as the root), counted either way. */
  private complete(value: unknown, size: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.root = { value };
      return;
    }
    if (top.value !== null && top.object) {
      const record = top.value as Record<string, unknown>;
      // A key such as __proto__ stays a key, as JSON.parse makes it.
      if (top.key === '__proto__') Object.defineProperty(record, top.key, { value, enumerable: true, writable: true, configurable: true });
      else record[top.key] = value;
      top.size += top.key.length + 3 + size + (top.count ? 1 : 0);
    } else if (top.value !== null && !top.dropped) {
      (top.value as unknown[]).push(value);
      top.size += size + (top.count ? 1 : 0);
    }
    top.count++;
    top.state = 'comma';
  }

  private endToken(): void {
    const token = this.token;
    this.token = '';
    const top = this.stack[this.stack.length - 1];
    this.beforeValue(top);
    const literal = LITERALS.get(token);
    if (literal === undefined && !NUMBER.test(token)) throw new JsonCutError(`unexpected ${token.slice(0, 20)}`);
    this.complete(this.keeping(top) ? (literal === undefined ? Number(token) : literal) : null, token.length);
  }

  /** Reads string content from `at`; returns where it stopped (the input's end, or after the closing quote). */
  private readString(input: string, at: number): number {
    while (at < input.length) {
      const quote = input.indexOf('"', at);
      if (this.slashAt < at) {
        const slash = input.indexOf('\\', at);
        this.slashAt = slash === -1 ? input.length : slash;
      }
      const end = Math.min(quote === -1 ? input.length : quote, this.slashAt);
      if (end > at) this.takeRaw(input, at, end);
      if (end === input.length) return end;
      if (end === quote) {
        const text = this.text!;
        this.text = undefined;
        this.endString(text);
        return quote + 1;
      }
      // An escape: \x or \uXXXX; one cut by the chunk's end waits for the next chunk.
      const kind = input[end + 1];
      if (kind === undefined || (kind === 'u' && end + 6 > input.length)) {
        this.pending = input.slice(end);
        return input.length;
      }
      if (kind === 'u') {
        const hex = input.slice(end + 2, end + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonCutError('a bad \\u escape');
        this.take(String.fromCharCode(parseInt(hex, 16)));
        at = end + 6;
      } else {
        const escaped = ESCAPES[kind];
        if (escaped === undefined) throw new JsonCutError('a bad escape');
        this.take(escaped);
        at = end + 2;
      }
    }
    return at;
  }

  private takeRaw(input: string, start: number, end: number): void {
    const text = this.text!;
    if (text.kept === null) text.length += end - start;
    else this.take(input.slice(start, end));
  }

  private take(piece: string): void {
    const text = this.text!;
    text.length += piece.length;
    if (text.kept === null) return;
    const room = (text.isKey ? Infinity : this.keepChars + SECRET_MARGIN_CHARS) - text.kept.length;
    if (room > 0) text.kept += piece.length <= room ? piece : piece.slice(0, room);
  }

  private endString(text: Text): void {
    const top = this.stack[this.stack.length - 1];
    if (text.isKey) {
      top!.key = text.kept ?? '';
      top!.state = 'colon';
      return;
    }
    if (text.kept !== null && text.kept.length < text.length) this.cuts.push({ field: text.field, unit: 'characters', total: text.length });
    this.complete(text.kept, (text.kept?.length ?? 0) + 2);
  }
}
