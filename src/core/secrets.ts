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
// The cap also keeps the matchers small: past a few dozen secrets V8 compiles them far less well.
const CAP = 24;
// A forgotten session token stays redacted for this many later forgets: a request still in flight
// with the old token may come back echoing it.
const GRACE = 8;

interface Matchers {
  /** Spelled forms (any letter case, any mix of escapes) and hex. */
  text: RegExp;
  /** base64 and base64url: case matters. */
  binary: RegExp;
}

// A whitespace-only value would redact every gap between words.
const usable = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

function dropOldest(set: Set<string>): void {
  const [oldest] = set;
  set.delete(oldest);
}

/**
 * One registry of values to redact. The process has one (`processSecrets`: the operator's credentials and
 * what their session produces); each tenant session has its own, under it, dropped with the session.
 */
export class Secrets {
  private readonly pinned = new Set<string>();
  private readonly live = new Set<string>();
  private readonly retired = new Set<string>();
  // Rebuilt lazily after the set changes, so a scrub costs one pass per matcher whatever the set size.
  private matchers: Matchers | undefined;

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
      this.matchers = undefined;
    }
  }

  /** A secret that is no longer in use (a replaced session token); it stays redacted for a short grace. */
  forget(value: unknown): void {
    if (typeof value !== 'string' || !this.live.delete(value)) return;
    this.retired.add(value);
    if (this.retired.size > GRACE) {
      dropOldest(this.retired);
      this.matchers = undefined;
    }
  }

  scrub(text: string): string {
    const own = this.ownScrub(text);
    return this.parent ? this.parent.scrub(own) : own;
  }

  private ownScrub(text: string): string {
    this.matchers ??= compile([...this.pinned, ...this.live, ...this.retired]);
    if (!this.matchers) return text;
    return text.replace(this.matchers.text, REDACTED).replace(this.matchers.binary, REDACTED);
  }

  private registered(value: string): boolean {
    return this.pinned.has(value) || this.live.has(value) || this.retired.has(value);
  }

  /** Out of the live and retired sets before it goes (back) into one; a new value makes the matchers stale. */
  private unlist(value: string): void {
    if (!this.registered(value)) this.matchers = undefined;
    this.live.delete(value);
    this.retired.delete(value);
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

function compile(values: string[]): Matchers | undefined {
  if (!values.length) return undefined;
  // Longest first: where one secret starts another, the longer one is redacted whole.
  const ordered = values.sort((a, b) => b.length - a.length);
  return {
    text: new RegExp(ordered.map(textPattern).join('|'), 'giu'),
    binary: new RegExp(ordered.map(binaryPattern).join('|'), 'g'),
  };
}

const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const hexByte = (byte: number) => byte.toString(16).padStart(2, '0');

/**
 * `parts` (one pattern per character) where not inside a longer run of `word` characters. The
 * check before is a lookbehind placed after the first character, so that the engine tries it only
 * where that character matched, not at every position of the text.
 */
function alone(parts: string[], word: string, tail = ''): string {
  const [first, ...rest] = parts;
  const before = `(?:(?<=%[0-9a-fA-F]{2}|&#?\\w+;)|(?<!${word}))`;
  return `${first}(?<=${before}${first})${rest.join('')}${tail}(?!${word})`;
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

function textPattern(value: string): string {
  const chars = [...value].map(charPattern);
  const spelled = standsAlone(value) ? alone(chars, /^\d+$/.test(value) ? '\\d' : '[\\p{L}\\p{N}]') : chars.join('');
  // Hex only as a whole token: the hex of some letters is all digits, which a phone number may contain.
  return `${spelled}|${alone([...Buffer.from(value).toString('hex')], '[0-9a-f]')}`;
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

function binaryPattern(value: string): string {
  const bytes = Buffer.from(value);
  const whole = bytes.toString('base64').replace(/=+$/, '');
  const wholes = [...new Set([whole, urlSafe(whole)])].map(base64Parts);
  const cores = bytes.length >= MIN_CORE_BYTES ? base64Cores(bytes).flatMap((core) => [core, urlSafe(core)]) : [];
  const inner = [...new Set(cores)].map((core) => base64Parts(core).join(''));
  const outer = standsAlone(value)
    ? wholes.map((parts) => alone(parts, '[A-Za-z0-9+/_-]', PADDING))
    : wholes.map((parts) => parts.join('') + PADDING);
  return [...outer, ...inner].join('|');
}

/** Keys whose values are secrets wherever they appear in an answer. */
export const SECRET_KEYS = new Set(['password', 'newPassword', 'PASS', 'token', 'accessPassword', 'recordPassword', 'mfaCode']);
/** Of those, the ones an operator may choose to see (account data, not this server's credentials). */
export const REVEALABLE_KEYS = new Set(['password', 'PASS', 'accessPassword', 'recordPassword']);
export const MASK = '••••••';
export const REVEAL_HINT = 'Secrets are masked; the operator can set YEMOT_REVEAL_SECRETS=1 to see SIP and line passwords (session tokens and the admin password are never shown).';
