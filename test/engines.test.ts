import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Issue 29: `npm install` on Node 20 printed EBADENGINE (the UI inspector 1.0.3 wants Node 22). npm warns for every
 * installed package whose `engines.node` the running Node does not satisfy, so the lock file says it before npm does.
 */

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string }; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean; optional?: boolean; os?: string[]; cpu?: string[] }>;
};

type Version = [number, number, number];
const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether a version satisfies an npm engines range, in the forms the lock file holds (>=, >, <=, <, ^, =, ||, spaces). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) =>
    (alternative.trim().match(/(>=|<=|>|<|\^|~|=)?\s*\d+(\.\d+){0,2}/g) ?? []).every((comparator) => {
      const [, op = '=', bare] = /^(>=|<=|>|<|\^|~|=)?\s*(.+)$/.exec(comparator)!;
      const floor = parse(bare);
      const parts = bare.split('.').length;
      if (op === '>=') return compare(v, floor) >= 0;
      if (op === '>') return compare(v, floor) > 0;
      if (op === '<=') return compare(v, floor) <= 0;
      if (op === '<') return compare(v, floor) < 0;
      if (op === '^') return compare(v, floor) >= 0 && v[0] === floor[0] && (floor[0] > 0 || v[1] === floor[1]);
      if (op === '~') return compare(v, floor) >= 0 && v[0] === floor[0] && (parts < 2 || v[1] === floor[1]);
      return v[0] === floor[0] && (parts < 2 || v[1] === floor[1]) && (parts < 3 || v[2] === floor[2]);
    }),
  );
}

/** The packages npm installs here with the Node range each asks for. */
const ranged = Object.entries(lock.packages)
  .filter(([path]) => path.startsWith('node_modules/'))
  .flatMap(([path, entry]) => (entry.engines && !Array.isArray(entry.engines) && entry.engines.node ? [{ path, node: entry.engines.node, dev: !!entry.dev }] : []));

describe('engines', () => {
  it('reads the ranges the lock file holds as npm does', () => {
    expect(satisfies('20.20.2', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.18.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies('20.20.2', '>=22.7.5')).toBe(false);
    expect(satisfies('20.18.1', '>=20.18.1')).toBe(true);
    expect(satisfies('22.1.0', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(true);
    expect(satisfies('23.0.0', '^20.0.0 || ^22.0.0 || >=24.0.0')).toBe(false);
    expect(satisfies('16.0.0', '^10 || ^12 || ^13.7 || ^14 || >=15.0.1')).toBe(true);
    expect(ranged.length).toBeGreaterThan(50);
  });

  it('installs no package, dev or not, that asks for a newer Node than the one running (npm would warn EBADENGINE)', () => {
    const refused = ranged.filter(({ node }) => !satisfies(process.version, node)).map(({ path, node }) => `${path} wants ${node}`);
    expect(refused).toEqual([]);
  });

  it('promises users no older Node than the runtime packages need', () => {
    const floor = pkg.engines.node.replace(/^>=\s*/, '');
    const refused = ranged.filter(({ dev, node }) => !dev && !satisfies(floor, node)).map(({ path, node }) => `${path} wants ${node}`);
    expect(refused).toEqual([]);
  });

  it('keeps the inspector CLI, which runs on Node 20, and not the UI inspector, which wants Node 22', () => {
    expect(pkg.devDependencies).toHaveProperty('@modelcontextprotocol/inspector-cli');
    expect(pkg.devDependencies).not.toHaveProperty('@modelcontextprotocol/inspector');
  });
});
