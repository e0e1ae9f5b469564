import { MASK, REVEAL_HINT, secretKey, type Secrets } from '../core/secrets.js';
import type { Answer } from './command.js';

// Envelope fields every answer carries; they tell the agent nothing.
const ENVELOPE = new Set(['responseStatus', 'yAfastVersion', 'yemotAPIVersion']);

interface Walk {
  secrets: Secrets;
  reveal: boolean;
  masked: boolean;
}

/**
 * Registers by value every secret the answer carries under a key that names one, before anything of it is
 * shown: the same value under another key, in free text, in a later result or a log line is masked too.
 */
function register(value: unknown, secrets: Secrets): void {
  if (Array.isArray(value)) return value.forEach((item) => register(item, secrets));
  if (!value || typeof value !== 'object') return;
  for (const [key, item] of Object.entries(value)) {
    const kind = secretKey(key);
    if (kind) secrets.see(item, kind === 'revealable');
    else register(item, secrets);
  }
}

function clean(value: unknown, walk: Walk): unknown {
  if (typeof value === 'string') return walk.secrets.scrub(value, walk.reveal);
  // A numeric password or code can come back as a JSON number.
  if (typeof value === 'number') {
    const text = String(value);
    const scrubbed = walk.secrets.scrub(text, walk.reveal);
    return scrubbed === text ? value : scrubbed;
  }
  if (Array.isArray(value)) return value.map((item) => clean(item, walk));
  if (value && typeof value === 'object') return cleanRecord(value as Record<string, unknown>, walk);
  return value;
}

/** A copy with every key and value scrubbed and secret fields masked; keys in `skip` left out. */
function cleanRecord(value: Record<string, unknown>, walk: Walk, skip?: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (skip?.has(key)) continue;
    // An answer may be keyed by a secret (the session token, a code).
    const safeKey = walk.secrets.scrub(key, walk.reveal);
    const kind = secretKey(key);
    if (kind && item !== null && item !== '' && !(walk.reveal && kind === 'revealable')) {
      out[safeKey] = MASK;
      walk.masked ||= kind === 'revealable';
    } else {
      out[safeKey] = clean(item, walk);
    }
  }
  return out;
}

/**
 * The structured result an agent receives: envelope dropped, secrets masked, echoed credentials scrubbed.
 * (Partial failures are judged after this, in outcome.ts.)
 */
export function present(answer: Answer, secrets: Secrets, reveal: boolean): Record<string, unknown> {
  const walk: Walk = { secrets, reveal, masked: false };
  // The envelope holds no secret: registering the whole answer spares a copy without it.
  register(answer, secrets);
  const result = cleanRecord(answer, walk, ENVELOPE);
  return walk.masked ? { ...result, masked: REVEAL_HINT } : result;
}

/** Deep scrub for anything else leaving the process (errors, logs). */
export function scrubDeep(value: unknown, secrets: Secrets): unknown {
  register(value, secrets);
  return clean(value, { secrets, reveal: false, masked: false });
}

/**
 * A file's bytes with every secret spelled in them replaced by the redaction marker (an API link in an
 * ext.ini may carry a token). Read as latin1, one character per byte, so every other byte stays as it was.
 */
export function scrubBytes(bytes: Uint8Array, secrets: Secrets): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const clean = secrets.scrub(text);
  return clean === text ? bytes : Buffer.from(clean, 'latin1');
}
