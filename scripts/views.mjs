// Part of `npm run build`: each MCP Apps view (src/surface/views.ts VIEWS) from its source in views/ to one
// self-contained HTML file in dist/views/: the script bundled and the style sheet inlined, nothing fetched.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build, transform } from 'esbuild';
import { VIEWS } from '../dist/surface/views.js';

/** What one view may weigh (issue 31): it travels in a resources/read, and hosts may cache it. */
export const MAX_VIEW_BYTES = 150 * 1024;
const source = (path) => new URL(`../views/${path}`, import.meta.url);
const out = new URL('../dist/views/', import.meta.url);

const { code: css } = await transform(readFileSync(source('style.css'), 'utf8'), { loader: 'css', minify: true });
mkdirSync(out, { recursive: true });
for (const view of VIEWS) {
  const bundled = await build({
    entryPoints: [source(`${view.name}.ts`).pathname],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
  });
  // A "</script" inside the code would end the element early.
  const script = bundled.outputFiles[0].text.replace(/<\/(script)/gi, '<\\/$1');
  const html = `<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${view.title}</title><style>${css}</style></head><body><script>${script}</script></body></html>\n`;
  const bytes = Buffer.byteLength(html);
  if (bytes > MAX_VIEW_BYTES) throw new Error(`view ${view.name} is ${bytes} bytes, over the ${MAX_VIEW_BYTES} a view may weigh`);
  writeFileSync(new URL(`${view.name}.html`, out), html);
}
