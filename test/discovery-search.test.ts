import { describe, expect, it } from 'vitest';
import { TOOLS } from '../src/tools/index.js';
import { createSearch } from '../src/surface/search.js';
import { searchScore } from './figures.js';
import { HEBREW, REQUESTS } from './search-requests.js';

/** The owner's requests (test/search-requests.ts) against discovery search: no model, no network. */
describe('discovery search over the whole table', () => {
  const search = createSearch(TOOLS);
  const { ranked, hits } = searchScore();

  it('asks at least 80 requests, half of them in Hebrew, each naming a tool of the table', () => {
    const names = new Set(TOOLS.map((spec) => spec.name));
    for (const [, tool] of REQUESTS) expect(names, tool).toContain(tool);
    expect(REQUESTS.length).toBeGreaterThanOrEqual(80);
    expect(REQUESTS.filter(([query]) => HEBREW.test(query)).length * 2).toBeGreaterThanOrEqual(REQUESTS.length);
    expect(new Set(REQUESTS.map(([query]) => query)).size).toBe(REQUESTS.length);
  });

  it('puts the right tool in the top three for at least 95% of the requests (the misses printed)', () => {
    const misses = ranked.filter((row) => !row.hit).map((row) => `  "${row.query}" wants ${row.tool}, got ${row.top.join(', ') || 'nothing'}`);
    process.stderr.write(`discovery search: ${hits}/${REQUESTS.length} in the top three\n${misses.join('\n')}\n`);
    expect(hits / REQUESTS.length).toBeGreaterThanOrEqual(0.95);
  });

  it('ranks the call log, not a tzintuk, first for "who called"', () => {
    expect(search('who called extension 3 yesterday')[0].spec.name).toBe('render_ymgr_file');
    expect(search('מי התקשר לשלוחה 3 אתמול')[0].spec.name).toBe('render_ymgr_file');
  });

  it('finds nothing for words the table does not carry', () => {
    expect(search('bake a pizza')).toEqual([]);
    expect(search('the of to')).toEqual([]);
  });
});
