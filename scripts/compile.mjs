// Part of `npm run build`: src/**/*.ts to dist/ as ES modules, one file for one file (no bundling), by esbuild.
// Types are checked by `npm run typecheck` (and beside the tests in `npm test`): a second full tsc pass only to
// emit would double the compile cost of every test run.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const src = new URL('../src/', import.meta.url).pathname;
const entryPoints = readdirSync(src, { recursive: true })
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
  .map((name) => join(src, name));

await build({
  entryPoints,
  outdir: new URL('../dist/', import.meta.url).pathname,
  outbase: src,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  bundle: false,
  logLevel: 'warning',
});
