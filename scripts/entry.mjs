// Part of `npm run build`: dist/main.js, the server's entry, as one module. Node 20 has no compile cache, and
// resolving, reading and linking each of the ~130 modules of dist/ cost a start about as much as the SDK itself;
// packages stay outside (their own imports), and what main.ts imports lazily (the sandbox, the HTTP host) is a
// chunk of its own, read only when used.
// The other files of dist/ stay as scripts/compile.mjs wrote them (the bench and the scripts import some).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const dist = dirname(entry);

/** Each module's import.meta.url stays its own file's: paths beside it (package.json, definitions, views) resolve as before. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (!source.includes('import.meta.url') || path === entry) return { contents: source, loader: 'js' };
      const own = `new URL(${JSON.stringify(`./${relative(dist, path)}`)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

// Chunks sit beside the entry, so the paths above hold in them too; those of an earlier build go first.
const CHUNK = /^chunk-[A-Z0-9]+\.js$/;
for (const name of readdirSync(dist)) if (CHUNK.test(name)) rmSync(`${dist}/${name}`);

await build({
  entryPoints: [entry],
  outdir: dist,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  splitting: true,
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  plugins: [ownUrl],
  logLevel: 'warning',
});
