import { encode } from 'gpt-tokenizer';
import { TOOLSETS, type Toolset } from '../src/call/toolsets.js';
import { createSearch } from '../src/surface/search.js';
import { TOOLS } from '../src/tools/index.js';
import type { Sandbox } from '../src/sandbox/index.js';
import { startHarness } from './harness.js';
import { HEBREW, REQUESTS } from './search-requests.js';

/**
 * The figures the README states, measured here and nowhere typed: the context cost of each surface (tokens of its
 * tools/list answer through a real client, o200k_base), and how well discovery search finds the owner's requests.
 * test/surface.test.ts holds the budgets; test/readme.test.ts holds the README's section to these measurements.
 */

// Budgets picked from measurement (o200k_base; README "Context cost"), with a little headroom: full 36 tools
// ≈7.3k, default ≈4.5k, median ≈175; the IVR file tools of issue 12 (the files toolset, default) added ≈2.1k to
// both (files ≈2.8k). The per-tool cap leaves room for read_ivr (≈770), one tool for six read commands, and
// bridge_calls_to_extension (≈580), whose phones take the four shapes the docs list. Each toolset's own budget is
// data (TOOLSET_TABLE in src/tools/toolsets.ts). With the whole API registered (78 tools), the schema diet (only
// the annotations hosts confirm by, no safe-integer/length noise, `done` declared only where it is the whole answer,
// no `required` lists inside output items) and issue 16's tight text and lean defaults, the surface measures full
// ≈15.9k, default (26 tools) ≈5.9k, median 190, largest create_task ≈598: issue 16's targets, held here. Issue 28's
// ivr_tree and dry_run_call (files, default) measure 430 together: the full, default and files budgets grew by that.
// Issue 29 gave every tool a human title (hosts show it in approval prompts) and moved the command list into the
// description ("Yemot: SendSms", minus names the summary already says; the action selector's own description shortened
// to match): +430 full, +50 default, +4 median, every toolset still within its own budget. The budgets grew by that.
// Issue 27's lookup_setting, change_extension, create_extension, list_changes and undo_change (files, default), less
// update_extension, with the change sets of write_text_file and delete_files: +1,250 full, +1,200 default. Over issue
// 30's goals (16,000 and 6,000): that issue stays open for the trim. Issue 29's one campaign id, weekly series, call-log
// filters, SIP phone settings and parameter forms, less JSON's string key names: +440 full, +230 default, +2 median.
// Issue 30 item 5 brought them to its goals, instructions now counted with each surface (full 18,703 and default
// 8,304 before): output schemas listed without types (answers are normalised to them before they leave), readOnlyHint
// only when true, no bounds or patterns the description spells, tighter texts. The budgets are the goals.
export const BUDGET = { fullSurface: 16_000, defaultSurface: 6_000, discoverySurface: 1_500, perTool: 600, medianPerTool: 215 };

export const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Listed {
  name: string;
}

/** One surface: its tools, their tokens in all with the server's instructions, the median and the largest tool. */
function surface({ tools, instructions }: { tools: Listed[]; instructions: string }) {
  const perTool = tools.map((tool) => ({ name: tool.name, tokens: tokens(tool) }));
  return {
    tools: tools.length,
    tokens: tokens(tools) + encode(instructions).length,
    median: median(perTool.map((tool) => tool.tokens)),
    largest: perTool.reduce((a, b) => (b.tokens > a.tokens ? b : a)),
    perTool,
  };
}

/** The tools/list answer and the instructions of a server with these settings, through a real client. */
export async function listed(sandbox: Sandbox, argv: string[], env: Record<string, string> = {}) {
  const harness = await startHarness({ use: sandbox, argv, env });
  try {
    return { tools: (await harness.client.listTools()).tools, instructions: harness.client.getInstructions() ?? '' };
  } finally {
    await harness.close();
  }
}

export async function measureSurfaces(sandbox: Sandbox) {
  const all = await listed(sandbox, ['--toolsets', 'all']);
  const toolsetOf = new Map(TOOLS.map((spec) => [spec.name, spec.toolset]));
  return {
    default: surface(await listed(sandbox, [])),
    all: surface(all),
    discover: surface(await listed(sandbox, ['--tool-mode', 'discover', '--toolsets', 'all'])),
    perToolset: Object.fromEntries(TOOLSETS.map((name) => [name, tokens(all.tools.filter((tool) => toolsetOf.get(tool.name) === name))])) as Record<Toolset, number>,
  };
}
export type Surfaces = Awaited<ReturnType<typeof measureSurfaces>>;

/** Discovery search over the owner's requests: the right tool among the first three. */
export function searchScore() {
  const search = createSearch(TOOLS);
  const ranked = REQUESTS.map(([query, tool]) => {
    const top = search(query).slice(0, 3).map((match) => match.spec.name);
    return { query, tool, top, hit: top.includes(tool) };
  });
  return { ranked, hits: ranked.filter((row) => row.hit).length, total: REQUESTS.length, hebrew: REQUESTS.filter(([query]) => HEBREW.test(query)).length };
}

const number = (value: number) => value.toLocaleString('en-US');

/** The README's figures section, between its markers. */
export function renderFigures(surfaces: Surfaces, score: ReturnType<typeof searchScore>): string {
  const row = (label: string, measured: ReturnType<typeof surface>) =>
    `| ${label} | ${measured.tools} | ${number(measured.tokens)} | ${measured.median} | \`${measured.largest.name}\`, ${measured.largest.tokens} |`;
  return [
    FIGURES_START,
    '| Surface | Tools | Tokens | Median per tool | Largest |',
    '|---|---:|---:|---:|---|',
    row('default toolsets', surfaces.default),
    row('`--toolsets all`', surfaces.all),
    row('`--tool-mode discover`', surfaces.discover),
    '',
    `Per toolset (tokens; its budget is in the toolset table above): ${TOOLSETS.map((name) => `${name} ${number(surfaces.perToolset[name])}`).join('; ')}.`,
    `The test's budgets (instructions included): full ${number(BUDGET.fullSurface)}, default ${number(BUDGET.defaultSurface)}, discovery ${number(BUDGET.discoverySurface)}, any tool ${BUDGET.perTool}, median ${BUDGET.medianPerTool}.`,
    '',
    `Discovery search puts the right tool in the top three for ${score.hits} of ${score.total} requests an owner would make (${score.hebrew} of them in Hebrew; \`test/search-requests.ts\`).`,
    FIGURES_END,
  ].join('\n');
}

const FIGURES_START = '<!-- figures:start (measured by the tests; `npm run readme` rewrites it; do not edit) -->';
const FIGURES_END = '<!-- figures:end -->';

/** The README with its figures section replaced. */
export function withFigures(readme: string, section: string): string {
  const from = readme.indexOf(FIGURES_START);
  const to = readme.indexOf(FIGURES_END);
  if (from < 0 || to < from) throw new Error('README.md has no figures markers');
  return readme.slice(0, from) + section + readme.slice(to + FIGURES_END.length);
}
