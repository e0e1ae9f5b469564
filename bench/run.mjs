#!/usr/bin/env node
// yemot-mcp benchmark (issues 6 and 30). Run with `npm run bench` (builds first). Writes BENCHMARKS.md and
// bench/results.json, the sentences that compare the figures included: nothing in BENCHMARKS.md is written by hand.
//
// Knobs (environment, for quick local runs; the defaults are what BENCHMARKS.md reports):
//   BENCH_COLD_REPS (15)  BENCH_CALLS (2000)  BENCH_MEMORY_CALLS (10000)  BENCH_QUICK=1 (small counts, no BENCHMARKS.md)
//   BENCH_ONLY=cold,stdio,http,transfers,throughput,memory,redis (some sections only, no BENCHMARKS.md)
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { fakeApi, MB, measureTransfer } from './big-transfers.mjs';
import {
  cleanEnv,
  coldStart,
  connectHttp,
  connectStdio,
  cpuMs,
  EVERYTHING_MAIN,
  FLOOR_MAIN,
  RELAY_MAIN,
  fmt,
  heapCensus,
  machine,
  median,
  rssMb,
  runConcurrent,
  sleep,
  startSimProcess,
  summarize,
  takeHeapSnapshot,
  YEMOT_MAIN,
} from './lib.mjs';
import { benchRedisClaim, describeRedisClaim } from './redis-claim.mjs';

const QUICK = process.env.BENCH_QUICK === '1';
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const runs = (section) => !ONLY || ONLY.has(section);
const COLD_REPS = Number(process.env.BENCH_COLD_REPS ?? (QUICK ? 3 : 15));
const CALLS = Number(process.env.BENCH_CALLS ?? (QUICK ? 300 : 2000));
const WARMUP_CALLS = QUICK ? 50 : 300;
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? (QUICK ? 1000 : 10_000));
const THROUGHPUT = [
  { inFlight: 1, calls: QUICK ? 100 : 300 },
  { inFlight: 8, calls: QUICK ? 400 : 2000 },
  { inFlight: 64, calls: QUICK ? 600 : 3000 },
];
const SIM_LATENCY_MS = 5;
const API_CAP = 6; // yemot-mcp's default YEMOT_MAX_CONCURRENCY; the bench does not set it
const FILE_BYTES = (QUICK ? 40 : 200) * MB;
const ANSWER_BYTES = (QUICK ? 20 : 100) * MB;
/** Issue 30's goals (and issue 6's leak checks), each judged below on this run's figures. */
const GOALS = { coldStart: 1.25, stdioCall: 1.1, httpCpu: 1.2, transferAddedMb: 32, answerPeakTimes: 3, liveHeapMb: 1, rssOverRelayMb: 10 };

const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RESULTS_JSON = fileURLToPath(new URL('./results.json', import.meta.url));

const progress = (text) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${text}\n`);
const started = performance.now();

if (!existsSync(YEMOT_MAIN)) {
  console.error('dist/main.js is missing: run `npm run bench` (it builds first).');
  process.exit(1);
}
const { startSandbox } = await import('../dist/sandbox/index.js');
const quiet = () => {};

// ---------------------------------------------------------------- cold start

/**
 * Spawn to the answer of tools/list. yemot-mcp in each mode: with the sandbox, and against a real API URL (the
 * simulator in a process of its own; start-up sends it nothing with a token), each with the default toolsets and with
 * every toolset. Interleaved with the floor and the peer, the order rotating every repetition.
 */
async function benchColdStart() {
  const sim = await startSimProcess();
  const api = cleanEnv({ YEMOT_TOKEN: sim.token, YEMOT_API_URL: sim.url });
  const variants = [
    { key: 'floor', label: 'floor: one-tool SDK server (bench/floor-server.mjs)', args: [FLOOR_MAIN], env: cleanEnv() },
    { key: 'peer', label: 'peer: server-everything stdio', args: [EVERYTHING_MAIN, 'stdio'], env: cleanEnv() },
    { key: 'sandboxDefault', label: 'yemot-mcp --sandbox (default toolsets)', args: [YEMOT_MAIN, '--sandbox'], env: cleanEnv(), yemot: true },
    { key: 'sandboxAll', label: 'yemot-mcp --sandbox --toolsets all', args: [YEMOT_MAIN, '--sandbox', '--toolsets', 'all'], env: cleanEnv(), yemot: true },
    { key: 'apiDefault', label: 'yemot-mcp, API URL (default toolsets)', args: [YEMOT_MAIN], env: api, yemot: true },
    { key: 'apiAll', label: 'yemot-mcp --toolsets all, API URL', args: [YEMOT_MAIN, '--toolsets', 'all'], env: api, yemot: true },
  ];
  const samples = Object.fromEntries(variants.map((v) => [v.key, { init: [], list: [], cpu: [] }]));
  const tools = {};
  try {
    // One untimed pass warms the page cache for every variant.
    for (const variant of variants) tools[variant.key] = (await coldStart(variant.args, variant.env)).tools;
    for (let rep = 0; rep < COLD_REPS; rep++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(rep + i) % variants.length];
        const run = await coldStart(variant.args, variant.env);
        samples[variant.key].init.push(run.initMs);
        samples[variant.key].list.push(run.listMs);
        samples[variant.key].cpu.push(run.cpuMs);
      }
      progress(`cold start: repetition ${rep + 1}/${COLD_REPS}`);
    }
  } finally {
    await sim.close();
  }
  const result = {};
  for (const v of variants) result[v.key] = { label: v.label, yemot: !!v.yemot, list: summarize(samples[v.key].list), init: summarize(samples[v.key].init), cpu: summarize(samples[v.key].cpu) };
  return { result, tools };
}

// ---------------------------------------------------------------- context size

function contextOf(tools) {
  const perTool = tools.map((tool) => countO200k(JSON.stringify(tool)));
  return {
    tools: tools.length,
    bytes: Buffer.byteLength(JSON.stringify(tools)),
    o200k: countO200k(JSON.stringify(tools)),
    cl100k: countCl100k(JSON.stringify(tools)),
    medianPerTool: median(perTool),
    maxPerTool: Math.max(...perTool),
    largest: tools[perTool.indexOf(Math.max(...perTool))]?.name,
  };
}

// ---------------------------------------------------------------- big transfers

/** Issue 30's big transfers, each on a server of its own, RSS sampled every 10 ms (bench/big-transfers.mjs). */
async function benchTransfers() {
  const api = await fakeApi({ fileBytes: FILE_BYTES, answerBytes: ANSWER_BYTES });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yemot-mcp-bench-transfers-'));
  writeFileSync(path.join(dir, 'small.wav'), Buffer.alloc(1024, 1));
  writeFileSync(path.join(dir, 'big.wav'), Buffer.alloc(FILE_BYTES, 1));
  const cases = [
    { key: 'saveTo', label: `download_file of ${FILE_BYTES / MB} MB with saveTo`, bytes: FILE_BYTES, tool: 'download_file', small: { path: '1/small.wav', saveTo: 'got-small.wav' }, big: { path: '1/000.wav', saveTo: 'got-big.wav' } },
    { key: 'upload', label: `upload_file of ${FILE_BYTES / MB} MB from localFile`, bytes: FILE_BYTES, tool: 'upload_file', small: { path: '1/001.wav', localFile: 'small.wav' }, big: { path: '1/000.wav', localFile: 'big.wav' } },
    { key: 'answer', label: `read_ivr GetIVR2Dir answering ${ANSWER_BYTES / MB} MB (YEMOT_MAX_RESPONSE_BYTES 256 MiB)`, bytes: ANSWER_BYTES, tool: 'read_ivr', small: { command: 'GetIVR2Dir', path: 'small' }, big: { command: 'GetIVR2Dir', path: '1' } },
  ];
  const result = {};
  try {
    for (const c of cases) {
      const measured = await measureTransfer({ entry: YEMOT_MAIN, api, dir, tool: c.tool, small: c.small, big: c.big });
      if (measured.result.isError) throw new Error(`${c.tool}: ${JSON.stringify(measured.result.content).slice(0, 300)}`);
      result[c.key] = { label: c.label, bytes: c.bytes, before: measured.before / MB, peak: measured.peak / MB, added: measured.added / MB, seconds: measured.ms / 1000 };
      rmSync(path.join(dir, 'got-big.wav'), { force: true });
      rmSync(path.join(dir, 'got-small.wav'), { force: true });
      progress(`transfers: ${c.key}`);
    }
    return result;
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- per-call cost

function directCaller(sim, dispatcher) {
  const url = `${sim.url}GetApprovedCallerIDs`;
  const body = `token=${encodeURIComponent(sim.token)}`;
  return async () => {
    const response = await request(url, { method: 'POST', dispatcher, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const answer = await response.body.json();
    if (answer.responseStatus !== 'OK') throw new Error(`direct GetApprovedCallerIDs: ${JSON.stringify(answer)}`);
    return answer;
  };
}

/**
 * Sequential calls, interleaved one at a time: each round calls every server once, in an order that rotates every
 * round, so load on the shared machine falls on all alike. The server CPU per call is the CPU each process used over
 * the whole run divided by its calls (a server between calls is idle). The simulator runs in a process of its own
 * (bench/sim-process.mjs), a real API URL to yemot-mcp and the relay.
 */
async function benchCalls(transport, calls = CALLS) {
  const sim = await startSimProcess();
  const connect = transport === 'stdio' ? (args, env) => connectStdio(args, env) : (args, env) => connectHttp([...args, ...(args[0] === YEMOT_MAIN ? ['--http', '--port', '0'] : ['--http'])], env);
  const servers = {
    yemot: { label: 'yemot-mcp get_approved_caller_ids', args: [YEMOT_MAIN], env: cleanEnv({ YEMOT_API_URL: sim.url, YEMOT_TOKEN: sim.token, YEMOT_TOOLS: 'get_approved_caller_ids' }), tool: 'get_approved_caller_ids', toolArgs: {} },
    relay: { label: 'relay: one-tool SDK server, the same call (bench/relay-server.mjs)', args: [RELAY_MAIN], env: cleanEnv({ RELAY_API_URL: sim.url, RELAY_TOKEN: sim.token }), tool: 'get_approved_caller_ids', toolArgs: {} },
    floor: { label: 'floor: one-tool SDK server, echo (bench/floor-server.mjs)', args: [FLOOR_MAIN], env: cleanEnv(), tool: 'echo', toolArgs: { message: 'x' } },
    ...(transport === 'stdio' && { peer: { label: 'peer: server-everything, echo', args: [EVERYTHING_MAIN, 'stdio'], env: cleanEnv(), tool: 'echo', toolArgs: { message: 'x' } } }),
  };
  const sessions = {};
  try {
    for (const [key, server] of Object.entries(servers)) {
      sessions[key] = await connect(server.args, server.env);
      const first = await sessions[key].call(server.tool, server.toolArgs);
      if (first.isError) throw new Error(`${key} ${server.tool} failed: ${first.content?.[0]?.text}`);
      if (key === 'yemot') servers.yemot.answerBytes = Buffer.byteLength(JSON.stringify(first));
    }
    const keys = Object.keys(servers);
    const samples = Object.fromEntries(keys.map((key) => [key, []]));
    const callOnce = async (key, into) => {
      const start = performance.now();
      const outcome = await sessions[key].call(servers[key].tool, servers[key].toolArgs);
      if (outcome.isError) throw new Error(`${key}: ${outcome.content?.[0]?.text}`);
      into?.push(performance.now() - start);
    };
    for (let round = 0; round < WARMUP_CALLS; round++) for (const key of keys) await callOnce(key);
    const cpuBefore = Object.fromEntries(keys.map((key) => [key, cpuMs(sessions[key].pid)]));
    for (let round = 0; round < calls; round++) {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[(round + i) % keys.length];
        await callOnce(key, samples[key]);
      }
    }
    const result = { transport, calls, servers: {} };
    for (const key of keys) {
      result.servers[key] = { label: servers[key].label, ...summarize(samples[key]), serverCpuUs: ((cpuMs(sessions[key].pid) - cpuBefore[key]) * 1000) / calls };
    }
    result.answerBytes = servers.yemot.answerBytes;
    progress(`per call over ${transport}: ${calls} interleaved calls per server`);
    return result;
  } finally {
    for (const session of Object.values(sessions)) await session.close();
    await sim.close();
  }
}

// ---------------------------------------------------------------- throughput

async function benchThroughput() {
  const sim = await startSandbox({ latencyMs: SIM_LATENCY_MS, log: quiet });
  const yemot = await connectStdio([YEMOT_MAIN], cleanEnv({ YEMOT_API_URL: sim.url, YEMOT_TOKEN: sim.token, YEMOT_TOOLS: 'get_approved_caller_ids' }));
  const rows = [];
  try {
    const first = await yemot.call('get_approved_caller_ids');
    if (first.isError) throw new Error('get_approved_caller_ids failed');
    for (const { inFlight, calls } of THROUGHPUT) {
      await runConcurrent(Math.max(20, inFlight * 2), inFlight, () => yemot.call('get_approved_caller_ids'));
      sim.reset();
      let errors = 0;
      const cpuBefore = cpuMs(yemot.pid);
      const benchCpuBefore = process.cpuUsage();
      const run = await runConcurrent(calls, inFlight, async () => {
        const result = await yemot.call('get_approved_caller_ids');
        if (result.isError) errors++;
      });
      const serverCpu = (cpuMs(yemot.pid) - cpuBefore) / run.wallMs;
      const benchCpuUsage = process.cpuUsage(benchCpuBefore);
      const benchCpu = (benchCpuUsage.user + benchCpuUsage.system) / 1000 / run.wallMs;
      const simMax = sim.maxInFlight;
      // Floor: undici straight to the same simulator, the same number of callers, the same cap (6 connections).
      const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: API_CAP });
      const direct = directCaller(sim, dispatcher);
      await runConcurrent(Math.max(20, inFlight * 2), inFlight, direct);
      sim.reset();
      const floorRun = await runConcurrent(calls, inFlight, direct);
      const floorSimMax = sim.maxInFlight;
      await dispatcher.close();
      sim.reset();
      const stats = summarize(run.latencies);
      rows.push({
        inFlight,
        calls,
        errors,
        perSecond: (calls * 1000) / run.wallMs,
        p50: stats.p50,
        p99: stats.p99,
        simMaxInFlight: simMax,
        serverCpu,
        benchCpu,
        floorPerSecond: (calls * 1000) / floorRun.wallMs,
        floorSimMaxInFlight: floorSimMax,
      });
      progress(`throughput: ${inFlight} in flight`);
    }
    return rows;
  } finally {
    await yemot.close();
    await sim.close();
  }
}

// ---------------------------------------------------------------- memory

/** Live heap in MB: the total of a heap snapshot, taken after a full GC. */
const liveHeapMb = async (session, dir) => heapCensus(await takeHeapSnapshot(session, dir)).totalMb;

async function benchMemory() {
  const sim = await startSandbox({ log: quiet });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yemot-mcp-bench-heap-'));
  const heapFlags = ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`];
  const servers = [
    { key: 'yemot', label: 'yemot-mcp (get_approved_caller_ids)', args: [YEMOT_MAIN], env: cleanEnv({ YEMOT_API_URL: sim.url, YEMOT_TOKEN: sim.token, YEMOT_TOOLS: 'get_approved_caller_ids' }), tool: 'get_approved_caller_ids', toolArgs: {} },
    { key: 'floor', label: 'floor (echo)', args: [FLOOR_MAIN], env: cleanEnv(), tool: 'echo', toolArgs: { message: 'x' } },
    { key: 'relay', label: 'relay reference (get_approved_caller_ids)', args: [RELAY_MAIN], env: cleanEnv({ RELAY_API_URL: sim.url, RELAY_TOKEN: sim.token }), tool: 'get_approved_caller_ids', toolArgs: {} },
  ];
  const result = {};
  try {
    for (const server of servers) {
      // The snapshot signal handler is the only difference from a plain start; it is idle until signalled.
      const session = await connectStdio([...heapFlags, ...server.args], server.env);
      try {
        await session.client.listTools();
        await sleep(300);
        const afterStart = rssMb(session.pid);
        const batch = async (count = MEMORY_CALLS) => {
          for (let i = 0; i < count; i++) {
            const outcome = await session.call(server.tool, server.toolArgs);
            if (outcome.isError) throw new Error(`${server.tool} failed during the memory run`);
            if (i % 1000 === 0) sim.requests.length = 0;
          }
          await sleep(500);
          return rssMb(session.pid);
        };
        const after1 = await batch();
        const after2 = await batch();
        // Snapshots come last: taking one leaves its own memory in RSS.
        const live2 = await liveHeapMb(session, dir);
        await batch(MEMORY_CALLS / 2);
        const live3 = await liveHeapMb(session, dir);
        result[server.key] = { label: server.label, afterStart, after1, after2, growth1: after1 - afterStart, growth2: after2 - after1, live2, live3, liveGrowth: live3 - live2 };
      } finally {
        await session.close();
      }
      progress(`memory: ${server.key}`);
    }
    return result;
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- report

function table(header, rows) {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

const times = (value, of) => `${(value / of).toFixed(2)}×`;
const mb = (value) => `${fmt(value, 0)} MB`;
/** "within" or "over" a goal, as a sentence says it. */
const against = (pass, goal) => (pass ? `within the goal of ${goal}` : `**over the goal of ${goal}**`);

function verdictsOf({ cold, calls, transfers, memory, redisClaim }) {
  const verdicts = [];
  if (cold) {
    const floor = cold.floor.list.p50;
    for (const c of Object.values(cold).filter((c) => c.yemot)) {
      verdicts.push({ name: `cold start to tools/list: ${c.label}`, limit: `≤ ${GOALS.coldStart}× floor`, measured: `${times(c.list.p50, floor)} (${fmt(c.list.p50)} vs ${fmt(floor)} ms)`, pass: c.list.p50 / floor <= GOALS.coldStart });
    }
  }
  if (calls.stdio) {
    const { yemot, relay } = calls.stdio.servers;
    verdicts.push({ name: `per call over stdio, median of ${calls.stdio.calls} interleaved`, limit: `≤ ${GOALS.stdioCall}× relay`, measured: `${times(yemot.p50, relay.p50)} (${fmt(yemot.p50, 3)} vs ${fmt(relay.p50, 3)} ms)`, pass: yemot.p50 / relay.p50 <= GOALS.stdioCall });
  }
  if (calls.http) {
    const { yemot, relay } = calls.http.servers;
    verdicts.push({ name: `server CPU per call over Streamable HTTP (${calls.http.calls} calls)`, limit: `≤ ${GOALS.httpCpu}× relay`, measured: `${times(yemot.serverCpuUs, relay.serverCpuUs)} (${fmt(yemot.serverCpuUs, 0)} vs ${fmt(relay.serverCpuUs, 0)} µs)`, pass: yemot.serverCpuUs / relay.serverCpuUs <= GOALS.httpCpu });
  }
  if (transfers) {
    for (const key of ['saveTo', 'upload']) {
      const t = transfers[key];
      verdicts.push({ name: `RSS added by ${t.label}`, limit: `≤ ${GOALS.transferAddedMb} MB`, measured: `+${mb(t.added)}`, pass: t.added <= GOALS.transferAddedMb });
    }
    const a = transfers.answer;
    verdicts.push({ name: `peak RSS of ${a.label}`, limit: `≤ ${GOALS.answerPeakTimes}× the answer (${mb((GOALS.answerPeakTimes * a.bytes) / MB)})`, measured: `${mb(a.peak)} (${times(a.peak, a.bytes / MB)})`, pass: a.peak <= (GOALS.answerPeakTimes * a.bytes) / MB });
  }
  if (memory) {
    verdicts.push({ name: `live-heap growth, ${2 * MEMORY_CALLS} → ${2.5 * MEMORY_CALLS} calls (leak check)`, limit: `< ${GOALS.liveHeapMb} MB`, measured: `${fmt(memory.yemot.liveGrowth, 2)} MB`, pass: memory.yemot.liveGrowth < GOALS.liveHeapMb });
    const over = memory.yemot.after1 - memory.relay.after1;
    verdicts.push({ name: `RSS after ${MEMORY_CALLS} calls vs the relay's`, limit: `≤ relay + ${GOALS.rssOverRelayMb} MB`, measured: `${over >= 0 ? '+' : ''}${fmt(over)} MB (${fmt(memory.yemot.after1)} vs ${fmt(memory.relay.after1)} MB)`, pass: over <= GOALS.rssOverRelayMb });
  }
  if (redisClaim && !redisClaim.skipped) {
    verdicts.push({ name: 'a spend with the ledger in Redis on loopback, over the ledger in memory (median)', limit: `≤ +${redisClaim.targetMs} ms`, measured: `+${fmt(redisClaim.addedMs, 2)} ms (${fmt(redisClaim.redisMs, 2)} vs ${fmt(redisClaim.memoryMs, 2)} ms)`, pass: redisClaim.met });
  }
  return verdicts;
}

function coldSection(cold, context) {
  const floor = cold.floor.list.p50;
  const rows = Object.values(cold).map((c) => [c.label, fmt(c.list.min), fmt(c.list.p50), fmt(c.list.max), fmt(c.init.p50), times(c.list.p50, floor), times(c.list.p50, cold.peer.list.p50), fmt(c.cpu.p50, 0), times(c.cpu.p50, cold.floor.cpu.p50)]);
  const cpuRatios = Object.values(cold).filter((c) => c.yemot).map((c) => c.cpu.p50 / cold.floor.cpu.p50);
  const yemot = Object.values(cold).filter((c) => c.yemot);
  const slowest = yemot.reduce((a, b) => (b.list.p50 > a.list.p50 ? b : a));
  const fastest = yemot.reduce((a, b) => (b.list.p50 < a.list.p50 ? b : a));
  const contextRows = [
    ['yemot-mcp default toolsets', context.sandboxDefault],
    ['yemot-mcp --toolsets all', context.sandboxAll],
    ['floor (echo)', context.floor],
    ['peer: server-everything', context.peer],
  ].map(([label, c]) => [label, c.tools, c.bytes, c.o200k, c.cl100k, fmt(c.medianPerTool, 0), `${c.largest} (${c.maxPerTool})`]);
  return `## Cold start

Spawn of \`node <entry>\` until the answer to \`tools/list\` is read, over stdio, with newline-delimited JSON-RPC written by the bench
itself (no client library in the measured path). ${COLD_REPS} repetitions per server after one untimed warm-up pass; the servers
are interleaved and the order rotates every repetition. "API URL" is yemot-mcp with a token and the simulator's address, the
simulator running in a process of its own.

${table(['server (spawn → tools/list answered)', 'min ms', 'median ms', 'max ms', 'initialize answered, median ms', '× floor (median)', '× peer (median)', 'CPU ms to tools/list, median', '× floor (CPU)'], rows)}

At the median, yemot-mcp answered \`tools/list\` in ${fmt(fastest.list.p50)} ms (${fastest.label}) to ${fmt(slowest.list.p50)} ms (${slowest.label}):
${times(fastest.list.p50, floor)} to ${times(slowest.list.p50, floor)} the floor's ${fmt(floor)} ms, ${against(slowest.list.p50 / floor <= GOALS.coldStart, `${GOALS.coldStart}×`)} in its slowest mode,
and ${times(slowest.list.p50, cold.peer.list.p50)} the peer's ${fmt(cold.peer.list.p50)} ms. The CPU each process used until its answer (user + system, 10 ms ticks),
which other work on the machine moves less than the time, was ${Math.min(...cpuRatios).toFixed(2)}× to ${Math.max(...cpuRatios).toFixed(2)}× the floor's ${fmt(cold.floor.cpu.p50, 0)} ms.

### Context cost of tools/list

The \`tools\` array of the \`tools/list\` answer (without the server's instructions), serialized with \`JSON.stringify\`, counted with
gpt-tokenizer (o200k_base; cl100k_base for comparison). \`test/surface.test.ts\` holds the budgets, instructions included.

${table(['surface', 'tools', 'JSON bytes', 'tokens (o200k_base)', 'tokens (cl100k_base)', 'median tokens / tool', 'largest tool (tokens)'], contextRows)}

With every toolset on, yemot-mcp's ${context.sandboxAll.tools} tools cost ${context.sandboxAll.o200k} tokens, ${times(context.sandboxAll.o200k / context.sandboxAll.tools, context.peer.o200k / context.peer.tools)} the peer's per tool;
the defaults (${context.sandboxDefault.tools} tools) cost ${context.sandboxDefault.o200k}.
`;
}

function callSection(c, heading, intro) {
  const { yemot, relay, floor, peer } = c.servers;
  const rows = Object.values(c.servers).map((x) => [x.label, x.n, fmt(x.min, 3), fmt(x.p50, 3), fmt(x.max, 3), fmt(x.p90, 3), fmt(x.p99, 3), times(x.p50, relay.p50), fmt(x.serverCpuUs, 0), times(x.serverCpuUs, relay.serverCpuUs)]);
  const goal = c.transport === 'stdio' ? `${against(yemot.p50 / relay.p50 <= GOALS.stdioCall, `${GOALS.stdioCall}× the relay at the median`)}` : `${against(yemot.serverCpuUs / relay.serverCpuUs <= GOALS.httpCpu, `${GOALS.httpCpu}× the relay's server CPU`)}`;
  return `## ${heading}

${intro}

${table(['server (sequential calls)', 'n', 'min ms', 'median ms', 'max ms', 'p90 ms', 'p99 ms', '× relay (median)', 'server CPU µs / call', '× relay (CPU)'], rows)}

A call to yemot-mcp took ${fmt(yemot.p50, 3)} ms at the median against the relay's ${fmt(relay.p50, 3)} ms (${times(yemot.p50, relay.p50)}) and the floor's
${fmt(floor.p50, 3)} ms (${times(yemot.p50, floor.p50)})${peer ? `; the peer's echo took ${fmt(peer.p50, 3)} ms` : ''}. yemot-mcp's process spent ${fmt(yemot.serverCpuUs, 0)} µs of CPU per call, the relay's
${fmt(relay.serverCpuUs, 0)} µs (${times(yemot.serverCpuUs, relay.serverCpuUs)}) and the floor's ${fmt(floor.serverCpuUs, 0)} µs (${times(yemot.serverCpuUs, floor.serverCpuUs)}): ${goal}.
`;
}

function transferSection(t) {
  const rows = Object.values(t).map((x) => [x.label, fmt(x.before, 0), fmt(x.peak, 0), `+${fmt(x.added, 0)}`, times(x.peak, x.bytes / MB), fmt(x.seconds, 1)]);
  const { saveTo, upload, answer } = t;
  return `## Big transfers

Each on a yemot-mcp of its own over stdio (the files toolset, YEMOT_MAX_RESPONSE_BYTES at 256 MiB), against a loopback API that
makes its files and answers as it sends them (\`bench/big-transfers.mjs\`). A small call of the same path first, then the big
one, the server's RSS sampled every 10 ms. \`test/transfer-memory.test.ts\` runs the same module in \`npm test\`.

${table(['transfer', 'RSS before MB', 'peak RSS MB', 'added MB', 'peak ÷ size', 'seconds'], rows)}

The ${saveTo.bytes / MB} MB download saved with saveTo added ${mb(saveTo.added)} at the peak and the ${upload.bytes / MB} MB upload from a local file
${mb(upload.added)} (${against(saveTo.added <= GOALS.transferAddedMb && upload.added <= GOALS.transferAddedMb, `+${GOALS.transferAddedMb} MB each`)}). What a streamed file adds is
garbage not yet collected, not the file: socket and file buffers are memory outside V8's heap, collected on V8's own
schedule, so single runs vary (10 to 61 MB in runs of 96 and 200 MB files on this machine) and do not grow with the file. The ${answer.bytes / MB} MB answer peaked at ${mb(answer.peak)}, ${times(answer.peak, answer.bytes / MB)} its size (${against(answer.peak <= (GOALS.answerPeakTimes * answer.bytes) / MB, `${GOALS.answerPeakTimes}×`)}).
`;
}

function render({ host, date, load, cold, context, calls, transfers, throughput, memory, verdicts, elapsedS }) {
  const sections = [];
  if (cold) sections.push(coldSection(cold, context));
  if (calls.stdio) {
    sections.push(
      callSection(
        calls.stdio,
        'Per call over stdio',
        `${calls.stdio.calls} sequential calls per server after ${WARMUP_CALLS} warm-up rounds, interleaved one call at a time (each round calls every server
once, the order rotating). The simulator runs in a process of its own; yemot-mcp (\`YEMOT_TOOLS=get_approved_caller_ids\`) and the relay
call it, the floor and the peer answer \`echo\` without an API. The client is the SDK's (\`client.request\` with \`CallToolResultSchema\`, for
every server alike). yemot-mcp's answer is ${calls.stdio.answerBytes} bytes of JSON-RPC result. Server CPU is each process's user + system time over the
run (10 ms ticks) divided by its calls.`,
      ),
    );
  }
  if (calls.http) {
    sections.push(
      callSection(
        calls.http,
        'Per call over Streamable HTTP',
        `The same calls over the SDK's Streamable HTTP transport: yemot-mcp with \`--http\`, the relay and the floor on the SDK's
\`StreamableHTTPServerTransport\` as its documentation shows it (\`bench/sdk-host.mjs\`); the SDK client's
\`StreamableHTTPClientTransport\` on loopback. ${calls.http.calls} interleaved calls per server.`,
      ),
    );
  }
  if (transfers) sections.push(transferSection(transfers));
  if (throughput) {
    const rows = throughput.map((r) => [r.inFlight, r.calls, fmt(r.perSecond, 0), fmt(r.p50, 2), fmt(r.p99, 2), r.simMaxInFlight, `${fmt(r.serverCpu * 100, 0)}%`, fmt(r.floorPerSecond, 0), times(r.perSecond, r.floorPerSecond)]);
    const top = throughput.at(-1);
    sections.push(`## Throughput

Simulator latency ${SIM_LATENCY_MS} ms per request; yemot-mcp with its default API concurrency cap (${API_CAP}). N callers share one stdio
connection, each calling \`get_approved_caller_ids\` back to back; "max in flight" is the simulator's count. The comparison is undici
straight to the simulator with the same callers and a ${API_CAP}-connection pool.

${table(['callers in flight', 'calls', 'yemot-mcp calls/s', 'p50 ms', 'p99 ms', 'max in flight at simulator', 'server CPU', 'undici alone calls/s', '× undici'], rows)}

With ${top.inFlight} callers yemot-mcp carried ${fmt(top.perSecond, 0)} calls/s, ${times(top.perSecond, top.floorPerSecond)} what undici alone carried through the same cap, never more than ${top.simMaxInFlight} at the API at once.
`);
  }
  if (memory) {
    const rows = Object.values(memory).map((m) => [m.label, fmt(m.afterStart), fmt(m.after1), fmt(m.after2), fmt(m.growth1), fmt(m.growth2), `${fmt(m.live2, 2)} / ${fmt(m.live3, 2)}`]);
    sections.push(`## Memory over many calls

RSS of the server process 300 ms after \`tools/list\`, then 500 ms after each batch of ${MEMORY_CALLS} sequential calls; then the live heap
(a heap snapshot's total, taken after a full GC) after ${2 * MEMORY_CALLS} and ${2.5 * MEMORY_CALLS} calls. The live heap grows only if something
is retained; RSS also holds garbage not yet collected and the heap's own growth.

${table(['server', 'RSS after tools/list MB', `after ${MEMORY_CALLS} calls MB`, `after ${2 * MEMORY_CALLS} MB`, `growth, first ${MEMORY_CALLS} MB`, `growth, next ${MEMORY_CALLS} MB`, `live heap after ${2 * MEMORY_CALLS} / ${2.5 * MEMORY_CALLS} MB`], rows)}

yemot-mcp's live heap moved by ${fmt(memory.yemot.liveGrowth, 2)} MB over the last ${MEMORY_CALLS / 2} calls (the relay's by ${fmt(memory.relay.liveGrowth, 2)} MB); after ${MEMORY_CALLS} calls
its RSS was ${fmt(memory.yemot.after1)} MB against the relay's ${fmt(memory.relay.after1)} MB and the floor's ${fmt(memory.floor.after1)} MB.
`);
  }
  const failed = verdicts.filter((v) => !v.pass);
  const verdictTable = table(['goal', 'limit', 'measured', 'result'], verdicts.map((v) => [v.name, v.limit, v.measured, v.pass ? 'met' : '**not met**']));
  return `# Benchmarks

Written in full by \`npm run bench\` (\`bench/run.mjs\`) on ${date}; the run took ${elapsedS.toFixed(0)} s. Raw figures: \`bench/results.json\`.

**Machine:** ${host.cpu}, ${host.cores} cores, ${host.memoryGb.toFixed(1)} GB RAM, ${host.os}. **Node** ${host.node}.
Load average (1 min) at start ${load.start.toFixed(2)}, at end ${load.end.toFixed(2)}: the machine is shared, and other work during the run
widens maxima and p99 more than medians; every comparison is interleaved so that such load falls on both sides alike.

**Floor**: the least an MCP server on the same SDK can do (\`bench/floor-server.mjs\`, one \`echo\` tool). **Relay**: a one-tool SDK server
making the same API call as yemot-mcp with undici and nothing else (\`bench/relay-server.mjs\`: no validation, policy, two-factor gate,
masking or deadline). **Peer**: \`@modelcontextprotocol/server-everything\`, the SDK's reference server. All measured in this run.

## Goals

${verdictTable}

${failed.length === 0 ? `Every goal was met in this run.` : `${verdicts.length - failed.length} of ${verdicts.length} goals were met in this run; not met: ${failed.map((v) => `${v.name} (${v.measured}, goal ${v.limit})`).join('; ')}.`}

${sections.join('\n')}`;
}

// ---------------------------------------------------------------- main

const host = machine();
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const load = { start: os.loadavg()[0] };
progress(`${host.cpu}, ${host.cores} cores, Node ${host.node}, load ${load.start.toFixed(2)}`);

const coldRun = runs('cold') ? await benchColdStart() : undefined;
const cold = coldRun?.result;
const context = coldRun && Object.fromEntries(Object.entries(coldRun.tools).map(([key, list]) => [key, contextOf(list)]));
const calls = { stdio: runs('stdio') ? await benchCalls('stdio') : undefined, http: runs('http') ? await benchCalls('http') : undefined };
const transfers = runs('transfers') ? await benchTransfers() : undefined;
const throughput = runs('throughput') ? await benchThroughput() : undefined;
const memory = runs('memory') ? await benchMemory() : undefined;
// Issue 32: what the fleet's ledger in Redis adds to a spend (skipped, and said, without redis-server).
const redisClaim = runs('redis') ? await benchRedisClaim({ spends: QUICK ? 100 : undefined }) : undefined;
if (redisClaim) progress(describeRedisClaim(redisClaim));
load.end = os.loadavg()[0];

const verdicts = verdictsOf({ cold, calls, transfers, memory, redisClaim });
const elapsedS = (performance.now() - started) / 1000;
const report = render({ host, date, load, cold, context, calls, transfers, throughput, memory, verdicts, elapsedS });

console.log(report);
if (QUICK || ONLY) {
  progress('BENCH_QUICK or BENCH_ONLY: BENCHMARKS.md and bench/results.json left untouched');
} else {
  writeFileSync(BENCHMARKS_MD, report);
  writeFileSync(RESULTS_JSON, `${JSON.stringify({ date, host, load, cold, context, calls, transfers, throughput, memory, redisClaim, verdicts, elapsedS }, null, 2)}\n`);
  progress(`wrote BENCHMARKS.md and bench/results.json in ${elapsedS.toFixed(0)} s`);
}
process.exit(0);
