import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonCutError, JsonCutParser, SECRET_MARGIN_CHARS } from '../src/client/json-cut.js';

/** Feeds `text` in pieces of `size` characters (a piece may end inside a token, an escape or a surrogate pair). */
function parse(text: string, keepChars: number, size = 7) {
  const parser = new JsonCutParser(keepChars);
  for (let at = 0; at < text.length; at += size) parser.write(text.slice(at, at + size));
  return parser.end();
}

const json = fc.jsonValue({ maxDepth: 4 });

describe('JsonCutParser', () => {
  it('reads what JSON.parse reads, in pieces of any size, when nothing needs cutting', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 40 }), (value, size) => {
        const text = JSON.stringify(value, null, size % 3 === 0 ? 2 : undefined);
        const { value: read, cuts } = parse(text, 1e9, size);
        expect(read).toEqual(JSON.parse(text));
        expect(cuts).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps of any value a prefix of every array and string, whole objects, and counts exactly what each cut lost', () => {
    const field = (parent: string, key: string | number) => (typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key);
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 50 }), (generated, keep, size) => {
        const text = JSON.stringify(generated);
        // What the text says (JSON writes -0 as 0), not the value it was written from.
        const value: unknown = JSON.parse(text);
        const { value: kept, cuts } = parse(text, keep, size);
        const found: typeof cuts = [];
        const check = (part: unknown, whole: unknown, at: string) => {
          if (Array.isArray(whole)) {
            const items = part as unknown[];
            expect(items.length).toBeLessThanOrEqual(whole.length);
            if (items.length < whole.length) found.push({ field: at, unit: 'items', total: whole.length });
            items.forEach((item, index) => check(item, whole[index], field(at, index)));
          } else if (typeof whole === 'string') {
            expect(whole.startsWith(part as string)).toBe(true);
            expect((part as string).length).toBeGreaterThanOrEqual(Math.min(whole.length, keep + SECRET_MARGIN_CHARS));
            if ((part as string).length < whole.length) found.push({ field: at, unit: 'characters', total: whole.length });
          } else if (whole && typeof whole === 'object') {
            expect(Object.keys(part as object)).toEqual(Object.keys(whole));
            for (const [key, item] of Object.entries(whole)) check((part as Record<string, unknown>)[key], item, field(at, key));
          } else {
            expect(part).toBe(whole);
          }
        };
        check(kept, value, '');
        expect(new Set(cuts.map((cut) => JSON.stringify(cut)))).toEqual(new Set(found.map((cut) => JSON.stringify(cut))));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses', () => {
    const broken = ['{"a":1', '{"a":1}}', '{"a" 1}', '{a:1}', '[1,]', '[1 2]', '{"a":tru}', '{"a":01}', '{"a":"\\x"}', '{"a":"\\u12G4"}', '"open', '{"a":1}{"b":2}', '', '{"a":-}', '{"a":1.}'];
    for (const text of broken) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(() => parse(text, 1e9), text).toThrow(JsonCutError);
    }
  });

  it('keeps __proto__ a key, as JSON.parse does', () => {
    const { value } = parse('{"__proto__":{"polluted":true},"a":1}', 1e9);
    expect(Object.keys(value as object)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the first items of a long array, counts the rest, and keeps every member of an object', () => {
    const rows = Array.from({ length: 10_000 }, (_, id) => ({ id, name: `file ${id}.wav`, tags: ['a', 'b'] }));
    const answer = { responseStatus: 'OK', rows, summary: { total: 10_000 }, after: 'still read' };
    const { value, cuts } = parse(JSON.stringify(answer), 2_000, 4096);
    const kept = value as typeof answer;
    expect(kept.rows.length).toBeGreaterThan(10);
    expect(kept.rows.length).toBeLessThan(100);
    expect(kept.rows).toEqual(rows.slice(0, kept.rows.length));
    expect(JSON.stringify(kept.rows.slice(0, -1)).length).toBeLessThan(2_000);
    expect(kept).toMatchObject({ responseStatus: 'OK', summary: { total: 10_000 }, after: 'still read' });
    expect(cuts).toEqual([{ field: 'rows', unit: 'items', total: 10_000 }]);
  });

  it('cuts a long string to its beginning plus the secret margin and counts its characters, escapes and pairs decoded', () => {
    const text = `"א\\n😀${'x'.repeat(50_000)}"`;
    const { value, cuts } = parse(`{"folders":[{"content":${text}}]}`, 1_000, 333);
    const whole = JSON.parse(text) as string;
    const kept = (value as { folders: Array<{ content: string }> }).folders[0].content;
    expect(kept).toBe(whole.slice(0, 1_000 + SECRET_MARGIN_CHARS));
    expect(cuts).toEqual([{ field: 'folders[0].content', unit: 'characters', total: whole.length }]);
  });

  it('names cut fields the way the result cap does, and builds nothing of what it drops', () => {
    const inner = { list: Array.from({ length: 500 }, (_, i) => i) };
    const answer = { a: { b: [inner, inner] }, big: Array.from({ length: 2_000 }, () => inner) };
    const { value, cuts } = parse(JSON.stringify(answer), 300, 1000);
    expect(cuts).toEqual([
      { field: 'a.b[0].list', unit: 'items', total: 500 },
      // Its first item alone passes 300 characters: the second is read, not kept.
      { field: 'a.b', unit: 'items', total: 2 },
      { field: 'big[0].list', unit: 'items', total: 500 },
      { field: 'big', unit: 'items', total: 2_000 },
    ]);
    // The dropped items of `big` were read, never kept: one item kept (its own list cut).
    expect((value as { big: unknown[] }).big).toHaveLength(1);
  });
});
