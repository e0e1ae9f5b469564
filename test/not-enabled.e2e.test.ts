import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { startHarness } from './harness.js';

/**
 * Issue 29: a default install hides most of the API. Through a real MCP client, what is off is said: the instructions
 * name each toolset that is off, and a call of a tool that exists but is off answers NOT_ENABLED with its toolset and
 * the setting that serves it, never a protocol error, and sends nothing.
 */

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
});
afterAll(() => sandbox.close());

async function withServer<T>(argv: string[], env: Record<string, string>, run: (harness: Awaited<ReturnType<typeof startHarness>>) => Promise<T>): Promise<T> {
  const harness = await startHarness({ use: sandbox, argv, env });
  try {
    return await run(harness);
  } finally {
    await harness.close();
  }
}

describe('a default install', () => {
  it('tells the agent in its instructions which toolsets are off and what each adds', async () => {
    await withServer([], {}, async ({ client }) => {
      const instructions = client.getInstructions() ?? '';
      expect(instructions).toMatch(/^- caller_ids: Approved caller IDs and secondary numbers$/m);
      expect(instructions).toMatch(/^- sip: SIP accounts/m);
      expect(instructions).not.toMatch(/^- (campaigns|files|sms|tzintuk|account|mfa):/m);
      expect(instructions).toContain('NOT_ENABLED');
    });
  });

  it('answers a call of an off tool with NOT_ENABLED naming its toolset and YEMOT_TOOLSETS, and sends nothing', async () => {
    await withServer([], {}, async (harness) => {
      const before = sandbox.requests.length;
      const refused = await harness.call('get_approved_caller_ids');
      expect(refused.isError).toBe(true);
      expect(refused.json).toMatchObject({ error: 'NOT_ENABLED', tool: 'get_approved_caller_ids', toolset: 'caller_ids', settings: ['YEMOT_TOOLSETS'] });
      expect(String(refused.json.message)).toMatch(/Approved caller IDs.*toolset caller_ids.*off/);
      expect(String(refused.json.next)).toMatch(/YEMOT_TOOLSETS=default,caller_ids/);
      expect(String(refused.json.next)).toMatch(/YEMOT_TOOLS/);
      expect(String(refused.json.next)).toMatch(/Tool groups/);
      expect(sandbox.requests.slice(before)).toHaveLength(0);
    });
  });
});

describe('the other settings that hide a tool', () => {
  it('names YEMOT_EXCLUDE_TOOLS for an excluded tool, and serves a tool named in YEMOT_TOOLS', async () => {
    await withServer([], { YEMOT_TOOLSETS: 'default', YEMOT_EXCLUDE_TOOLS: 'send_sms', YEMOT_TOOLS: 'list_sip_accounts' }, async (harness) => {
      const excluded = await harness.call('send_sms', { message: 'x', phones: '0501234567' });
      expect(excluded.json).toMatchObject({ error: 'NOT_ENABLED', toolset: 'sms', settings: ['YEMOT_EXCLUDE_TOOLS'] });
      const named = await harness.call('list_sip_accounts');
      expect(named.isError, named.text).toBe(false);
      expect(harness.client.getInstructions()).toMatch(/^- sip: .*\(on: list_sip_accounts\)$/m);
    });
  });

  it('names every setting when more than one hides it', async () => {
    await withServer(['--read-only'], {}, async (harness) => {
      const refused = await harness.call('delete_sip_account', { accountNumber: 3 });
      expect(refused.json).toMatchObject({ error: 'NOT_ENABLED', toolset: 'sip', settings: ['YEMOT_TOOLSETS', 'YEMOT_ALLOW'] });
      expect(String(refused.json.message)).toMatch(/deletes, and the operator allows only read \(read-only\)/);
      // Each effect left out with tools it would serve, and what the owner's operator changes (an agent could not tell).
      expect(harness.client.getInstructions()).toMatch(/Not allowed here, so not listed: write \((?!mfa_)[a-z_]+, [a-z_]+, [a-z_]+, …\); irreversible; delete \(upload_phone_list, reset_tzintuk_list\); spend \(send_tts, run_campaign, send_sms, …\)\. The operator adds them to YEMOT_ALLOW; calling such a tool answers NOT_ENABLED with the setting\./);
    });
  });
});
