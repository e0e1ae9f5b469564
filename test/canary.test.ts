import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Fault, type Sandbox } from '../src/sandbox/index.js';
import { MASK, REVEAL_HINT } from '../src/core/secrets.js';
import { actionOf, commandOf } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { encodings, evasions, everything, expectAbsent, watched, type Watched } from './canary-watch.js';

/**
 * Canaries: distinctive secrets planted in the simulator and the server's configuration. None may come out
 * of the server, in any encoding: not in a result (text or structured), not in an error, not in a log line
 * (debug level, and the MCP logging channel), not in a question put to the person.
 * The username is not a secret: it is the system's number, which the API itself returns.
 */

const stamp = randomBytes(6).toString('hex');
const SYSTEM_NUMBER = '0773137770';
const CANARY = {
  token: `CANARY-TOKEN-${stamp}`,
  password: `CANARY-PASS-${stamp}`,
  wrongPassword: `CANARY-WRONGPASS-${stamp}`,
  sip1: `CANARY-SIP1-${stamp}`,
  sip2: `CANARY-SIP2-${stamp}`,
};

const quiet = () => undefined;

/** Request time limit of the watched servers: the timeout fault costs a fraction of a second, and a busy machine still answers every other call in time. */
const FAULT_TIMEOUT_MS = 400;

/** The compact fault matrix: transport failures and every vendor error shape. */
const FAULTS: Fault[] = [
  { kind: 'timeout' },
  { kind: 'reset' },
  { kind: 'http', status: 500, body: '<html><body>Internal Server Error</body></html>', contentType: 'text/html' },
  { kind: 'http', status: 502 },
  { kind: 'raw', body: '{"responseStatus":"OK",' },
  { kind: 'raw', body: '' },
  { kind: 'answer', answer: { responseStatus: 'ERROR', message: 'something is wrong' } },
  { kind: 'answer', answer: { responseStatus: 'Exception', message: 'bad action', file: 'x.ym', Line: '1:1' } },
  { kind: 'answer', answer: { responseStatus: 'EXCEPTION', message: 'NullPointerException' } },
  { kind: 'answer', answer: { responseStatus: 'FORBIDDEN', message: 'forbidden' } },
  { kind: 'answer', answer: { responseStatus: 'FORBIDDEN', message: 'MFA_REQUIRED' } },
  { kind: 'answer', answer: { responseStatus: 'EXCEPTION', message: 'IllegalStateException(session token is invalid)' } },
  { kind: 'answer', answer: { responseStatus: 'ERROR', message: 'שרת זה אינו תומך במערכת SIP' } },
];

/** Vendor answers that echo what they were sent, also encoded: the secrets among it must still not come out. */
function echoFaults(secrets: string[], sipPassword: string): Fault[] {
  const all = secrets.join(' ');
  const encoded = secrets.flatMap((secret) => encodings(secret).slice(1)).join(' ');
  return [
    { kind: 'answer', answer: { responseStatus: 'ERROR', message: `invalid request (encoded): ${encoded}` } },
    { kind: 'answer', answer: { responseStatus: 'OK', [secrets[0]]: { echo: encoded }, number: Number(secrets.at(-1)) } },
    { kind: 'answer', answer: { responseStatus: 'ERROR', message: `invalid request: ${all}` } },
    { kind: 'answer', answer: { responseStatus: 'Exception', message: `exception for ${all}`, file: `/var/www/${secrets[0]}.ym`, Line: '1:1' } },
    { kind: 'answer', answer: { responseStatus: 'EXCEPTION', message: `IllegalStateException(session token is invalid: ${secrets[0]})` } },
    { kind: 'answer', answer: { responseStatus: 'FORBIDDEN', exceptionMessage: `MFA_REQUIRED for ${all}` } },
    { kind: 'answer', answer: { responseStatus: 'OK', token: secrets[0], echo: { params: all, nested: [{ password: sipPassword, PASS: sipPassword, mfaCode: secrets.at(-1) }] } } },
    { kind: 'http', status: 500, body: `<html>${all}</html>` },
    { kind: 'raw', body: `not json ${all}`, contentType: 'text/plain' },
    // Issue 25: echoes that hide a secret from a plain search, and a SIP password under keys and in text of its own.
    { kind: 'answer', answer: { responseStatus: 'ERROR', message: `evasions: ${secrets.flatMap(hidden).join(' ')}` } },
    { kind: 'answer', answer: { responseStatus: 'OK', accounts: [{ Password: sipPassword }, { sipPass: sipPassword, SIP_PASS: sipPassword }], note: `the SIP password is ${sipPassword}` } },
    { kind: 'answer', answer: { responseStatus: 'ERROR', message: `SIP password ${sipPassword} refused` } },
  ];
}

/** A secret with zero-width and bidi characters inside, and its evasions (reversed, cut short), each followed by an ellipsis. */
const hidden = (secret: string) => [
  [...secret].join('\u200B'),
  [...secret].join('\u2066\u202E'),
  `${[...secret].join('\uFEFF')}`,
  ...evasions(secret).map((form) => `${form}…`),
];

const FAULT_TOOLS: Array<[string, Record<string, unknown>]> = [
  ['get_approved_caller_ids', {}],
  ['set_sip_to_wss', { accountNumber: 1 }],
  ['list_sip_accounts', {}],
  ['mfa_list_trust', { action: 'getMFATrustIps' }],
];
const COMMAND_OF: Record<string, string> = Object.fromEntries(TOOLS.map((spec) => [spec.name, spec.command]));

async function runFaults(w: Watched, sandbox: Sandbox, faults: Fault[]) {
  for (const fault of faults) {
    for (const [tool, args] of FAULT_TOOLS) {
      sandbox.clearFaults();
      sandbox.injectFault(fault, { command: COMMAND_OF[tool], times: 2 });
      await w.call(tool, args);
      sandbox.clearFaults();
      await w.call('mfa_status');
    }
  }
}

/** Commands that end this server's own session or change its password: covered in their own cases, not in the sweep. */
const SELF_ENDING = new Set(['KillAllSessions', 'KillSession', 'SetPassword']);

/** Every command every tool can send: a command family (read_ivr) once per command it selects. */
async function everyTool(w: Watched) {
  for (const spec of TOOLS) {
    const perCommand = new Map<string, Record<string, unknown>>();
    for (const example of spec.examples) {
      const command = commandOf(spec, actionOf(spec, example));
      if (!perCommand.has(command) && !SELF_ENDING.has(command)) perCommand.set(command, example);
    }
    for (const example of perCommand.values()) await w.call(spec.name, example);
  }
}

const sipPasswords = (sandbox: Sandbox) => sandbox.account.sipAccounts.map((sip) => sip.password);

describe('canaries never leave the server', () => {
  let tokenSandbox: Sandbox;
  let loginSandbox: Sandbox;
  const codes: string[] = [];
  const loginTokens = new Set<string>();
  const createdSip: string[] = [];
  let tokenSide: Watched;
  let loginSide: Watched;
  let wrongLogin: Watched;
  let asker: Watched;
  let revealer: Watched;

  beforeAll(async () => {
    tokenSandbox = await startSandbox({ token: CANARY.token, mfa: 'not-passed', log: quiet });
    loginSandbox = await startSandbox({ username: SYSTEM_NUMBER, password: CANARY.password, mfa: 'hard', log: quiet });
    loginSandbox.account.mainDid = SYSTEM_NUMBER;
    for (const box of [tokenSandbox, loginSandbox]) {
      box.account.sipAccounts[0].password = CANARY.sip1;
      box.account.sipAccounts[1].password = CANARY.sip2;
    }
  });
  afterAll(async () => {
    await Promise.all([tokenSide, loginSide, wrongLogin, asker, revealer].filter(Boolean).map((w) => w.harness.close()));
    await Promise.all([tokenSandbox.close(), loginSandbox.close()]);
  });

  it('token session: verification codes, every tool, the fault matrix, echoed secrets and expiry', async () => {
    tokenSide = await watched('token', { use: tokenSandbox, timeoutMs: FAULT_TIMEOUT_MS });
    const before = new Set(sipPasswords(tokenSandbox));

    // Two-factor on a session that has not passed: send a code, read it from the simulator, verify it.
    await tokenSide.call('mfa_status');
    await tokenSide.call('mfa_list_methods');
    const sent = await tokenSide.call('mfa_send_code', { mfaId: 1, mfaSendType: 'SMS' });
    expect(sent?.isError, sent?.text).toBe(false);
    const code = tokenSandbox.mfa.lastCode();
    expect(code).toMatch(/^\d{4,8}$/);
    codes.push(code!);
    const verified = await tokenSide.call('mfa_verify_code', { mfaCode: code });
    expect(verified?.json.mfa_valid_status, verified?.text).toBe('VALID');

    // A method verification sends and checks another code.
    const added = await tokenSide.call('mfa_add_method', { mfaNewType: 'EMAIL', mtaNewValue: 'office@example.co.il' });
    expect(added?.isError, added?.text).toBe(false);
    const methodId = String(added?.json.methodId);
    const resent = await tokenSide.call('mfa_verify_method', { action: 'reValidMethod', mfaId: methodId, mfaSendType: 'EMAIL' });
    expect(resent?.isError, resent?.text).toBe(false);
    const methodCode = tokenSandbox.mfa.lastCode();
    expect(methodCode).toMatch(/^\d{4,8}$/);
    codes.push(methodCode!);
    const methodVerified = await tokenSide.call('mfa_verify_method', { action: 'validMethod', mfaId: methodId, mfaCode: methodCode });
    expect(methodVerified?.isError, methodVerified?.text).toBe(false);

    await everyTool(tokenSide);
    for (const password of sipPasswords(tokenSandbox)) if (!before.has(password)) createdSip.push(password);
    expect(createdSip.length).toBeGreaterThan(0);

    // A masked result says so.
    const listed = await tokenSide.call('list_sip_accounts');
    expect(listed?.isError, listed?.text).toBe(false);
    expect(listed?.json.masked).toBe(REVEAL_HINT);
    for (const account of listed?.json.accounts as Array<Record<string, unknown>>) expect(account.password).toBe(MASK);
    const created = await tokenSide.call('create_sip_account', {});
    expect(created?.isError, created?.text).toBe(false);
    expect(created?.json.PASS).toBe(MASK);
    expect(created?.json.masked).toBe(REVEAL_HINT);
    for (const password of sipPasswords(tokenSandbox)) if (!before.has(password) && !createdSip.includes(password)) createdSip.push(password);

    await runFaults(tokenSide, tokenSandbox, [...FAULTS, ...echoFaults([CANARY.token, ...codes], CANARY.sip1)]);

    // The token never travels in a URL either.
    for (const request of tokenSandbox.requests) expect(request.url).not.toContain(CANARY.token);

    expectAbsent(everything(tokenSide), { token: CANARY.token, sip1: CANARY.sip1, sip2: CANARY.sip2, ...Object.fromEntries(codes.map((c, i) => [`mfaCode${i}`, c])), ...Object.fromEntries(createdSip.map((p, i) => [`createdSip${i}`, p])) });
  });

  it('a person asked to confirm is shown no secret', async () => {
    asker = await watched('asker', {
      use: tokenSandbox,
      credentials: { token: CANARY.token },
      capabilities: { elicitation: { form: {} } },
      onElicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    await asker.call('send_tts', { phones: '0501234567', ttsMessage: 'בדיקה' });
    await asker.call('delete_sip_account', { accountNumber: 1 });
    expect(asker.corpus.some((entry) => entry.where.endsWith('question'))).toBe(true);
    expectAbsent(everything(asker), { token: CANARY.token, sip1: CANARY.sip1, sip2: CANARY.sip2, ...Object.fromEntries(codes.map((c, i) => [`mfaCode${i}`, c])) });
  });

  it('with YEMOT_REVEAL_SECRETS=1, SIP passwords are shown (opt-in works), the token still never is', async () => {
    // Earlier calls deleted demo accounts: plant the two canary accounts again.
    const plant = (accountNumber: number, password: string) => ({ accountNumber, extension: null, transport: 'transport-udp' as const, specialCallerID: '', password, createdDate: '2024-01-01 00:00:00', contexts: [] });
    tokenSandbox.account.sipAccounts = [plant(1, CANARY.sip1), plant(2, CANARY.sip2)];
    revealer = await watched('reveal', { use: tokenSandbox, credentials: { token: CANARY.token }, env: { YEMOT_REVEAL_SECRETS: '1' } });
    const listed = await revealer.call('list_sip_accounts');
    expect(listed?.isError, listed?.text).toBe(false);
    expect(listed?.text).toContain(CANARY.sip1);
    expect(listed?.text).toContain(CANARY.sip2);
    expect(listed?.json.masked).toBeUndefined();
    const created = await revealer.call('create_sip_account', {});
    expect(created?.isError, created?.text).toBe(false);
    expect(created?.json.PASS).toBe(tokenSandbox.account.sipAccounts.at(-1)!.password);
    // Still never: this server's token, the codes, and any secret in a log line.
    await everyTool(revealer);
    await runFaults(revealer, tokenSandbox, echoFaults([CANARY.token, ...codes], CANARY.sip1));
    expectAbsent(everything(revealer), { token: CANARY.token, ...Object.fromEntries(codes.map((c, i) => [`mfaCode${i}`, c])) });
    // Revealing is for results only: the logs (stderr and the MCP logging channel) never carry SIP passwords.
    expectAbsent(
      everything(revealer).filter((entry) => entry.where === 'server log' || entry.where.endsWith('MCP log')),
      { sip1: CANARY.sip1, sip2: CANARY.sip2, created: created?.json.PASS as string | undefined },
    );
  });

  it('token session: expiry of the canary token is reported without it', async () => {
    tokenSandbox.expireSession(CANARY.token);
    const expired = await tokenSide.call('get_approved_caller_ids');
    expect(expired?.json.error).toBe('SESSION_EXPIRED');
    await tokenSide.call('list_sip_accounts');
    await tokenSide.call('mfa_status');
    expectAbsent(everything(tokenSide), { token: CANARY.token });
  });

  it('login session: the password and the session tokens Login hands out never come out; the system number does', async () => {
    loginSide = await watched('login', { use: loginSandbox, credentials: { username: SYSTEM_NUMBER, password: CANARY.password }, timeoutMs: FAULT_TIMEOUT_MS });
    // The system number is data: where the API returns it, the agent sees it.
    const sipList = await loginSide.call('list_sip_accounts');
    expect(sipList?.isError, sipList?.text).toBe(false);
    expect((sipList?.json.accounts as Array<Record<string, unknown>>)[0].id).toBe(`${SYSTEM_NUMBER}=1`);
    const stats = await loginSide.call('read_ivr', { command: 'GetIVR2DirStats', path: '1' });
    expect(stats?.isError, stats?.text).toBe(false);
    expect((stats?.json.minFile as Record<string, unknown>).customerDid).toBe(SYSTEM_NUMBER);
    const collectTokens = () => {
      for (const request of loginSandbox.requests) if (request.command !== 'Login' && typeof request.params.token === 'string') loginTokens.add(request.params.token);
    };
    /** The token the server uses right now: the one on its latest request. */
    const current = () => String([...loginSandbox.requests].reverse().find((request) => request.command !== 'Login')!.params.token);
    await everyTool(loginSide);
    collectTokens();
    expect(loginTokens.size).toBeGreaterThan(0);
    const first = current();
    await runFaults(loginSide, loginSandbox, echoFaults([first, CANARY.password], CANARY.sip2));
    await runFaults(loginSide, loginSandbox, FAULTS);

    // Expiry: the server logs in again and repeats the call once; the new token is a secret too.
    await loginSide.call('mfa_status');
    const expiring = current();
    loginSandbox.expireSession(expiring);
    const renewed = await loginSide.call('get_approved_caller_ids');
    expect(renewed?.isError, renewed?.text).toBe(false);
    expect(String(renewed?.json.notice)).toMatch(/expired/);
    const fresh = current();
    expect(fresh).not.toBe(expiring);
    await runFaults(loginSide, loginSandbox, echoFaults([fresh, CANARY.password], CANARY.sip1));
    collectTokens();
    for (const request of loginSandbox.requests) {
      expect(request.url).not.toContain(CANARY.password);
      for (const token of loginTokens) expect(request.url).not.toContain(token);
    }

    const secrets: Record<string, string> = { password: CANARY.password, sip1: CANARY.sip1, sip2: CANARY.sip2 };
    [...loginTokens].forEach((token, i) => (secrets[`loginToken${i}`] = token));
    expectAbsent(everything(loginSide), secrets);
  });

  it('a refused login says so without the password', async () => {
    wrongLogin = await watched('wrong-login', { use: loginSandbox, credentials: { username: SYSTEM_NUMBER, password: CANARY.wrongPassword } });
    const refused = await wrongLogin.call('get_approved_caller_ids');
    expect(refused?.json.error).toBe('AUTH_FAILED');
    await wrongLogin.call('mfa_status');
    expectAbsent(everything(wrongLogin), { wrongPassword: CANARY.wrongPassword, password: CANARY.password });
  });
});
