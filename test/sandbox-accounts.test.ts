import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { SSO_PAGE_PATH } from '../src/sandbox/sso-page.js';

/** Several Yemot accounts behind one simulator URL (for tenant-mode tests): routing, isolation, two-factor, reset. */

type Answer = Record<string, any>;

/** Sunday 15 June 2025, 12:00 local time: the sandbox's clock before any advance. */
const START = new Date(2025, 5, 15, 12, 0, 0).getTime();
const MINUTE = 60_000;
const PRIMARY = { username: '0770000000', password: 'primary-password' };
const ALPHA = { username: '0771234567', password: 'alpha-password', mfa: 'not-passed' as const };
const BETA = { username: '0772345678', password: 'beta-password', mfa: 'passed' as const };
const GAMMA = { username: '0773456789', password: 'gamma-password', mfa: 'not-passed' as const };
const INVALID = { responseStatus: 'EXCEPTION', message: 'IllegalStateException(session token is invalid)' };
const REFUSED = { responseStatus: 'ERROR', message: 'Username or password is incorrect', messageCode: 1 };
const MFA_REQUIRED = { responseStatus: 'FORBIDDEN', message: 'MFA_REQUIRED' };

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined, now: () => START, ...PRIMARY, accounts: [ALPHA, BETA, GAMMA] });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function call(command: string, params: Record<string, string | number>, token: string): Promise<Answer> {
  const body = new URLSearchParams(Object.entries({ token, ...params }).map(([key, value]) => [key, String(value)]));
  const response = await fetch(sandbox.url + command, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return response.json();
}

const login = (username: string, password: string) => call('Login', { username, password }, '');

async function tokenOf(account: { username: string; password: string }): Promise<string> {
  const answer = await login(account.username, account.password);
  expect(answer).toMatchObject({ responseStatus: 'OK', token: expect.any(String) });
  return answer.token;
}

const hosted = (username: string) => sandbox.accounts.find((entry) => entry.username === username)!;
const holds = (username: string, token: string) => hosted(username).account.sessions.some((session) => session.token === token);

describe('startSandbox with further accounts', () => {
  it('lists the primary first, then the further accounts in order, each with its own state and two-factor', () => {
    expect(sandbox.accounts.map((entry) => entry.username)).toEqual([PRIMARY.username, ALPHA.username, BETA.username, GAMMA.username]);
    expect(sandbox.accounts[0].account).toBe(sandbox.account);
    expect(sandbox.accounts[0].mfa).toBe(sandbox.mfa);
    expect(new Set(sandbox.accounts.map((entry) => entry.account)).size).toBe(4);
    expect(new Set(sandbox.accounts.map((entry) => entry.mfa)).size).toBe(4);
  });

  it('starts a further account with no open session, so no seeded or starting token reaches it', () => {
    for (const username of [ALPHA.username, BETA.username, GAMMA.username]) expect(hosted(username).account.sessions).toEqual([]);
    expect(holds(PRIMARY.username, sandbox.token)).toBe(true);
  });

  it('refuses a further account whose username is taken or empty, naming the field', async () => {
    await expect(startSandbox({ log: () => undefined, accounts: [{ username: '0770000000', password: 'x' }] })).rejects.toThrow(/accounts\[0\]\.username 0770000000 is already/);
    await expect(startSandbox({ log: () => undefined, accounts: [BETA, { ...BETA, password: 'other' }] })).rejects.toThrow(/accounts\[1\]\.username/);
    await expect(startSandbox({ log: () => undefined, accounts: [{ username: '', password: 'x' }] })).rejects.toThrow(/accounts\[0\]\.username must be a non-empty string/);
  });
});

describe('Login and token routing', () => {
  it('opens each Login in the account its username names, and GetSession answers for that account', async () => {
    const [alpha, beta, primary] = [await tokenOf(ALPHA), await tokenOf(BETA), await tokenOf(PRIMARY)];
    expect(new Set([alpha, beta, primary]).size).toBe(3);
    for (const [username, token] of [[ALPHA.username, alpha], [BETA.username, beta], [PRIMARY.username, primary]]) {
      expect(sandbox.accounts.filter((entry) => entry.account.sessions.some((session) => session.token === token)).map((entry) => entry.username)).toEqual([username]);
    }
    expect(await call('GetSession', {}, beta)).toMatchObject({ responseStatus: 'OK', username: BETA.username });
    expect(await call('GetSession', {}, primary)).toMatchObject({ responseStatus: 'OK', username: PRIMARY.username });
    const all = await call('GetAllSessions', {}, beta);
    expect(all).toMatchObject({ responseStatus: 'OK', count: 1 });
    expect(all.data.map((row: Answer) => row.token)).toEqual([beta]);
  });

  it('keeps each account its own login log', async () => {
    await tokenOf(ALPHA);
    const last = (username: string) => hosted(username).account.loginLog.at(-1);
    expect(last(ALPHA.username)).toMatchObject({ username: ALPHA.username, successful: true, sessionType: 'API' });
    expect(hosted(PRIMARY.username).account.loginLog.some((row) => row.username === ALPHA.username)).toBe(false);
  });

  it('answers a token no account holds with the invalid-token answer', async () => {
    await tokenOf(BETA);
    expect(await call('GetSession', {}, 'no-such-token')).toMatchObject(INVALID);
    expect(await call('MFASession', { action: 'isPass' }, 'no-such-token')).toMatchObject(INVALID);
  });

  it('refuses a wrong password of a further account and an unknown username with the same answer', async () => {
    const sessionCounts = () => sandbox.accounts.map((entry) => entry.account.sessions.length);
    const before = sessionCounts();
    const wrongPassword = await login(ALPHA.username, 'not-alpha');
    const crossedPassword = await login(ALPHA.username, BETA.password);
    const unknownUser = await login('0775555555', ALPHA.password);
    expect(wrongPassword).toEqual({ yAfastVersion: expect.any(String), ...REFUSED });
    expect(crossedPassword).toEqual(wrongPassword);
    expect(unknownUser).toEqual(wrongPassword);
    // The unknown username is logged where it always was, the primary's log; the wrong password in its own account's.
    expect(hosted(PRIMARY.username).account.loginLog.at(-1)).toMatchObject({ username: '0775555555', successful: false });
    expect(hosted(ALPHA.username).account.loginLog.slice(-2)).toEqual([
      expect.objectContaining({ username: ALPHA.username, successful: false }),
      expect.objectContaining({ username: ALPHA.username, successful: false }),
    ]);
    expect(sessionCounts()).toEqual(before);
  });
});

describe('account isolation', () => {
  it('shows a write through one account to that account only', async () => {
    const [beta, betaAgain, primary] = [await tokenOf(BETA), await tokenOf(BETA), await tokenOf(PRIMARY)];
    const what = 'ivr2:/1/beta-note.txt';
    expect(await call('UploadTextFile', { what, contents: 'written by beta' }, beta)).toMatchObject({ responseStatus: 'OK' });
    expect(await call('GetTextFile', { what }, betaAgain)).toMatchObject({ responseStatus: 'OK', contents: 'written by beta' });
    expect(await call('GetTextFile', { what }, primary)).toMatchObject({ responseStatus: 'ERROR', message: 'file does not exist' });
    expect(await call('GetTextFile', { what }, sandbox.token)).toMatchObject({ responseStatus: 'ERROR', message: 'file does not exist' });
  });

  it('changes one account password only', async () => {
    const beta = await tokenOf(BETA);
    expect(await call('SetPassword', { password: BETA.password, newPassword: 'beta-new' }, beta)).toMatchObject({ responseStatus: 'OK' });
    expect(await login(BETA.username, 'beta-new')).toMatchObject({ responseStatus: 'OK' });
    expect(await login(BETA.username, BETA.password)).toMatchObject(REFUSED);
    expect(await login(PRIMARY.username, PRIMARY.password)).toMatchObject({ responseStatus: 'OK' });
  });
});

describe('two-factor per account', () => {
  it('gates each session by its own account: not-passed is refused, passed is not', async () => {
    const [alpha, beta] = [await tokenOf(ALPHA), await tokenOf(BETA)];
    expect(await call('GetSession', {}, alpha)).toMatchObject(MFA_REQUIRED);
    expect(await call('GetSession', {}, beta)).toMatchObject({ responseStatus: 'OK', username: BETA.username });
    expect(await call('MFASession', { action: 'isPass' }, alpha)).toMatchObject({ responseStatus: 'OK', isPass: false });
    expect(await call('MFASession', { action: 'isPass' }, beta)).toMatchObject({ responseStatus: 'OK', isPass: true });
  });

  it('passes a code only in the account that sent it, not another not-passed account', async () => {
    const [alpha, gamma] = [await tokenOf(ALPHA), await tokenOf(GAMMA)];
    expect(await call('MFASession', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' }, alpha)).toMatchObject({ responseStatus: 'OK' });
    const code = hosted(ALPHA.username).mfa.lastCode();
    expect(code).toMatch(/^\d+$/);
    for (const other of [PRIMARY.username, BETA.username, GAMMA.username]) expect(hosted(other).mfa.lastCode()).toBeUndefined();
    expect(await call('MFASession', { action: 'validMFA', mfaCode: code! }, alpha)).toMatchObject({ responseStatus: 'OK' });
    expect(await call('GetSession', {}, alpha)).toMatchObject({ responseStatus: 'OK', username: ALPHA.username });
    expect(await call('ValidationToken', {}, alpha)).toMatchObject({ responseStatus: 'OK', tokenData: { token: alpha, mfaStatus: true } });
    expect(await call('GetSession', {}, gamma)).toMatchObject(MFA_REQUIRED);
    expect(await call('ValidationToken', {}, gamma)).toMatchObject({ responseStatus: 'OK', tokenData: { token: gamma, mfaStatus: false } });
  });

  it('completes the SSO page for the account that holds the token', async () => {
    const [gamma, alpha] = [await tokenOf(GAMMA), await tokenOf(ALPHA)];
    const page = new URL(SSO_PAGE_PATH, sandbox.url);
    const shown = await fetch(`${page}?ymapitoken=${encodeURIComponent(gamma)}`);
    expect(shown.status).toBe(200);
    await shown.text();
    const verified = await fetch(page, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ymapitoken: gamma }) });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('Verified');
    expect(await call('GetSession', {}, gamma)).toMatchObject({ responseStatus: 'OK', username: GAMMA.username });
    expect(await call('GetSession', {}, alpha)).toMatchObject(MFA_REQUIRED);
    expect(hosted(GAMMA.username).mfa.state(gamma)).toMatchObject({ isPass: true, passReason: 'MFA_PASSED' });
    const unknown = await fetch(`${page}?ymapitoken=no-such-token`);
    expect(unknown.status).toBe(404);
    await unknown.text();
  });
});

describe('advance and reset reach every account', () => {
  it('advance runs a further account scheduled campaign and ends its idle sessions', async () => {
    const beta = await tokenOf(BETA);
    const idle = await tokenOf(ALPHA);
    expect(await call('ScheduleCampaign', { templateId: 1, time: '13:00' }, beta)).toMatchObject({ responseStatus: 'OK' });
    sandbox.advance(2 * 60 * MINUTE);
    // Read before any request: advance alone must have run it (a request would catch up by itself).
    expect(hosted(BETA.username).account.scheduledCampaigns.map((schedule) => schedule.state)).toEqual(['SUCCESSFUL']);
    expect(await call('MFASession', { action: 'isPass' }, idle)).toMatchObject(INVALID);
    expect(holds(ALPHA.username, idle)).toBe(false);
    expect(await call('MFASession', { action: 'isPass' }, beta)).toMatchObject(INVALID);
  });

  it('reset refills every account in place: files, sessions, passwords, login logs and two-factor', async () => {
    const states = sandbox.accounts.map((entry) => entry.account);
    const beta = await tokenOf(BETA);
    const alpha = await tokenOf(ALPHA);
    await call('UploadTextFile', { what: 'ivr2:/1/beta-note.txt', contents: 'x' }, beta);
    await call('SetPassword', { password: BETA.password, newPassword: 'beta-new' }, beta);
    await call('MFASession', { action: 'sendMFA', mfaId: 1, mfaSendType: 'SMS' }, alpha);
    expect(hosted(ALPHA.username).mfa.lastCode()).toBeDefined();
    const demoLogLength = hosted(GAMMA.username).account.loginLog.length;

    sandbox.reset();

    sandbox.accounts.forEach((entry, index) => expect(entry.account).toBe(states[index]));
    expect(hosted(ALPHA.username).mfa.lastCode()).toBeUndefined();
    for (const username of [ALPHA.username, BETA.username]) {
      expect(hosted(username).account.sessions).toEqual([]);
      expect(hosted(username).account.loginLog).toHaveLength(demoLogLength);
    }
    expect(await call('GetSession', {}, beta)).toMatchObject(INVALID);
    const again = await tokenOf(BETA);
    expect(await call('GetTextFile', { what: 'ivr2:/1/beta-note.txt' }, again)).toMatchObject({ responseStatus: 'ERROR', message: 'file does not exist' });
  });
});
