import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RecordedRequest, type Sandbox } from '../src/sandbox/index.js';
import { MASK } from '../src/core/secrets.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';
import { replacedFields } from './wire.js';

/**
 * The account and its sessions (issue 15), through a real MCP client against the simulator: what reached it,
 * what the agent and the person see, and what happens to this server's own session.
 */

const quiet = () => undefined;
const OTHER_SYSTEM = '0779999999';
const withoutToken = ({ token: _token, ...rest }: Record<string, unknown>) => rest;
const sentAs = (requests: RecordedRequest[], command: string) => requests.filter((request) => request.command === command);
const isPassProbes = (requests: RecordedRequest[]) => requests.filter((request) => request.command === 'MFASession' && request.params.action === 'isPass');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('account and security tools against the simulator', () => {
  let sandbox: Sandbox;
  const open: Harness[] = [];
  async function harness(options: HarnessOptions = {}): Promise<Harness> {
    const started = await startHarness({ use: sandbox, ...options });
    open.push(started);
    return started;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ mfa: 'hard', log: quiet });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((started) => started.close()));
    sandbox.reset();
  });
  afterAll(() => sandbox.close());

  describe('SetCustomerDetails replaces every stored field, so the tool sends them all', () => {
    it('one field given: all ten sent, the others as stored; the answer shows the profile as it now is', async () => {
      const server = await harness();
      const stored = { ...sandbox.account.profile };
      const fields = replacedFields('SetCustomerDetails')!;
      expect(fields).toHaveLength(10);
      const before = sandbox.requests.length;
      const result = await server.call('set_customer_details', { email: 'new-office@example.co.il' });
      expect(result.isError, result.text).toBe(false);

      const [request, ...more] = sentAs(server.since(before), 'SetCustomerDetails');
      expect(more).toHaveLength(0);
      const expected = { ...stored, email: 'new-office@example.co.il' };
      expect(Object.keys(withoutToken(request.params)).sort()).toEqual([...fields].sort());
      expect(withoutToken(request.params)).toEqual(Object.fromEntries(fields.map((field) => [field, expected[field as keyof typeof expected]])));
      // The demo's own values, spelled out: the others really were kept (the line passwords included, unchanged).
      expect(request.params).toMatchObject({ name: 'ישיבת אור החיים', fax: '026543210', accessPassword: 'SBX-LINE-ACCESS-4817', recordPassword: 'SBX-LINE-RECORD-9263' });
      expect(sandbox.account.profile).toEqual(expected);

      const now = result.json.now as Record<string, unknown>;
      expect(now).toMatchObject({ email: 'new-office@example.co.il', name: 'ישיבת אור החיים', organization: 'עמותת אור החיים', invoiceAddress: 'רחוב הרצל 1, ירושלים' });
      expect(now.accessPassword).toBe(MASK);
      expect(now.recordPassword).toBe(MASK);
    });

    it('a line-password change without YEMOT_REVEAL_SECRETS=1 is NOT_ALLOWED and nothing is sent', async () => {
      const server = await harness();
      const before = sandbox.requests.length;
      for (const args of [{ accessPassword: 'NEW-ACCESS-1' }, { email: 'x@example.co.il', recordPassword: 'NEW-RECORD-1' }]) {
        const result = await server.call('set_customer_details', args);
        expect(result.isError).toBe(true);
        expect(result.json.error, result.text).toBe('NOT_ALLOWED');
        expect(result.text).toContain('YEMOT_REVEAL_SECRETS=1');
      }
      // Refused before anything is sent: no two-factor probe, no profile read, no write.
      expect(server.since(before)).toEqual([]);
      expect(sandbox.account.profile.accessPassword).toBe('SBX-LINE-ACCESS-4817');
      expect(sandbox.account.profile.email).toBe('office@example.org');
    });

    it('with the opt-in, a line password changes and the other fields stay', async () => {
      const server = await harness({ env: { YEMOT_REVEAL_SECRETS: '1' } });
      const result = await server.call('set_customer_details', { accessPassword: 'NEW-ACCESS-2' });
      expect(result.isError, result.text).toBe(false);
      expect(sandbox.account.profile).toMatchObject({ accessPassword: 'NEW-ACCESS-2', recordPassword: 'SBX-LINE-RECORD-9263', email: 'office@example.org' });
    });
  });

  describe("this server's own session", () => {
    async function ownSessionId(server: Harness): Promise<number> {
      const listed = await server.call('read_security', { command: 'GetAllSessions' });
      expect(listed.isError, listed.text).toBe(false);
      const mine = (listed.json.data as Array<Record<string, unknown>>).filter((row) => row.thisServer === true);
      expect(mine, listed.text).toHaveLength(1);
      // The mark is right: the simulator's session with the token this server uses.
      const token = await server.app.ctx.session.currentToken();
      expect(mine[0].id).toBe(sandbox.account.sessions.find((session) => session.token === token)!.id);
      expect(mine[0].token).toBe(MASK);
      return Number(mine[0].id);
    }

    const kills = [
      ['KillSession of its own id', async (server: Harness) => ({ command: 'KillSession', SessionId: await ownSessionId(server) })],
      ['KillAllSessions', async () => ({ command: 'KillAllSessions' })],
    ] as const;

    it.each(kills)('%s, username/password: the next call logs in once and succeeds', async (_title, argsOf) => {
      const server = await harness({ auth: 'login' });
      const killed = await server.call('kill_sessions', await argsOf(server));
      expect(killed.isError, killed.text).toBe(false);
      const before = sandbox.requests.length;
      const next = await server.call('read_account', { command: 'GetSession' });
      expect(next.isError, next.text).toBe(false);
      expect(sentAs(server.since(before), 'Login')).toHaveLength(1);
    });

    it.each(kills)('%s, token: the next call answers SESSION_EXPIRED and says why', async (_title, argsOf) => {
      const server = await harness();
      const killed = await server.call('kill_sessions', await argsOf(server));
      expect(killed.isError, killed.text).toBe(false);
      const before = sandbox.requests.length;
      const next = await server.call('read_account', { command: 'GetSession' });
      expect(next.json.error, next.text).toBe('SESSION_EXPIRED');
      expect(String(next.json.next)).toMatch(/30 minutes without a call/);
      expect(String(next.json.next)).toMatch(/killed/);
      expect(sentAs(server.since(before), 'Login')).toHaveLength(0);
    });

    it('the confirmation says whether this server\'s own session ends', async () => {
      const asked: string[] = [];
      const server = await harness({
        capabilities: { elicitation: { form: {} } },
        onElicit: (request: ElicitRequest['params']) => {
          asked.push(request.message);
          return { action: 'decline' };
        },
      });
      const own = await ownSessionId(server);
      const other = sandbox.account.sessions.find((session) => session.id !== own)!.id;
      await server.call('kill_sessions', { command: 'KillSession', SessionId: other });
      await server.call('kill_sessions', { command: 'KillSession', SessionId: own });
      await server.call('kill_sessions', { command: 'KillAllSessions' });
      expect(asked).toHaveLength(3);
      expect(asked[0]).toMatch(/not this server's own session/);
      // Which session it is, in the person's terms (it may be their own browser): kind, address, last use.
      const row = sandbox.account.sessions.find((session) => session.id === other)!;
      expect(asked[0]).toContain(`Session ${other}: ${row.sessionType} from ${row.remoteIP}, opened `);
      expect(asked[0]).toMatch(/, last used \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\./);
      expect(asked[2]).toMatch(new RegExp(`^[^]*${sandbox.account.sessions.length} session\\(s\\) end\\.`));
      for (const message of asked.slice(1)) expect(message).toMatch(/this server's own session ends too[^]*SESSION_EXPIRED/i);
      expect(sentAs(sandbox.requests, 'KillSession')).toHaveLength(0);
    });
  });

  describe('TransferUnits', () => {
    it('too large an amount: the documented 113 refusal with its meaning, one request (an operator who turned confirmation off)', async () => {
      const server = await harness();
      const units = sandbox.account.units;
      const before = sandbox.requests.length;
      const result = await server.call('transfer_units', { destination: OTHER_SYSTEM, amount: units + 1 });
      expect(result.isError).toBe(true);
      expect(result.json, result.text).toMatchObject({ messageCode: 113, meaning: expect.stringMatching(/Not enough balance\. Nothing was moved/) });
      expect(sentAs(server.since(before), 'TransferUnits')).toHaveLength(1);
      expect(sandbox.account.units).toBe(units);
    });

    it('the question shows the balance after the transfer, and an amount past it is refused before anyone is asked', async () => {
      const server = await harness({ confirm: true });
      const units = sandbox.account.units;
      const asked = await server.call('transfer_units', { destination: OTHER_SYSTEM, amount: 5 });
      expect(asked.json.preview).toMatchObject({ balance: { unit: 'units', now: units, after: units - 5 } });
      const before = sandbox.requests.length;
      const refused = await server.call('transfer_units', { destination: OTHER_SYSTEM, amount: units + 1 });
      expect(refused.json, refused.text).toMatchObject({ error: 'INSUFFICIENT_UNITS', needed: units + 1, balance: units });
      expect(sentAs(server.since(before), 'TransferUnits')).toHaveLength(0);
    });

    it('a form-capable client sees the destination and the amount before anything is sent', async () => {
      const asked: string[] = [];
      const server = await harness({
        capabilities: { elicitation: { form: {} } },
        onElicit: (request: ElicitRequest['params']) => {
          asked.push(request.message);
          return { action: 'accept', content: { confirm: true } };
        },
      });
      const result = await server.call('transfer_units', { destination: OTHER_SYSTEM, amount: 37 });
      expect(result.isError, result.text).toBe(false);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain(OTHER_SYSTEM);
      expect(asked[0]).toMatch(/\b37 units\b/);
      expect(sandbox.account.otherSystems[OTHER_SYSTEM].units).toBe(120 + 37);
    });
  });

  describe('SetPassword', () => {
    it('username/password: the answer warns that YEMOT_PASSWORD is now stale', async () => {
      const server = await harness({ auth: 'login' });
      const result = await server.call('set_password', { password: 'sandbox-password', newPassword: 'N3w-sandbox-password' });
      expect(result.isError, result.text).toBe(false);
      expect(String(result.json.warning)).toMatch(/YEMOT_PASSWORD[^]*stale/);
    });

    it('token: no such warning (the token is unaffected)', async () => {
      const server = await harness();
      const result = await server.call('set_password', { password: 'sandbox-password', newPassword: 'N3w-sandbox-password' });
      expect(result.isError, result.text).toBe(false);
      expect(result.json.warning).toBeUndefined();
    });
  });

  describe('keep-alive', () => {
    const KEEP_ALIVE_MS = 100;

    it('username/password: after keepAliveMs idle, exactly one MFASession isPass keeps the session alive', async () => {
      const server = await harness({ auth: 'login', keepAliveMs: KEEP_ALIVE_MS });
      const callFrom = Date.now();
      expect((await server.call('read_account', { command: 'GetSession' })).isError).toBe(false);
      const before = sandbox.requests.length;
      for (let waited = 0; isPassProbes(server.since(before)).length === 0 && waited < 2000; waited += 10) await sleep(10);
      const probes = isPassProbes(server.since(before));
      // Not sooner than keepAliveMs after the call's last request went out (a timer never fires early).
      expect(Date.now() - callFrom).toBeGreaterThanOrEqual(KEEP_ALIVE_MS);
      expect(probes).toHaveLength(1);
      expect(server.since(before).map((request) => request.command)).toEqual(['MFASession']);
      expect(probes[0].params.token).toBe(await server.app.ctx.session.currentToken());
    });

    it('token: none', async () => {
      const server = await harness({ keepAliveMs: KEEP_ALIVE_MS / 2 });
      expect((await server.call('read_account', { command: 'GetSession' })).isError).toBe(false);
      const before = sandbox.requests.length;
      await sleep(KEEP_ALIVE_MS * 1.5);
      expect(server.since(before)).toHaveLength(0);
    });
  });
});
