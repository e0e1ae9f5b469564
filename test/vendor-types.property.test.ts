import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf, commandOf, type Input, type ToolSpec } from '../src/call/command.js';
import { OFF_SCHEMA_FIELD, type OutputSchema } from '../src/call/conform.js';
import { DONE_FIELD, jsonSchemasOf } from '../src/call/schema.js';
import { TOOLS } from '../src/tools/index.js';
import { strictAjv } from './ajv.js';
import { startHarness, type Harness } from './harness.js';
import { readyExample } from './made-values.js';

/**
 * The API's types are loose: numbers come as numeric strings (`units: "98"`), and a string field may come as a
 * number. A successful answer must still fit the tool's listed outputSchema, or the SDK client throws -32602
 * after the work (a spend) is done, and the agent may repeat it. For every tool, answers built from its own
 * output schema with the types swapped, through a real SDK client (which checks structuredContent against the
 * outputSchema it listed) and ajv.
 */

/** The JSON Schema keywords the output schemas use; a new one needs this test (and src/call/conform.ts) to learn it. */
const KEYWORDS = new Set(['type', 'properties', 'items', 'anyOf', 'propertyNames', 'description']);
const TYPES = new Set(['object', 'array', 'string', 'number', 'boolean']);

/** How the vendor may spell each declared type: a number as a numeric string, a string as a number. */
const SWAPPED: Record<string, fc.Arbitrary<unknown>> = {
  number: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }).map(String), fc.integer({ min: 1, max: 99_999 }).map((cents) => (cents / 100).toFixed(2))),
  string: fc.oneof(fc.integer({ min: -1_000, max: 1_000_000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })),
  boolean: fc.constantFrom(1, '1', 'true'),
};
const AS_DECLARED: Record<string, fc.Arbitrary<unknown>> = {
  number: fc.integer({ min: 1, max: 1_000_000 }),
  string: fc.string({ minLength: 1, maxLength: 8 }),
  boolean: fc.constant(true),
};

/**
 * A vendor answer for a schema. `all`: every declared field present and swapped (the worst case, run for every
 * tool); otherwise each field is left out, as declared, or swapped, at random. `done` is this server's own
 * field (what an answer without fields did): the API never sends it.
 */
function answerFor(schema: OutputSchema, all: boolean): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => answerFor(branch, all)));
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => answerFor({ ...schema, type }, all)));
  const type = schema.type;
  if (type === 'array') return fc.array(answerFor(schema.items ?? {}, all), { minLength: 1, maxLength: 2 });
  if (type === 'object') {
    const declared = Object.entries(schema.properties ?? {}).filter(([name]) => name !== DONE_FIELD);
    const fields = Object.fromEntries(declared.map(([name, field]) => [name, answerFor(field, all)]));
    return fc.record(fields, all ? undefined : { requiredKeys: [] });
  }
  if (type !== undefined) return all ? SWAPPED[type] : fc.oneof(SWAPPED[type], AS_DECLARED[type]);
  // Undeclared content fits any schema; true is a value no verdict reads as "nothing done".
  return fc.constant(true);
}

/** Every keyword and type an output schema uses, wherever it sits. */
function vocabulary(schema: OutputSchema, into = { keywords: new Set<string>(), types: new Set<string>() }) {
  for (const key of Object.keys(schema)) into.keywords.add(key);
  for (const type of [schema.type ?? []].flat()) into.types.add(type);
  for (const child of [...Object.values(schema.properties ?? {}), ...(schema.items ? [schema.items] : []), ...(schema.anyOf ?? [])]) vocabulary(child, into);
  return into;
}

/** The two-factor flow works only before (hard) verification: tools with such an action run on a fresh session. */
const needsFreshSession = (spec: ToolSpec) => Object.values(spec.actions ?? {}).some((action) => action.unavailableAfter);

/**
 * Tools whose verdict reads a string field of the answer (mfa_valid_status: VALID, UNVALID, OVERTRY): swapped to
 * a number it is not VALID, so the all-swapped answer is the refusal it should be. Stated, not derived.
 */
const JUDGED_ON_A_STRING: Record<string, string> = { mfa_verify_code: 'MFA_CODE_INVALID', mfa_verify_method: 'MFA_CODE_INVALID' };

/**
 * Tools that read back what their command made (issue 27): an answer put in place of the simulator's made nothing,
 * so whatever its types, the read-back finds no new extension and says so. Stated, not derived.
 */
const READ_BACK: Record<string, string> = { create_extension: 'NOTHING_DONE' };

/** The codes of an OK answer judged to have done nothing (src/call/verdicts.ts, the entries' outcome hooks). */
const JUDGED = ['NOTHING_DONE', 'MFA_CODE_INVALID', 'MFA_CODE_EXPIRED'];

/** Random answers per tool beside the all-swapped one: the whole table in a few seconds. */
const RANDOM_RUNS = 3;

describe('a successful answer fits its output schema, whatever types the API sends', () => {
  const harnesses = {} as Record<'hard' | 'fresh', Harness>;
  const validators = new Map<string, ValidateFunction>();
  const schemas = new Map<string, OutputSchema>();

  beforeAll(async () => {
    // The duplicate-spend guard is off: the same spend example is sent several times here on purpose.
    const env = { YEMOT_DUPLICATE_WINDOW_SECONDS: '0' };
    harnesses.hard = await startHarness({ sandbox: { mfa: 'hard', log: () => undefined }, env });
    harnesses.fresh = await startHarness({ sandbox: { mfa: 'not-passed', log: () => undefined }, env });
    const ajv = strictAjv();
    // The SDK client checks structuredContent only against schemas it listed: list first, on both. Answers are built
    // from the table's full output schema (the types the result is normalised to), and checked against the listed one.
    for (const harness of Object.values(harnesses)) {
      for (const listed of (await harness.client.listTools()).tools) {
        schemas.set(listed.name, jsonSchemasOf(TOOLS.find((spec) => spec.name === listed.name)!).output as OutputSchema);
        validators.set(listed.name, ajv.compile(listed.outputSchema!));
      }
    }
  });
  afterAll(() => Promise.all(Object.values(harnesses).map((harness) => harness.close())));

  it('lists every tool of the table, each with an output schema this test and the normalisation know', () => {
    expect([...schemas.keys()].sort()).toEqual(TOOLS.map((spec) => spec.name).sort());
    for (const [name, schema] of schemas) {
      const { keywords, types } = vocabulary(schema);
      expect([...keywords].filter((keyword) => !KEYWORDS.has(keyword)), name).toEqual([]);
      expect([...types].filter((type) => !TYPES.has(type)), name).toEqual([]);
      expect(schema.properties ?? {}, name).not.toHaveProperty(OFF_SCHEMA_FIELD);
    }
  });

  /** One call of the tool's first example, its own command answered with `answer`; the result as the client got it. */
  async function callWith(spec: ToolSpec, answer: Record<string, unknown>) {
    const harness = harnesses[needsFreshSession(spec) ? 'fresh' : 'hard'];
    // Makes the session's two-factor state known, so the answer meets the tool's own request, not a probe.
    await harness.call('mfa_status');
    const example: Input = await readyExample(harness, spec, spec.examples[0]);
    harness.sandbox.clearFaults();
    harness.sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'OK', ...answer } }, { command: commandOf(spec, actionOf(spec, example)) });
    // A structuredContent that breaks the listed schema makes callTool throw (-32602): the test fails here.
    const result = await harness.call(spec.name, example);
    harness.sandbox.clearFaults();
    return result;
  }

  function expectFits(spec: ToolSpec, result: { structured?: Record<string, unknown>; json: Record<string, unknown>; text: string }) {
    const fits = validators.get(spec.name)!;
    expect(fits(result.structured), `${spec.name}: ${JSON.stringify(fits.errors)} in ${result.text}`).toBe(true);
    expect(result.structured).toEqual(result.json);
  }

  // The worst answers first, for every tool: they are fixed (seed 24), so what their secret-keyed values leave in the
  // harness's registry is the same every run. Random answers come after: a random password that happened to equal a
  // later worst value was (rightly) redacted there, and failed the run by chance.
  it.each(TOOLS.map((spec) => [spec.name, spec] as const))('%s, every value of the wrong type', async (_name, spec) => {
    const schema = schemas.get(spec.name)!;
    const [worst] = fc.sample(answerFor(schema, true) as fc.Arbitrary<Record<string, unknown>>, { numRuns: 1, seed: 24 });
    const result = await callWith(spec, worst);
    const refusal = JUDGED_ON_A_STRING[spec.name] ?? READ_BACK[spec.name];
    if (refusal) {
      expect(result.json.error, result.text).toBe(refusal);
    } else {
      expect(result.isError, `${spec.name} answered ${JSON.stringify(worst)}: ${result.text}`).toBe(false);
      expectFits(spec, result);
      // Every swapped value came back in its declared type: none had to move aside.
      expect(result.json, result.text).not.toHaveProperty(OFF_SCHEMA_FIELD);
    }
  });

  it.each(TOOLS.map((spec) => [spec.name, spec] as const))('%s, random answers', async (_name, spec) => {
    const schema = schemas.get(spec.name)!;
    await fc.assert(
      fc.asyncProperty(answerFor(schema, false) as fc.Arbitrary<Record<string, unknown>>, async (answer) => {
        const random = await callWith(spec, answer);
        // A field left out may be what a verdict reads (no `success` in a file report): a judged refusal, then.
        if (random.isError) expect(JUDGED, random.text).toContain(random.json.error);
        else expectFits(spec, random);
      }),
      { numRuns: RANDOM_RUNS },
    );
  });
});
