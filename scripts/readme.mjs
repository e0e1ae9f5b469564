// Rewrites the generated sections of README.md (tools, toolsets) from the command table (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { TOOLS } from '../dist/tools/index.js';
import { replaceSection, SECTION_NAMES } from '../dist/surface/readme-table.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, SECTION_NAMES.reduce((readme, name) => replaceSection(readme, name, TOOLS), readFileSync(path, 'utf8')));
process.stderr.write(`README.md: ${TOOLS.length} tools, sections ${SECTION_NAMES.join(', ')}\n`);
