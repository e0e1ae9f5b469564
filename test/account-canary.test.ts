import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { MASK, REVEAL_HINT } from '../src/core/secrets.js';
import { everything, expectAbsent, watched, type Corpus, type Watched } from './canary-watch.js';

/**
 * Canaries of the account and its sessions (issue 15): the line passwords, other sessions' tokens, the admin
 * password before and after SetPassword, and this server's own session tokens never leave the server, in any
 * encoding: not in a result (text or structured), an error, a log line or an MCP log notification.
 */

const stamp = randomBytes(6).toString('hex');
const SYSTEM_NUMBER = '0773137771';
const CANARY = {
  accessPassword: `CANARY-LINE-ACCESS-${stamp}`,
  recordPassword: `CANARY-LINE-RECORD-${stamp}`,
  webSession: `CANARY-WEB-SESSION-${stamp}`,
  apiSession: `CANARY-API-SESSION-${stamp}`,
  oldPassword: `CANARY-OLD-ADMIN-${stamp}`,
  newPassword: `CANARY-NEW-ADMIN-${stamp}`,
  attemptedLinePassword: `CANARY-LINE-ATTEMPT-${stamp}`,
};
const LINE_PASSWORDS = { accessPassword: CANARY.accessPassword, recordPassword: CANARY.recordPassword };
const OTHER_SESSIONS = { webSession: CANARY.webSession, apiSession: CANARY.apiSession };

const READS: Array<[string, Record<string, unknown>]> = [
  ['read_account', { command: 'GetSession' }],
  ['read_account', { command: 'GetCustomerData' }],
  ['read_security', { command: 'GetAllSessions' }],
  ['read_security', { command: 'GetLoginLog' }],
  ['read_security', { command: 'ValidationToken' }],
];

/** Plants the canaries in a fresh demo account: the line passwords, and the tokens of every session but the server's. */
function plant(sandbox: Sandbox, ownToken?: string) {
  Object.assign(sandbox.account.profile, LINE_PASSWORDS);
  const others = sandbox.account.sessions.filter((session) => session.token !== ownToken);
  expect(others.length).toBeGreaterThanOrEqual(2);
  others[0].token = CANARY.webSession;
  others[1].token = CANARY.apiSession;
}

/** Every result of the reads, by tool and command. */
async function readAll(w: Watched) {
  const results = new Map<string, Record<string, unknown>>();
  for (const [tool, args] of READS) {
    const result = await w.call(tool, args);
    expect(result?.isError, result?.text).toBe(false);
    results.set(String(args.command), result!.json);
  }
  return results;
}

const logsOnly = (corpus: Corpus) => corpus.filter((entry) => entry.where === 'server log' || entry.where.endsWith('MCP log'));

describe('account and security canaries never leave the server', () => {
  let sandbox: Sandbox;
  const open: Watched[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ username: SYSTEM_NUMBER, password: CANARY.oldPassword, mfa: 'hard', log: () => undefined });
  });
  afterAll(async () => {
    await Promise.all(open.map((w) => w.harness.close()));
    await sandbox.close();
  });

  it('username/password: reads of the account and its sessions, SetPassword, and refusals', async () => {
    sandbox.reset();
    const w = await watched('login', { use: sandbox, credentials: { username: SYSTEM_NUMBER, password: CANARY.oldPassword } });
    open.push(w);
    const ownToken = await w.harness.app.ctx.session.currentToken();
    plant(sandbox, ownToken);

    const results = await readAll(w);
    // The masks: line passwords say how an operator reveals them; session tokens are masked, this server's marked.
    for (const command of ['GetSession', 'GetCustomerData']) {
      const json = results.get(command)!;
      expect(json.accessPassword, command).toBe(MASK);
      expect(json.recordPassword, command).toBe(MASK);
      expect(json.masked, command).toBe(REVEAL_HINT);
    }
    const sessions = results.get('GetAllSessions')!.data as Array<Record<string, unknown>>;
    expect(sessions.length).toBeGreaterThanOrEqual(3);
    for (const row of sessions) expect(row.token).toBe(MASK);
    expect(sessions.filter((row) => row.thisServer === true)).toHaveLength(1);
    expect((results.get('ValidationToken')!.tokenData as Record<string, unknown>).token).toBe(MASK);

    // A line-password change without the opt-in is refused without echoing the value.
    const refused = await w.call('set_customer_details', { accessPassword: CANARY.attemptedLinePassword });
    expect(refused?.json.error, refused?.text).toBe('NOT_ALLOWED');

    const changed = await w.call('set_password', { password: CANARY.oldPassword, newPassword: CANARY.newPassword });
    expect(changed?.isError, changed?.text).toBe(false);
    expect(sandbox.account.login.password).toBe(CANARY.newPassword);
    // The old one is now wrong: the vendor's refusal must not carry either.
    const wrong = await w.call('set_password', { password: CANARY.oldPassword, newPassword: `${CANARY.newPassword}-2` });
    expect(wrong?.isError, wrong?.text).toBe(true);

    const ownTokens = new Set(sandbox.requests.filter((request) => request.command !== 'Login').map((request) => String(request.params.token)));
    expectAbsent(everything(w), {
      ...CANARY,
      newPassword2: `${CANARY.newPassword}-2`,
      ...Object.fromEntries([...ownTokens].map((token, i) => [`ownToken${i}`, token])),
    });
  });

  it('with YEMOT_REVEAL_SECRETS=1: the line passwords are shown in results (opt-in works), never in logs; session tokens never', async () => {
    sandbox.reset();
    const w = await watched('reveal', { use: sandbox, credentials: { token: sandbox.token }, env: { YEMOT_REVEAL_SECRETS: '1' } });
    open.push(w);
    plant(sandbox, sandbox.token);

    const results = await readAll(w);
    for (const command of ['GetSession', 'GetCustomerData']) expect(results.get(command), command).toMatchObject(LINE_PASSWORDS);
    for (const row of results.get('GetAllSessions')!.data as Array<Record<string, unknown>>) expect(row.token).toBe(MASK);
    expect((results.get('ValidationToken')!.tokenData as Record<string, unknown>).token).toBe(MASK);

    expectAbsent(everything(w), { ...OTHER_SESSIONS, ownToken: sandbox.token });
    expectAbsent(logsOnly(everything(w)), LINE_PASSWORDS);
  });
});
