import { describe, expect, it } from 'vitest';
import { addSecret, scrub } from '../src/secrets.js';

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

  it('ignores values too short to be secrets', () => {
    addSecret('123');
    expect(scrub('call 123')).toBe('call 123');
  });
});
