import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
/** `npm run inspect`, as the README gives it: the inspector CLI (which runs on Node 20) over the built server and its sandbox. */
const INSPECT = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.inspect;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run inspect -- <args>` without npm in between (its banner would go to stdout): the result is JSON on stdout. */
function inspect(...args: string[]): Promise<Run> {
  const [command, ...script] = INSPECT.split(' ');
  expect(command).toBe('node');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { cwd: root, timeout: 25_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function json(run: Run): Record<string, unknown> {
  expect(run.code, run.stderr).toBe(0);
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

const textOf = (result: Record<string, unknown>) => (result.content as Array<{ type: string; text: string }>)[0].text;

describe('MCP Inspector CLI against the built server (npm run inspect)', { timeout: 30_000 }, () => {
  it('lists the default tools with schemas and annotations, printing no deprecation banner', async () => {
    const run = await inspect('--method', 'tools/list');
    const listing = json(run);
    expect(run.stderr).not.toMatch(/deprecated/i);
    const tools = listing.tools as Array<{ name: string; description?: string; inputSchema: { type: string }; annotations?: Record<string, unknown> }>;
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('read_account');
    expect(names).not.toContain('get_approved_caller_ids');
    expect(new Set(names).size).toBe(names.length);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{2,39}$/);
      expect(tool.description?.length).toBeGreaterThan(0);
      expect(tool.inputSchema.type).toBe('object');
    }
    const read = tools.find((tool) => tool.name === 'read_account')!;
    expect(read.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('calls a read tool of a default install and gets structured content', async () => {
    const result = json(await inspect('--method', 'tools/call', '--tool-name', 'read_account', '--tool-arg', 'command=GetSession'));
    expect(result.isError, textOf(result)).toBeFalsy();
    const structured = result.structuredContent as Record<string, unknown>;
    expect(structured.units).toBeTypeOf('number');
    expect(JSON.parse(textOf(result))).toEqual(structured);
  });

  it('passes a leading-zero number as a string, and reports a tool error in the JSON (exit code stays 0 in v1)', async () => {
    const [approved, invalid] = await Promise.all([
      inspect('--toolsets', 'all', '--method', 'tools/call', '--tool-name', 'check_caller_id', '--tool-arg', 'callerId=0770000000'),
      inspect('--toolsets', 'all', '--method', 'tools/call', '--tool-name', 'check_caller_id', '--tool-arg', 'callerId=0770000000', '--tool-arg', 'serviceType=fax'),
    ]);
    const ok = json(approved);
    expect(ok.isError, textOf(ok)).toBeFalsy();
    // Sent as a number, 770000000 would lose its leading zero; the simulator parses the string it got.
    expect(String((ok.structuredContent as Record<string, unknown>).parsedCallerId)).toMatch(/0?770000000$/);
    expect((ok.structuredContent as Record<string, unknown>).isApproved).toBeTypeOf('boolean');
    const refused = json(invalid);
    expect(refused.isError).toBe(true);
    expect(JSON.parse(textOf(refused))).toMatchObject({ error: 'INVALID_INPUT' });
    expect(textOf(refused)).toMatch(/serviceType/);
  });

  it('sets the logging level', async () => {
    expect(json(await inspect('--method', 'logging/setLevel', '--log-level', 'debug'))).toEqual({});
  });
});
