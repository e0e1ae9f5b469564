import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';

/**
 * Issue 24: a restarted server remembers the spends of the account. The built server runs against a simulator
 * it does not own (as against the real API), with a state folder; it is killed without warning after a spend,
 * started again, and the same spend is refused before anything is sent.
 */

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const SMS = { message: 'נשלח פעם אחת בלבד', phones: '0501234567:0527654321' };

let sandbox: Sandbox;
let stateDir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined });
  stateDir = mkdtempSync(join(tmpdir(), 'yemot-restart-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(stateDir, { recursive: true, force: true });
});

async function server(): Promise<{ client: Client; transport: StdioClientTransport }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [entry],
    env: { PATH: process.env.PATH ?? '', YEMOT_API_URL: sandbox.url, YEMOT_TOKEN: sandbox.token, YEMOT_STATE_DIR: stateDir, YEMOT_CONFIRM: '0' },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'restart', version: '1' });
  await client.connect(transport);
  return { client, transport };
}

const text = (result: unknown) => JSON.parse((result as { content: Array<{ text: string }> }).content[0].text) as Record<string, unknown>;

describe('the ledger of spends across a restart', () => {
  it('a spend, a kill -9, a new server: the same spend is DUPLICATE_SPEND and Yemot saw it once', async () => {
    const first = await server();
    const sent = await first.client.callTool({ name: 'send_sms', arguments: SMS });
    expect(sent.isError, JSON.stringify(sent)).toBeFalsy();
    process.kill(first.transport.pid!, 'SIGKILL');
    await first.client.close().catch(() => undefined);

    const second = await server();
    try {
      const repeat = await second.client.callTool({ name: 'send_sms', arguments: { ...SMS, phones: '0527654321:0501234567' } });
      expect(text(repeat)).toMatchObject({ error: 'DUPLICATE_SPEND', state: 'sent' });
      expect(sandbox.requests.filter((request) => request.command === 'SendSms')).toHaveLength(1);
      // repeat: true is the person's way past it, and it is one more request.
      expect((await second.client.callTool({ name: 'send_sms', arguments: { ...SMS, repeat: true } })).isError).toBeFalsy();
      expect(sandbox.requests.filter((request) => request.command === 'SendSms')).toHaveLength(2);
    } finally {
      await second.client.close();
    }
  });
});
