/**
 * Line-based unified diff (the format of `diff -u`), for showing an ext.ini change before it is written.
 * Lines are compared with their line ending, so a CRLF/LF change shows; a last line without a line break gets
 * the usual "\ No newline at end of file" marker.
 */

export interface DiffOptions {
  fromLabel: string;
  toLabel: string;
  /** Unchanged lines shown around each change; default 3. */
  context?: number;
}

type Op = { op: ' ' | '-' | '+'; line: string };

/**
 * Myers' algorithm costs O((N+M)·D) time and O(D²) memory for D changed lines. Past these bounds the changed middle
 * is shown as one remove-all/add-all block instead: still a correct diff, never quadratic on huge input.
 */
const MAX_LINES = 5000;
const MAX_EDITS = 1000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const pieces = text.split('\n');
  const lines = pieces.slice(0, -1).map((piece) => `${piece}\n`);
  const last = pieces[pieces.length - 1];
  return last === '' ? lines : [...lines, last];
}

const replaceAll = (a: string[], b: string[]): Op[] => [
  ...a.map((line): Op => ({ op: '-', line })),
  ...b.map((line): Op => ({ op: '+', line })),
];

/** The shortest edit script of a to b, or undefined when it needs more than maxEdits changes. */
function myers(a: string[], b: string[], maxEdits: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const snapshots: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
      let x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        snapshots.push(v.slice(offset - d, offset + d + 1));
        return backtrack(snapshots, a, b);
      }
    }
    snapshots.push(v.slice(offset - d, offset + d + 1));
  }
  return undefined;
}

function backtrack(snapshots: Int32Array[], a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = snapshots.length - 1; d > 0; d--) {
    const previous = snapshots[d - 1];
    const at = (k: number) => previous[k + d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    const startX = down ? previousX : previousX + 1;
    while (x > startX) {
      x--;
      y--;
      ops.push({ op: ' ', line: a[x] });
    }
    ops.push(down ? { op: '+', line: b[previousY] } : { op: '-', line: a[previousX] });
    x = previousX;
    y = previousY;
  }
  while (x > 0) ops.push({ op: ' ', line: a[--x] });
  return ops.reverse();
}

function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const middleA = a.slice(start, a.length - end);
  const middleB = b.slice(start, b.length - end);
  const tooBig = middleA.length > MAX_LINES || middleB.length > MAX_LINES;
  const middle = (tooBig ? undefined : myers(middleA, middleB, MAX_EDITS)) ?? replaceAll(middleA, middleB);
  const same = (lines: string[]) => lines.map((line): Op => ({ op: ' ', line }));
  return [...same(a.slice(0, start)), ...middle, ...same(a.slice(a.length - end))];
}

const range = (start: number, count: number) => {
  const first = count === 0 ? start : start + 1;
  return count === 1 ? `${first}` : `${first},${count}`;
};

function formatLine({ op, line }: Op): string {
  return line.endsWith('\n') ? `${op}${line}` : `${op}${line}\n\\ No newline at end of file\n`;
}

/** The unified diff of two texts; '' when they are equal. */
export function unifiedDiff(before: string, after: string, { fromLabel, toLabel, context = 3 }: DiffOptions): string {
  if (before === after) return '';
  const ops = editScript(splitLines(before), splitLines(after));
  const changes = ops.flatMap((op, i) => (op.op === ' ' ? [] : [i]));
  const hunks: Array<[from: number, to: number]> = [];
  for (const i of changes) {
    const last = hunks[hunks.length - 1];
    if (last && i - last[1] <= 2 * context) last[1] = i + 1;
    else hunks.push([i, i + 1]);
  }
  // Lines of each side before op i, counted once so many hunks stay linear.
  const oldAt = [0];
  const newAt = [0];
  ops.forEach(({ op }, i) => {
    oldAt.push(oldAt[i] + (op === '+' ? 0 : 1));
    newAt.push(newAt[i] + (op === '-' ? 0 : 1));
  });
  let out = `--- ${fromLabel}\n+++ ${toLabel}\n`;
  for (const [firstChange, afterChange] of hunks) {
    const from = Math.max(0, firstChange - context);
    const to = Math.min(ops.length, afterChange + context);
    const body = ops.slice(from, to);
    const oldRange = range(oldAt[from], oldAt[to] - oldAt[from]);
    const newRange = range(newAt[from], newAt[to] - newAt[from]);
    out += `@@ -${oldRange} +${newRange} @@\n`;
    out += body.map(formatLine).join('');
  }
  return out;
}
