// Helpers shared by bench/run.mjs and bench/profile.mjs: processes, JSON-RPC over stdio, statistics.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const NODE = process.execPath;
/** BENCH_YEMOT_MAIN points the bench at another build (e.g. a patched copy of dist/) for before/after comparisons. */
export const YEMOT_MAIN = process.env.BENCH_YEMOT_MAIN ? path.resolve(process.env.BENCH_YEMOT_MAIN) : fileURLToPath(new URL('../dist/main.js', import.meta.url));
export const FLOOR_MAIN = fileURLToPath(new URL('./floor-server.mjs', import.meta.url));
export const RELAY_MAIN = fileURLToPath(new URL('./relay-server.mjs', import.meta.url));
export const EVERYTHING_MAIN = fileURLToPath(new URL('../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url));

/** The environment a spawned server gets: ours minus anything YEMOT_* (so the shell cannot skew a run), plus `extra`. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('YEMOT_') && value !== undefined) env[key] = value;
  return { ...env, ...extra };
}

// ---------- statistics ----------

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(samples) {
  const sorted = Float64Array.from(samples).sort();
  return {
    n: sorted.length,
    min: sorted[0],
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

export const median = (values) => percentile(Float64Array.from(values).sort(), 50);

// ---------- raw JSON-RPC over a child's stdio (no client library in the measured path) ----------

/**
 * Spawns a stdio MCP server and speaks newline-delimited JSON-RPC to it directly.
 * Used for cold start: the time covers spawn, module loading, initialize and tools/list, and nothing of a client SDK.
 */
export function spawnRaw(args, env, nodeFlags = []) {
  const child = spawn(NODE, [...nodeFlags, ...args], { stdio: ['pipe', 'pipe', 'ignore'], env });
  const pending = new Map();
  let buffer = '';
  let nextId = 1;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line) continue;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  exited.then(({ code, signal }) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`server exited (${code ?? signal}) before answering ${waiter.method}`));
    pending.clear();
  });
  const write = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  return {
    child,
    request(method, params = {}, timeoutMs = 30_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method}: no answer in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          method,
          resolve: (value) => (clearTimeout(timer), resolve(value)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        write({ id, method, params });
      });
    },
    notify(method, params = {}) {
      write({ method, params });
    },
    /** Ends stdin (a polite close), then SIGTERM, then SIGKILL; resolves when the process is gone. */
    async stop(graceMs = 2000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.stdin.end();
      const timeout = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());
      if (await Promise.race([exited.then(() => true), timeout(graceMs).then(() => false)])) return exited;
      child.kill('SIGTERM');
      if (await Promise.race([exited.then(() => true), timeout(graceMs).then(() => false)])) return exited;
      child.kill('SIGKILL');
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

export const INITIALIZE = { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'yemot-mcp-bench', version: '1.0.0' } };

/** spawn → initialize → initialized → tools/list. Returns the times (ms from spawn) and the tools. */
export async function coldStart(args, env, { nodeFlags = [], stop = 'kill' } = {}) {
  const t0 = performance.now();
  const rpc = spawnRaw(args, env, nodeFlags);
  try {
    await rpc.request('initialize', INITIALIZE);
    const initMs = performance.now() - t0;
    rpc.notify('notifications/initialized');
    const { tools } = await rpc.request('tools/list');
    const listMs = performance.now() - t0;
    return { initMs, listMs, cpuMs: cpuMs(rpc.child.pid), tools, pid: rpc.child.pid };
  } finally {
    if (stop === 'kill') await rpc.kill();
    else await rpc.stop();
  }
}

// ---------- SDK client over stdio ----------

/** Connects the SDK client to a spawned stdio server; `callTool` skips the client's output-schema check (see BENCHMARKS.md). */
export async function connectStdio(args, env) {
  const transport = new StdioClientTransport({ command: NODE, args, env, stderr: 'ignore', cwd: ROOT });
  const client = new Client({ name: 'yemot-mcp-bench', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return {
    client,
    pid: transport.pid,
    /** tools/call through the SDK's request path, identical for every server measured. */
    call: (name, args = {}) => client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema),
    close: () => client.close(),
  };
}

// ---------- process and machine ----------

/** Resident set size of a process in MB, from /proc (falls back to ps). */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux, or the process is gone
  }
  return NaN;
}

export function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(info);
    if (model) cpu = model[1].trim();
  } catch {
    // keep os.cpus()
  }
  return {
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `total` calls of `fn` with `inFlight` workers; returns per-call latencies (ms) and wall time. */
export async function runConcurrent(total, inFlight, fn) {
  const latencies = new Float64Array(total);
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= total) return;
      const start = performance.now();
      await fn(index);
      latencies[index] = performance.now() - start;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  return { latencies, wallMs: performance.now() - t0 };
}

export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
export const ratio = (value, floor) => (Number.isFinite(value) && floor > 0 ? `${(value / floor).toFixed(2)}×` : '–');

export const SIM_MAIN = fileURLToPath(new URL('./sim-process.mjs', import.meta.url));

/** Starts the simulator in its own process (bench/sim-process.mjs); resolves with its url and token. */
export function startSimProcess(env = {}) {
  const child = spawn(NODE, [SIM_MAIN], { stdio: ['pipe', 'pipe', 'inherit'], env: cleanEnv(env), cwd: ROOT });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      child.stdout.off('data', onData);
      const { url, token } = JSON.parse(text.slice(0, newline));
      resolve({
        url,
        token,
        pid: child.pid,
        async close() {
          child.stdin.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        },
      });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    exited.then((code) => reject(new Error(`simulator process exited (${code}) before it listened`)));
  });
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ", field 3 is state; utime and stime are fields 14 and 15 of the full line.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * Asks a server started with `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<dir>` for a heap snapshot (V8 runs a full GC
 * first) and resolves with the parsed snapshot. The server writes it on its main thread, so once the file exists a ping is
 * answered only after the snapshot is complete. The file is deleted after reading.
 */
export async function takeHeapSnapshot(session, dir, timeoutMs = 60_000) {
  const before = new Set(readdirSync(dir));
  process.kill(session.pid, 'SIGUSR2');
  const deadline = performance.now() + timeoutMs;
  let file;
  while (!file && performance.now() < deadline) {
    await sleep(100);
    file = readdirSync(dir).find((name) => !before.has(name) && name.endsWith('.heapsnapshot'));
  }
  if (!file) throw new Error('no heap snapshot was written');
  await session.client.ping();
  const full = path.join(dir, file);
  for (let attempt = 0; ; attempt++) {
    try {
      const snapshot = JSON.parse(readFileSync(full, 'utf8'));
      rmSync(full);
      return snapshot;
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(500); // still being flushed
    }
  }
}

/** Total self size of a parsed heap snapshot, in MB, and the same split by object constructor / node type. */
export function heapCensus(snapshot) {
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((name) => fields.indexOf(name));
  const byType = new Map();
  let total = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    const type = types[snapshot.nodes[i + iType]];
    const key = type === 'object' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[i + iName]]}`.slice(0, 70) : type;
    const size = snapshot.nodes[i + iSize];
    const entry = byType.get(key) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += size;
    byType.set(key, entry);
    total += size;
  }
  return { totalMb: total / 1024 / 1024, byType };
}

// ---------- SDK client over Streamable HTTP ----------

/**
 * Spawns a server that serves Streamable HTTP on a free port of 127.0.0.1 and connects the SDK client to it. The
 * server prints its address: yemot-mcp on stderr ("Streamable HTTP at <url>"), the bench's references on stdout.
 */
export async function connectHttp(args, env) {
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const child = spawn(NODE, args, { stdio: ['pipe', 'pipe', 'pipe'], env, cwd: ROOT });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no address after 20 s: ${seen.slice(0, 500)}`)), 20_000);
    const look = (chunk) => {
      seen += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout.setEncoding('utf8').on('data', look);
    child.stderr.setEncoding('utf8').on('data', look);
    exited.then((code) => reject(new Error(`exited (${code}) before it listened: ${seen.slice(0, 500)}`)));
  });
  // Nothing more is read from its pipes: drained so a chatty server never blocks on them.
  child.stdout.resume();
  child.stderr.resume();
  const client = new Client({ name: 'yemot-mcp-bench', version: '1.0.0' }, { capabilities: {} });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return {
    client,
    pid: child.pid,
    call: (name, args = {}) => client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema),
    async close() {
      await client.close().catch(() => {});
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
