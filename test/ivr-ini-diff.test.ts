import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../src/ivr/diff.js';

const labels = { fromLabel: 'a', toLabel: 'b' };

/** Applies a unified diff to `before` (the test's own reading of the format), to check any diff is correct. */
function patch(before: string, diff: string): string {
  if (diff === '') return before;
  const old = before === '' ? [] : before.split(/(?<=\n)/);
  const out: string[] = [];
  let at = 0;
  const rows = diff.split('\n').slice(2, -1);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(row);
    if (hunk) {
      const start = Number(hunk[2] === '0' ? hunk[1] : Number(hunk[1]) - 1);
      out.push(...old.slice(at, start));
      at = start;
      continue;
    }
    const noNewline = rows[i + 1] === '\\ No newline at end of file';
    const line = row.slice(1) + (noNewline ? '' : '\n');
    if (noNewline) i++;
    if (row[0] === ' ' || row[0] === '-') {
      if (old[at] !== line) throw new Error(`line ${at + 1} is ${JSON.stringify(old[at])}, the diff says ${JSON.stringify(line)}`);
      at++;
    }
    if (row[0] === ' ' || row[0] === '+') out.push(line);
  }
  return [...out, ...old.slice(at)].join('');
}

describe('unifiedDiff', () => {
  const BEFORE = 'type=playfile\nstart=max\n; owner note\nplay_beep=no\nsay_length=yes\nsay_files_amount=yes\nlast_play_auto=yes\ntitle_announcement=no\nsay_current=yes\nplayfile_end_goto=/1\nx=1\n';
  const AFTER = 'type=playfile\nstart=min\n; owner note\nplay_beep=no\nsay_length=yes\nsay_files_amount=yes\nlast_play_auto=yes\ntitle_announcement=no\nplayfile_end_goto=/\nx=1\nrandom=1';

  it('gives the hunk text of diff -u (GNU diffutils 3.8)', () => {
    expect(unifiedDiff(BEFORE, AFTER, { fromLabel: 'ivr2:/1/ext.ini', toLabel: 'ivr2:/1/ext.ini (proposed)' })).toBe(
      [
        '--- ivr2:/1/ext.ini',
        '+++ ivr2:/1/ext.ini (proposed)',
        '@@ -1,11 +1,11 @@',
        ' type=playfile',
        '-start=max',
        '+start=min',
        ' ; owner note',
        ' play_beep=no',
        ' say_length=yes',
        ' say_files_amount=yes',
        ' last_play_auto=yes',
        ' title_announcement=no',
        '-say_current=yes',
        '-playfile_end_goto=/1',
        '+playfile_end_goto=/',
        ' x=1',
        '+random=1',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
  });

  it('splits hunks by the context (diff -U1)', () => {
    expect(unifiedDiff(BEFORE, AFTER, { ...labels, context: 1 })).toBe(
      [
        '--- a',
        '+++ b',
        '@@ -1,3 +1,3 @@',
        ' type=playfile',
        '-start=max',
        '+start=min',
        ' ; owner note',
        '@@ -8,4 +8,4 @@',
        ' title_announcement=no',
        '-say_current=yes',
        '-playfile_end_goto=/1',
        '+playfile_end_goto=/',
        ' x=1',
        '+random=1',
        '\\ No newline at end of file',
        '',
      ].join('\n'),
    );
  });

  it('writes empty and one-line ranges as diff does', () => {
    expect(unifiedDiff('', 'a=1\n', labels)).toBe('--- a\n+++ b\n@@ -0,0 +1 @@\n+a=1\n');
    expect(unifiedDiff('a\nb\nc\n', 'b\nc\n', labels)).toBe('--- a\n+++ b\n@@ -1,3 +1,2 @@\n-a\n b\n c\n');
    expect(unifiedDiff('x\n', 'x', labels)).toBe('--- a\n+++ b\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n');
  });

  it('shows a line-ending change', () => {
    expect(unifiedDiff('a\r\nb\r\n', 'a\r\nb\n', labels)).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+b\n');
  });

  it('is empty when nothing changed', () => {
    expect(unifiedDiff(BEFORE, BEFORE, labels)).toBe('');
    expect(unifiedDiff('', '', labels)).toBe('');
  });

  it('always patches before into after (property)', () => {
    const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd\r\n', 'a', ''), { maxLength: 30 }).map((lines) => lines.join(''));
    fc.assert(
      fc.property(text, text, fc.nat(4), (before, after, context) => {
        const diff = unifiedDiff(before, after, { ...labels, context });
        expect(patch(before, diff)).toBe(after);
        if (before === after) expect(diff).toBe('');
      }),
      { numRuns: 1000 },
    );
  });

  it('finds the minimal edit (LCS) on a known case', () => {
    const diff = unifiedDiff('a\nb\nc\na\nb\nb\na\n', 'c\nb\na\nb\na\nc\n', labels);
    const changed = diff.split('\n').slice(2).filter((row) => row.startsWith('-') || row.startsWith('+'));
    expect(changed).toHaveLength(5);
  });

  it('stays fast on huge input and still patches correctly', () => {
    const big = Array.from({ length: 60_000 }, (_, i) => `key_${i}=${i % 7}\n`).join('');
    const shuffled = Array.from({ length: 60_000 }, (_, i) => `key_${i}=${(i * 13) % 7}\n`).join('');
    const started = performance.now();
    const diff = unifiedDiff(big, shuffled, labels);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(patch(big, diff)).toBe(shuffled);
    const oneChange = big.replace('key_30000=', 'key_30000=changed');
    const small = unifiedDiff(big, oneChange, labels);
    expect(small.split('\n').filter((row) => row.startsWith('@@'))).toEqual(['@@ -29998,7 +29998,7 @@']);
  });
});
