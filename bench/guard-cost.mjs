// The cost of issue 24's guards on a spend, in this process: claiming and settling the spend in the account's
// ledger (in memory, and in a state folder written on every change), and issuing and redeeming a confirmation
// token. Compared with the per-call median of a spend through the whole server (an in-memory MCP client, the
// built server, the simulator in this process), measured in the same run. Run: npm run build && node bench/guard-cost.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createApp } from '../dist/app/app.js';
import { LocalStore } from '../dist/app/local-store.js';
import { ConfirmationTokens } from '../dist/call/confirm-token.js';
import { SpendLedger } from '../dist/call/spend-guard.js';
import { loadConfig } from '../dist/config.js';
import { startSandbox } from '../dist/sandbox/index.js';
import { createServer } from '../dist/server.js';
import { TOOLS } from '../dist/tools/index.js';

const N = Number(process.env.BENCH_GUARD_N ?? 2000);
const median = (samples) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const spec = TOOLS.find((tool) => tool.name === 'send_sms');

async function timeEach(n, run) {
  const samples = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function guardCost(store) {
  const ledger = new SpendLedger(store, { windowMs: 300_000, staleClaimMs: 600_000 });
  const tokens = new ConfirmationTokens(Buffer.alloc(32, 1), store, 600_000);
  const ledgerMs = await timeEach(N, async (i) => {
    const input = { message: `m${i}`, phones: '0501234567' };
    await ledger.previous('bench|0770000000', spec, input);
    const claimed = await ledger.claim('bench|0770000000', spec, input, false);
    await claimed.claim.sent();
  });
  const tokenMs = await timeEach(N, async (i) => {
    const { token } = tokens.issue(`binding ${i}`);
    await tokens.redeem(token, `binding ${i}`);
  });
  return { ledgerMs, tokenMs };
}

async function spendCallMs() {
  const sandbox = await startSandbox({ log: () => undefined });
  const config = loadConfig(['--toolsets', 'all'], { YEMOT_CONFIRM: '0', YEMOT_DUPLICATE_WINDOW_SECONDS: '0' });
  const app = createApp(config, { apiUrl: sandbox.url, credentials: { token: sandbox.token } });
  const server = createServer({ ctx: app.ctx, tools: app.tools, version: 'bench' });
  const client = new Client({ name: 'bench', version: '1' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(b), client.connect(a)]);
  for (let i = 0; i < 50; i++) await client.callTool({ name: 'send_sms', arguments: { message: `warm ${i}`, phones: '0501234567' } });
  const ms = await timeEach(Math.min(N, 500), (i) => client.callTool({ name: 'send_sms', arguments: { message: `m${i}`, phones: '0501234567' } }));
  await client.close();
  await app.close();
  await sandbox.close();
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'yemot-bench-state-'));
try {
  const call = await spendCallMs();
  const memory = await guardCost(new LocalStore());
  const folder = await guardCost(new LocalStore({ dir }));
  const pct = (ms) => `${((ms / call) * 100).toFixed(1)}%`;
  const rows = [
    ['spend call, whole server (send_sms, in-memory client, simulator in process)', call.toFixed(3), ''],
    ['ledger: previous + claim + sent, in memory', memory.ledgerMs.toFixed(3), pct(memory.ledgerMs)],
    ['ledger: previous + claim + sent, state folder (file written per change)', folder.ledgerMs.toFixed(3), pct(folder.ledgerMs)],
    ['confirmation token: issue + redeem, in memory', memory.tokenMs.toFixed(3), pct(memory.tokenMs)],
    ['confirmation token: issue + redeem, state folder', folder.tokenMs.toFixed(3), pct(folder.tokenMs)],
  ];
  process.stdout.write(`| what | median ms | of a spend call |\n|---|---:|---:|\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
