import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHttp, type Served } from './http-server.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const conformance = join(root, 'node_modules/.bin/conformance');
const baselinePath = join(root, 'conformance/baseline.yml');

/**
 * Scenarios of @modelcontextprotocol/conformance 0.1.13 that test the protocol itself rather than the
 * reference server's own tools, prompts and resources. Each must pass with no failure and no warning.
 */
const APPLICABLE = ['server-initialize', 'ping', 'logging-set-level', 'tools-list', 'server-sse-multiple-streams', 'dns-rebinding-protection', 'resources-list', 'completion-complete'];

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  errorMessage?: string;
}

/** The `server:` list of the baseline file (the format --expected-failures reads: YAML, `server:` and `client:` lists). */
function baseline(): string[] {
  const names: string[] = [];
  let inServer = false;
  for (const line of readFileSync(baselinePath, 'utf8').split('\n')) {
    if (/^server:\s*$/.test(line)) inServer = true;
    else if (/^\S/.test(line) && !line.startsWith('#')) inServer = false;
    else if (inServer) {
      const item = /^\s+-\s+([\w-]+)/.exec(line);
      if (item) names.push(item[1]);
    }
  }
  return names;
}

describe('MCP conformance 0.1.13 against the HTTP server (--http --sandbox)', { timeout: 60_000 }, () => {
  let server: Served;
  let output: string;
  let results: Map<string, Check[]>;
  let exitCode: number;
  let report = '';

  beforeAll(async () => {
    output = mkdtempSync(join(tmpdir(), 'yemot-mcp-conformance-'));
    server = await serveHttp(['--sandbox']);
    // Results go to a temp dir (-o); without -o the tool writes no files, and it never writes results/ in the cwd.
    exitCode = await new Promise<number>((resolve) => {
      execFile(
        conformance,
        ['server', '--url', server.url, '--suite', 'active', '--expected-failures', baselinePath, '-o', output],
        { cwd: output, timeout: 50_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
        (error, out, err) => {
          report = `${out}\n${err}`;
          resolve(error ? ((error as { code?: number }).code ?? 1) : 0);
        },
      );
    });
    results = new Map();
    for (const dir of readdirSync(output)) {
      const file = join(output, dir, 'checks.json');
      if (!existsSync(file)) continue;
      const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
      results.set(scenario, JSON.parse(readFileSync(file, 'utf8')) as Check[]);
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (output) rmSync(output, { recursive: true, force: true });
  });

  it('the baseline lists no applicable scenario, and every entry has a reason', () => {
    const expected = baseline();
    expect(expected.length).toBeGreaterThan(0);
    for (const scenario of APPLICABLE) expect(expected).not.toContain(scenario);
    const text = readFileSync(baselinePath, 'utf8');
    for (const scenario of expected) expect(text, scenario).toMatch(new RegExp(`-\\s+${scenario}\\s+#\\s*\\S`));
  });

  it.each(APPLICABLE)('%s passes with no failure or warning', (scenario) => {
    const checks = results.get(scenario);
    expect(checks, `${scenario} did not run:\n${report}`).toBeDefined();
    expect(checks!.some((check) => check.status === 'SUCCESS')).toBe(true);
    const bad = checks!.filter((check) => check.status === 'FAILURE' || check.status === 'WARNING');
    expect(bad, JSON.stringify(bad, null, 2)).toEqual([]);
  });

  it('the whole active suite matches the baseline (no unexpected failure, no stale entry)', () => {
    expect(exitCode, report).toBe(0);
    expect(report).toContain('Baseline check passed');
    for (const scenario of baseline()) expect(results.has(scenario), `${scenario} is not in the active suite any more`).toBe(true);
  });

  it('the server wrote nothing to stdout', () => {
    expect(server.stdout()).toBe('');
  });
});
