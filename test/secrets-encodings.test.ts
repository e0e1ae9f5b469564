import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MASK, REVEAL_HINT, secretKey, Secrets } from '../src/core/secrets.js';
import { Logger } from '../src/core/log.js';
import { present } from '../src/call/present.js';

const stamp = randomBytes(4).toString('hex');
// Letters of both cases, a space and the characters every escaping scheme treats specially.
const SECRET = `Pw-${stamp} x/y+z&"<'>`;
const CODE = '4821';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');
const hex = (text: string) => Buffer.from(text).toString('hex');
const htmlHex = (text: string) => [...text].map((char) => `&#x${char.codePointAt(0)!.toString(16)};`).join('');
const htmlDecimal = (text: string) => [...text].map((char) => `&#${char.codePointAt(0)};`).join('');
const htmlNamed = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const secrets = new Secrets();
secrets.add(SECRET);
secrets.add(CODE);

describe('scrub finds a secret echoed back in another form', () => {
  const forms: Array<[string, string]> = [
    ['as is', SECRET],
    ['encodeURIComponent', encodeURIComponent(SECRET)],
    ['encodeURI', encodeURI(SECRET)],
    ['base64', b64(SECRET)],
    ['base64url', b64url(SECRET)],
    ['HTML hex entities', htmlHex(SECRET)],
    ['HTML decimal entities', htmlDecimal(SECRET)],
    ['HTML named entities', htmlNamed(SECRET)],
    ['upper case', SECRET.toUpperCase()],
    ['lower case', SECRET.toLowerCase()],
    ['hex', hex(SECRET)],
    ['upper-case hex', hex(SECRET).toUpperCase()],
    ['a JSON string', JSON.stringify(SECRET).slice(1, -1)],
  ];
  it.each(forms)('%s', (_, form) => {
    expect(form === SECRET || !form.includes(SECRET)).toBe(true);
    expect(secrets.scrub(`echo: ${form} .`)).toBe('echo: [redacted] .');
  });

  it('form encoding (URLSearchParams: + for a space)', () => {
    const body = new URLSearchParams({ user: '0773137770', password: SECRET }).toString();
    expect(body).toContain('+');
    expect(secrets.scrub(body)).toBe('user=0773137770&password=[redacted]');
  });

  it('inside a longer base64 or base64url string, at each of the three byte alignments', () => {
    for (const before of ['', 'a', 'ab', 'abc', 'user:']) {
      for (const after of ['', 'z', 'yz', '\n']) {
        for (const encoded of [b64(`${before}${SECRET}${after}`), b64url(`${before}${SECRET}${after}`)]) {
          // What is left besides the mask are the few characters that carry the surrounding bytes.
          expect(secrets.scrub(encoded), `${before}|${after}`).toMatch(/^[\w+/-]{0,8}\[redacted\][\w+/=-]{0,6}$/);
        }
      }
    }
  });

  it('a URL-encoded base64 (an Authorization value in a query string)', () => {
    const basic = encodeURIComponent(`Basic ${b64(`0773137770:${SECRET}`)}`);
    expect(secrets.scrub(basic)).toMatch(/^Basic%20[\w%]+\[redacted\][\w%]{0,12}$/);
  });

  it('a short all-digit secret in encodings, where it stands alone, and never inside a phone number', () => {
    expect(secrets.scrub(`pin%3D${CODE}&x=1`)).toBe('pin%3D[redacted]&x=1');
    expect(secrets.scrub(`pin=&#52;&#56;&#50;&#49;;`)).toBe('pin=[redacted];');
    expect(secrets.scrub(`Basic ${b64(CODE)}`)).toBe('Basic [redacted]');
    expect(secrets.scrub(b64(`0773137770:${CODE}`))).toMatch(/^[\w+/]+\[redacted\]$/);
    expect(secrets.scrub(`hex ${hex(CODE)}`)).toBe('hex [redacted]');
    const data = `{"phone":"0548213377","id":14821,"hex":"${hex(`05${CODE}77`)}"}`;
    expect(secrets.scrub(data)).toBe(data);
  });

  it('a hex copy only as a whole token: the hex of letters can be all digits, like a phone number', () => {
    secrets.add('bead');
    expect(hex('bead')).toBe('62656164');
    expect(secrets.scrub(`hex 62656164.`)).toBe('hex [redacted].');
    expect(secrets.scrub('phone 0562656164')).toBe('phone 0562656164');
  });
});

describe('present masks secrets in the shapes an answer may take', () => {

  it('a secret used as a key is masked, its value kept', () => {
    const token = `sess-${stamp}-${randomBytes(6).toString('base64url')}`;
    secrets.add(token);
    const result = present({ responseStatus: 'OK', sessions: { [token]: { ip: '10.0.0.1' } } }, secrets, false);
    expect(JSON.stringify(result)).not.toContain(token);
    expect(result.sessions).toEqual({ '[redacted]': { ip: '10.0.0.1' } });
  });

  it('a numeric password answered as a JSON number is masked; numbers that merely contain it are kept', () => {
    const result = present({ responseStatus: 'OK', pin: 4821, calls: 14821, phone: 548213377, count: 2 }, secrets, false);
    expect(result).toEqual({ pin: '[redacted]', calls: 14821, phone: 548213377, count: 2 });
  });

  it('keeps its contract: envelope dropped, secret keys masked, the reveal hint', () => {
    const answer = { responseStatus: 'OK', yemotAPIVersion: 6, accounts: [{ userName: '0773137770=1', password: 'Sb7qLw2xKp9d' }] };
    expect(present(answer, secrets, false)).toEqual({ accounts: [{ userName: '0773137770=1', password: MASK }], masked: REVEAL_HINT });
    expect(present(answer, secrets, true)).toEqual({ accounts: [{ userName: '0773137770=1', password: 'Sb7qLw2xKp9d' }] });
  });
});

describe('the registry stays small and scrubbing stays fast', () => {
  // A typical 2 KB answer with none of the secrets in it: the common case.
  const answer = JSON.stringify({
    accounts: Array.from({ length: 40 }, (_, i) => ({ userName: `0773137770=${i}`, createdDate: '2024-01-01 10:00:00', note: 'שלום & 50% <ok>' })),
  }).slice(0, 2048);
  const averageMs = () => {
    secrets.scrub(answer);
    const start = performance.now();
    for (let i = 0; i < 200; i++) secrets.scrub(answer);
    return (performance.now() - start) / 200;
  };
  const credential = `CRED-${stamp}-${randomBytes(8).toString('hex')}`;
  secrets.addCredential(credential);
  // A registry that grew without bound would scrub many times slower than this one of a few secrets; on a busy
  // machine both slow down alike, so the bound is 2 ms (a full registry takes about 0.6 ms on a quiet one) or
  // eight times this, whichever is more. That the oldest are let go is asserted by value in each test.
  const baselineMs = averageMs();
  const fast = () => Math.max(2, 8 * baselineMs);

  it('4,000 rotating session tokens: old ones are let go, the recent ones and the credential are still redacted', () => {
    const tokens = Array.from({ length: 4000 }, () => randomBytes(12).toString('base64url'));
    tokens.forEach((token, i) => {
      secrets.add(token);
      if (i > 0) secrets.forget(tokens[i - 1]);
    });
    secrets.forget(credential);
    expect(averageMs()).toBeLessThan(fast());
    expect(secrets.scrub(`t ${tokens.at(-1)}`)).toBe('t [redacted]');
    expect(secrets.scrub(`t ${tokens.at(-2)}`), 'just replaced: a request in flight may still echo it').toBe('t [redacted]');
    expect(secrets.scrub(`t ${tokens[0]}`), 'the first of 4,000 is no longer held').toBe(`t ${tokens[0]}`);
    expect(secrets.scrub(`c ${credential}`)).toBe('c [redacted]');
    expect(secrets.scrub(`s ${SECRET}`)).toBe('s [redacted]');
  });

  it('4,000 secrets never forgotten: the oldest are evicted, the newest and the credential kept', () => {
    const codes = Array.from({ length: 4000 }, (_, i) => String(10_000_000 + i * 7919));
    codes.forEach((code) => secrets.add(code));
    expect(averageMs()).toBeLessThan(fast());
    expect(secrets.scrub(`code ${codes.at(-1)}`)).toBe('code [redacted]');
    expect(secrets.scrub(`code ${codes[0]}`)).toBe(`code ${codes[0]}`);
    expect(secrets.scrub(`c ${credential}`)).toBe('c [redacted]');
  });

  it('and with the passwords of a long account list seen too: the newest are redacted by value, a scrub stays fast', () => {
    const passwords = Array.from({ length: 200 }, () => randomBytes(8).toString('hex'));
    present({ responseStatus: 'OK', accounts: passwords.map((password, i) => ({ id: i, password })) }, secrets, false);
    expect(averageMs()).toBeLessThan(fast());
    expect(secrets.scrub(`p ${passwords.at(-1)}`)).toBe('p [redacted]');
    expect(secrets.scrub(`c ${credential}`)).toBe('c [redacted]');
  });
});

describe('a secret seen once is masked everywhere (issue 25)', () => {
  const sip = `Sip-${stamp}-Qx7`;
  const apiToken = `tok_${randomBytes(9).toString('base64url')}`;

  it('a value under any key that names a password, pass, secret or token is masked there and registered by value', () => {
    for (const key of ['Password', 'sipPass', 'PASS', 'SIP_PASS', 'record_password', 'secret', 'apiToken', 'APIToken', 'mfaToken']) {
      const registry = new Secrets();
      const value = `v${stamp}-${key}`;
      const first = present({ responseStatus: 'OK', accounts: [{ id: 1, [key]: value }] }, registry, false);
      expect((first.accounts as Array<Record<string, unknown>>)[0][key], key).toBe(MASK);
      // Elsewhere in a later answer, under a key that names nothing, in free text, and in a log line.
      const later = present({ responseStatus: 'OK', label: value, note: `it was ${value}.` }, registry, false);
      expect(later, key).toEqual({ label: '[redacted]', note: 'it was [redacted].' });
      expect(registry.scrub(`log: ${value}`), key).toBe('log: [redacted]');
    }
  });

  it('free text before the key in the same answer is scrubbed too, and a log line carries none of it', () => {
    const registry = new Secrets();
    const lines: string[] = [];
    const log = new Logger('debug', (line) => void lines.push(line), registry);
    const result = present({ responseStatus: 'OK', message: `created with ${sip}`, account: { Password: sip, sipPass: sip } }, registry, false);
    expect(JSON.stringify(result)).not.toContain(sip);
    expect(result.message).toBe('created with [redacted]');
    log.info(`vendor said ${sip}`);
    expect(lines.join('')).not.toContain(sip);
  });

  it('keys whose last word is not a secret word, and flags, are left alone', () => {
    const registry = new Secrets();
    const answer = { responseStatus: 'OK', passed: 'yes-all-passed', isPass: true, isPassInThisSession: false, tokensCount: 12, passReason: 'code-verified', trustTokenId: 'trust-123456', tokenData: { createTime: '2024-01-01', token: apiToken } };
    const result = present(answer, registry, false);
    expect(result).toEqual({ passed: 'yes-all-passed', isPass: true, isPassInThisSession: false, tokensCount: 12, passReason: 'code-verified', trustTokenId: 'trust-123456', tokenData: { createTime: '2024-01-01', token: MASK } });
    expect(secretKey('isPass')).toBeUndefined();
    expect(secretKey('sipPass')).toBe('revealable');
    expect(secretKey('apiToken')).toBe('hidden');
    // Nothing else was registered: these values still pass through later answers.
    expect(registry.scrub('yes-all-passed code-verified trust-123456')).toBe('yes-all-passed code-verified trust-123456');
  });

  it('with reveal, SIP passwords are shown in results wherever they stand, never in logs; tokens never', () => {
    const registry = new Secrets();
    const answer = { responseStatus: 'OK', accounts: [{ Password: sip, note: `pw ${sip}` }], apiToken, echo: `t ${apiToken}` };
    expect(present(answer, registry, true)).toEqual({ accounts: [{ Password: sip, note: `pw ${sip}` }], apiToken: MASK, echo: 't [redacted]' });
    expect(registry.scrub(`log ${sip} ${apiToken}`)).toBe('log [redacted] [redacted]');
    // A value seen once as a token stays hidden even where it later comes under a password key.
    expect(present({ responseStatus: 'OK', Password: apiToken }, registry, true)).toEqual({ Password: '[redacted]' });
  });

  it('a long list of passwords cannot push the session token out of the registry', () => {
    const registry = new Secrets();
    const token = `session-${randomBytes(8).toString('hex')}`;
    registry.add(token);
    present({ responseStatus: 'OK', accounts: Array.from({ length: 200 }, (_, i) => ({ password: `pw-${i}-${stamp}` })) }, registry, false);
    expect(registry.scrub(`t ${token}`)).toBe('t [redacted]');
    expect(registry.scrub(`p pw-199-${stamp}`)).toBe('p [redacted]');
  });
});

describe('evasions: invisible characters, reversal, a secret cut short (issue 25)', () => {
  const token = `Tk${stamp}Zq9WmP4x`;
  const registry = new Secrets();
  registry.add(token);
  registry.add(CODE);
  const INVISIBLES = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
  const insert = (text: string, char: string) => [...text].join(char);

  it.each(INVISIBLES.map((char) => [`U+${char.codePointAt(0)!.toString(16).toUpperCase()}`, char]))('%s between every character', (_, char) => {
    expect(registry.scrub(`echo: ${insert(token, char)} .`)).toBe('echo: [redacted] .');
    expect(registry.scrub(`code ${insert(CODE, char)}.`)).toBe('code [redacted].');
  });

  it('reversed, and reversed with invisible characters', () => {
    const reversed = [...token].reverse().join('');
    expect(registry.scrub(`echo: ${reversed} .`)).toBe('echo: [redacted] .');
    expect(registry.scrub(`echo: ${insert(reversed, '\u200B')} .`)).toBe('echo: [redacted] .');
  });

  it('cut to its first 8 or more characters, where the cut stands alone', () => {
    for (let length = 8; length < token.length; length++) {
      expect(registry.scrub(`invalid token ${token.slice(0, length)}… (cut)`), String(length)).toBe('invalid token [redacted]… (cut)');
    }
    expect(registry.scrub(`"${token.slice(0, 8)}"`)).toBe('"[redacted]"');
    expect(registry.scrub(insert(token.slice(0, 9), '\u200D'))).toBe('[redacted]');
    // Shorter than 8, or inside a longer word, it is not an echo of the secret.
    expect(registry.scrub(`x ${token.slice(0, 7)} y`)).toBe(`x ${token.slice(0, 7)} y`);
    expect(registry.scrub(`x ${token.slice(0, 10)}Other y`)).toBe(`x ${token.slice(0, 10)}Other y`);
  });

  it('a <system number>:<password> token cut short is masked, the system number alone is not', () => {
    const own = new Secrets();
    own.add('0773137770:Pa55word-x');
    expect(own.scrub('0773137770:Pa55 and 0773137770=1')).toBe('[redacted] and 0773137770=1');
  });
});
