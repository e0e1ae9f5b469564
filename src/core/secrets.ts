import { Buffer } from 'node:buffer';

/**
 * Values that must never leave the process: the token(s), the password, MFA codes.
 * Everything an agent or a log sees goes through `scrub`, which also finds the forms a service or a
 * proxy echoes a value back in: URL and form encoding, HTML entities, JSON escapes, another letter
 * case, hex, and base64 (alone or inside a longer base64 string).
 */
const REDACTED = '[redacted]';

// Secrets that are not pinned are forgotten oldest first beyond this many. Safe because whatever a
// session can still use is among the newest: a replaced session token is refused by Yemot, and a
// verification code is void after one use or a few minutes. The configured credential is pinned.
// The cap also bounds a scrub's work: every secret adds to the expressions all output passes through.
const CAP = 24;
// A forgotten session token stays redacted for this many later forgets: a request still in flight
// with the old token may come back echoing it.
const GRACE = 8;
// Secrets an answer carried under a key that names one (SIP passwords, another session's token) are a pool of
// their own, newest kept: a long list of accounts must not push the session's own token out of the registry.
const SEEN_CAP = 16;
// Under this many characters a value seen in an answer is masked under its key only: by value it would mask
// every small number and short word of later results.
const MIN_SEEN = 4;

/**
 * The expressions a scrub runs, in order: spelled forms (any letter case, any mix of escapes, reversed, cut
 * short) and hex, then base64 and base64url (case matters).
 */
type Matchers = RegExp[];

// A whitespace-only value would redact every gap between words.
const usable = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function dropOldest(set: Set<string>): string {
  const [oldest] = set;
  set.delete(oldest);
  return oldest;
}

/**
 * One registry of values to redact. The process has one (`processSecrets`: the operator's credentials and
 * what their session produces); each tenant session has its own, under it, dropped with the session.
 */
export class Secrets {
  private readonly pinned = new Set<string>();
  private readonly live = new Set<string>();
  private readonly retired = new Set<string>();
  private readonly seen = new Set<string>();
  /** Of the seen values, those an operator who reveals secrets sees in results (SIP and line passwords). */
  private readonly revealable = new Set<string>();
  // Rebuilt lazily after the set changes, so a scrub costs one pass per matcher whatever the set size. `hidden`
  // leaves the revealable values out: the matchers of results an operator chose to see them in.
  private matchers: { all?: Matchers; hidden?: Matchers } = {};

  /** `parent`'s values are redacted too (a tenant's output never shows the operator's secrets either). */
  constructor(private readonly parent?: Secrets) {}

  /** A configured token or password: redacted for the life of this registry, never evicted or forgotten. */
  addCredential(value: unknown): void {
    if (!usable(value) || this.pinned.has(value)) return;
    this.unlist(value);
    this.pinned.add(value);
  }

  /** A session token, a code, a secret input: redacted from now on, until forgotten or evicted by newer ones. */
  add(value: unknown): void {
    if (!usable(value) || this.pinned.has(value)) return;
    this.unlist(value);
    this.live.add(value);
    if (this.live.size > CAP) {
      dropOldest(this.live);
      this.stale();
    }
  }

  /**
   * A secret an answer carried under a key that names one: redacted from now on wherever it appears, until
   * newer ones push it out. A `revealable` one (a SIP or line password) is left in results the operator chose to
   * see such passwords in; once seen as anything else it is never revealable.
   */
  see(value: unknown, revealable: boolean): void {
    const text = typeof value === 'number' ? String(value) : value;
    if (!usable(text) || text.length < MIN_SEEN || this.pinned.has(text) || this.live.has(text) || this.retired.has(text)) return;
    const shown = revealable && (!this.seen.has(text) || this.revealable.has(text));
    if (!this.seen.has(text) || this.revealable.has(text) !== shown) this.stale();
    this.seen.delete(text);
    this.seen.add(text);
    if (shown) this.revealable.add(text);
    else this.revealable.delete(text);
    if (this.seen.size > SEEN_CAP) {
      this.revealable.delete(dropOldest(this.seen));
      this.stale();
    }
  }

  /** A secret that is no longer in use (a replaced session token); it stays redacted for a short grace. */
  forget(value: unknown): void {
    if (typeof value !== 'string' || !this.live.delete(value)) return;
    this.retired.add(value);
    if (this.retired.size > GRACE) {
      dropOldest(this.retired);
      this.stale();
    }
  }

  /** `reveal`: a result the operator chose to see SIP and line passwords in (YEMOT_REVEAL_SECRETS); logs never are. */
  scrub(text: string, reveal = false): string {
    const own = this.ownScrub(text, reveal);
    return this.parent ? this.parent.scrub(own, reveal) : own;
  }

  private ownScrub(text: string, reveal: boolean): string {
    const which = reveal && this.revealable.size > 0 ? 'hidden' : 'all';
    const matchers = (this.matchers[which] ??= this.compileFor(which));
    let scrubbed = text;
    for (const matcher of matchers) scrubbed = scrubbed.replace(matcher, REDACTED);
    return scrubbed;
  }

  private compileFor(which: 'all' | 'hidden'): Matchers {
    const values = [...this.pinned, ...this.live, ...this.retired, ...this.seen];
    return compile(which === 'hidden' ? values.filter((value) => !this.revealable.has(value)) : values);
  }

  private stale(): void {
    this.matchers = {};
  }

  private registered(value: string): boolean {
    return this.pinned.has(value) || this.live.has(value) || this.retired.has(value) || this.seen.has(value);
  }

  /** Out of the other sets before it goes (back) into one; a new value makes the matchers stale. */
  private unlist(value: string): void {
    if (!this.registered(value) || this.revealable.has(value)) this.stale();
    this.live.delete(value);
    this.retired.delete(value);
    this.seen.delete(value);
    this.revealable.delete(value);
  }
}

/** The operator's registry: stdio, and HTTP sessions that use the operator's credentials. */
export const processSecrets = new Secrets();

/**
 * A short secret (under 4 characters) or an all-digit one (a code, a numeric password) is redacted
 * only where it stands alone as a token: inside a longer word or run of digits it is part of a word,
 * a phone number or an ID, and masking it would corrupt data. A URL or HTML escape right before it
 * (`%3D4821`, `&amp;4821`) still counts as standing alone.
 */
const standsAlone = (value: string) => value.length < 4 || /^\d+$/.test(value);

// V8 optimizes a regular expression only up to a source of 20 KB (kRegExpTooLargeToOptimize), and the fewer
// alternatives one holds, the faster it skips the places none can start at: the patterns are cut into expressions
// of about 4 KB, each one pass over the text (measured: a third of the time of one 16 KB expression).
const MAX_SOURCE = 4_000;

function chunked(patterns: string[], flags: string): RegExp[] {
  const chunks: string[][] = [[]];
  let size = 0;
  for (const pattern of patterns) {
    if (size + pattern.length > MAX_SOURCE && chunks[0].length) {
      chunks.unshift([]);
      size = 0;
    }
    chunks[0].push(pattern);
    size += pattern.length + 1;
  }
  return chunks.filter((chunk) => chunk.length).reverse().map((chunk) => new RegExp(chunk.join('|'), flags));
}

function compile(values: string[]): Matchers {
  // Longest first: where one secret starts another, the longer one is redacted whole.
  const ordered = values.sort((a, b) => b.length - a.length);
  return [...chunked(ordered.map(textPattern), 'giu'), ...chunked(byLeadingChar(ordered.flatMap(binaryForms)), 'g')];
}

/**
 * The base64 forms grouped by their leading character, each group one alternative: the engine tests that character
 * once, not once per form (a scrub takes less than half the time). Forms that lead with different characters never
 * match at the same place, so moving them past each other changes nothing; within a group the order is kept.
 */
function byLeadingChar(forms: string[]): string[] {
  const groups = new Map<string, string[]>();
  const others: string[] = [];
  for (const form of forms) {
    const lead = /^[A-Za-z0-9]/.exec(form)?.[0];
    if (lead === undefined) others.push(form);
    else groups.set(lead, [...(groups.get(lead) ?? []), form.slice(1)]);
  }
  return [...[...groups].map(([lead, rests]) => `${lead}(?:${rests.join('|')})`), ...others];
}

const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const hexByte = (byte: number) => byte.toString(16).padStart(2, '0');

/** Not inside a word: a URL or HTML escape right before counts as a boundary (`%3D4821`, `&amp;4821`). */
const before = (word: string) => `(?:(?<=%[0-9a-fA-F]{2}|&#?\\w+;)|(?<!${word}))`;

/**
 * `parts` (one pattern per character) where not inside a longer run of `word` characters. The
 * check before is a lookbehind placed after the first character, so that the engine tries it only
 * where that character matched, not at every position of the text.
 */
function alone(parts: string[], word: string, tail = ''): string {
  const [first, ...rest] = parts;
  return `${first}(?<=${before(word)}${first})${rest.join('')}${tail}(?!${word})`;
}

const NAMED_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** One character in any of the ways text escaping may spell it. */
function charPattern(char: string): string {
  const code = char.codePointAt(0)!;
  const forms = [escape(char), `&#(?:x0*${code.toString(16)}|0*${code});`];
  // URL, form and JSON encoders leave ASCII letters and digits as they are.
  if (!/^[a-z0-9]$/i.test(char)) {
    const units = Array.from({ length: char.length }, (_, i) => char.charCodeAt(i));
    forms.push([...Buffer.from(char)].map((byte) => `%${hexByte(byte)}`).join(''));
    forms.push(units.map((unit) => `\\\\u${unit.toString(16).padStart(4, '0')}`).join(''));
  }
  if (NAMED_ENTITY[char]) forms.push(NAMED_ENTITY[char]);
  if (char === ' ') forms.push('\\+');
  if (!/[\p{L}\p{N}]/u.test(char)) forms.push(`\\\\${escape(char)}`);
  return `(?:${forms.join('|')})`;
}

const WORD = '[\\p{L}\\p{N}]';
/** Format characters (zero-width spaces and joiners, bidi controls, the BOM): invisible, so an echo may carry them inside a secret. */
const INVISIBLE = '\\p{Cf}*';
/** An echo of a secret cut short is masked from this many of its first characters on. */
export const PREFIX_CHARS = 8;

/** The characters' patterns, each but the first after any invisible characters. */
const spell = (chars: string[]) => chars.map((char, i) => (i ? INVISIBLE + char : char));

/**
 * How many first characters of `value` an echo must carry to be masked as a secret cut short: PREFIX_CHARS, or
 * more until they are not all digits (a run of digits is a phone number, like the system number that begins a
 * `<system number>:<password>` token); none when that is the whole value.
 */
function prefixLength(chars: string[]): number | undefined {
  let length = PREFIX_CHARS;
  while (length < chars.length && /^\d+$/.test(chars.slice(0, length).join(''))) length++;
  return length < chars.length ? length : undefined;
}

/**
 * The value spelled out, or its beginning cut short where that stands alone as a word. One alternative for both:
 * the engine tries the beginning's lookbehind only where the first characters matched.
 */
function spelled(value: string): string {
  const letters = [...value];
  const parts = spell(letters.map(charPattern));
  if (standsAlone(value)) return alone(parts, /^\d+$/.test(value) ? '\\d' : WORD);
  const cut = prefixLength(letters);
  if (cut === undefined) return parts.join('');
  const head = parts.slice(0, cut).join('');
  // Each further character optional: the longest beginning echoed is masked whole.
  const tail = parts.slice(cut, -1).reduceRight((inner, part) => `(?:${part}${inner})?`, '');
  return `${head}(?:${parts.slice(cut).join('')}|(?<=${before(WORD)}${head})${tail}(?!${WORD}))`;
}

function textPattern(value: string): string {
  const forms = [spelled(value)];
  // Reversed as plain text (an evasion, not an encoding); a short or all-digit value reversed is just another small number or word.
  const reversed = [...value].reverse();
  if (!standsAlone(value) && reversed.join('') !== value) forms.push(spell(reversed.map(escape)).join(''));
  // Hex only as a whole token: the hex of some letters is all digits, which a phone number may contain.
  forms.push(alone([...Buffer.from(value).toString('hex')], '[0-9a-f]'));
  return forms.join('|');
}

// base64 inside a URL keeps its meaning with `+`, `/` and `=` percent-encoded.
function base64Parts(text: string): string[] {
  return [...text].map((char) => (char === '+' ? '(?:\\+|%2[bB])' : char === '/' ? '(?:\\/|%2[fF])' : char));
}

const PADDING = '(?:=|%3[dD]){0,2}';

/**
 * The characters of the base64 of `bytes` placed after k other bytes (k = 0, 1, 2) that depend on
 * `bytes` alone: whatever surrounds the secret in a longer encoded string, one of these appears.
 */
function base64Cores(bytes: Buffer): string[] {
  return [0, 1, 2].map((k) =>
    Buffer.concat([Buffer.alloc(k), bytes])
      .toString('base64')
      .slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6)),
  );
}

// Under 4 bytes a core is 1 to 3 characters and would match by chance in any base64 text.
const MIN_CORE_BYTES = 4;

const urlSafe = (form: string) => form.replace(/\+/g, '-').replace(/\//g, '_');

function binaryForms(value: string): string[] {
  const bytes = Buffer.from(value);
  const whole = bytes.toString('base64').replace(/=+$/, '');
  const wholes = [...new Set([whole, urlSafe(whole)])].map(base64Parts);
  const cores = bytes.length >= MIN_CORE_BYTES ? base64Cores(bytes).flatMap((core) => [core, urlSafe(core)]) : [];
  const inner = [...new Set(cores)].map((core) => base64Parts(core).join(''));
  const outer = standsAlone(value)
    ? wholes.map((parts) => alone(parts, '[A-Za-z0-9+/_-]', PADDING))
    : wholes.map((parts) => parts.join('') + PADDING);
  return [...outer, ...inner];
}

/** The last word of a key that holds a secret: `password`, `Password`, `sipPass`, `PASS`, `secret`, `apiToken`. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'secret', 'token']);
/** Of those, the account's own passwords (SIP, line), which the operator may choose to see; tokens and secrets never. */
const PASSWORD_WORDS = new Set(['password', 'passwd', 'pass', 'pwd']);
/** `isPass`, `hasToken`: a flag about a secret, not one. */
const FLAG_WORDS = new Set(['is', 'has', 'was', 'can', 'should']);
/** Secrets whatever their words say: the two-factor code, and the admin password being set (never revealed). */
const NEVER_SHOWN_KEYS = new Set(['mfaCode', 'newPassword']);

/** A key's words, lower case: camelCase, PascalCase, snake_case, kebab-case and an all-capitals run each split. */
const wordsOf = (key: string) =>
  key
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());

/**
 * Whether a key holds a secret, by its last whole word: `sipPass` and `PASS` do, `passed`, `tokensCount`,
 * `tokenData` and `trustTokenId` do not, nor a flag such as `isPass`. `revealable`: an account password the
 * operator may choose to see (YEMOT_REVEAL_SECRETS); `hidden`: never shown.
 */
export function secretKey(key: string): 'hidden' | 'revealable' | undefined {
  if (NEVER_SHOWN_KEYS.has(key)) return 'hidden';
  const words = wordsOf(key);
  const last = words.at(-1);
  if (last === undefined || !SECRET_WORDS.has(last) || (words.length > 1 && FLAG_WORDS.has(words[0]))) return undefined;
  return PASSWORD_WORDS.has(last) ? 'revealable' : 'hidden';
}

export const MASK = '••••••';
export const REVEAL_HINT = 'Secrets are masked; the operator can set YEMOT_REVEAL_SECRETS=1 to see SIP and line passwords (session tokens and the admin password are never shown).';
