import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../src/app/local-store.js';
import { canonicalArgs } from '../src/call/canonical.js';
import { ConfirmationTokens } from '../src/call/confirm-token.js';
import { SpendLedger } from '../src/call/spend-guard.js';
import { startSandbox } from '../src/sandbox/index.js';
import { TOOLS } from '../src/tools/index.js';
import { startHarness, type Harness } from './harness.js';
import { loginHeaders, tenantHost } from './tenant-host.js';

/** Issue 24: a spend goes at most once per account: at once, spelled otherwise, from another session, after a restart. */

let harness: Harness | undefined;
const folders: string[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), 'yemot-state-'));
  folders.push(made);
  return made;
};
const sent = (h: Harness, from: number, command: string) => h.since(from).filter((request) => request.command === command);
const tool = (name: string) => TOOLS.find((spec) => spec.name === name)!;

const TTS = { phones: '0501234567:0527654321', ttsMessage: 'שלום לכולם' };

describe('identical spends made at once', () => {
  it('ten concurrent send_tts calls send one request; the others are DUPLICATE_SPEND', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    const before = harness.sandbox.requests.length;
    const results = await Promise.all(Array.from({ length: 10 }, () => harness!.call('send_tts', TTS)));
    expect(results.filter((result) => !result.isError)).toHaveLength(1);
    for (const refused of results.filter((result) => result.isError)) expect(refused.json.error).toBe('DUPLICATE_SPEND');
    expect(sent(harness, before, 'SendTTS')).toHaveLength(1);
  });

  it('ten confirmed calls with ten tokens, fired at once, send one request', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' }, confirm: true });
    const tokens = [];
    for (let i = 0; i < 10; i++) tokens.push(String((await harness.call('send_sms', { message: 'hi', phones: '0501234567' })).json.confirm));
    expect(new Set(tokens).size).toBe(10);
    const before = harness.sandbox.requests.length;
    const results = await Promise.all(tokens.map((confirm) => harness!.call('send_sms', { message: 'hi', phones: '0501234567', confirm })));
    expect(results.filter((result) => !result.isError)).toHaveLength(1);
    expect(results.filter((result) => result.json.error === 'DUPLICATE_SPEND')).toHaveLength(9);
    expect(sent(harness, before, 'SendSms')).toHaveLength(1);
  });

  it('a spend refused by Yemot before work frees its claim at once; an ambiguous failure keeps it as unknown', async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    harness.sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'not enough units' } }, { command: 'SendTTS', times: 1 });
    expect((await harness.call('send_tts', TTS)).json.error).toBe('API_ERROR');
    expect((await harness.call('send_tts', TTS)).isError).toBe(false);
    const other = { ...TTS, ttsMessage: 'שוב' };
    harness.sandbox.injectFault({ kind: 'reset' }, { command: 'SendTTS', times: 1 });
    expect((await harness.call('send_tts', other)).json.outcomeUnknown).toBe(true);
    const again = await harness.call('send_tts', other);
    expect(again.json).toMatchObject({ error: 'DUPLICATE_SPEND', state: 'unknown' });
    expect(String(again.json.message)).toContain('outcome is unknown');
  });
});

describe('one spend, however it is spelled', () => {
  it.each([
    ['a trailing space in the message', { ...TTS, ttsMessage: `${TTS.ttsMessage} ` }],
    ['the message in another Unicode normal form', { ...TTS, ttsMessage: 'café'.normalize('NFD') }],
    ['an explicit default (repeatFile: 2)', { ...TTS, repeatFile: 2 }],
    ['the same number twice', { ...TTS, phones: `${TTS.phones}:0501234567` }],
    ['another order of the numbers', { ...TTS, phones: '0527654321:0501234567' }],
    ['numbers in the international form', { ...TTS, phones: '+972501234567:+972527654321' }],
  ])('%s is refused as a duplicate', async (_what, variant) => {
    harness = await startHarness({ sandbox: { mfa: 'hard' } });
    const first = variant.ttsMessage === 'café'.normalize('NFD') ? { ...TTS, ttsMessage: 'café'.normalize('NFC') } : TTS;
    expect((await harness.call('send_tts', first)).isError).toBe(false);
    const before = harness.sandbox.requests.length;
    expect((await harness.call('send_tts', variant)).json.error).toBe('DUPLICATE_SPEND');
    expect(sent(harness, before, 'SendTTS')).toHaveLength(0);
  });

  it('a number and its string are one value; an explicit default equals an omitted one; other values differ', () => {
    const spec = tool('send_tts');
    const key = (input: Record<string, unknown>) => canonicalArgs(spec, input, []);
    expect(key({ ...TTS, ttsRate: 2 })).toBe(key({ ...TTS, ttsRate: '2' }));
    expect(key({ ...TTS, repeatFile: 2 })).toBe(key(TTS));
    expect(key({ ...TTS, repeatFile: 3 })).not.toBe(key(TTS));
    expect(key({ ...TTS, phones: 'tpl:1' })).not.toBe(key({ ...TTS, phones: 'tpl:2' }));
  });
});

describe('the ledger is the account\'s, not the session\'s', () => {
  it('another session of the same account refuses the repeat; another account does not', async () => {
    const dir = folder();
    harness = await startHarness({ sandbox: { mfa: 'hard', accounts: [{ username: '0774444444', password: 'other-pass-1', mfa: 'passed' }] }, env: { YEMOT_STATE_DIR: dir } });
    expect((await harness.call('send_tts', TTS)).isError).toBe(false);
    const second = await startHarness({ use: harness.sandbox, env: { YEMOT_STATE_DIR: dir } });
    try {
      expect((await second.call('send_tts', TTS)).json.error).toBe('DUPLICATE_SPEND');
    } finally {
      await second.close();
    }
    // The system number names the account: the same system by its password is the same ledger.
    const byPassword = await startHarness({ use: harness.sandbox, auth: 'login', env: { YEMOT_STATE_DIR: dir } });
    try {
      expect((await byPassword.call('send_tts', TTS)).json.error).toBe('DUPLICATE_SPEND');
    } finally {
      await byPassword.close();
    }
    // Another system (a further account of the simulator) is another ledger.
    const other = await startHarness({ use: harness.sandbox, credentials: { username: '0774444444', password: 'other-pass-1' }, env: { YEMOT_STATE_DIR: dir } });
    try {
      expect((await other.call('send_tts', TTS)).isError).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('tenant mode: a client that reconnects after a dropped connection has its repeat refused', async () => {
    const sandbox = await startSandbox({ log: () => undefined, accounts: [{ username: '0773333333', password: 'tenant-pass-1', mfa: 'passed' }] });
    const { handle } = await tenantHost(sandbox, { YEMOT_STATE_DIR: folder() });
    const connect = async () => {
      const client = new Client({ name: 'tenant', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(handle.url), { requestInit: { headers: loginHeaders({ username: '0773333333', password: 'tenant-pass-1' }) } }));
      return client;
    };
    const spend = { name: 'send_sms', arguments: { message: 'שלום', phones: '0501234567', confirm: undefined } };
    try {
      const first = await connect();
      // Tenant mode asks too: a client without forms gets the token, and brings it back.
      const asked = (await first.callTool(spend)) as { content: Array<{ text: string }> };
      const token = JSON.parse(asked.content[0].text).confirm as string;
      const done = (await first.callTool({ ...spend, arguments: { ...spend.arguments, confirm: token } })) as { isError?: boolean };
      expect(done.isError).toBeFalsy();
      await first.close();
      const again = await connect();
      const repeat = (await again.callTool(spend)) as { content: Array<{ text: string }> };
      expect(JSON.parse(repeat.content[0].text).error).toBe('DUPLICATE_SPEND');
      await again.close();
      expect(sandbox.requests.filter((request) => request.command === 'SendSms')).toHaveLength(1);
    } finally {
      await handle.close(0);
      await sandbox.close();
    }
  });
});

describe('the state folder', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('keeps claims across a new store on the same folder, and forgets them after their time', async () => {
    const dir = folder();
    const time = clock();
    const first = new LocalStore({ dir, now: time.now });
    expect(await first.claim('k', 'one', 60_000)).toBeUndefined();
    const second = new LocalStore({ dir, now: time.now });
    expect(await second.claim('k', 'two', 60_000)).toBe('one');
    time.advance(60_001);
    expect(await second.claim('k', 'three', 60_000)).toBeUndefined();
  });

  it('a corrupt file warns once and the store goes on; a folder it cannot write warns and keeps memory', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'promises.log'), `{not json\n${JSON.stringify({ k: 'kept', v: 'x', e: Date.now() + 60_000 })}\n`);
    const warnings: string[] = [];
    const store = new LocalStore({ dir, warn: (message) => warnings.push(message) });
    expect(await store.get('kept')).toBe('x');
    expect(await store.claim('k', 'v', 60_000)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(readFileSync(join(dir, 'promises.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line.startsWith('{not') ? '{}' : line).k)).toContain('k');

    const blocked = join(folder(), 'file-not-folder');
    writeFileSync(blocked, '');
    const lost: string[] = [];
    const memory = new LocalStore({ dir: blocked, warn: (message) => lost.push(message) });
    expect(memory.where).toBe('memory');
    expect(await memory.claim('k', 'v', 60_000)).toBeUndefined();
    expect(await memory.claim('k', 'w', 60_000)).toBe('v');
    expect(lost).toHaveLength(1);
  });

  it('two stores on one folder (two hosts of one account) see each other\'s claims, and the log stays compacted', async () => {
    const dir = folder();
    const a = new LocalStore({ dir, maxEntries: 100 });
    const b = new LocalStore({ dir, maxEntries: 100 });
    for (let i = 0; i < 2000; i++) expect(await (i % 2 ? a : b).claim(`k${i}`, String(i), 60_000)).toBeUndefined();
    expect(await a.claim('k1998', 'other', 60_000)).toBe('1998');
    expect(await b.claim('k1999', 'other', 60_000)).toBe('1999');
    // 2,000 claims, but the file holds a bounded number of lines.
    expect(readFileSync(join(dir, 'promises.log'), 'utf8').trim().split('\n').length).toBeLessThan(1000);
  });

  it('stays bounded: the oldest written go first, whatever their expiry', async () => {
    const store = new LocalStore({ maxEntries: 100 });
    // The first written live longest: a bound by expiry would keep them and drop the newest.
    for (let i = 0; i < 1000; i++) await store.put(`k${i}`, 'v', 60_000 - i);
    expect(await store.get('k999')).toBe('v');
    expect(await store.get('k900')).toBe('v');
    expect(await store.get('k899')).toBeUndefined();
    expect(await store.get('k0')).toBeUndefined();
  });

  it('a claim its holder never settled (the process died mid-request) reads as an unknown outcome', async () => {
    const time = clock();
    const ledger = new SpendLedger(new LocalStore({ now: time.now }), { windowMs: 600_000, staleClaimMs: 60_000, now: time.now });
    const spec = tool('send_sms');
    const input = { message: 'hi', phones: '0501234567' };
    const first = await ledger.claim('acct', spec, input, false);
    expect('claim' in first).toBe(true);
    expect(await ledger.previous('acct', spec, input)).toMatchObject({ state: 'claimed' });
    time.advance(60_001);
    expect(await ledger.previous('acct', spec, input)).toMatchObject({ state: 'unknown' });
    expect(await ledger.previous('other-account', spec, input)).toBeUndefined();
  });

  it('only the holder of a claim releases it', async () => {
    const ledger = new SpendLedger(new LocalStore(), { windowMs: 600_000, staleClaimMs: 60_000 });
    const spec = tool('send_sms');
    const input = { message: 'hi', phones: '0501234567' };
    const mine = await ledger.claim('acct', spec, input, false);
    const forced = await ledger.claim('acct', spec, input, true);
    if (!('claim' in mine) || !('claim' in forced)) throw new Error('expected claims');
    await mine.claim.release();
    expect(await ledger.previous('acct', spec, input)).toMatchObject({ state: 'claimed' });
    await forced.claim.sent();
    expect(await ledger.previous('acct', spec, input)).toMatchObject({ state: 'sent' });
  });
});

describe('confirmation tokens', () => {
  it('are bound to their call, expire, and are spent once, across stores that share a folder', async () => {
    let now = 5_000_000;
    const dir = folder();
    const key = Buffer.alloc(32, 7);
    const issuing = new ConfirmationTokens(key, new LocalStore({ dir, now: () => now }), 600_000, () => now);
    const other = new ConfirmationTokens(key, new LocalStore({ dir, now: () => now }), 600_000, () => now);
    const { token } = issuing.issue('call A');
    expect(await other.redeem(token, 'call B')).toBe('mismatch');
    expect(await new ConfirmationTokens(Buffer.alloc(32, 8), new LocalStore(), 600_000, () => now).redeem(token, 'call A')).toBe('mismatch');
    expect(await other.redeem(token, 'call A')).toBe('ok');
    expect(await issuing.redeem(token, 'call A')).toBe('used');
    const late = issuing.issue('call A').token;
    now += 600_001;
    expect(await issuing.redeem(late, 'call A')).toBe('expired');
  });
});
