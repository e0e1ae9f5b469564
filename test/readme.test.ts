import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../src/tools/index.js';
import { renderSection, SECTION_NAMES } from '../src/surface/readme-table.js';
import { startSandbox } from '../src/sandbox/index.js';
import { measureSurfaces, renderFigures, searchScore, withFigures } from './figures.js';

const README = new URL('../README.md', import.meta.url);
const readme = readFileSync(README, 'utf8');
const hebrew = readFileSync(new URL('../README.he.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(SECTION_NAMES)('has the %s table generated from the command table (run `npm run readme` if this fails)', (name) => {
    expect(readme).toContain(renderSection(name, TOOLS));
  });

  it('starts with exactly the two set-up commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(firstBlock).toBe('npm install && npm run demo\nnpm test\n');
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('## '));
  });

  // Issue 29: the figures it stated (594 tokens, 39 of 40) were typed, and disagreed with what the tests printed.
  // `npm run readme` runs this file with YEMOT_README_UPDATE=1 to write them.
  it('states the figures the tests measure (run `npm run readme` if this fails)', async () => {
    const sandbox = await startSandbox({ log: () => undefined });
    try {
      const section = renderFigures(await measureSurfaces(sandbox), searchScore());
      if (process.env.YEMOT_README_UPDATE === '1') writeFileSync(README, withFigures(readFileSync(README, 'utf8'), section));
      else expect(readme).toContain(section);
    } finally {
      await sandbox.close();
    }
  });

  it('links the Hebrew page from its top, and the Hebrew page reads right to left', () => {
    expect(readme.slice(0, readme.indexOf('## '))).toContain('(README.he.md)');
    expect(hebrew.trimStart().startsWith('<div dir="rtl">')).toBe(true);
    expect(hebrew.trimEnd().endsWith('</div>')).toBe(true);
    // The three parts a Hebrew-first owner needs: installing, the first two-factor prompt, going live.
    for (const heading of ['## התקנה ב-Claude Desktop', '## הבקשה הראשונה: אימות דו-שלבי', '## לפני שעולים לאוויר']) expect(hebrew).toContain(heading);
    for (const heading of ['## Install in Claude Desktop', '### The first real request: two-factor verification', '### Going live']) expect(readme).toContain(heading);
  });

  it('documents every environment variable the server reads', () => {
    const sources = ['config.ts', 'main.ts', 'app/app.ts'].map((file) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8')).join('\n');
    const variables = new Set([...sources.matchAll(/env\.(YEMOT_[A-Z_]+)/g)].map((match) => match[1]));
    expect(variables.size).toBeGreaterThan(10);
    for (const variable of variables) expect(readme, variable).toContain(variable);
  });
});
