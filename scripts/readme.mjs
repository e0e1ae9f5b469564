// Rewrites the tool table in README.md from the command table (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { TOOLS } from '../dist/tools/index.js';
import { renderToolTable, replaceToolTable } from '../dist/tools/readme-table.js';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, replaceToolTable(readFileSync(path, 'utf8'), renderToolTable(TOOLS)));
process.stderr.write(`README.md: ${TOOLS.length} tools\n`);
