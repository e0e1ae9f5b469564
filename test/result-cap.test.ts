import { describe, expect, it } from 'vitest';
import { capResult, DEFAULT_MAX_RESULT_CHARS, type Truncation } from '../src/call/result-cap.js';

const size = (value: unknown) => JSON.stringify(value).length;
const rows = (count: number, width = 40) => Array.from({ length: count }, (_, i) => ({ id: i, phone: `05${String(i).padStart(8, '0')}`, note: 'n'.repeat(width) }));
const truncatedOf = (result: Record<string, unknown>) => result.truncated as Truncation[];

describe('capResult', () => {
  it('returns a result within the limit unchanged (the same object)', () => {
    const result = { rows: rows(10) };
    expect(capResult(result, { maxChars: 10_000 })).toBe(result);
  });

  it('cuts a long list to its first items, fits the limit, and says so with the narrowing param', () => {
    const input = { total: 5000, rows: rows(5000) };
    const before = JSON.stringify(input);
    const capped = capResult(input, { maxChars: 10_000, narrowWith: 'limit' });
    expect(size(capped)).toBeLessThanOrEqual(10_000);
    // Uses most of the room, not a token few items.
    expect(size(capped)).toBeGreaterThan(9_000);
    const shown = (capped.rows as unknown[]).length;
    expect(capped.rows).toEqual(input.rows.slice(0, shown));
    expect(capped.total).toBe(5000);
    expect(truncatedOf(capped)).toEqual([
      { field: 'rows', unit: 'items', total: 5000, shown, note: expect.stringMatching(new RegExp(`first ${shown} of 5000 items of rows.*2,500 tokens.*narrow the list with limit`)) },
    ]);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('cuts the largest array first and leaves smaller ones whole', () => {
    const input = { small: rows(20), large: rows(3000), middle: rows(200) };
    const capped = capResult(input, { maxChars: 30_000 });
    expect(capped.small).toEqual(input.small);
    expect(capped.middle).toEqual(input.middle);
    expect(truncatedOf(capped).map((entry) => entry.field)).toEqual(['large']);
    expect(size(capped)).toBeLessThanOrEqual(30_000);
  });

  it('cuts the next largest when cutting one is not enough', () => {
    const input = { a: rows(400), b: rows(300) };
    const capped = capResult(input, { maxChars: 5_000 });
    expect(truncatedOf(capped).map((entry) => entry.field)).toEqual(['a', 'b']);
    expect(size(capped)).toBeLessThanOrEqual(5_000);
  });

  it('names nested lists by their path and says to ask for less when no param narrows them', () => {
    const capped = capResult({ folder: { name: 'ivr2:/1', files: rows(2000) } }, { maxChars: 8_000 });
    const [entry] = truncatedOf(capped);
    expect(entry.field).toBe('folder.files');
    expect(entry.note).toMatch(/ask for a narrower range/);
    expect((capped.folder as { name: string }).name).toBe('ivr2:/1');
  });

  it('cuts a long string with a marker, counting JSON escapes (Hebrew, quotes, newlines)', () => {
    const line = 'שם,"טלפון"\n';
    const content = line.repeat(20_000);
    const capped = capResult({ contentType: 'text/csv', content }, { maxChars: 10_000 });
    expect(size(capped)).toBeLessThanOrEqual(10_000);
    const text = capped.content as string;
    const [entry] = truncatedOf(capped);
    expect(entry).toMatchObject({ field: 'content', unit: 'characters', total: content.length });
    expect(text.startsWith(content.slice(0, entry.shown))).toBe(true);
    expect(text.endsWith(`…[cut: ${content.length - entry.shown!} more characters]`)).toBe(true);
    expect(entry.shown).toBeGreaterThan(3_000);
  });

  it('keeps the first item of a list and cuts what is inside it', () => {
    const capped = capResult({ items: [{ id: 1, text: 'x'.repeat(50_000) }] }, { maxChars: 5_000 });
    expect(truncatedOf(capped).map((entry) => entry.field)).toEqual(['items[0].text']);
    expect((capped.items as Array<{ id: number }>)[0].id).toBe(1);
    expect(size(capped)).toBeLessThanOrEqual(5_000);
  });

  it('never splits a surrogate pair', () => {
    const capped = capResult({ text: '😀'.repeat(5_000) }, { maxChars: 2_001 });
    expect((capped.text as string).split('…')[0]).toMatch(/^(?:😀)*$/u);
    expect(size(capped)).toBeLessThanOrEqual(2_001);
  });

  it('defaults to about 25,000 tokens (100,000 characters)', () => {
    expect(DEFAULT_MAX_RESULT_CHARS).toBe(100_000);
    const capped = capResult({ rows: rows(30_000) });
    expect(size(capped)).toBeLessThanOrEqual(100_000);
    expect(size(capped)).toBeGreaterThan(95_000);
    expect(truncatedOf(capped)[0].note).toMatch(/25,000 tokens/);
  });

  it('fits the limit for many shapes of input', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const input = {
        list: rows(seed * 37, seed % 7),
        nested: { deep: Array.from({ length: seed * 5 }, (_, i) => ({ i, tags: rows(seed % 5, 3), blob: 'b'.repeat((i * seed) % 3000) })) },
        text: 'ט\n"'.repeat(seed * 400),
      };
      const maxChars = 2_000 + seed * 500;
      const capped = capResult(input, { maxChars });
      expect(size(capped), `seed ${seed}`).toBeLessThanOrEqual(maxChars);
      if (size(input) > maxChars) expect(truncatedOf(capped).length, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('leaves a result with nothing to cut (only short fields) as it is', () => {
    const input = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));
    expect(capResult(input, { maxChars: 1_000 })).toBe(input);
  });
});
