import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { serveHttp, type Served } from './http-server.js';
import { INITIALIZE } from './raw-http.js';

/**
 * Memory of the HTTP server under abuse, measured as the built server's resident set (Linux /proc): refused
 * requests must leave nothing behind, and abandoned sessions must be forgotten when they expire.
 */

const TOKEN = 'memory-test-bearer-0123456789abcdef0123';
const INITIALIZE_BODY = JSON.stringify(INITIALIZE);
const MCP = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` };
const MB = 1024 * 1024;

interface Probe {
  headers: Record<string, string>;
  body: string;
  path?: string;
  status: number;
}

/** One of every refusal the server gives before a session exists. */
const REFUSED: Probe[] = [
  { headers: { ...MCP, accept: 'application/json' }, body: INITIALIZE_BODY, status: 406 },
  { headers: { ...MCP, 'content-type': 'text/plain' }, body: INITIALIZE_BODY, status: 415 },
  { headers: MCP, body: '{not json', status: 400 },
  { headers: MCP, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }), status: 400 },
  { headers: { ...MCP, authorization: 'Bearer wrong' }, body: INITIALIZE_BODY, status: 401 },
  { headers: { ...MCP, host: 'evil.example' }, body: INITIALIZE_BODY, status: 403 },
  { headers: MCP, body: INITIALIZE_BODY, path: '/elsewhere', status: 404 },
  { headers: { ...MCP, 'mcp-session-id': 'no-such-session' }, body: INITIALIZE_BODY, status: 404 },
];
const OVERSIZED: Probe = { headers: MCP, body: 'x'.repeat(4 * MB + 1), status: 413 };

/**
 * With the default heap V8 collects when it likes, and garbage shows in the RSS as much as a leak does. A small
 * heap makes the collector run, so the RSS shows what the process holds; a leak still grows it (or, as the
 * leak this guards against did, kills the process out of memory after about 1,300 requests).
 */
const SMALL_HEAP = ['--max-old-space-size=64'];

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const inMB = (bytes: number) => Math.round((bytes / MB) * 10) / 10;

function send(url: URL, agent: Agent, probe: Probe): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: probe.path ?? url.pathname, method: 'POST', headers: probe.headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(probe.body);
  });
}

/** `count` requests, 16 at a time, cycling through `probes`; returns the statuses that were not the expected one. */
async function flood(url: URL, agent: Agent, probes: Probe[], count: number): Promise<string[]> {
  const wrong: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const probe = probes[next++ % probes.length];
      const status = await send(url, agent, probe);
      if (status !== probe.status) wrong.push(`${probe.status} -> ${status}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return wrong;
}

describe.runIf(process.platform === 'linux').concurrent('HTTP memory under abuse (built server, RSS from /proc)', () => {
  const servers: Served[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  afterAll(async () => {
    agent.destroy();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('20,000 refused requests (406, 415, 400, 401, 403, 404, 413) leave RSS within 20 MB of where it started', { timeout: 60_000 }, async () => {
    const server = await serveHttp(['--sandbox'], { YEMOT_HTTP_TOKEN: TOKEN }, SMALL_HEAP);
    servers.push(server);
    const url = new URL(server.url);
    // Warm-up: the JIT, the heap's first growth and the sockets, then the baseline.
    expect(await flood(url, agent, REFUSED, 5_000)).toEqual([]);
    expect(await flood(url, agent, [OVERSIZED], 4)).toEqual([]);
    const before = rssOf(server.child.pid!);
    const wrong = await flood(url, agent, REFUSED, 19_990);
    wrong.push(...(await flood(url, agent, [OVERSIZED], 10)));
    const after = rssOf(server.child.pid!);
    process.stderr.write(`refused requests: 20,000, RSS ${inMB(before)} -> ${inMB(after)} MB\n`);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(after - before).toBeLessThan(20 * MB);
  });

  // The cap's 503 and the expiry itself are checked in-process (http-abuse.test.ts); this is their memory.
  it('2,000 sessions opened and abandoned, twice: each round expires and RSS stays flat', { timeout: 60_000 }, async () => {
    const server = await serveHttp(['--sandbox'], { YEMOT_HTTP_TOKEN: TOKEN, YEMOT_HTTP_MAX_SESSIONS: '2000', YEMOT_HTTP_SESSION_IDLE_SECONDS: '1' }, SMALL_HEAP);
    servers.push(server);
    const url = new URL(server.url);
    const open: Probe = { headers: MCP, body: INITIALIZE_BODY, status: 200 };
    const start = rssOf(server.child.pid!);
    const figures: number[] = [];
    for (let round = 0; round < 2; round++) {
      expect(await flood(url, agent, [open], 2_000)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      figures.push(rssOf(server.child.pid!));
    }
    process.stderr.write(`abandoned sessions: 2 x 2,000, RSS start ${inMB(start)}, after each expiry ${figures.map(inMB).join(', ')} MB\n`);
    expect(figures[1] - figures[0]).toBeLessThan(20 * MB);
  });
});
