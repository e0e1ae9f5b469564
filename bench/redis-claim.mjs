#!/usr/bin/env node
// Issue 32: what the fleet's ledger (YEMOT_REDIS_URL) adds to a spend. The same send_sms calls, each a new spend,
// go through the whole call (validate ... claim, send, settle ... present) against an in-process simulator, with
// the ledger in memory and in a redis-server on loopback, interleaved one for one. Target: at most 1 ms more at
// the median. `npm run bench` runs it (bench/run.mjs: a row of its targets); run alone (after `npm run build`) it prints its result.
//   BENCH_REDIS_SPENDS (500)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { fmt, median } from './lib.mjs';

export const REDIS_TARGET_MS = 1;

const dist = (file) => import(new URL(`../dist/${file}`, import.meta.url).href);

function findRedisServer() {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => path.join(dir, 'redis-server')).find((file) => existsSync(file));
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startRedis(program) {
  const port = await freePort();
  const child = spawn(program, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let tries = 0; tries < 400; tries++) {
    const open = await new Promise((resolve) => connect(port, '127.0.0.1', function () { this.destroy(); resolve(true); }).once('error', () => resolve(false)));
    if (open) return { port, stop: () => child.kill('SIGKILL') };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start within 10 s');
}

/** Median ms per spend with the ledger in memory and in Redis, and what Redis adds; `{ skipped }` without redis-server. */
export async function benchRedisClaim({ spends = Number(process.env.BENCH_REDIS_SPENDS ?? 500), warmup = 50 } = {}) {
  const program = findRedisServer();
  if (!program) return { skipped: 'redis-server is not installed (Debian: apt-get install redis-server)' };
  const [{ startSandbox }, { createApp }, { loadConfig }, { RedisStore }, { runTool }, { NO_INTERACTION }, { Logger }] = await Promise.all(
    ['sandbox/index.js', 'app/app.js', 'config.js', 'app/redis-store.js', 'call/run.js', 'call/interaction.js', 'core/log.js'].map(dist),
  );
  const sandbox = await startSandbox({ log: () => {}, record: false });
  const redis = await startRedis(program);
  const store = new RedisStore({ host: '127.0.0.1', port: redis.port, tls: false });
  const config = loadConfig([], { YEMOT_CONFIRM: '0' });
  const quiet = new Logger('emergency', () => {});
  const apps = {
    memory: createApp(config, { apiUrl: sandbox.url, credentials: { token: sandbox.token }, log: quiet }),
    redis: createApp(config, { apiUrl: sandbox.url, credentials: { token: sandbox.token }, log: quiet, store }),
  };
  const samples = { memory: [], redis: [], ping: [] };
  try {
    for (let i = 0; i < warmup + spends; i++) {
      // Alternating which goes first, so neither always meets a warmer path.
      for (const kind of i % 2 ? ['memory', 'redis'] : ['redis', 'memory']) {
        const app = apps[kind];
        const spec = app.tools.find((tool) => tool.name === 'send_sms');
        const started = performance.now();
        const outcome = await runTool(app.ctx, spec, { message: `bench ${kind} ${i}`, phones: '0501234567' }, NO_INTERACTION);
        const ms = performance.now() - started;
        if (outcome.isError) throw new Error(`send_sms (${kind}): ${outcome.content[0].text}`);
        if (i >= warmup) samples[kind].push(ms);
      }
      // One bare round trip to Redis: what each of a spend's three store operations (read, claim, settle) costs at least.
      const started = performance.now();
      await store.ready();
      if (i >= warmup) samples.ping.push(performance.now() - started);
    }
  } finally {
    await Promise.all(Object.values(apps).map((app) => app.close()));
    store.close();
    redis.stop();
    await sandbox.close();
  }
  const memoryMs = median(samples.memory);
  const redisMs = median(samples.redis);
  const roundTripMs = median(samples.ping);
  const load = os.loadavg()[0];
  return { spends, memoryMs, redisMs, addedMs: redisMs - memoryMs, roundTripMs, load, targetMs: REDIS_TARGET_MS, met: redisMs - memoryMs <= REDIS_TARGET_MS };
}

/** One line for BENCHMARKS.md. */
export const describeRedisClaim = (result) =>
  result.skipped
    ? `Redis ledger: not measured (${result.skipped})`
    : `Redis ledger: a spend takes ${fmt(result.redisMs, 2)} ms at the median with the ledger in Redis on loopback, ${fmt(result.memoryMs, 2)} ms in memory: +${fmt(result.addedMs, 2)} ms (target ≤ ${result.targetMs} ms: ${result.met ? 'met' : 'NOT met'}; ${result.spends} spends each; one round trip to Redis ${fmt(result.roundTripMs, 3)} ms; load average ${fmt(result.load, 1)} on ${os.cpus().length} cores)`;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchRedisClaim();
  console.log(describeRedisClaim(result));
  console.log(JSON.stringify(result));
}
