// Part of `npm run build`: stores every tool's tools/list definition next to the compiled code, so a
// start-up does not convert 36 zod schemas to JSON Schema (src/surface/describe.ts reads this file).
import { writeFileSync } from 'node:fs';
import { TOOLS } from '../dist/tools/index.js';
import { DEFINITIONS_FILE, serializeDefinitions } from '../dist/surface/describe.js';

writeFileSync(new URL(`../dist/tools/${DEFINITIONS_FILE}`, import.meta.url), serializeDefinitions(TOOLS));
