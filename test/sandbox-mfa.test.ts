import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/sandbox/index.js';
import { MfaAccount, maskValue, normalizePhone, parseDate, type MfaOptions } from '../src/sandbox/mfa.js';

const START = Date.UTC(2026, 0, 15, 10, 0, 0);

function setup(options: Partial<MfaOptions> = {}) {
  let now = START;
  const lines: string[] = [];
  const mfa = new MfaAccount({ initial: 'not-passed', log: (line) => void lines.push(line), now: () => now, ...options });
  return {
    mfa,
    lines,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

type Method = { ID: number; STATUS: string; MFA_METHOD_ID: number; NIKE: string; NOTE: string; SEND_TYPE: string[]; VALUE: string; EXPIRED_DATE: string; LAST_USED: string | null };
const methodsOf = (mfa: MfaAccount, token: string) => mfa.handle(token, { action: 'getMFAMethods' }).mfaMethods as Method[];
const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

/** Sends a code to the demo phone and verifies it: the session gets hard authentication. */
function harden(mfa: MfaAccount, token: string, extra: Record<string, unknown> = {}) {
  expect(mfa.handle(token, { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' }).responseStatus).toBe('OK');
  return mfa.handle(token, { action: 'validMFA', mfaCode: mfa.lastCode(), ...extra });
}

describe('MfaAccount: sessions and isPass', () => {
  it('creates each session lazily with the initial state', () => {
    expect(setup({ initial: 'not-passed' }).mfa.state('a')).toEqual({ isPass: false, isPassInThisSession: false, passReason: '', isAvailable: true });
    expect(setup({ initial: 'passed' }).mfa.state('a')).toEqual({ isPass: true, isPassInThisSession: false, passReason: 'INIT_WHITELIST_IPS', isAvailable: true });
    expect(setup({ initial: 'hard' }).mfa.state('a')).toEqual({ isPass: true, isPassInThisSession: true, passReason: 'MFA_PASSED', isAvailable: true });
    const { mfa } = setup({ initial: 'passed' });
    expect(mfa.isPass('x')).toBe(true);
  });

  it('answers isPass with the four fields, whatever the state', () => {
    for (const initial of ['not-passed', 'passed', 'hard'] as const) {
      const { mfa } = setup({ initial });
      expect(mfa.handle('tok1', { action: 'isPass' })).toEqual({ responseStatus: 'OK', ...mfa.state('tok1') });
    }
  });

  it('answers a missing or unknown action with the bad action Exception', () => {
    const { mfa } = setup();
    expect(mfa.handle('t', {})).toEqual({ responseStatus: 'Exception', message: 'bad action' });
    expect(mfa.handle('t', { action: 'nope' })).toEqual({ responseStatus: 'Exception', message: 'bad action' });
    expect(mfa.handle('t', { action: 'ISPASS' })).toEqual({ responseStatus: 'Exception', message: 'bad action' });
  });

  it('keeps sessions apart', () => {
    const { mfa } = setup();
    mfa.completeSso('one');
    expect(mfa.isPass('one')).toBe(true);
    expect(mfa.isPass('two')).toBe(false);
  });

  it('completeSso gives the session hard authentication', () => {
    const { mfa } = setup();
    mfa.completeSso('tok');
    expect(mfa.state('tok')).toMatchObject({ isPass: true, isPassInThisSession: true, passReason: 'MFA_PASSED' });
    expect(mfa.handle('tok', { action: 'getMFATrustIps' }).responseStatus).toBe('OK');
  });
});

describe('MfaAccount: try', () => {
  it('stays not passed from an untrusted IP, and is refused once passed', () => {
    const { mfa } = setup();
    expect(mfa.handle('t', { action: 'try' })).toEqual({ responseStatus: 'OK', isAvailable: true, isPass: false, passReason: '', isPassInThisSession: false });
    for (const initial of ['passed', 'hard'] as const) {
      expect(setup({ initial }).mfa.handle('t', { action: 'try' })).toEqual({ responseStatus: 'ERROR', message: 'the this action allow only BEFORE pass' });
    }
  });

  it('passes a trusted IP with INIT_WHITELIST_IPS (127.0.0.1 unless params.__ip says otherwise)', () => {
    const { mfa } = setup();
    mfa.setTrustedIp('203.0.113.9');
    expect(mfa.handle('a', { action: 'try' }).isPass).toBe(false);
    expect(mfa.handle('b', { action: 'try', __ip: '203.0.113.9' })).toMatchObject({ responseStatus: 'OK', isPass: true, passReason: 'INIT_WHITELIST_IPS', isPassInThisSession: false });
    mfa.setTrustedIp('127.0.0.1');
    expect(mfa.handle('a', { action: 'try' })).toMatchObject({ isPass: true, passReason: 'INIT_WHITELIST_IPS' });
    expect(mfa.handle('a', { action: 'try' })).toEqual({ responseStatus: 'ERROR', message: 'the this action allow only BEFORE pass' });
    expect(mfa.isPass('a')).toBe(true);
  });

  it('blocks the whole account after tryLimit failed tries: try and sendMFA answer blocked', () => {
    const { mfa } = setup({ tryLimit: 3 });
    for (let i = 0; i < 3; i++) expect(mfa.handle(`s${i}`, { action: 'try' })).toMatchObject({ responseStatus: 'OK', isPass: false });
    const blocked = mfa.handle('fresh', { action: 'try' });
    expect(blocked.responseStatus).toBe('ERROR');
    expect(String(blocked.message)).toContain('blocked');
    const send = mfa.handle('other', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    expect(send.responseStatus).toBe('ERROR');
    expect(String(send.message)).toContain('blocked');
    // Even a trusted IP is blocked now; isPass still answers.
    mfa.setTrustedIp('127.0.0.1');
    expect(String(mfa.handle('x', { action: 'try' }).message)).toContain('blocked');
    expect(mfa.handle('x', { action: 'isPass' }).responseStatus).toBe('OK');
    mfa.reset();
    expect(mfa.handle('x', { action: 'try' }).responseStatus).toBe('OK');
  });

  it('defaults to 5 failed tries before blocking; successful tries do not count', () => {
    const { mfa } = setup();
    mfa.setTrustedIp('198.51.100.1');
    for (let i = 0; i < 10; i++) expect(mfa.handle(`ok${i}`, { action: 'try', __ip: '198.51.100.1' }).isPass).toBe(true);
    for (let i = 0; i < 5; i++) expect(mfa.handle(`f${i}`, { action: 'try' }).responseStatus).toBe('OK');
    expect(String(mfa.handle('f5', { action: 'try' }).message)).toContain('blocked');
  });

  it('passes a new session from the IP of a remember-me token, with HAVE_ACTIVE_TRUST_TOKEN', () => {
    const { mfa } = setup();
    expect(harden(mfa, 'first', { mfaRememberMe: '1', mfaRememberNote: 'my laptop' }).mfa_valid_status).toBe('VALID');
    // Another IP is not trusted by it.
    expect(mfa.handle('other-ip', { action: 'try', __ip: '192.0.2.99' }).isPass).toBe(false);
    const passed = mfa.handle('second', { action: 'try' });
    expect(passed).toMatchObject({ responseStatus: 'OK', isPass: true, passReason: 'HAVE_ACTIVE_TRUST_TOKEN', isPassInThisSession: false });
    const tokens = mfa.handle('first', { action: 'getMFATrustTokens' }).trustTokens as Array<Record<string, unknown>>;
    const mine = tokens.find((token) => token.trust_key_type === 'CUSTOMER_IP')!;
    expect(mine).toMatchObject({ create_by: '127.0.0.1', trust_note: 'my laptop', update_by: null, update_date: null, create_date: '2026-01-15 10:00:00', last_use: '2026-01-15 10:00:00' });
  });
});

describe('MfaAccount: getMFAMethods', () => {
  it('lists the demo methods, masked before hard authentication', () => {
    const { mfa } = setup({ initial: 'passed' });
    const answer = mfa.handle('t', { action: 'getMFAMethods' });
    expect(answer).toMatchObject({ responseStatus: 'OK', isAvailable: true, isPass: true, passReason: 'INIT_WHITELIST_IPS', isPassInThisSession: false });
    const methods = answer.mfaMethods as Method[];
    expect(methods.map((m) => [m.ID, m.MFA_METHOD_ID, m.STATUS, m.NIKE, m.SEND_TYPE])).toEqual([
      [1, 6598, 'ACTIVE', 'CREATE_PHONE', ['CALL', 'SMS']],
      [2, 6599, 'ACTIVE', 'RESET_MAIL', ['EMAIL']],
      [3, 6600, 'PENDING', 'BY_CUSTOMER', ['CALL', 'SMS']],
    ]);
    expect(methods.map((m) => m.VALUE)).toEqual(['+9725•••67', 'ow•••@•••.co.il', '+1202•••43']);
    for (const method of methods) {
      expect(Object.keys(method).sort()).toEqual(['EXPIRED_DATE', 'ID', 'LAST_USED', 'MFA_METHOD_ID', 'NIKE', 'NOTE', 'SEND_TYPE', 'STATUS', 'VALUE']);
      expect(method.EXPIRED_DATE).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    }
    expect(methods[2].LAST_USED).toBeNull();
  });

  it('shows the values in full after hard authentication, and records LAST_USED of the method used', () => {
    const { mfa, advance } = setup();
    advance(60);
    harden(mfa, 't');
    const methods = methodsOf(mfa, 't');
    expect(methods.map((m) => m.VALUE)).toEqual(['+972501234567', 'owner@example.co.il', '+12025550143']);
    expect(methods[0].LAST_USED).toBe('2026-01-15 10:01:00');
    expect(JSON.stringify(methods)).not.toContain('•');
  });

  it('masks like the vendor', () => {
    expect(maskValue('EMAIL', 'shmuel@yemot.co.il')).toBe('sh•••@•••.co.il');
    expect(maskValue('EMAIL', 'a@b.com')).toBe('a•••@•••.com');
    expect(maskValue('PHONE', '+972773137770')).toBe('+9727•••70');
  });

  it('hides expired methods, and isAvailable turns false when no active method is left', () => {
    const { mfa, advance } = setup();
    advance(366 * 86_400);
    const answer = mfa.handle('t', { action: 'getMFAMethods' });
    expect(answer.mfaMethods).toEqual([]);
    expect(answer.isAvailable).toBe(false);
    expect(mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' }).responseStatus).toBe('ERROR');
  });
});

describe('MfaAccount: sendMFA', () => {
  it('sends a 6-digit code, logs it, and answers as the vendor', () => {
    const { mfa, lines } = setup();
    expect(mfa.lastCode()).toBeUndefined();
    const answer = mfa.handle('session-token-abcd', { action: 'sendMFA', mfaId: '1', mfaSendType: 'SMS', lang: 'EN', autoOtpHostname: 'example.com' });
    expect(answer).toEqual({ responseStatus: 'OK', message: 'the code send. please valid the code' });
    const code = mfa.lastCode()!;
    expect(code).toMatch(/^\d{6}$/);
    expect(lines).toEqual([`MFA code for session …abcd via SMS: ${code}`]);
  });

  it('with codesInAnswers also answers the code, marked sandbox-only, and still logs it', () => {
    const { mfa, lines } = setup({ codesInAnswers: true });
    const answer = mfa.handle('session-token-abcd', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    const code = mfa.lastCode()!;
    expect(answer).toEqual({
      responseStatus: 'OK',
      message: 'the code send. please valid the code',
      sandboxCode: code,
      sandboxNote: 'Sandbox only: the real API never returns the code; read it from your phone/email',
    });
    expect(lines).toEqual([`MFA code for session …abcd via SMS: ${code}`]);
    expect(mfa.handle('session-token-abcd', { action: 'validMFA', mfaCode: answer.sandboxCode })).toMatchObject({ mfa_valid_status: 'VALID' });
  });

  it('with codesInAnswers answers a refused send without a code', () => {
    const { mfa } = setup({ codesInAnswers: true });
    expect(mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'EMAIL' })).not.toHaveProperty('sandboxCode');
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    const limited = mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    expect(limited).toMatchObject({ responseStatus: 'Exception' });
    expect(limited).not.toHaveProperty('sandboxCode');
  });

  it('checks the method, the send type and the language', () => {
    const { mfa, lines } = setup();
    const refuse = (params: Record<string, unknown>, pattern: RegExp) => {
      const answer = mfa.handle('t', { action: 'sendMFA', ...params });
      expect(answer.responseStatus).toBe('ERROR');
      expect(String(answer.message)).toMatch(pattern);
    };
    refuse({ mfaSendType: 'SMS' }, /mfaId/);
    refuse({ mfaId: 1 }, /mfaSendType/);
    refuse({ mfaId: 99, mfaSendType: 'SMS' }, /not found/);
    refuse({ mfaId: 6598, mfaSendType: 'SMS' }, /not found/);
    refuse({ mfaId: 1, mfaSendType: 'EMAIL' }, /EMAIL is not allowed/);
    refuse({ mfaId: 2, mfaSendType: 'SMS' }, /SMS is not allowed/);
    refuse({ mfaId: 1, mfaSendType: 'FAX' }, /FAX is not valid/);
    refuse({ mfaId: 1, mfaSendType: 'SMS', lang: 'FR' }, /lang/);
    refuse({ mfaId: 3, mfaSendType: 'SMS' }, /PENDING/);
    expect(lines).toEqual([]);
    // Refusals do not start the cooldown.
    expect(mfa.handle('t', { action: 'sendMFA', mfaId: 2, mfaSendType: 'EMAIL' }).responseStatus).toBe('OK');
    expect(lines[0]).toMatch(/via EMAIL: \d{6}$/);
  });

  it('is unavailable after hard authentication', () => {
    const { mfa } = setup({ initial: 'hard' });
    const answer = mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    expect(answer.responseStatus).toBe('ERROR');
    expect(String(answer.message)).toMatch(/BEFORE/);
    expect(mfa.lastCode()).toBeUndefined();
  });

  it('rate-limits a session with a growing cooldown and the wait Exception', () => {
    const { mfa, advance, lines } = setup();
    const send = () => mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'CALL' });
    const wait = (seconds: number) => ({ responseStatus: 'Exception', message: `exception send by customer. wait ${seconds}s`, file: 'CustomerMFA.class.ym', Line: '590:19' });
    expect(send().responseStatus).toBe('OK');
    expect(send()).toEqual(wait(30));
    advance(5);
    expect(send()).toEqual(wait(25));
    advance(24.5);
    expect(send()).toEqual(wait(1));
    advance(0.5);
    expect(send().responseStatus).toBe('OK'); // second send: next cooldown 60s
    advance(59);
    expect(send()).toEqual(wait(1));
    advance(1);
    expect(send().responseStatus).toBe('OK'); // third: 120s
    expect(send()).toEqual(wait(120));
    advance(120);
    expect(send().responseStatus).toBe('OK'); // fourth: 240s
    expect(send()).toEqual(wait(240));
    expect(lines).toHaveLength(4);
    // Another session has its own cooldown.
    expect(mfa.handle('other', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' }).responseStatus).toBe('OK');
  });

  it('honours sendCooldownSeconds', () => {
    const { mfa } = setup({ sendCooldownSeconds: 10 });
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    expect(mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' }).message).toBe('exception send by customer. wait 10s');
  });

  it('voids the previous code with a new send: one pending code per session', () => {
    const { mfa, advance } = setup();
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    const first = mfa.lastCode()!;
    // Send again until the new code differs (a repeat is a one-in-a-million chance), so the test means something.
    do {
      advance(86_400);
      expect(mfa.handle('t', { action: 'sendMFA', mfaId: 2, mfaSendType: 'EMAIL' }).responseStatus).toBe('OK');
    } while (mfa.lastCode() === first);
    const old = mfa.handle('t', { action: 'validMFA', mfaCode: first });
    expect(old.mfa_valid_status).toBe('UNVALID');
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: mfa.lastCode() }).mfa_valid_status).toBe('VALID');
  });
});

describe('MfaAccount: validMFA', () => {
  it('needs a code, and a sent code', () => {
    const { mfa } = setup();
    expect(mfa.handle('t', { action: 'validMFA' })).toEqual({ responseStatus: 'ERROR', message: 'mfaCode is required' });
    const none = mfa.handle('t', { action: 'validMFA', mfaCode: '123456' });
    expect(none.responseStatus).toBe('ERROR');
    expect(String(none.message)).toContain('sendMFA');
  });

  it('VALID passes the session with hard authentication', () => {
    const { mfa } = setup();
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    const answer = mfa.handle('t', { action: 'validMFA', mfaCode: mfa.lastCode() });
    expect(answer).toMatchObject({ responseStatus: 'OK', mfa_valid_status: 'VALID', mfa_valid_trys: 1 });
    expect(mfa.state('t')).toEqual({ isPass: true, isPassInThisSession: true, passReason: 'MFA_PASSED', isAvailable: true });
    expect(mfa.isPass('t')).toBe(true);
    // Without remember-me no IP trust token was made.
    const tokens = mfa.handle('t', { action: 'getMFATrustTokens' }).trustTokens as Array<Record<string, unknown>>;
    expect(tokens.some((token) => token.trust_key_type === 'CUSTOMER_IP')).toBe(false);
    // Unavailable after hard authentication.
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: mfa.lastCode() }).responseStatus).toBe('ERROR');
  });

  it('takes a passed (not hard) session to hard authentication', () => {
    const { mfa } = setup({ initial: 'passed' });
    expect(mfa.handle('t', { action: 'getMFATrustIps' })).toEqual({ responseStatus: 'ERROR', message: 'HARD_AUTH_REQUIRED' });
    expect(harden(mfa, 't').mfa_valid_status).toBe('VALID');
    expect(mfa.state('t')).toMatchObject({ isPassInThisSession: true, passReason: 'MFA_PASSED' });
    expect(mfa.handle('t', { action: 'getMFATrustIps' })).toEqual({ responseStatus: 'OK', trustIps: [] });
  });

  it('counts wrong codes, then OVERTRY voids the code until a new send', () => {
    const { mfa, advance } = setup();
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    const code = mfa.lastCode()!;
    const wrong = wrongOf(code);
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: wrong })).toMatchObject({ responseStatus: 'OK', mfa_valid_status: 'UNVALID', mfa_valid_trys: 1, mfa_valid_left: 2 });
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: wrong })).toMatchObject({ mfa_valid_status: 'UNVALID', mfa_valid_trys: 2, mfa_valid_left: 1 });
    const over = mfa.handle('t', { action: 'validMFA', mfaCode: wrong });
    expect(over).toEqual({ responseStatus: 'OK', mfa_valid_status: 'OVERTRY', mfa_valid_trys: 3, mfa_valid_left: 0, mfa_valid_message: 'validMFA not allow. over trys attempt' });
    // The right code no longer helps.
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: code }).mfa_valid_status).toBe('OVERTRY');
    expect(mfa.isPass('t')).toBe(false);
    advance(30);
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: mfa.lastCode() }).mfa_valid_status).toBe('VALID');
  });

  it('a right code after a wrong one still passes, and maxCodeTries is configurable', () => {
    const { mfa } = setup({ maxCodeTries: 5 });
    mfa.handle('t', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' });
    const code = mfa.lastCode()!;
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: wrongOf(code) })).toMatchObject({ mfa_valid_status: 'UNVALID', mfa_valid_trys: 1, mfa_valid_left: 4 });
    expect(mfa.handle('t', { action: 'validMFA', mfaCode: code })).toMatchObject({ mfa_valid_status: 'VALID', mfa_valid_trys: 2 });
  });

  it('remember-me makes a CUSTOMER_IP trust token, and refreshes it the second time', () => {
    const { mfa, advance } = setup();
    expect(harden(mfa, 'a', { mfaRememberMe: true, mfaRememberNote: 'office' }).mfa_valid_status).toBe('VALID');
    advance(3600);
    expect(harden(mfa, 'b', { mfaRememberMe: 'true', mfaRememberNote: 'office 2' }).mfa_valid_status).toBe('VALID');
    const ipTokens = (mfa.handle('a', { action: 'getMFATrustTokens' }).trustTokens as Array<Record<string, unknown>>).filter((t) => t.trust_key_type === 'CUSTOMER_IP');
    expect(ipTokens).toEqual([
      { id: 2, trust_key_type: 'CUSTOMER_IP', create_by: '127.0.0.1', create_date: '2026-01-15 10:00:00', update_by: '127.0.0.1', update_date: '2026-01-15 11:00:00', last_use: null, trust_note: 'office 2' },
    ]);
    // '0' is no.
    const other = setup();
    harden(other.mfa, 'x', { mfaRememberMe: '0' });
    expect(other.mfa.handle('y', { action: 'try' }).isPass).toBe(false);
  });
});

describe('MfaAccount: hard actions', () => {
  const HARD: Array<Record<string, unknown>> = [
    { action: 'addMethod', mfaNewType: 'EMAIL', mtaNewValue: 'office@example.co.il' },
    { action: 'reValidMethod', mfaId: '6600', mfaSendType: 'SMS' },
    { action: 'validMethod', mfaId: '6600', mfaCode: '123456' },
    { action: 'deleteMethod', mfaId: '6600' },
    { action: 'getMFATrustTokens' },
    { action: 'deleteTrustToken', trustTokenId: '1' },
    { action: 'getMFATrustIps' },
    { action: 'setMFATrustIps', trustIps: '203.0.113.7' },
  ];

  it('are refused without hard authentication, before and after pass', () => {
    for (const initial of ['not-passed', 'passed'] as const) {
      const { mfa, lines } = setup({ initial });
      for (const params of HARD) expect(mfa.handle('t', params), String(params.action)).toEqual({ responseStatus: 'ERROR', message: 'HARD_AUTH_REQUIRED' });
      expect(lines).toEqual([]);
      expect(methodsOf(mfa, 't')).toHaveLength(3);
    }
  });

  it('are allowed after hard authentication', () => {
    const { mfa } = setup({ initial: 'passed' });
    harden(mfa, 't');
    for (const params of HARD) expect(mfa.handle('t', params).responseStatus, String(params.action)).not.toBe('ERROR');
  });

  it('name a missing parameter', () => {
    const { mfa } = setup({ initial: 'hard' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ action: 'addMethod', mtaNewValue: 'a@b.co' }, 'mfaNewType'],
      [{ action: 'addMethod', mfaNewType: 'EMAIL' }, 'mtaNewValue'],
      [{ action: 'reValidMethod', mfaSendType: 'SMS' }, 'mfaId'],
      [{ action: 'reValidMethod', mfaId: '6600' }, 'mfaSendType'],
      [{ action: 'validMethod', mfaCode: '123456' }, 'mfaId'],
      [{ action: 'validMethod', mfaId: '6600' }, 'mfaCode'],
      [{ action: 'deleteMethod' }, 'mfaId'],
      [{ action: 'deleteTrustToken' }, 'trustTokenId'],
      [{ action: 'setMFATrustIps' }, 'trustIps'],
    ];
    for (const [params, name] of cases) expect(mfa.handle('t', params), name).toEqual({ responseStatus: 'ERROR', message: `${name} is required` });
  });

  it('addMethod adds a PENDING method and checks type, value, date and the limit of 20', () => {
    const { mfa } = setup({ initial: 'hard' });
    const add = (params: Record<string, unknown>) => mfa.handle('t', { action: 'addMethod', ...params });
    expect(add({ mfaNewType: 'EMAIL', mtaNewValue: 'office@example.co.il', mtaNewValidNote: 'office', newExpiredDate: '2030-01-01 00:00:00' })).toEqual({ responseStatus: 'OK', methodId: 6601 });
    const added = methodsOf(mfa, 't').find((m) => m.MFA_METHOD_ID === 6601)!;
    expect(added).toEqual({ ID: 4, STATUS: 'PENDING', MFA_METHOD_ID: 6601, NIKE: 'BY_CUSTOMER', NOTE: 'office', SEND_TYPE: ['EMAIL'], VALUE: 'office@example.co.il', EXPIRED_DATE: '2030-01-01 00:00:00', LAST_USED: null });
    // Phones of Israel and USA/Canada only, normalised to +972/+1.
    expect(add({ mfaNewType: 'PHONE', mtaNewValue: '052-765-4321' })).toMatchObject({ responseStatus: 'OK', methodId: 6602 });
    expect(methodsOf(mfa, 't').find((m) => m.MFA_METHOD_ID === 6602)).toMatchObject({ VALUE: '+972527654321', SEND_TYPE: ['CALL', 'SMS'], EXPIRED_DATE: '2027-01-15 10:00:00' });
    expect(add({ mfaNewType: 'PHONE', mtaNewValue: '+1 (416) 555-0199' }).responseStatus).toBe('OK');
    const refused: Array<[Record<string, unknown>, RegExp]> = [
      [{ mfaNewType: 'PHONE', mtaNewValue: '+442071234567' }, /Israel, USA or Canada/],
      [{ mfaNewType: 'PHONE', mtaNewValue: 'hello' }, /Israel, USA or Canada/],
      [{ mfaNewType: 'EMAIL', mtaNewValue: 'not-an-email' }, /not a valid email/],
      [{ mfaNewType: 'FAX', mtaNewValue: 'x' }, /mfaNewType/],
      [{ mfaNewType: 'EMAIL', mtaNewValue: 'x@example.com', newExpiredDate: '2030-13-01 00:00:00' }, /newExpiredDate/],
      [{ mfaNewType: 'EMAIL', mtaNewValue: 'x@example.com', newExpiredDate: '2030-01-01' }, /newExpiredDate/],
      [{ mfaNewType: 'EMAIL', mtaNewValue: 'x@example.com', newExpiredDate: '2020-01-01 00:00:00' }, /past/],
      [{ mfaNewType: 'EMAIL', mtaNewValue: 'Office@Example.co.il' }, /already exists/],
    ];
    for (const [params, pattern] of refused) {
      const answer = add(params);
      expect(answer.responseStatus).toBe('ERROR');
      expect(String(answer.message)).toMatch(pattern);
    }
    for (let i = methodsOf(mfa, 't').length; i < 20; i++) expect(add({ mfaNewType: 'EMAIL', mtaNewValue: `user${i}@example.com` }).responseStatus).toBe('OK');
    expect(methodsOf(mfa, 't')).toHaveLength(20);
    const over = add({ mfaNewType: 'EMAIL', mtaNewValue: 'one-more@example.com' });
    expect(over.responseStatus).toBe('ERROR');
    expect(String(over.message)).toContain('20');
  });

  it('reValidMethod sends a code to the method, validMethod makes it ACTIVE, and it can then be used by sendMFA', () => {
    const { mfa, lines, advance } = setup({ initial: 'passed' });
    harden(mfa, 'tok-9876');
    const { methodId } = mfa.handle('tok-9876', { action: 'addMethod', mfaNewType: 'PHONE', mtaNewValue: '+972541112233' });
    expect(mfa.handle('tok-9876', { action: 'validMethod', mfaId: methodId, mfaCode: '123456' }).responseStatus).toBe('ERROR');
    expect(mfa.handle('tok-9876', { action: 'reValidMethod', mfaId: methodId, mfaSendType: 'EMAIL' }).responseStatus).toBe('ERROR');
    expect(mfa.handle('tok-9876', { action: 'reValidMethod', mfaId: '999', mfaSendType: 'SMS' }).responseStatus).toBe('ERROR');
    expect(mfa.handle('tok-9876', { action: 'reValidMethod', mfaId: methodId, mfaSendType: 'CALL', lang: 'EN' })).toEqual({ responseStatus: 'OK', message: 'the code send. please valid the code' });
    const code = mfa.lastCode()!;
    expect(lines.at(-1)).toBe(`MFA code for session …9876 via CALL: ${code} (method ${String(methodId)})`);
    // The method channel has its own cooldown.
    expect(mfa.handle('tok-9876', { action: 'reValidMethod', mfaId: methodId, mfaSendType: 'SMS' }).message).toBe('exception send by customer. wait 30s');
    const wrong = mfa.handle('tok-9876', { action: 'validMethod', mfaId: String(methodId), mfaCode: wrongOf(code) });
    expect(wrong).toMatchObject({ responseStatus: 'OK', mfa_valid_status: 'UNVALID', mfa_valid_trys: 1, mfa_valid_left: 2 });
    advance(10);
    expect(mfa.handle('tok-9876', { action: 'validMethod', mfaId: String(methodId), mfaCode: code })).toMatchObject({ responseStatus: 'OK', mfa_valid_status: 'VALID' });
    const method = methodsOf(mfa, 'tok-9876').find((m) => m.MFA_METHOD_ID === methodId)!;
    expect(method).toMatchObject({ STATUS: 'ACTIVE', LAST_USED: '2026-01-15 10:00:10' });
    // A new session may now send its code there.
    expect(mfa.handle('new', { action: 'sendMFA', mfaId: method.ID, mfaSendType: 'SMS' }).responseStatus).toBe('OK');
  });

  it('with codesInAnswers reValidMethod answers its code too', () => {
    const { mfa } = setup({ initial: 'hard', codesInAnswers: true });
    const answer = mfa.handle('t', { action: 'reValidMethod', mfaId: 6600, mfaSendType: 'SMS' });
    expect(answer).toMatchObject({ responseStatus: 'OK', sandboxCode: mfa.lastCode(), sandboxNote: expect.stringMatching(/^Sandbox only/) });
    expect(mfa.handle('t', { action: 'validMethod', mfaId: 6600, mfaCode: answer.sandboxCode })).toMatchObject({ mfa_valid_status: 'VALID' });
  });

  it('validMethod reaches OVERTRY too', () => {
    const { mfa } = setup({ initial: 'hard' });
    mfa.handle('t', { action: 'reValidMethod', mfaId: 6600, mfaSendType: 'SMS' });
    const wrong = wrongOf(mfa.lastCode()!);
    mfa.handle('t', { action: 'validMethod', mfaId: 6600, mfaCode: wrong });
    mfa.handle('t', { action: 'validMethod', mfaId: 6600, mfaCode: wrong });
    expect(mfa.handle('t', { action: 'validMethod', mfaId: 6600, mfaCode: wrong })).toMatchObject({ mfa_valid_status: 'OVERTRY', mfa_valid_left: 0, mfa_valid_message: 'validMFA not allow. over trys attempt' });
    expect(mfa.handle('t', { action: 'validMethod', mfaId: 6600, mfaCode: mfa.lastCode() }).mfa_valid_status).toBe('OVERTRY');
    expect(methodsOf(mfa, 't').find((m) => m.MFA_METHOD_ID === 6600)!.STATUS).toBe('PENDING');
  });

  it('deleteMethod deletes customer methods only', () => {
    const { mfa } = setup({ initial: 'hard' });
    for (const id of ['6598', '6599']) {
      const answer = mfa.handle('t', { action: 'deleteMethod', mfaId: id });
      expect(answer.responseStatus).toBe('ERROR');
      expect(String(answer.message)).toMatch(/can not be deleted/);
    }
    expect(mfa.handle('t', { action: 'deleteMethod', mfaId: '1234' }).responseStatus).toBe('ERROR');
    expect(mfa.handle('t', { action: 'deleteMethod', mfaId: 6600 })).toEqual({ responseStatus: 'OK' });
    expect(methodsOf(mfa, 't').map((m) => m.MFA_METHOD_ID)).toEqual([6598, 6599]);
    expect(mfa.handle('t', { action: 'deleteMethod', mfaId: 6600 }).responseStatus).toBe('ERROR');
  });

  it('getMFATrustTokens lists the tokens with the documented fields, deleteTrustToken deletes one', () => {
    const { mfa } = setup({ initial: 'hard' });
    const tokens = mfa.handle('t', { action: 'getMFATrustTokens' }).trustTokens as Array<Record<string, unknown>>;
    expect(tokens).toHaveLength(1);
    expect(Object.keys(tokens[0]).sort()).toEqual(['create_by', 'create_date', 'id', 'last_use', 'trust_key_type', 'trust_note', 'update_by', 'update_date']);
    expect(tokens[0]).toMatchObject({ id: 1, trust_key_type: 'YM_CALL2ALL_WEBSITE' });
    expect(mfa.handle('t', { action: 'deleteTrustToken', trustTokenId: '7' }).responseStatus).toBe('ERROR');
    expect(mfa.handle('t', { action: 'deleteTrustToken', trustTokenId: 1 })).toEqual({ responseStatus: 'OK' });
    expect(mfa.handle('t', { action: 'getMFATrustTokens' })).toEqual({ responseStatus: 'OK', trustTokens: [] });
  });

  it('deleting the remember-me token stops try from passing', () => {
    const { mfa } = setup();
    harden(mfa, 'a', { mfaRememberMe: 1 });
    const tokens = mfa.handle('a', { action: 'getMFATrustTokens' }).trustTokens as Array<{ id: number; trust_key_type: string }>;
    const id = tokens.find((token) => token.trust_key_type === 'CUSTOMER_IP')!.id;
    expect(mfa.handle('a', { action: 'deleteTrustToken', trustTokenId: String(id) }).responseStatus).toBe('OK');
    expect(mfa.handle('b', { action: 'try' }).isPass).toBe(false);
  });

  it('setMFATrustIps replaces the list, validates IPv4/IPv6, reports save and errors, and makes try pass', () => {
    const { mfa } = setup();
    mfa.completeSso('t');
    const set = (trustIps: unknown) => mfa.handle('t', { action: 'setMFATrustIps', trustIps });
    expect(set('203.0.113.7\n2001:db8::1\r\n\n0.192.66.2222\nhello')).toEqual({
      responseStatus: 'OK',
      okCount: 2,
      save: true,
      valid_new_list: ['203.0.113.7', '2001:db8::1'],
      errors: ['ip: 0.192.66.2222 is not valid', 'ip: hello is not valid'],
    });
    expect(mfa.handle('t', { action: 'getMFATrustIps' })).toEqual({ responseStatus: 'OK', trustIps: ['203.0.113.7', '2001:db8::1'] });
    expect(set(['2001:db8::1', '203.0.113.7'])).toMatchObject({ okCount: 2, save: false, errors: [] });
    expect(set(['203.0.113.8'])).toMatchObject({ okCount: 1, save: true, valid_new_list: ['203.0.113.8'] });
    expect(mfa.handle('fresh', { action: 'try', __ip: '203.0.113.8' }).passReason).toBe('INIT_WHITELIST_IPS');
    expect(mfa.handle('fresh2', { action: 'try', __ip: '203.0.113.7' }).isPass).toBe(false);
    // At most 50 addresses.
    const fifty = Array.from({ length: 50 }, (_, i) => `198.51.100.${i + 1}`);
    expect(set(fifty)).toMatchObject({ okCount: 50, save: true });
    const over = set([...fifty, '198.51.100.200'].join('\n'));
    expect(over.responseStatus).toBe('ERROR');
    expect(String(over.message)).toContain('50');
    expect((mfa.handle('t', { action: 'getMFATrustIps' }).trustIps as string[]).length).toBe(50);
    // An empty list clears it.
    expect(set('')).toMatchObject({ okCount: 0, save: true, valid_new_list: [] });
  });
});

describe('MfaAccount: reset and helpers', () => {
  it('reset restores the demo account and forgets sessions and codes', () => {
    const { mfa } = setup();
    harden(mfa, 't', { mfaRememberMe: true });
    mfa.handle('t', { action: 'addMethod', mfaNewType: 'EMAIL', mtaNewValue: 'x@example.com' });
    mfa.setTrustedIp('198.51.100.7');
    mfa.reset();
    expect(mfa.state('t').isPass).toBe(false);
    expect(mfa.lastCode()).toBeUndefined();
    expect(methodsOf(mfa, 't').map((m) => m.MFA_METHOD_ID)).toEqual([6598, 6599, 6600]);
    expect(mfa.handle('u', { action: 'try' }).isPass).toBe(false);
    mfa.completeSso('t');
    expect(mfa.handle('t', { action: 'getMFATrustIps' }).trustIps).toEqual([]);
    expect((mfa.handle('t', { action: 'getMFATrustTokens' }).trustTokens as unknown[]).length).toBe(1);
  });

  it('parses dates strictly and normalises phones', () => {
    expect(parseDate('2030-02-30 00:00:00')).toBeUndefined();
    expect(parseDate('2030-02-28 23:59:59')).toBe(Date.UTC(2030, 1, 28, 23, 59, 59));
    expect(normalizePhone('0501234567')).toBe('+972501234567');
    expect(normalizePhone('00972 50 123 4567')).toBe('+972501234567');
    expect(normalizePhone('12025550143')).toBe('+12025550143');
    expect(normalizePhone('+33123456789')).toBeUndefined();
  });
});

describe('startSandbox: codesInAnswers', () => {
  const send = async (url: string, token: string) => {
    const body = new URLSearchParams({ token, action: 'sendMFA', mfaId: '1', mfaSendType: 'SMS' });
    const response = await fetch(`${url}MFASession`, { method: 'POST', body });
    return (await response.json()) as Record<string, unknown>;
  };

  it('answers the code over HTTP only when codesInAnswers is set', async () => {
    const revealing = await startSandbox({ mfa: 'not-passed', codesInAnswers: true, log: () => undefined });
    const plain = await startSandbox({ mfa: 'not-passed', log: () => undefined });
    try {
      const answer = await send(revealing.url, revealing.token);
      expect(answer).toMatchObject({ responseStatus: 'OK', sandboxCode: revealing.mfa.lastCode(), sandboxNote: expect.stringMatching(/^Sandbox only/) });
      const quiet = await send(plain.url, plain.token);
      expect(quiet).toMatchObject({ responseStatus: 'OK' });
      expect(quiet).not.toHaveProperty('sandboxCode');
    } finally {
      await Promise.all([revealing.close(), plain.close()]);
    }
  });
});
