#!/usr/bin/env node
// Where the time goes: CPU profiles of yemot-mcp (and the floor) at start-up and in the call loop, plus an import-time ladder.
// Run after `npm run build`:  node bench/profile.mjs [startup|calls|imports|memory] ...   (default: all four)
// The .cpuprofile files stay in a temporary directory (printed) for Chrome DevTools / speedscope.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  cleanEnv,
  coldStart,
  connectStdio,
  FLOOR_MAIN,
  RELAY_MAIN,
  median,
  NODE,
  ROOT,
  rssMb,
  sleep,
  takeHeapSnapshot,
  heapCensus,
  YEMOT_MAIN,
} from './lib.mjs';

const { startSandbox } = await import('../dist/sandbox/index.js');
const OUT = mkdtempSync(path.join(os.tmpdir(), 'yemot-mcp-profile-'));
const INTERVAL_US = 100;
const HEAP_SPACES = fileURLToPath(new URL('./heap-spaces.mjs', import.meta.url));
const sections = process.argv.slice(2).length ? process.argv.slice(2) : ['startup', 'calls', 'imports', 'memory'];

// ---------------------------------------------------------------- .cpuprofile summary

function where(url) {
  if (!url) return '';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) return file.slice(modules + 'node_modules/'.length);
  if (file.startsWith(ROOT)) return path.relative(ROOT, file);
  return file;
}

function bucketOf(frame) {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: internals';
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith(path.join(ROOT, 'dist'))) return `yemot-mcp ${path.relative(ROOT, file)}`;
  if (file.startsWith(ROOT)) return path.relative(ROOT, file);
  return file;
}

/** Self time by function and by package/file, inclusive time by function; all in ms. */
export function summarizeProfile(file, { from } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stackHas = (id, name) => {
    for (let at = id; at !== undefined; at = parent.get(at)) if (byId.get(at).callFrame.functionName === name) return true;
    return false;
  };
  // `from`: ignore the samples before the first one whose stack holds that function (e.g. start-up before the first call).
  let first = 0;
  if (from) while (first < profile.samples.length && !stackHas(profile.samples[first], from)) first++;
  const selfUs = new Map();
  for (let i = first; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0; // time until the next sample belongs to this one
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }
  const keyOf = (frame) => `${frame.functionName || '(anonymous)'}  ${where(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  const selfByFunction = new Map();
  const selfByBucket = new Map();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id).callFrame;
    selfByFunction.set(keyOf(frame), (selfByFunction.get(keyOf(frame)) ?? 0) + us);
    selfByBucket.set(bucketOf(frame), (selfByBucket.get(bucketOf(frame)) ?? 0) + us);
    totalUs += us;
  }
  // Inclusive: a function's subtree, counted once per stack even under recursion.
  const subtree = new Map();
  const total = (node) => {
    if (subtree.has(node.id)) return subtree.get(node.id);
    let sum = selfUs.get(node.id) ?? 0;
    for (const child of node.children ?? []) sum += total(byId.get(child));
    subtree.set(node.id, sum);
    return sum;
  };
  const inclusive = new Map();
  const onStack = new Map();
  const walk = (node) => {
    const key = keyOf(node.callFrame);
    const depth = onStack.get(key) ?? 0;
    if (depth === 0) inclusive.set(key, (inclusive.get(key) ?? 0) + total(node));
    onStack.set(key, depth + 1);
    for (const child of node.children ?? []) walk(byId.get(child));
    onStack.set(key, depth);
  };
  walk(profile.nodes[0]);
  const sorted = (map) => [...map].map(([key, us]) => [key, us / 1000]).sort((a, b) => b[1] - a[1]);
  return { totalMs: totalUs / 1000, selfByFunction: sorted(selfByFunction), selfByBucket: sorted(selfByBucket), inclusive: sorted(inclusive) };
}

function printSummary(title, summary, { top = 20, buckets = 14, inclusiveMatch, perCall } = {}) {
  const idle = summary.selfByBucket.find(([key]) => key === '(idle)')?.[1] ?? 0;
  // With perCall, figures are µs per call instead of ms in total.
  const show = perCall ? (ms) => `${((ms * 1000) / perCall).toFixed(1).padStart(7)} µs/call` : (ms) => `${ms.toFixed(1).padStart(8)} ms`;
  console.log(`\n### ${title}\n\nsampled ${summary.totalMs.toFixed(0)} ms, of which (idle) ${idle.toFixed(0)} ms; busy ${show(summary.totalMs - idle)}\n`);
  console.log('self time by package / file:\n');
  for (const [key, ms] of summary.selfByBucket.slice(0, buckets)) console.log(`  ${show(ms)}  ${key}`);
  console.log('\ntop self time by function:\n');
  for (const [key, ms] of summary.selfByFunction.filter(([key]) => !key.startsWith('(idle)')).slice(0, top)) console.log(`  ${show(ms)}  ${key}`);
  if (inclusiveMatch) {
    console.log('\ninclusive time of selected functions:\n');
    for (const [key, ms] of summary.inclusive.filter(([key]) => inclusiveMatch.test(key)).slice(0, 30)) console.log(`  ${show(ms)}  ${key}`);
  }
}

const newestProfile = (dir, before) => {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile') && !before.includes(name));
  if (files.length !== 1) throw new Error(`expected one new .cpuprofile in ${dir}, found ${files.length}`);
  return path.join(dir, files[0]);
};

const profFlags = (dir) => ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${INTERVAL_US}`];

// ---------------------------------------------------------------- start-up

async function profileStartup() {
  console.log('\n## Start-up: spawn → tools/list, CPU profile of the server process');
  const cases = [
    ['floor', [FLOOR_MAIN], cleanEnv()],
    ['yemot-mcp --sandbox --toolsets all', [YEMOT_MAIN, '--sandbox', '--toolsets', 'all'], cleanEnv()],
    ['yemot-mcp --toolsets all, API mode', [YEMOT_MAIN, '--toolsets', 'all'], cleanEnv({ YEMOT_TOKEN: 'bench-token', YEMOT_API_URL: 'https://www.call2all.co.il/ym/api/' })],
  ];
  for (const [label, args, env] of cases) {
    const before = readdirSync(OUT);
    // stop: 'end' closes stdin so the process exits normally and writes its profile.
    const run = await coldStart(args, env, { nodeFlags: profFlags(OUT), stop: 'end' });
    const file = newestProfile(OUT, before);
    printSummary(`${label} (tools/list answered after ${run.listMs.toFixed(0)} ms with the profiler on) — ${file}`, summarizeProfile(file), {
      inclusiveMatch: /^(describeTool|jsonSchemasOf|toJSONSchema|toJson|createApp|loadConfig|startSandbox|createServer|serveStdio|main) /,
    });
  }
}

// ---------------------------------------------------------------- call loop

async function profileCalls(calls = 5000) {
  console.log(`\n## Call loop: ${calls} sequential calls, CPU profile of the server process`);
  const sim = await startSandbox({ log: () => {} });
  const cases = [
    ['floor echo', [FLOOR_MAIN], cleanEnv(), 'echo', { message: 'x' }],
    ['relay (bench/relay-server.mjs)', [RELAY_MAIN], cleanEnv({ RELAY_API_URL: sim.url, RELAY_TOKEN: sim.token }), 'get_approved_caller_ids', {}],
    ['yemot-mcp get_approved_caller_ids', [YEMOT_MAIN], cleanEnv({ YEMOT_API_URL: sim.url, YEMOT_TOKEN: sim.token, YEMOT_TOOLS: 'get_approved_caller_ids' }), 'get_approved_caller_ids', {}],
  ];
  try {
    for (const [label, args, env, tool, toolArgs] of cases) {
      const before = readdirSync(OUT);
      const session = await connectStdio([...profFlags(OUT), ...args], env);
      for (let i = 0; i < calls; i++) {
        await session.call(tool, toolArgs);
        if (i % 1000 === 0) sim.requests.length = 0;
      }
      await session.close();
      await sleep(500); // the profile is written as the process exits
      const file = newestProfile(OUT, before);
      printSummary(`${label}, from the first tools/call on — ${file}`, summarizeProfile(file, { from: 'wrappedHandler' }), {
        top: 30,
        perCall: calls,
        inclusiveMatch:
          /^(runTool|validate|present|scrubDeep|clean|checkMfa|send|post|encode|request|interactionFor|safeParse|_onrequest|serializeMessage|JSONRPCMessageSchema|deserializeMessage|stringify|parse|timeout|any|AbortSignal|scrub) /,
      });
    }
  } finally {
    await sim.close();
  }
}

// ---------------------------------------------------------------- import ladder

/**
 * Each module imported in turn in one fresh process, in the order main.js pulls them in; the cost of a step is what it adds
 * on top of the steps before. Median of several processes.
 */
async function profileImports(reps = 7) {
  const ladder = [
    ['@modelcontextprotocol/sdk/types.js (zod 4 + the MCP schemas)', '@modelcontextprotocol/sdk/types.js'],
    ['@modelcontextprotocol/sdk/server/index.js', '@modelcontextprotocol/sdk/server/index.js'],
    ['@modelcontextprotocol/sdk/server/stdio.js', '@modelcontextprotocol/sdk/server/stdio.js'],
    ['— the floor imports stop here —', null],
    ['undici (dist/client/http.js)', 'undici'],
    ['dist/tools/index.js (every ToolSpec, zod shapes)', pathToFileURL(path.join(ROOT, 'dist/tools/index.js')).href],
    ['dist/app/app.js (+ session, one-time-links)', pathToFileURL(path.join(ROOT, 'dist/app/app.js')).href],
    ['@modelcontextprotocol/sdk/server/streamableHttp.js', '@modelcontextprotocol/sdk/server/streamableHttp.js'],
    ['dist/server.js (rest)', pathToFileURL(path.join(ROOT, 'dist/server.js')).href],
    ['dist/sandbox/index.js (--sandbox only)', pathToFileURL(path.join(ROOT, 'dist/sandbox/index.js')).href],
  ];
  const steps = ladder.filter(([, spec]) => spec);
  const script = `
    const { performance } = await import('node:perf_hooks');
    const out = [performance.now()];
    for (const spec of ${JSON.stringify(steps.map(([, spec]) => spec))}) { const t = performance.now(); await import(spec); out.push(performance.now() - t); }
    process.stdout.write(JSON.stringify(out));`;
  const runs = [];
  for (let rep = 0; rep < reps; rep++) {
    const child = spawn(NODE, ['--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    await new Promise((resolve) => child.once('exit', resolve));
    runs.push(JSON.parse(text));
  }
  console.log(`\n## Import ladder (median of ${reps} fresh processes, ms added by each step)\n`);
  console.log(`  ${median(runs.map((r) => r[0])).toFixed(1).padStart(7)} ms  node boot until the first import starts`);
  let i = 1;
  let cumulative = 0;
  for (const [label, spec] of ladder) {
    if (!spec) {
      console.log(`  ${' '.repeat(7)}     ${label} (cumulative ${cumulative.toFixed(1)} ms)`);
      continue;
    }
    const ms = median(runs.map((r) => r[i]));
    cumulative += ms;
    console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${label}`);
    i++;
  }
  console.log(`  ${cumulative.toFixed(1).padStart(7)} ms  total imports`);
}

// ---------------------------------------------------------------- memory: live heap vs RSS

/**
 * RSS grows with garbage the collector has not yet reclaimed and with V8's heap sizing, not only with leaks.
 * This takes heap snapshots (which run a full GC first) after 5,000 and after 20,000 calls and compares the live heap.
 */
async function profileMemory() {
  console.log('\n## Memory: live heap (heap snapshots, full GC) vs RSS');
  const sim = await startSandbox({ log: () => {} });
  const cases = [
    ['floor echo', [FLOOR_MAIN], cleanEnv(), 'echo', { message: 'x' }],
    ['relay (bench/relay-server.mjs)', [RELAY_MAIN], cleanEnv({ RELAY_API_URL: sim.url, RELAY_TOKEN: sim.token }), 'get_approved_caller_ids', {}],
    ['yemot-mcp get_approved_caller_ids', [YEMOT_MAIN], cleanEnv({ YEMOT_API_URL: sim.url, YEMOT_TOKEN: sim.token, YEMOT_TOOLS: 'get_approved_caller_ids' }), 'get_approved_caller_ids', {}],
  ];
  try {
    for (const [label, args, env, tool, toolArgs] of cases) {
      const dir = mkdtempSync(path.join(OUT, 'heap-'));
      const spacesFile = path.join(dir, 'spaces.jsonl');
      const session = await connectStdio(
        ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dir}`, '--import', pathToFileURL(HEAP_SPACES).href, ...args],
        { ...env, HEAP_SPACES_OUT: spacesFile },
      );
      const spacesNow = () => {
        const lines = readFileSync(spacesFile, 'utf8').trim().split('\n');
        const { spaces } = JSON.parse(lines.at(-1));
        const show = (name) => `${spaces[name].usedMb.toFixed(1)}/${spaces[name].committedMb.toFixed(1)}`;
        return `new ${show('new')}, old ${show('old')}, code ${show('code')} MB used/committed`;
      };
      await session.client.listTools();
      await sleep(600);
      const rows = [['after tools/list', rssMb(session.pid), undefined, spacesNow()]];
      let done = 0;
      for (const target of [10000, 20000]) {
        while (done < target) {
          await session.call(tool, toolArgs);
          if (++done % 1000 === 0) sim.requests.length = 0;
        }
        await sleep(600);
        const rss = rssMb(session.pid);
        const spaces = spacesNow();
        rows.push([`after ${target} calls`, rss, heapCensus(await takeHeapSnapshot(session, dir)), spaces]);
      }
      await session.close();
      console.log(`\n### ${label}\n`);
      const snapshots = rows.filter(([, , census]) => census).map(([, , census]) => census);
      for (const [when, rss, census, spaces] of rows) {
        console.log(`  ${when.padEnd(20)} RSS ${rss.toFixed(1).padStart(6)} MB   heap: ${spaces}${census ? `   live heap after full GC ${census.totalMb.toFixed(2)} MB` : ''}`);
      }
      const [a, b] = snapshots;
      const diff = [...b.byType].map(([key, value]) => [key, value.count - (a.byType.get(key)?.count ?? 0), value.size - (a.byType.get(key)?.size ?? 0)]);
      diff.sort((x, y) => y[2] - x[2]);
      console.log('  (RSS after 20,000 calls also holds what the first heap snapshot left behind)');
      console.log('\n  live-heap growth 10,000 → 20,000 calls, largest first (objects, bytes):');
      for (const [key, count, size] of diff.slice(0, 6)) console.log(`    ${String(count).padStart(7)} ${String(size).padStart(9)}  ${key}`);
    }
  } finally {
    await sim.close();
  }
}

// ---------------------------------------------------------------- main

console.log(`# yemot-mcp profiles (${new Date().toISOString()}, Node ${process.version}); files in ${OUT}`);
if (sections.includes('imports')) await profileImports();
if (sections.includes('startup')) await profileStartup();
if (sections.includes('calls')) await profileCalls();
if (sections.includes('memory')) await profileMemory();
writeFileSync(path.join(OUT, 'README.txt'), 'CPU profiles (.cpuprofile) and heap snapshots written by bench/profile.mjs.\n');
process.exit(0);
