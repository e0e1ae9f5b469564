import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const inspector = fileURLToPath(new URL('../node_modules/.bin/mcp-inspector', import.meta.url));
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The inspector v1 CLI (`--cli`) drives the built server over stdio against its sandbox; it prints the result as JSON on stdout. */
function inspect(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      inspector,
      ['--cli', process.execPath, entry, '--sandbox', '--toolsets', 'all', ...args],
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

describe('MCP Inspector v1 CLI against the built server (--sandbox)', { timeout: 30_000 }, () => {
  it('lists the tools with schemas and annotations', async () => {
    const listing = json(await inspect('--method', 'tools/list'));
    const tools = listing.tools as Array<{ name: string; description?: string; inputSchema: { type: string }; annotations?: Record<string, unknown> }>;
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('get_approved_caller_ids');
    expect(new Set(names).size).toBe(names.length);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9_]{2,39}$/);
      expect(tool.description?.length).toBeGreaterThan(0);
      expect(tool.inputSchema.type).toBe('object');
    }
    const read = tools.find((tool) => tool.name === 'get_approved_caller_ids')!;
    expect(read.annotations).toMatchObject({ readOnlyHint: true });
  });

  it('calls a read tool and gets structured content', async () => {
    const result = json(await inspect('--method', 'tools/call', '--tool-name', 'get_approved_caller_ids'));
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as Record<string, unknown>;
    expect(structured.call).toBeDefined();
    expect(structured.sms).toBeDefined();
    expect(JSON.parse(textOf(result))).toEqual(structured);
  });

  it('passes a leading-zero number as a string, and reports a tool error in the JSON (exit code stays 0 in v1)', async () => {
    const [approved, invalid] = await Promise.all([
      inspect('--method', 'tools/call', '--tool-name', 'check_caller_id', '--tool-arg', 'callerId=0770000000'),
      inspect('--method', 'tools/call', '--tool-name', 'check_caller_id', '--tool-arg', 'callerId=0770000000', '--tool-arg', 'serviceType=fax'),
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
