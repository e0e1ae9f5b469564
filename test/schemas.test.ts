import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { convertTool } from '../src/surface/describe.js';
import { describeIssue } from '../src/call/issues.js';
import { TOOLS } from '../src/tools/index.js';
import { jsonSchemasOf, validate } from '../src/call/schema.js';
import { strictAjv } from './ajv.js';

/** Every `pattern` in a schema, wherever it sits. */
function patternsIn(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(patternsIn);
  if (!schema || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) => (key === 'pattern' && typeof value === 'string' ? [value] : patternsIn(value)));
}

// Regex syntax ECMA-262 has and Python's `re` lacks (or the reverse needs the `u` flag).
const NOT_IN_PYTHON = ['\\p', '\\P', '(?<=', '(?<!', '(?<', '\\k<', '\\u{'];

const byName = new Map(TOOLS.map((spec) => [spec.name, spec]));
const problemsOf = (tool: string, args: Record<string, unknown>) => {
  const result = validate(byName.get(tool)!, args);
  expect(result.ok, tool).toBe(false);
  return result.ok ? [] : result.problems;
};

describe.each(TOOLS.map((spec) => [spec.name, convertTool(spec), spec] as const))('%s schemas', (_name, definition, spec) => {
  it('compile as JSON Schema 2020-12 in ajv strict mode', () => {
    const ajv = strictAjv();
    expect(() => ajv.compile(definition.inputSchema)).not.toThrow();
    expect(definition.outputSchema, 'every tool declares an output schema').toBeDefined();
    expect(() => ajv.compile(definition.outputSchema!)).not.toThrow();
    expect(definition.outputSchema).toMatchObject({ type: 'object' });
    // An answer that is only OK comes back as { done: "…" }: where the API documents no fields, the schema names it.
    if (Object.keys(spec.output).length === 0) expect(jsonSchemasOf(spec).output).toMatchObject({ properties: { done: { type: 'string' } } });
  });

  it('use only regex syntax ECMA-262 (without the u flag) and Python share', () => {
    for (const pattern of [...patternsIn(definition.inputSchema), ...patternsIn(definition.outputSchema)]) {
      expect(() => new RegExp(pattern), pattern).not.toThrow();
      for (const construct of NOT_IN_PYTHON) expect(pattern, pattern).not.toContain(construct);
    }
  });
});

describe('set_secondary_did_usage newUsage', () => {
  it('accepts the documented characters, Hebrew letters included, and nothing else', () => {
    const spec = byName.get('set_secondary_did_usage')!;
    for (const newUsage of ['sip:5', 'goto:/1/20/11', 'goto:/שלוחה/Ab9']) expect(validate(spec, { secondaryDidId: 1, newUsage }), newUsage).toMatchObject({ ok: true });
    for (const newUsage of ['goto:/a b', 'goto:/ü', 'goto:/1?x', 'sip:x']) expect(validate(spec, { secondaryDidId: 1, newUsage }).ok, newUsage).toBe(false);
  });
});

describe('a field that takes several shapes names the shapes and what is wrong', () => {
  it('bridge_calls_to_extension phones given objects without callerId', () => {
    expect(problemsOf('bridge_calls_to_extension', { phones: [{ phone: '0501234567' }], ivrPath: 'ivr2:/1' })).toEqual([
      'phones[0].callerId: required in the {phone, callerId} form',
    ]);
  });

  it('delete_sip_account accountNumber given strings', () => {
    expect(problemsOf('delete_sip_account', { accountNumber: ['1', '2'] })).toEqual(['accountNumber: expected a number, or an array of numbers; got an array of strings']);
  });

  it('mfa_set_trust_ips trustIps given a number', () => {
    expect(problemsOf('mfa_set_trust_ips', { trustIps: 12 })).toEqual(['trustIps: expected a string, or an array of strings; got a number']);
  });

  describe('for any union', () => {
    const schema = z.strictObject({
      items: z.union([z.number(), z.array(z.object({ name: z.string(), tags: z.array(z.string()) })), z.array(z.boolean()).min(2)]),
    });
    const describeAll = (value: unknown) => {
      const parsed = schema.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, schema, value));
    };

    it('names a key missing in the closest shape, with its path', () => {
      expect(describeAll({ items: [{ tags: [] }] })).toEqual(['items[0].name: required in the {name, tags[]} form']);
    });

    it('lists every accepted shape when the value is of none of their kinds', () => {
      expect(describeAll({ items: 'x' })).toEqual(['items: expected a number, or an array of {name, tags[]}, or an array of booleans; got a string']);
      expect(describeAll({ items: [[1]] })).toEqual(['items: expected a number, or an array of {name, tags[]}, or an array of booleans; got an array of arrays']);
    });

    it('reports the rule a value of the right kind breaks, in the form it reached', () => {
      // zod itself answers with the one shape a value fits the kind of; with two such shapes it is a union issue.
      const text = z.strictObject({ code: z.union([z.number(), z.string().max(2), z.string().regex(/^a/)]) });
      const parsed = text.safeParse({ code: 'bbb' });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((issue) => describeIssue(issue, text, { code: 'bbb' }))).toEqual([expect.stringMatching(/^code: .*2 characters \(in the string form\)$/)]);
    });
  });
});
