import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { DEFAULT_TOOLSETS, TOOLSET_TABLE, TOOLSETS } from '../src/call/toolsets.js';
import { readdirSync, readFileSync } from 'node:fs';
import { describeTool } from '../src/surface/describe.js';
import { TOOLS } from '../src/tools/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { startHarness } from './harness.js';
import { BUDGET, measureSurfaces } from './figures.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ log: () => undefined });
});
afterAll(() => sandbox.close());

async function listedNames(argv: string[], env: Record<string, string> = {}) {
  const harness = await startHarness({ use: sandbox, argv, env });
  const { tools } = await harness.client.listTools();
  await harness.close();
  return { names: tools.map((tool) => tool.name), tools };
}

const MFA = TOOLS.filter((spec) => spec.toolset === 'mfa').map((spec) => spec.name);

describe('tool surface through a real client', () => {
  it('defaults to the default toolsets', async () => {
    const { names } = await listedNames([]);
    expect(names).toEqual(TOOLS.filter((spec) => DEFAULT_TOOLSETS.includes(spec.toolset)).map((spec) => spec.name));
    expect(names).not.toContain('list_sip_accounts');
  });

  it('lists everything with --toolsets all, and the chosen toolsets plus mfa otherwise', async () => {
    expect((await listedNames(['--toolsets', 'all'])).names).toHaveLength(TOOLS.length);
    expect((await listedNames(['--toolsets', 'sip'])).names.sort()).toEqual([...MFA, ...TOOLS.filter((s) => s.toolset === 'sip').map((s) => s.name)].sort());
    expect((await listedNames([], { YEMOT_TOOLSETS: 'sms,default' })).names).toContain('get_incoming_sms');
  });

  it('adds named tools and removes excluded ones, but never the mfa tools', async () => {
    expect((await listedNames(['--tools', 'send_tts'])).names.sort()).toEqual([...MFA, 'send_tts'].sort());
    expect((await listedNames(['--toolsets', 'campaigns', '--tools', 'list_sip_accounts'])).names).toEqual(expect.arrayContaining(['send_tts', 'list_sip_accounts']));
    const excluded = (await listedNames([], { YEMOT_EXCLUDE_TOOLS: 'send_tts,mfa_status' })).names;
    expect(excluded).not.toContain('send_tts');
    expect(excluded).toContain('mfa_status');
  });

  it('fails fast on an unknown toolset or tool, listing the valid names', () => {
    expect(() => loadConfig(['--toolsets', 'campaigns,voicemail'], {})).toThrow(/unknown toolset.*voicemail.*Valid: campaigns, files, sms/);
    expect(() => loadConfig([], { YEMOT_TOOLS: 'send_pigeon' })).toThrow(/unknown tool.*send_pigeon.*Valid: .*send_tts/);
    expect(() => loadConfig(['--exclude-tools', 'nope'], {})).toThrow(/nope/);
  });
});

describe('context budget (tokens of tools/list and the instructions, o200k_base)', () => {
  it('keeps the full and default surfaces, every toolset and every tool within budget', async () => {
    const measured = await measureSurfaces(sandbox);
    const figures = {
      fullTools: measured.all.tools,
      fullTokens: measured.all.tokens,
      defaultTools: measured.default.tools,
      defaultTokens: measured.default.tokens,
      discoveryTokens: measured.discover.tokens,
      medianPerTool: measured.all.median,
      largest: measured.all.largest,
      perToolset: Object.fromEntries(TOOLSETS.map((name) => [name, { tokens: measured.perToolset[name], budget: TOOLSET_TABLE[name].budget }])),
    };
    process.stderr.write(`context budget: ${JSON.stringify(figures)}\n`);
    expect(figures.fullTools).toBe(TOOLS.length);
    expect(figures.fullTokens).toBeLessThanOrEqual(BUDGET.fullSurface);
    expect(figures.defaultTokens).toBeLessThanOrEqual(BUDGET.defaultSurface);
    expect(figures.discoveryTokens).toBeLessThanOrEqual(BUDGET.discoverySurface);
    expect(figures.medianPerTool).toBeLessThanOrEqual(BUDGET.medianPerTool);
    for (const tool of measured.all.perTool) expect(tool.tokens, tool.name).toBeLessThanOrEqual(BUDGET.perTool);
    for (const [name, { tokens: spent, budget }] of Object.entries(figures.perToolset)) {
      expect(spent, `${name} has no tools`).toBeGreaterThan(0);
      expect(spent, `toolset ${name}`).toBeLessThanOrEqual(budget);
    }
  });

  it('keeps descriptions to one or two sentences', () => {
    for (const spec of TOOLS) expect(spec.summary.split(/(?<=\.)\s/).length, spec.name).toBeLessThanOrEqual(2);
  });
});

/** One committed file per tool, so a change to one tool shows as a one-file diff. */
const snapshotPath = (name: string) => `./__snapshots__/tools/${name}.json`;

describe('schema snapshot (update deliberately with `npx vitest run -u`)', () => {
  it.each(TOOLS.map((spec) => [spec.name, spec] as const))('%s matches its committed definition', async (name, spec) => {
    await expect(`${JSON.stringify(describeTool(spec), null, 2)}\n`).toMatchFileSnapshot(snapshotPath(name));
  });

  it('has no committed definition of a tool that is gone', () => {
    const committed = readdirSync(new URL('./__snapshots__/tools/', import.meta.url)).map((file) => file.replace(/\.json$/, ''));
    expect(committed.sort()).toEqual(TOOLS.map((spec) => spec.name).sort());
  });

  it('is what the build stores in dist/ for the server to read at start-up', () => {
    const stored = JSON.parse(readFileSync(new URL('../dist/tools/definitions.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(TOOLS.map((spec) => spec.name).sort());
    for (const name of Object.keys(stored)) {
      const committed = JSON.parse(readFileSync(new URL(snapshotPath(name), import.meta.url), 'utf8')) as unknown;
      expect(stored[name], name).toEqual(committed);
    }
  });
});
