import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOOLS } from '../src/tools/index.js';
import { renderSection, SECTION_NAMES } from '../src/surface/readme-table.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it.each(SECTION_NAMES)('has the %s table generated from the command table (run `npm run readme` if this fails)', (name) => {
    expect(readme).toContain(renderSection(name, TOOLS));
  });

  it('starts with exactly the two set-up commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(firstBlock).toBe('npm install && npm run demo\nnpm test\n');
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('## '));
  });

  it('documents every environment variable the server reads', () => {
    const sources = ['config.ts', 'main.ts', 'app/app.ts'].map((file) => readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8')).join('\n');
    const variables = new Set([...sources.matchAll(/env\.(YEMOT_[A-Z_]+)/g)].map((match) => match[1]));
    expect(variables.size).toBeGreaterThan(10);
    for (const variable of variables) expect(readme, variable).toContain(variable);
  });
});
