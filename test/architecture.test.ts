import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The rooms of src/, top to bottom, as docs/ARCHITECTURE.md draws them; one entry a level. */
const LEVELS = [['entry'], ['host'], ['server.ts'], ['app', 'surface'], ['tools'], ['ivr'], ['call'], ['client'], ['core']];
const SRC = fileURLToPath(new URL('../src/', import.meta.url));

const roomOf = (relative: string) => {
  const room = relative.split('/')[0].replace(/\.js$/, '.ts');
  return room === 'main.ts' || room === 'config.ts' ? 'entry' : room;
};
const levelOf = (room: string) => LEVELS.findIndex((level) => level.includes(room));
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : name.endsWith('.ts') ? [full] : [];
  });

describe('architecture', () => {
  it('imports run one way: from a room to its own or a lower one; the sandbox and the server stay apart', () => {
    const wrong: string[] = [];
    const rooms = new Set<string>();
    for (const file of sources(SRC)) {
      const from = path.relative(SRC, file);
      const room = roomOf(from);
      rooms.add(room);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = roomOf(path.relative(SRC, path.resolve(path.dirname(file), specifier)));
        if (target === room) continue;
        // The simulator is written from the docs, not from the server's code, and only the entry starts it.
        const apart = room === 'sandbox' || (target === 'sandbox' && room !== 'entry');
        if (apart || (target !== 'sandbox' && levelOf(target) <= levelOf(room))) wrong.push(`${from} -> ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every room is placed: a new folder must be drawn in docs/ARCHITECTURE.md and given its level here.
    expect([...rooms].filter((room) => room !== 'sandbox' && levelOf(room) < 0)).toEqual([]);
  });

  it('docs/ARCHITECTURE.md names every room of src/', () => {
    const page = readFileSync(new URL('../docs/ARCHITECTURE.md', import.meta.url), 'utf8');
    const rooms = readdirSync(SRC).filter((name) => statSync(path.join(SRC, name)).isDirectory());
    for (const room of rooms) expect(page, room).toContain(`src/${room}/`);
  });
});
