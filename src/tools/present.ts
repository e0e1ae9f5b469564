import { MASK, REVEAL_HINT, REVEALABLE_KEYS, scrub, SECRET_KEYS } from '../secrets.js';
import type { Answer, ToolSpec } from './command.js';

// Envelope fields every answer carries; they tell the agent nothing.
const ENVELOPE = new Set(['responseStatus', 'yAfastVersion', 'yemotAPIVersion']);

interface Walk {
  reveal: boolean;
  masked: boolean;
}

function clean(value: unknown, walk: Walk): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((item) => clean(item, walk));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (SECRET_KEYS.has(key) && item !== null && item !== '' && !(walk.reveal && REVEALABLE_KEYS.has(key))) {
        out[key] = MASK;
        walk.masked ||= REVEALABLE_KEYS.has(key);
      } else {
        out[key] = clean(item, walk);
      }
    }
    return out;
  }
  return value;
}

/** The structured result an agent receives: secrets masked, echoed credentials scrubbed, partial failures flagged. */
export function present(spec: ToolSpec, answer: Answer, reveal: boolean): Record<string, unknown> {
  const walk: Walk = { reveal, masked: false };
  const body = Object.fromEntries(Object.entries(answer).filter(([key]) => !ENVELOPE.has(key)));
  const result = clean(body, walk) as Record<string, unknown>;
  const warning = spec.partial?.(answer);
  return {
    ...(warning && { warning }),
    ...result,
    ...(walk.masked && { masked: REVEAL_HINT }),
  };
}

/** Deep scrub for anything else leaving the process (errors, logs). */
export function scrubDeep(value: unknown): unknown {
  return clean(value, { reveal: false, masked: false });
}
