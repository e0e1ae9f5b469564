import { describe, expect, it } from 'vitest';
import { findLeadingId, findTrailingId } from '../src/core/jsonrpc.js';
import { LineSplitter } from '../src/host/stdio-lines.js';

function split(chunks: Array<string | Buffer>, maxBytes: number, edgeBytes = 8) {
  const events: Array<[string, ...string[]]> = [];
  const splitter = new LineSplitter(maxBytes, edgeBytes, {
    line: (bytes) => void events.push(['line', bytes.toString('utf8')]),
    oversized: (head, tail) => void events.push(['oversized', head.toString('utf8'), tail.toString('utf8')]),
  });
  for (const chunk of chunks) splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return { events, end: () => (splitter.end(), events) };
}

describe('LineSplitter', () => {
  it('joins lines across chunks, splits several in one chunk, drops CR and blank lines', () => {
    expect(split(['{"a"', ':1}\n{"b":2}\r\n\n', '{"c"', ':3}\n'], 100).events).toEqual([
      ['line', '{"a":1}'],
      ['line', '{"b":2}'],
      ['line', '{"c":3}'],
    ]);
  });

  it('keeps a line of exactly the limit and skips a longer one up to its newline, keeping only its head and its tail', () => {
    const exact = 'x'.repeat(10);
    expect(split([`${exact}\n`, 'y'.repeat(6), 'y'.repeat(5), 'z'.repeat(30), '123\nok\n'], 10).events).toEqual([
      ['line', exact],
      ['oversized', 'yyyyyyyy', 'zzzzz123'],
      ['line', 'ok'],
    ]);
    // The tail across pieces of any size, the line's end within the piece that makes it too long.
    expect(split(['ab', 'cdefghijklmn', 'o', 'p\n'], 10).events).toEqual([['oversized', 'abcdefgh', 'ijklmnop']]);
    expect(split(['abcdefghijklmnop\n'], 10).events).toEqual([['oversized', 'abcdefgh', 'ijklmnop']]);
  });

  it('reports a multi-byte character split across chunks intact', () => {
    const text = Buffer.from('{"t":"שלום"}\n');
    expect(split([text.subarray(0, 8), text.subarray(8)], 100).events).toEqual([['line', '{"t":"שלום"}']]);
  });

  it('counts a last line without a newline when the stream ends', () => {
    expect(split(['{"a":1}\n{"b"', ':2}'], 100).end()).toEqual([
      ['line', '{"a":1}'],
      ['line', '{"b":2}'],
    ]);
    expect(split(['z'.repeat(50)], 10).end()).toEqual([['oversized', 'zzzzzzzz', 'zzzzzzzz']]);
  });
});

describe('findLeadingId', () => {
  it.each([
    ['{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"data":"AAAA', 7],
    ['{ "id" : "abc" , "method":"x', 'abc'],
    ['{"params":{"id":"nested","arguments":{"id":3}},"id":"outer","data":"AAA', 'outer'],
    ['{"method":"a \\"id\\": 9","id":-4,"x":"', -4],
  ])('finds the top-level id in %s', (head, id) => {
    expect(findLeadingId(head)).toBe(id);
  });

  it.each([
    ['{"jsonrpc":"2.0","method":"tools/call","params":{"id":5,"data":"AAAA'],
    ['{"jsonrpc":"2.0","id":12'],
    ['{"jsonrpc":"2.0","id":"ab'],
    ['{"id":null,"method":"x"'],
    ['{"id":1.5,"method":"x"'],
    ['{"id":{"a":1},"method":"x"'],
  ])('does not guess an id from %s', (head) => {
    expect(findLeadingId(head)).toBeUndefined();
  });
});

describe('findTrailingId', () => {
  it.each([
    // The SDK's client: method, params, jsonrpc, id last.
    ['AAAA"}}},"jsonrpc":"2.0","id":7}', 7],
    ['AAAA"}},"id":"abc" }\r', 'abc'],
    ['AA"},"arguments":{"id":3}},"id":"outer","jsonrpc":"2.0"}', 'outer'],
    ['A \\"},"id":-4}', -4],
  ])('finds the top-level id at the end of %s', (tail, id) => {
    expect(findTrailingId(tail)).toBe(id);
  });

  it.each([
    ['AAAA","arguments":{"id":5}}}'],
    ['AAAA \\"id\\":5}'],
    ['AA","id":5}}'],
    ['AA","id":5'],
    ['AA","id":null}'],
    ['AA","id":1.5}'],
    ['AA","id":{"a":1}}'],
    ['"id"'],
  ])('does not guess an id from the end %s', (tail) => {
    expect(findTrailingId(tail)).toBeUndefined();
  });
});
