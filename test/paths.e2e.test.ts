import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';
import { actionOf, commandOf, type Input, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { startHarness, type Harness } from './harness.js';
import { CANONICAL_PATHS, pathKindOf, type PathKind } from './wire.js';

/**
 * Every path field of the table (found by PATH_FIELDS, lists of paths by INDEXED_LISTS) takes the five documented
 * spellings of a path and sends one, `ivr2:/1/2`; `..` and empty segments are refused naming the field, before
 * anything is sent. Like test/phone-fields.e2e.test.ts for phone numbers.
 */

interface PathField {
  spec: ToolSpec;
  param: string;
  kind: PathKind;
  /** An example that carries the field, with an IVR path (not a tpl: file) in it. */
  example: Input;
  /** That path's segments, e.g. `1/000.wav`. */
  bare: string;
}

const firstPath = (value: unknown) => String(Array.isArray(value) ? value[0] : value);

const FIELDS: PathField[] = TOOLS.flatMap((spec) =>
  Object.entries(spec.params).flatMap(([param, schema]) => {
    const kind = pathKindOf(schema as z.ZodType);
    if (!kind) return [];
    const example = spec.examples.find((candidate) => param in candidate && CANONICAL_PATHS[firstPath(candidate[param])]?.startsWith('ivr2:/') && CANONICAL_PATHS[firstPath(candidate[param])] !== 'ivr2:/');
    if (!example) throw new Error(`${spec.name}.${param}: no example with an IVR path in it`);
    return [{ spec, param, kind, example, bare: CANONICAL_PATHS[firstPath(example[param])].slice('ivr2:/'.length) }];
  }),
);

/** The five spellings the docs show for one path (API-CATALOG §1; CheckIfFileExists, GetIVR2Dir). */
const SPELLINGS = (bare: string) => [`ivr2:/${bare}`, `ivr2:${bare}`, `ivr/${bare}`, `/${bare}`, bare];

let sandbox: Sandbox;
let harness: Harness;
beforeAll(async () => {
  sandbox = await startSandbox({ mfa: 'hard', log: () => undefined });
  harness = await startHarness({ use: sandbox });
});
afterAll(async () => {
  await harness.close();
  await sandbox.close();
});
// The calls copy, move, delete and overwrite: each starts from the demo tree.
beforeEach(() => sandbox.reset());

function argsWith(field: PathField, value: string): Input {
  return { ...field.example, [field.param]: value, ...(field.spec.effect === 'spend' && { repeat: true }) };
}

describe('path fields', () => {
  it('are found in the table: every path of the file tools, bridge_calls_to_extension.ivrPath and render_ymgr_file.wath', () => {
    const names = FIELDS.map(({ spec, param }) => `${spec.name}.${param}`);
    // Stated from the issue, not read from the table.
    expect(names).toEqual(
      expect.arrayContaining([
        'bridge_calls_to_extension.ivrPath',
        'render_ymgr_file.wath',
        'read_ivr.path',
        'read_ivr.what',
        'write_text_file.what',
        'change_extension.path',
        'create_extension.path',
        'lookup_setting.path',
        'copy_move_files.what',
        'copy_move_files.target',
        'delete_files.what',
        'upload_file.path',
        'download_file.path',
      ]),
    );
    expect(FIELDS.find(({ spec, param }) => spec.name === 'delete_files' && param === 'what')?.kind).toBe('paths');
  });

  it.each(FIELDS.map((field) => [`${field.spec.name}.${field.param}`, field] as const))('%s: the five spellings reach the API as ivr2:/…', async (_label, field) => {
    const command = commandOf(field.spec, actionOf(field.spec, field.example));
    for (const spelling of SPELLINGS(field.bare)) {
      const before = sandbox.requests.length;
      await harness.call(field.spec.name, argsWith(field, spelling));
      const sent = harness.since(before).filter((request) => request.command === command && request.params.action !== 'isPass');
      // A tool of several requests may send the path in another param (change_extension's ext.ini as `what`).
      if ((field.spec.reads || field.spec.writes) && sent[0]?.params[field.param] === undefined) {
        const canonical = `ivr2:/${field.bare}`;
        const carrying = harness.since(before).filter((request) => Object.values(request.params).some((value) => value === canonical || String(value).startsWith(`${canonical}/`)));
        expect(carrying.length, spelling).toBeGreaterThanOrEqual(1);
        continue;
      }
      expect(sent.length, spelling).toBeGreaterThanOrEqual(1);
      expect(sent[0].params[field.param], spelling).toBe(`ivr2:/${field.bare}`);
    }
  });

  it.each(FIELDS.map((field) => [`${field.spec.name}.${field.param}`, field] as const))('%s: .. and // are refused naming the field; nothing is sent', async (_label, field) => {
    const [first, ...rest] = field.bare.split('/');
    for (const bad of [`${first}/../${[first, ...rest].join('/')}`, `ivr2:/${first}//${rest.join('/') || 'x'}`, `${first}/./${rest.join('/') || 'x'}`]) {
      for (const value of field.kind === 'paths' ? [bad, [field.bare, bad]] : [bad]) {
        const before = sandbox.requests.length;
        const result = await harness.call(field.spec.name, { ...field.example, [field.param]: value });
        expect(result.isError, `${JSON.stringify(value)}: ${result.text}`).toBe(true);
        expect(result.json.error).toBe('INVALID_INPUT');
        expect(String(result.json.message)).toContain(field.param);
        expect(String(result.json.message)).toMatch(/\.\.|empty segment/);
        expect(harness.since(before), JSON.stringify(value)).toHaveLength(0);
      }
    }
  });

  it('a list of paths goes as what0…whatN, each in the canonical form', async () => {
    const before = sandbox.requests.length;
    const result = await harness.call('delete_files', { what: ['ivr/2/000.wav', '2/001.wav', 'ivr2:2/002.wav'] });
    expect(result.isError, result.text).toBe(false);
    const [request] = harness.since(before).filter((r) => r.command === 'FileAction');
    expect(request.params).toEqual({ token: expect.any(String), action: 'delete', what0: 'ivr2:/2/000.wav', what1: 'ivr2:/2/001.wav', what2: 'ivr2:/2/002.wav' });
  });

  it('the root, however spelled, goes as /', async () => {
    for (const root of ['/', 'ivr2:/', 'ivr2:', 'ivr/']) {
      const before = sandbox.requests.length;
      const result = await harness.call('read_ivr', { command: 'GetIVR2DirStats', path: root });
      expect(result.isError, result.text).toBe(false);
      const [request] = harness.since(before).filter((r) => r.command === 'GetIVR2DirStats');
      expect(request.params.path, root).toBe('/');
    }
  });
});
