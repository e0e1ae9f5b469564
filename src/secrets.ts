/**
 * Values that must never leave the process: the token(s), the password, MFA codes.
 * Everything an agent or a log sees goes through `scrub`.
 */
const MIN_LENGTH = 4;
const values = new Set<string>();
// A short all-digit secret (a two-factor code) is redacted only where it stands alone: inside a
// longer run of digits it is part of a phone number or an ID, and masking it would corrupt data.
const standalone = new Map<string, RegExp>();

export function addSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_LENGTH || values.has(value)) return;
  values.add(value);
  if (/^\d+$/.test(value)) standalone.set(value, new RegExp(`(?<!\\d)${value}(?!\\d)`, 'g'));
}

export function scrub(text: string): string {
  let clean = text;
  for (const value of values) {
    if (!clean.includes(value)) continue;
    const pattern = standalone.get(value);
    clean = pattern ? clean.replace(pattern, '[redacted]') : clean.split(value).join('[redacted]');
  }
  return clean;
}

/** Keys whose values are secrets wherever they appear in an answer. */
export const SECRET_KEYS = new Set(['password', 'PASS', 'token', 'accessPassword', 'recordPassword', 'mfaCode']);
/** Of those, the ones an operator may choose to see (account data, not this server's credentials). */
export const REVEALABLE_KEYS = new Set(['password', 'PASS', 'accessPassword', 'recordPassword']);
export const MASK = '••••••';
export const REVEAL_HINT = 'Secrets are masked; the operator can set YEMOT_REVEAL_SECRETS=1 to see SIP passwords.';
