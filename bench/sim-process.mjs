#!/usr/bin/env node
// The simulator in a process of its own, for the out-of-process latency comparison in bench/run.mjs.
// Prints one JSON line {url, token} on stdout when listening; exits when stdin closes.
// Options from the environment: SIM_LATENCY_MS (default 0).
import { startSandbox } from '../dist/sandbox/index.js';

const sim = await startSandbox({ latencyMs: Number(process.env.SIM_LATENCY_MS ?? 0), log: () => {} });
// The recorded requests would grow without bound over a long run: keep the array short.
setInterval(() => (sim.requests.length = 0), 1000).unref();
process.stdout.write(`${JSON.stringify({ url: sim.url, token: sim.token })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
