// Rewrites the generated sections of README.md (run after `npm run build`): the tools and toolsets tables from the
// command table, then the figures (context cost, search score) as the tests measure them: test/readme.test.ts writes
// them when YEMOT_README_UPDATE=1, and otherwise fails when the README says anything else.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TOOLS } from '../dist/tools/index.js';
import { replaceSection, SECTION_NAMES } from '../dist/surface/readme-table.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, SECTION_NAMES.reduce((readme, name) => replaceSection(readme, name, TOOLS), readFileSync(path, 'utf8')));
process.stderr.write(`README.md: ${TOOLS.length} tools, sections ${SECTION_NAMES.join(', ')}\n`);

const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const measured = spawnSync(process.execPath, [vitest, 'run', '--project', 'unit', 'test/readme.test.ts', '-t', 'figures'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: { ...process.env, YEMOT_README_UPDATE: '1' },
  stdio: 'inherit',
});
if (measured.status !== 0) process.exit(measured.status ?? 1);
process.stderr.write('README.md: figures measured by the tests\n');
