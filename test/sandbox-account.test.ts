import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { formatDateTime } from '../src/sandbox/params.js';

/** The simulator's side of issue 15: profile, passwords, login log, sessions, transfers, incoming minutes. */

type Answer = Record<string, any>;

/** Sunday 15 June 2025, 12:00 local time: the sandbox's clock before any advance. */
const START = new Date(2025, 5, 15, 12, 0, 0).getTime();
/** The demo account's units expire a year after it is made. */
const UNITS_EXPIRE = '2026-06-15';
const MINUTE = 60_000;
const USERNAME = '0770000000';
const PASSWORD = 'account-test-password';
const INVALID = { responseStatus: 'EXCEPTION', message: 'IllegalStateException(session token is invalid)' };
const OTHER = '0779999999';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined, now: () => START, password: PASSWORD });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function call(command: string, params: Record<string, string | number> = {}, token = sandbox.token): Promise<Answer> {
  const body = new URLSearchParams(Object.entries({ token, ...params }).map(([key, value]) => [key, String(value)]));
  const response = await fetch(sandbox.url + command, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return response.json();
}

const login = (password = PASSWORD, username = USERNAME) => call('Login', { username, password }, '');
const ok = (answer: Answer) => expect(answer).toMatchObject({ responseStatus: 'OK' });
const at = (ms: number) => formatDateTime(new Date(ms));

describe('GetSession and GetCustomerData', () => {
  it('GetSession gives the basic profile, the line passwords, units and the system number', async () => {
    const answer = await call('GetSession');
    const { profile } = sandbox.account;
    expect(answer).toMatchObject({ ...profile, units: 500, unitsExpireDate: UNITS_EXPIRE, creditFile: 'ימות המשיח', username: USERNAME });
    expect(Object.keys(answer).sort()).toEqual(
      ['responseStatus', 'yAfastVersion', 'name', 'unitsExpireDate', 'email', 'organization', 'contactName', 'phones', 'invoiceName', 'invoiceAddress', 'fax', 'accessPassword', 'units', 'recordPassword', 'creditFile', 'username'].sort(),
    );
    expect(profile.accessPassword).not.toBe(profile.recordPassword);
  });

  it('carries line passwords planted in the state (canary tests rely on it)', async () => {
    sandbox.account.profile.accessPassword = 'CANARY-ACCESS';
    sandbox.account.profile.recordPassword = 'CANARY-RECORD';
    expect(await call('GetSession')).toMatchObject({ accessPassword: 'CANARY-ACCESS', recordPassword: 'CANARY-RECORD' });
    expect(await call('GetCustomerData')).toMatchObject({ accessPassword: 'CANARY-ACCESS', recordPassword: 'CANARY-RECORD' });
  });

  it('GetCustomerData lists secondary_dids with the ids SetSecondaryDidUsageDescription takes, and approved caller IDs with expiry', async () => {
    ok(await call('SetSecondaryDidUsageDescription', { secondaryDidId: 1, newUsage: 'goto:/2' }));
    ok(await call('PirsumPhoneManagement', { action: 'Registration' }));
    const answer = await call('GetCustomerData');
    expect(answer).toMatchObject({
      mainDid: '0770000000',
      secondary_dids: [
        { id: 1, did: '0771111111', usage: 'goto:/2' },
        { id: 2, did: '0772222222', usage: 'sip:1' },
      ],
      callerIds: [
        { callerId: '0523334444', expiryDate: '2026-03-01 10:00:00' },
        { callerId: '039998877', expiryDate: '2025-12-15 08:30:00' },
      ],
      ...sandbox.account.profile,
      units: 500,
      smsUnits: 1352,
      unitsExpireDate: UNITS_EXPIRE,
      smsUnitsExpireDate: UNITS_EXPIRE,
      expiredUnits: false,
      pirsumPhoneStatus: true,
      resellerCreditFile: 'ימות המשיח',
      systemSite: expect.any(String),
      ivrType: expect.any(String),
    });
    expect(answer).not.toHaveProperty('secondaryDids');
  });

  it('reports expiredUnits once the simulated clock passes the units expiry date', async () => {
    sandbox.advance(366 * 24 * 60 * MINUTE);
    expect(await call('GetCustomerData')).toMatchObject({ unitsExpireDate: UNITS_EXPIRE, expiredUnits: true });
  });
});

describe('SetCustomerDetails', () => {
  it('replaces the stored details: a field left out is blanked, as the docs warn', async () => {
    ok(await call('SetCustomerDetails', { email: 'new@example.org' }));
    const answer = await call('GetSession');
    expect(answer).toMatchObject({ email: 'new@example.org', name: '', organization: '', contactName: '', phones: '', invoiceName: '', invoiceAddress: '', fax: '', accessPassword: '', recordPassword: '' });
  });

  it('keeps every field that is sent, the line passwords included', async () => {
    const details = { name: 'n', email: 'e@example.org', organization: 'o', contactName: 'c', phones: '0501234567', invoiceName: 'i', invoiceAddress: 'a', fax: '021234567', accessPassword: 'A-1', recordPassword: 'R-2' };
    ok(await call('SetCustomerDetails', details));
    expect(sandbox.account.profile).toEqual(details);
    expect(await call('GetCustomerData')).toMatchObject(details);
  });
});

describe('SetPassword', () => {
  it('refuses a wrong current password and changes nothing', async () => {
    expect(await call('SetPassword', { password: 'wrong', newPassword: 'next-password' })).toMatchObject({ responseStatus: 'ERROR', message: 'password (the current admin password) is incorrect' });
    ok(await login());
  });

  it('afterwards the old password fails at Login and the new one works', async () => {
    expect(await call('SetPassword', { password: PASSWORD, newPassword: 'next-password' })).toMatchObject({ responseStatus: 'OK', message: 'ok' });
    expect(await login()).toMatchObject({ responseStatus: 'ERROR', messageCode: 1, message: 'Username or password is incorrect' });
    expect(await login('next-password')).toMatchObject({ responseStatus: 'OK', token: expect.any(String) });
    expect(await call('SetPassword', { password: 'next-password' })).toMatchObject({ responseStatus: 'ERROR', message: 'newPassword is required' });
  });

  it('reset() brings back the configured password', async () => {
    ok(await call('SetPassword', { password: PASSWORD, newPassword: 'next-password' }));
    sandbox.reset();
    ok(await login());
  });
});

describe('GetLoginLog', () => {
  it('records every Login attempt, failed ones too, newest first after the seeded history', async () => {
    const seeded = (await call('GetLoginLog')).data.length;
    expect(seeded).toBeGreaterThan(0);
    ok(await login());
    await login('wrong');
    await login(PASSWORD, '0771234567');
    const { data } = await call('GetLoginLog', { limit: 3 });
    expect(data).toEqual([
      { remoteIP: '127.0.0.1', sessionType: 'API', actionTimestamp: at(START), username: '0771234567', successful: false },
      { remoteIP: '127.0.0.1', sessionType: 'API', actionTimestamp: at(START), username: USERNAME, successful: false },
      { remoteIP: '127.0.0.1', sessionType: 'API', actionTimestamp: at(START), username: USERNAME, successful: true },
    ]);
    expect((await call('GetLoginLog')).data).toHaveLength(seeded + 3);
  });

  it('filters by username', async () => {
    await login(PASSWORD, '0771234567');
    const { data } = await call('GetLoginLog', { username: '0771234567' });
    expect(data).toHaveLength(1);
    expect((await call('GetLoginLog', { username: USERNAME })).data.every((row: Answer) => row.username === USERNAME)).toBe(true);
    expect(await call('GetLoginLog', { limit: 0 })).toMatchObject({ responseStatus: 'ERROR', message: 'limit must be at least 1' });
  });
});

describe('sessions', () => {
  const sessionsOf = async (token = sandbox.token) => (await call('GetAllSessions', {}, token)).data as Answer[];

  it('GetAllSessions lists every live session: the caller own and seeded others, each with its own id and token', async () => {
    const { token } = await login();
    const answer = await call('GetAllSessions');
    expect(answer.count).toBe(4);
    const tokens = answer.data.map((row: Answer) => row.token);
    expect(tokens).toEqual(expect.arrayContaining([sandbox.token, token]));
    expect(new Set(tokens).size).toBe(4);
    expect(new Set(answer.data.map((row: Answer) => row.id)).size).toBe(4);
    const own = answer.data.find((row: Answer) => row.token === token);
    expect(own).toEqual({
      id: expect.any(Number),
      token,
      active: true,
      selectedDID: '0770000000',
      remoteIP: '127.0.0.1',
      sessionType: 'API',
      createTime: at(START),
      lastRequest: at(START),
      doubleAuthStatus: false,
      mfaStatus: true,
      mfaRealValid: false,
      mfaRequestId: null,
      mfaValidReason: 'INIT_WHITELIST_IPS',
    });
    expect((await call('GetAllSessions', { limit: 2 })).data).toHaveLength(2);
  });

  it('ValidationToken describes the calling session, lastRequest following the clock', async () => {
    const { token } = await login();
    sandbox.advance(5 * MINUTE);
    const { tokenData } = await call('ValidationToken', {}, token);
    expect(tokenData).toEqual({
      remoteIP: '127.0.0.1',
      sessionType: 'API',
      createTime: at(START),
      lastRequest: at(START + 5 * MINUTE),
      doubleAuthStatus: false,
      validationCalls: 0,
      token,
      mfaStatus: true,
      mfaRealValid: false,
      mfaRequestId: null,
      mfaValidReason: 'INIT_WHITELIST_IPS',
    });
  });

  it('KillSession ends the session with that SessionId: its token then gets the documented invalid-token answer', async () => {
    const { token } = await login();
    const target = (await sessionsOf()).find((row) => row.token === token)!;
    ok(await call('KillSession', { SessionId: target.id }));
    expect(await call('GetSession', {}, token)).toMatchObject(INVALID);
    ok(await call('GetSession'));
    expect((await sessionsOf()).map((row) => row.id)).not.toContain(target.id);
    expect(await call('KillSession', { SessionId: target.id })).toMatchObject({ responseStatus: 'ERROR', message: `SessionId ${target.id} is not an open session` });
    expect(await call('KillSession', { sessionId: 2 })).toMatchObject({ responseStatus: 'ERROR', message: 'SessionId is required (capital S and I)' });
  });

  it('KillSession of the caller own session ends it too', async () => {
    const own = (await sessionsOf()).find((row) => row.token === sandbox.token)!;
    ok(await call('KillSession', { SessionId: own.id }));
    expect(await call('GetSession')).toMatchObject(INVALID);
  });

  it('KillAllSessions ends every session, the caller own included', async () => {
    const { token } = await login();
    ok(await call('KillAllSessions', {}, token));
    expect(await call('GetSession', {}, token)).toMatchObject(INVALID);
    expect(await call('GetSession')).toMatchObject(INVALID);
    expect(sandbox.account.sessions).toEqual([]);
    ok(await login());
  });

  it('Logout ends only the calling session', async () => {
    const { token } = await login();
    expect(await call('Logout', {}, token)).toMatchObject({ responseStatus: 'OK', message: 'logout successful' });
    expect(await call('GetSession', {}, token)).toMatchObject(INVALID);
    ok(await call('GetSession'));
  });

  it('a Login token dies after 30 simulated minutes without a call, like a killed one; each call restarts the 30 minutes', async () => {
    const { token } = await login();
    sandbox.advance(30 * MINUTE);
    ok(await call('GetSession', {}, token));
    sandbox.advance(30 * MINUTE);
    ok(await call('GetSession', {}, token));
    sandbox.advance(30 * MINUTE + 1);
    expect(await call('GetSession', {}, token)).toMatchObject(INVALID);
    expect(sandbox.account.sessions.map((session) => session.token)).not.toContain(token);
  });

  it('idle seeded sessions leave GetAllSessions; the starting token (a configured credential, not a Login) has no idle life', async () => {
    const seeded = (await sessionsOf()).filter((row) => row.token !== sandbox.token);
    expect(seeded.length).toBeGreaterThanOrEqual(2);
    sandbox.advance(2 * 60 * MINUTE);
    expect((await sessionsOf()).map((row) => row.token)).toEqual([sandbox.token]);
  });
});

describe('TransferUnits', () => {
  const refusal = (messageCode: number, message: string) => ({ responseStatus: 'ERROR', messageCode, message });

  it('moves units to the other simulated system and writes a line on both ledgers', async () => {
    const other = sandbox.account.otherSystems[OTHER];
    const before = other.units;
    expect(await call('TransferUnits', { destination: OTHER, amount: '12.5' })).toMatchObject({ responseStatus: 'OK', destination: OTHER, amount: 12.5, newBalance: 487.5 });
    expect(sandbox.account.units).toBe(487.5);
    expect(other.units).toBe(before + 12.5);
    expect(sandbox.account.transactions.at(-1)).toMatchObject({ amount: -12.5, description: `transfer to ${OTHER}`, who: 'TRANSFER', newBalance: 487.5, transactionTime: at(START), campaignId: null });
    expect(other.transactions.at(-1)).toMatchObject({ amount: 12.5, description: 'transfer from 0770000000', who: 'TRANSFER', newBalance: before + 12.5, transactionTime: at(START) });
    expect((await call('GetTransactions', { limit: 1 })).transactions[0]).toMatchObject({ description: `transfer to ${OTHER}`, who: 'TRANSFER' });
  });

  it('refuses with the documented codes 111, 112, 113 and changes nothing', async () => {
    const lines = sandbox.account.transactions.length;
    expect(await call('TransferUnits', { destination: '0771234567', amount: 1 })).toMatchObject(refusal(111, 'Bad destination'));
    expect(await call('TransferUnits', { destination: '0770000000', amount: 1 })).toMatchObject(refusal(111, 'Bad destination'));
    expect(await call('TransferUnits', { amount: 1 })).toMatchObject(refusal(111, 'Bad destination'));
    for (const amount of ['0', '-5', 'abc', '1.234', '']) expect(await call('TransferUnits', { destination: OTHER, amount })).toMatchObject(refusal(112, 'Bad amount'));
    expect(await call('TransferUnits', { destination: OTHER, amount: 500.01 })).toMatchObject(refusal(113, 'Not enough balance'));
    expect(sandbox.account.units).toBe(500);
    expect(sandbox.account.transactions).toHaveLength(lines);
    expect(sandbox.account.otherSystems[OTHER].transactions).toHaveLength(1);
  });

  it('can move the whole balance', async () => {
    expect(await call('TransferUnits', { destination: OTHER, amount: 500 })).toMatchObject({ responseStatus: 'OK', newBalance: 0 });
  });
});

describe('GetIncomingSum', () => {
  const sumOf = (from: string, to: string) => {
    const days = sandbox.account.incomingMinutes.filter((day) => day.date >= from && day.date <= to);
    return { direct: days.reduce((n, day) => n + day.direct, 0), transferIn: days.reduce((n, day) => n + day.transferIn, 0), transferOut: days.reduce((n, day) => n + day.transferOut, 0) };
  };

  it('sums the seeded minutes of the range asked', async () => {
    const answer = await call('GetIncomingSum', { from: '2025-05-20', to: '2025-06-10' });
    expect(answer).toEqual({ responseStatus: 'OK', yAfastVersion: expect.any(String), fromDate: '2025-05-20', toDate: '2025-06-10', ...sumOf('2025-05-20', '2025-06-10') });
    expect(answer.direct).toBeGreaterThan(0);
  });

  it('defaults to the current month up to today', async () => {
    expect(await call('GetIncomingSum')).toMatchObject({ fromDate: '2025-06-01', toDate: '2025-06-15', ...sumOf('2025-06-01', '2025-06-15') });
  });

  it('refuses a date that is not yyyy-MM-dd or a range backwards', async () => {
    expect(await call('GetIncomingSum', { from: '2025-02-30' })).toMatchObject({ responseStatus: 'ERROR', message: 'from must be a date yyyy-MM-dd, got 2025-02-30' });
    expect(await call('GetIncomingSum', { to: '15/06/2025' })).toMatchObject({ responseStatus: 'ERROR', message: 'to must be a date yyyy-MM-dd, got 15/06/2025' });
    expect(await call('GetIncomingSum', { from: '2025-06-10', to: '2025-06-01' })).toMatchObject({ responseStatus: 'ERROR', message: 'from (2025-06-10) must not be after to (2025-06-01)' });
  });
});

describe('the ledger follows the simulated clock', () => {
  it('dates a spend at the sandbox time, not the wall clock', async () => {
    sandbox.advance(90 * MINUTE);
    ok(await call('SendTTS', { phones: '0501234567', ttsMessage: 'hi' }));
    expect(sandbox.account.transactions.at(-1)).toMatchObject({ amount: -1, description: 'Start-SendTTS', who: '127.0.0.1', transactionTime: at(START + 90 * MINUTE) });
  });
});
