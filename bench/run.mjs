#!/usr/bin/env node
// yemot-mcp benchmark (issue 6). Run with `npm run bench` (builds first). Writes BENCHMARKS.md and bench/results.json.
//
// Knobs (environment, for quick local runs; the defaults are what BENCHMARKS.md reports):
//   BENCH_COLD_REPS (15)  BENCH_CALLS (3000)  BENCH_MEMORY_CALLS (10000)  BENCH_QUICK=1 (small counts, no BENCHMARKS.md)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import {
  cleanEnv,
  coldStart,
  connectStdio,
  cpuMs,
  EVERYTHING_MAIN,
  FLOOR_MAIN,
  RELAY_MAIN,
  fmt,
  heapCensus,
  machine,
  median,
  ratio,
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
const COLD_REPS = Number(process.env.BENCH_COLD_REPS ?? (QUICK ? 3 : 15));
const CALLS = Number(process.env.BENCH_CALLS ?? (QUICK ? 300 : 3000));
const CALL_BLOCKS = 6;
const WARMUP_CALLS = QUICK ? 100 : 500;
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? (QUICK ? 1000 : 10_000));
const THROUGHPUT = [
  { inFlight: 1, calls: QUICK ? 100 : 300 },
  { inFlight: 8, calls: QUICK ? 400 : 2000 },
  { inFlight: 64, calls: QUICK ? 600 : 3000 },
];
const SIM_LATENCY_MS = 5;
const API_CAP = 6; // yemot-mcp's default YEMOT_MAX_CONCURRENCY; the bench does not set it
const TARGETS = { coldStart: 1.25, callP50: 1.15, rssGrowthMb: 5 };

const BENCHMARKS_MD = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const RESULTS_JSON = fileURLToPath(new URL('./results.json', import.meta.url));
const NOTES_MD = fileURLToPath(new URL('./notes.md', import.meta.url));

const progress = (text) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${text}\n`);
const started = performance.now();

if (!existsSync(YEMOT_MAIN)) {
  console.error('dist/main.js is missing: run `npm run bench` (it builds first).');
  process.exit(1);
}
const { startSandbox } = await import('../dist/sandbox/index.js');
const quiet = () => {};

// ---------------------------------------------------------------- cold start

/** yemot-mcp in API mode points at a port nothing listens on: start-up never contacts the API. */
const DEAD_API = 'http://127.0.0.1:9/ym/api/';
const COLD_VARIANTS = [
  { key: 'floor', label: 'floor (bench/floor-server.mjs)', args: [FLOOR_MAIN], env: cleanEnv() },
  { key: 'everything', label: 'peer: server-everything stdio', args: [EVERYTHING_MAIN, 'stdio'], env: cleanEnv() },
  { key: 'yemotAll', label: 'yemot-mcp --sandbox --toolsets all', args: [YEMOT_MAIN, '--sandbox', '--toolsets', 'all'], env: cleanEnv() },
  { key: 'yemotDefault', label: 'yemot-mcp --sandbox (default toolsets)', args: [YEMOT_MAIN, '--sandbox'], env: cleanEnv() },
  {
    key: 'yemotApi',
    label: 'yemot-mcp --toolsets all, API mode (no simulator)',
    args: [YEMOT_MAIN, '--toolsets', 'all'],
    env: cleanEnv({ YEMOT_TOKEN: 'bench-token', YEMOT_API_URL: DEAD_API }),
  },
];

async function benchColdStart() {
  const samples = Object.fromEntries(COLD_VARIANTS.map((v) => [v.key, { init: [], list: [] }]));
  const tools = {};
  // One untimed pass warms the page cache for every variant.
  for (const variant of COLD_VARIANTS) tools[variant.key] = (await coldStart(variant.args, variant.env)).tools;
  for (let rep = 0; rep < COLD_REPS; rep++) {
    // Interleaved, and the order rotates each repetition so no variant always runs first.
    for (let i = 0; i < COLD_VARIANTS.length; i++) {
      const variant = COLD_VARIANTS[(rep + i) % COLD_VARIANTS.length];
      const run = await coldStart(variant.args, variant.env);
      samples[variant.key].init.push(run.initMs);
      samples[variant.key].list.push(run.listMs);
    }
    progress(`cold start: repetition ${rep + 1}/${COLD_REPS}`);
  }
  const result = {};
  for (const variant of COLD_VARIANTS) {
    result[variant.key] = { label: variant.label, list: summarize(samples[variant.key].list), init: summarize(samples[variant.key].init), samples: samples[variant.key].list };
  }
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

// ---------------------------------------------------------------- per-call latency

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

async function timeSequential(count, fn, into) {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    into.push(performance.now() - start);
  }
}

/**
 * Sequential calls, in interleaved blocks: yemot-mcp, the floor's two parts (echo over stdio, undici straight to the simulator)
 * and the relay reference. `where` is 'in-process' (the simulator runs in the bench process: the set-up the targets use) or
 * 'own process' (bench/sim-process.mjs, so the floor's HTTP part crosses a process boundary as yemot-mcp's does).
 */
async function benchLatency(where, calls = CALLS) {
  const sim = where === 'in-process' ? await startSandbox({ log: quiet }) : await startSimProcess();
  const trim = () => sim.requests && (sim.requests.length = 0);
  const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: API_CAP });
  const yemot = await connectStdio([YEMOT_MAIN], cleanEnv({ YEMOT_API_URL: sim.url, YEMOT_TOKEN: sim.token, YEMOT_TOOLS: 'get_approved_caller_ids' }));
  const floor = await connectStdio([FLOOR_MAIN], cleanEnv());
  const relay = await connectStdio([RELAY_MAIN], cleanEnv({ RELAY_API_URL: sim.url, RELAY_TOKEN: sim.token }));
  try {
    const first = await yemot.call('get_approved_caller_ids');
    if (first.isError || !first.structuredContent) throw new Error(`get_approved_caller_ids failed: ${first.content?.[0]?.text}`);
    if ((await floor.call('echo', { message: 'x' })).isError) throw new Error('floor echo failed');
    if ((await relay.call('get_approved_caller_ids')).isError) throw new Error('relay failed');
    const runs = {
      yemot: () => yemot.call('get_approved_caller_ids'),
      echo: () => floor.call('echo', { message: 'x' }),
      undici: directCaller(sim, dispatcher),
      relay: () => relay.call('get_approved_caller_ids'),
    };
    const pids = { yemot: yemot.pid, echo: floor.pid, relay: relay.pid };
    const samples = Object.fromEntries(Object.keys(runs).map((key) => [key, []]));
    const cpu = Object.fromEntries(Object.keys(pids).map((key) => [key, 0]));
    for (const fn of Object.values(runs)) await timeSequential(WARMUP_CALLS, fn, []);
    const block = Math.ceil(calls / CALL_BLOCKS);
    for (let b = 0; b < CALL_BLOCKS; b++) {
      // Blocks interleave the paths so drift (other load on the machine) hits all alike.
      for (const [key, fn] of Object.entries(runs)) {
        const cpuBefore = pids[key] ? cpuMs(pids[key]) : 0;
        await timeSequential(block, fn, samples[key]);
        if (pids[key]) cpu[key] += cpuMs(pids[key]) - cpuBefore;
      }
      trim();
    }
    progress(`latency (simulator ${where}): ${samples.yemot.length} sequential calls per path`);
    const result = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, summarize(values)]));
    // CPU the server process spent per call (user + system, 10 ms clock ticks summed over all blocks).
    for (const key of Object.keys(pids)) result[key].serverCpuUs = (cpu[key] * 1000) / samples[key].length;
    result.floor = { p50: result.echo.p50 + result.undici.p50, p90: result.echo.p90 + result.undici.p90, p99: result.echo.p99 + result.undici.p99 };
    result.answerBytes = Buffer.byteLength(JSON.stringify(first));
    result.where = where;
    return result;
  } finally {
    await yemot.close();
    await floor.close();
    await relay.close();
    await dispatcher.close();
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

function latencyTable(l) {
  const row = (label, x, vsFloor = true) => [label, x.n ?? '', fmt(x.p50, 3), fmt(x.p90, 3), fmt(x.p99, 3), vsFloor ? ratio(x.p50, l.floor.p50) : '', x.serverCpuUs === undefined ? '' : fmt(x.serverCpuUs, 0)];
  return table(
    ['path (sequential calls)', 'n', 'p50 ms', 'p90 ms', 'p99 ms', '× floor p50', 'server CPU µs / call'],
    [
      row('**yemot-mcp** get_approved_caller_ids → simulator', l.yemot),
      row('floor part 1: floor echo over stdio', l.echo, false),
      row('floor part 2: undici POST GetApprovedCallerIDs → simulator', l.undici, false),
      [...row('**floor** = part 1 + part 2', l.floor).slice(0, 5), '1.00×', ''],
      row('reference: minimal relay (bench/relay-server.mjs) → simulator', l.relay),
    ],
  );
}

function render({ host, date, load, cold, context, latency, throughput, memory, verdicts, elapsedS }) {
  const floorCold = cold.floor.list.p50;
  const coldTable = table(
    ['server (spawn → tools/list answered)', 'median ms', 'p90 ms', 'min ms', 'initialize answered, median ms', '× floor (median)'],
    COLD_VARIANTS.map((v) => {
      const c = cold[v.key];
      return [c.label, fmt(c.list.p50), fmt(c.list.p90), fmt(c.list.min), fmt(c.init.p50), ratio(c.list.p50, floorCold)];
    }),
  );
  const contextTable = table(
    ['surface', 'tools', 'JSON bytes', 'tokens (o200k_base)', 'tokens (cl100k_base)', 'median tokens / tool', 'largest tool (tokens)'],
    [
      ['yemot-mcp default toolsets', context.yemotDefault],
      ['yemot-mcp --toolsets all', context.yemotAll],
      ['floor (echo)', context.floor],
      ['peer: server-everything', context.everything],
    ].map(([label, c]) => [label, c.tools, c.bytes, c.o200k, c.cl100k, fmt(c.medianPerTool, 0), `${c.largest} (${c.maxPerTool})`]),
  );
  const l = latency.inProcess;
  const o = latency.ownProcess;
  const throughputTable = table(
    ['callers in flight', 'calls', 'yemot-mcp calls/s', 'p50 ms', 'p99 ms', 'max in flight at simulator', 'server CPU', 'bench process CPU', 'floor calls/s (undici, 6 conns)', '× floor'],
    throughput.map((r) => [r.inFlight, r.calls, fmt(r.perSecond, 0), fmt(r.p50, 2), fmt(r.p99, 2), r.simMaxInFlight, `${fmt(r.serverCpu * 100, 0)}%`, `${fmt(r.benchCpu * 100, 0)}%`, fmt(r.floorPerSecond, 0), ratio(r.perSecond, r.floorPerSecond)]),
  );
  const memoryTable = table(
    ['server', 'RSS after tools/list MB', `RSS after ${MEMORY_CALLS} calls MB`, `RSS after ${2 * MEMORY_CALLS} MB`, `**RSS growth, first ${MEMORY_CALLS}** MB`, `RSS growth, next ${MEMORY_CALLS} MB`, `live heap after ${2 * MEMORY_CALLS} / ${2.5 * MEMORY_CALLS} calls MB`],
    Object.values(memory).map((m) => [m.label, fmt(m.afterStart), fmt(m.after1), fmt(m.after2), `**${fmt(m.growth1)}**`, fmt(m.growth2), `${fmt(m.live2, 2)} / ${fmt(m.live3, 2)}`]),
  );
  const verdictTable = table(
    ['target', 'limit', 'measured', 'result'],
    verdicts.map((v) => [v.suggested ? `*suggested:* ${v.name}` : v.name, v.limit, v.measured, v.suggested ? (v.pass ? 'would pass' : 'would fail') : v.pass ? '**pass**' : '**FAIL**']),
  );
  const notes = existsSync(NOTES_MD) ? `\n## Analysis\n\n${readFileSync(NOTES_MD, 'utf8').trim()}\n` : '';
  return `# Benchmarks

Generated by \`npm run bench\` (\`bench/run.mjs\`) on ${date}; the run took ${elapsedS.toFixed(0)} s. Raw figures: \`bench/results.json\`.

**Machine:** ${host.cpu}, ${host.cores} cores, ${host.memoryGb.toFixed(1)} GB RAM, ${host.os}. **Node** ${host.node}.
Load average (1 min) at start ${load.start.toFixed(2)}, at end ${load.end.toFixed(2)}: the machine is shared, and other work running
during the bench widens p90/p99 more than medians; every comparison below is interleaved so that such load hits both sides alike.

## Targets

Ratios are to the floor measured in the same run. The rows marked *suggested* are the replacements proposed in the Analysis
section for the two targets no change inside yemot-mcp can meet; they are reported, not judged.

${verdictTable}

## Cold start

Spawn of \`node <entry>\` until the answer to \`tools/list\` is read, over stdio. ${COLD_REPS} repetitions per server after one untimed
warm-up pass; the servers are interleaved and the order rotates every repetition. Each process is killed and reaped before the next spawn.

${coldTable}

## Context cost of tools/list

The \`tools\` array of the \`tools/list\` answer, serialized with \`JSON.stringify\`, counted with gpt-tokenizer
(o200k_base: GPT-4o and later; cl100k_base: GPT-4/3.5, shown for comparison). Per tool: each tool object serialized alone.

${contextTable}

## Per-call latency

${l.yemot.n} sequential calls per path, after ${WARMUP_CALLS} warm-up calls, in ${CALL_BLOCKS} interleaved blocks; no added simulator latency.
yemot-mcp runs in API mode (\`YEMOT_API_URL\`/\`YEMOT_TOKEN\` pointing at the simulator, default toolsets) and is driven by the SDK
client over stdio. The floor is the sum of its two parts' medians, each measured in the same run. The answer of
\`get_approved_caller_ids\` is ${l.answerBytes} bytes of JSON-RPC result.

The **reference relay** is not the floor: it is the least a server can do for this call (one tool that POSTs with undici and returns
the answer as text and structuredContent, with no validation, policy, two-factor gate, secret masking or timeout). yemot-mcp ÷ relay
is the cost of yemot-mcp's own code: ${ratio(l.yemot.p50, l.relay.p50)} here.

**Simulator in the bench process** (the set-up the target is judged on):

${latencyTable(l)}

**Simulator in a process of its own** (\`bench/sim-process.mjs\`, ${o.yemot.n} calls per path): the floor's HTTP part now crosses a process
boundary as yemot-mcp's request does.

${latencyTable(o)}

## Throughput

Simulator latency ${SIM_LATENCY_MS} ms per request; yemot-mcp with its default API concurrency cap (YEMOT_MAX_CONCURRENCY unset = ${API_CAP}).
N callers share one stdio connection, each issuing \`get_approved_caller_ids\` back to back. "Max in flight" is the simulator's own count of
concurrent requests. The floor is undici straight to the simulator with the same number of callers and a ${API_CAP}-connection pool
(so the same cap). Ceiling with the cap: ${API_CAP} ÷ per-request time at the simulator.

${throughputTable}

## Memory

Resident set size (\`VmRSS\` from \`/proc/<pid>/status\`) of the server process, 300 ms after \`tools/list\`, then 500 ms after each batch
of ${MEMORY_CALLS} sequential calls. Then "live heap": the total of a V8 heap snapshot (taken after a full GC, via
\`--heapsnapshot-signal\`) after ${2 * MEMORY_CALLS} calls and again after ${2.5 * MEMORY_CALLS}. The live heap grows only if something is
retained (a leak); RSS also holds garbage not yet collected, JIT code, and the heap's own growth as V8 sizes it to the allocation rate.

${memoryTable}

## Method notes

- **Cold start** uses newline-delimited JSON-RPC written by the bench itself (\`bench/lib.mjs\` \`spawnRaw\`), so no client-library work
  (such as compiling the tools' output schemas) is counted. Both \`initialize\` and \`tools/list\` are answered before the clock stops.
  \`--sandbox\` includes starting the in-process simulator; the API-mode row shows yemot-mcp without it.
- **Per-call** calls go through \`client.request('tools/call', CallToolResultSchema)\` for every server, i.e. the SDK's \`callTool\` minus its
  client-side check of \`structuredContent\` against the tool's output schema, which would add client work to yemot-mcp's side only.
- The servers' stderr is discarded (\`stderr: 'ignore'\`); the simulators started by the bench log nothing.
- Percentiles are nearest-rank. p90/p99 of the floor are sums of the parts' percentiles (an upper bound, not a measured distribution).
- Quick local run without writing this file: \`BENCH_QUICK=1 node bench/run.mjs\`. CPU profiles of start-up and of the call loop, an
  import-time ladder and heap-snapshot diffs: \`node bench/profile.mjs\` (after \`npm run build\`).
${notes}`;
}

// ---------------------------------------------------------------- main

const host = machine();
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const load = { start: os.loadavg()[0] };
progress(`${host.cpu}, ${host.cores} cores, Node ${host.node}, load ${load.start.toFixed(2)}`);

const { result: cold, tools } = await benchColdStart();
const context = Object.fromEntries(Object.entries(tools).map(([key, list]) => [key, contextOf(list)]));
const latency = { inProcess: await benchLatency('in-process'), ownProcess: await benchLatency('own process', Math.ceil(CALLS / 3)) };
const throughput = await benchThroughput();
const memory = await benchMemory();
// Issue 32: what the fleet's ledger in Redis adds to a spend (skipped, and said, without redis-server).
const redisClaim = await benchRedisClaim({ spends: QUICK ? 100 : undefined });
progress(describeRedisClaim(redisClaim));
load.end = os.loadavg()[0];

const l = latency.inProcess;
const coldRatio = cold.yemotAll.list.p50 / cold.floor.list.p50;
const callRatio = l.yemot.p50 / l.floor.p50;
const verdicts = [
  { name: 'cold start, yemot-mcp --sandbox --toolsets all (median)', limit: `≤ ${TARGETS.coldStart}× floor`, measured: `${coldRatio.toFixed(2)}× (${fmt(cold.yemotAll.list.p50)} vs ${fmt(cold.floor.list.p50)} ms)`, pass: coldRatio <= TARGETS.coldStart },
  { name: 'per-call p50, get_approved_caller_ids (simulator in the bench process)', limit: `≤ ${TARGETS.callP50}× floor`, measured: `${callRatio.toFixed(2)}× (${fmt(l.yemot.p50, 3)} vs ${fmt(l.floor.p50, 3)} ms)`, pass: callRatio <= TARGETS.callP50 },
  { name: `RSS growth after ${MEMORY_CALLS} calls`, limit: `< ${TARGETS.rssGrowthMb} MB`, measured: `${fmt(memory.yemot.growth1)} MB (floor ${fmt(memory.floor.growth1)} MB)`, pass: memory.yemot.growth1 < TARGETS.rssGrowthMb },
  ...(redisClaim.skipped
    ? []
    : [{ name: 'a spend with the ledger in Redis on loopback, over the ledger in memory (median)', limit: `≤ +${redisClaim.targetMs} ms`, measured: `+${fmt(redisClaim.addedMs, 2)} ms (${fmt(redisClaim.redisMs, 2)} vs ${fmt(redisClaim.memoryMs, 2)} ms)`, pass: redisClaim.met }]),
  // Suggested replacements (see Analysis); reported, not judged.
  { suggested: true, name: 'per-call p50 vs the relay reference', limit: '≤ 1.10× relay', measured: `${(l.yemot.p50 / l.relay.p50).toFixed(2)}× (${fmt(l.yemot.p50, 3)} vs ${fmt(l.relay.p50, 3)} ms)`, pass: l.yemot.p50 / l.relay.p50 <= 1.1 },
  { suggested: true, name: `live-heap growth, ${2 * MEMORY_CALLS} → ${2.5 * MEMORY_CALLS} calls (leak check)`, limit: '< 1 MB', measured: `${fmt(memory.yemot.liveGrowth, 2)} MB`, pass: memory.yemot.liveGrowth < 1 },
  { suggested: true, name: `RSS after ${MEMORY_CALLS} calls vs the relay's`, limit: '≤ relay + 10 MB', measured: `${memory.yemot.after1 >= memory.relay.after1 ? '+' : ''}${fmt(memory.yemot.after1 - memory.relay.after1)} MB (${fmt(memory.yemot.after1)} vs ${fmt(memory.relay.after1)} MB)`, pass: memory.yemot.after1 - memory.relay.after1 <= 10 },
];
const elapsedS = (performance.now() - started) / 1000;
const report = render({ host, date, load, cold, context, latency, throughput, memory, verdicts, elapsedS });

// The figures to the terminal: the same tables as the file, without the prose.
console.log(report.split('\n## Method notes')[0]);
const strip = (value) => JSON.parse(JSON.stringify(value, (key, v) => (key === 'samples' ? undefined : v)));
if (QUICK) {
  progress('BENCH_QUICK=1: BENCHMARKS.md and bench/results.json left untouched');
} else {
  writeFileSync(BENCHMARKS_MD, report);
  writeFileSync(RESULTS_JSON, `${JSON.stringify({ date, host, load, cold: strip(cold), context, latency, throughput, memory, redisClaim, verdicts, elapsedS }, null, 2)}\n`);
  progress(`wrote BENCHMARKS.md and bench/results.json in ${elapsedS.toFixed(0)} s`);
}
process.exit(0);
