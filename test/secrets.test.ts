import { describe, expect, it } from 'vitest';
import { Secrets } from '../src/core/secrets.js';

const secrets = new Secrets();
const addSecret = (value: string) => secrets.add(value);
const scrub = (text: string) => secrets.scrub(text);

describe('scrub', () => {
  it('redacts every occurrence of a secret, wherever it stands', () => {
    addSecret('tok-9f8e7d6c5b4a');
    expect(scrub('token=tok-9f8e7d6c5b4a&x=1 (tok-9f8e7d6c5b4a)')).toBe('token=[redacted]&x=1 ([redacted])');
  });

  it('redacts an all-digit code standing alone, but not inside a phone number or an ID', () => {
    addSecret('482913');
    expect(scrub('code 482913, again:482913.')).toBe('code [redacted], again:[redacted].');
    expect(scrub('{"phone":"0548291377","id":14829130}')).toBe('{"phone":"0548291377","id":14829130}');
  });

  it('redacts a secret under 4 characters only where it stands alone as a token', () => {
    addSecret('q7');
    expect(scrub('pin q7, (q7) "q7".')).toBe('pin [redacted], ([redacted]) "[redacted]".');
    expect(scrub('aq7 q7b faq7x')).toBe('aq7 q7b faq7x');
    addSecret('123');
    expect(scrub('call 123')).toBe('call [redacted]');
    expect(scrub('{"phone":"0512345678","id":1234}')).toBe('{"phone":"0512345678","id":1234}');
  });

  it('never registers a whitespace-only value (it would redact every gap between words)', () => {
    addSecret('   ');
    expect(scrub('a   b')).toBe('a   b');
  });
});
