import fc from 'fast-check';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/client/errors.js';
import { actionChoices, actionParamOf, type Input, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';
import { secretKey } from '../src/core/secrets.js';
import { NO_INTERACTION } from '../src/call/interaction.js';
import { runTool } from '../src/call/run.js';
import { startHarness, type CallOutcome, type Harness } from './harness.js';

/**
 * Random and hostile arguments for every tool, through a real MCP client: the server always answers,
 * never fails internally, sends nothing for an input it refuses, and names the field it refuses.
 */

// 25 random inputs per tool per run (2,100 in all); each run draws a new seed, so runs add up.
const NUM_RUNS = 25;

const HEBREW = 'אבגדהוזחטיכךלמםנןסעפףצץקרשת ְֱֲֳִֵֶַָֹֻּׁׂ־׳״'.split('');
const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u200f', '\u202e', '\u2028', '\ufeff', '\ud800'];

const hebrew = fc.string({ unit: fc.constantFrom(...HEBREW), maxLength: 40 });
const control = fc.string({ unit: fc.constantFrom(...CONTROL, 'a', '0', ':', '/'), maxLength: 40 });
const huge = fc.constantFrom('x', 'א', '0', '\u0000', ':', '9').map((unit) => unit.repeat(100_000));
const outOfRange = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 0.5, 199, 201, 10_001, 100_001, 3001, 11, -11, 36, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.NaN, Number.POSITIVE_INFINITY),
);
const phone = fc.integer({ min: 0, max: 99_999_999 }).map((n) => `05${String(n).padStart(8, '0')}`);
const phones501 = fc.array(phone, { minLength: 501, maxLength: 501 });
const ips51 = fc.array(fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.0.${a}.${b}`), { minLength: 51, maxLength: 51 });

/** A hostile value for any field. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  hebrew,
  control,
  huge,
  outOfRange,
  fc.boolean(),
  fc.constant(null),
  phones501,
  phones501.map((list) => list.join(':')),
  ips51,
  ips51.map((list) => list.join('\n')),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.array(fc.array(fc.string(), { maxLength: 3 }), { maxLength: 3 }),
  fc.array(fc.object({ maxDepth: 1 }), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  fc.jsonValue(),
);

const extraKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  hebrew.filter((key) => key.length > 0),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'token', 'action', 'username', 'password', 'responseStatus'),
);

const schemaKeys = (spec: ToolSpec): string[] => [...(actionChoices(spec).length ? [actionParamOf(spec)] : []), ...Object.keys(spec.params)];

/** What a JSON wire would carry (NaN becomes null, undefined is dropped): the in-memory transport does not serialise. */
const wire = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

function argsFor(spec: ToolSpec): fc.Arbitrary<Record<string, unknown>> {
  const keys = schemaKeys(spec);
  const variants: Array<fc.Arbitrary<Record<string, unknown>>> = [
    fc.constant(spec.examples[0]),
    fc.dictionary(extraKey, hostile, { minKeys: 1, maxKeys: 3 }).map((extra) => ({ ...spec.examples[0], ...extra })),
    fc.dictionary(extraKey, hostile, { maxKeys: 4 }),
  ];
  if (keys.length) {
    const key = fc.constantFrom(...keys);
    variants.push(
      fc.tuple(key, hostile).map(([name, value]) => ({ ...spec.examples[0], [name]: value })),
      fc.tuple(key, hostile).map(([name, value]) => ({ ...spec.examples[0], [name]: value })),
      fc.dictionary(key, hostile, { maxKeys: keys.length }),
      fc.tuple(fc.dictionary(key, hostile, { maxKeys: keys.length }), fc.dictionary(extraKey, hostile, { maxKeys: 2 })).map(([own, extra]) => ({ ...extra, ...own })),
    );
  }
  return fc.oneof(...variants).map(wire);
}

/** The refusal names a field: a parameter of the tool, a key the caller sent, or (arguments) for the whole input. */
function namesAField(spec: ToolSpec, message: string, args: unknown): boolean {
  const prefix = `${spec.name}: `;
  if (!message.startsWith(prefix)) return false;
  const problems = message.slice(prefix.length);
  const given = args && typeof args === 'object' && !Array.isArray(args) ? Object.keys(args) : [];
  const fields = [...schemaKeys(spec), ...given, '(arguments)'].filter((field) => field.length > 0);
  return fields.some((field) => problems.startsWith(field));
}

describe('property: hostile arguments never crash the server, never reach the API, and are refused by field', () => {
  let harness: Harness;
  let stats: { calls: number; refused: number; sent: number; otherErrors: number };

  beforeAll(async () => {
    harness = await startHarness({ sandbox: { mfa: 'hard', log: () => undefined } });
    stats = { calls: 0, refused: 0, sent: 0, otherErrors: 0 };
  });
  afterAll(async () => {
    process.stderr.write(`property figures: ${JSON.stringify(stats)}\n`);
    await harness.close();
  });

  async function check(spec: ToolSpec, args: Record<string, unknown>) {
    const before = harness.sandbox.requests.length;
    // An object always reaches the tool: the call returns a result, it never throws.
    const result: CallOutcome = await harness.call(spec.name, args);
    stats.calls += 1;
    const sent = harness.since(before);
    // Whatever was sent went with this server's own session token, never one from the arguments.
    for (const request of sent) expect(request.params.token).toBe(harness.sandbox.token);
    if (!result.isError) {
      stats.sent += 1;
      return;
    }
    expect(ERROR_CODES).toContain(result.json.error);
    expect(result.json.error, result.text.slice(0, 500)).not.toBe('INTERNAL');
    if (result.json.error !== 'INVALID_INPUT') stats.otherErrors += 1;
    else {
      stats.refused += 1;
      expect(sent, `${spec.name} sent a request for an input it refused`).toHaveLength(0);
      const message = String(result.json.message);
      expect(namesAField(spec, message, args), `${message.slice(0, 300)} does not name a field of ${JSON.stringify(Object.keys(args)).slice(0, 300)}`).toBe(true);
      expect(String(result.json.next)).toMatch(/nothing was sent/i);
    }
  }

  // Before any tool registers a secret: a one-letter secret would (rightly) redact letters of '(arguments)'.
  it('refuses arguments that are not an object by naming (arguments), with nothing sent', async () => {
    const notObject = fc.oneof(fc.array(fc.jsonValue(), { maxLength: 3 }), fc.string(), fc.double(), fc.integer(), fc.boolean(), huge);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TOOLS), notObject, async (spec, args) => {
        const before = harness.sandbox.requests.length;
        // Through the MCP client: the protocol layer refuses it, and the server keeps serving.
        await expect(harness.client.callTool({ name: spec.name, arguments: args as unknown as Input })).rejects.toBeInstanceOf(McpError);
        // Through the tool runner itself, as any transport would reach it.
        const outcome = await runTool(harness.app.ctx, spec, args, NO_INTERACTION);
        expect(outcome.isError).toBe(true);
        expect(outcome.structured.error).toBe('INVALID_INPUT');
        expect(String(outcome.structured.message)).toContain('(arguments)');
        expect(harness.since(before)).toHaveLength(0);
      }),
      { numRuns: NUM_RUNS },
    );
    const status = await harness.call('mfa_status');
    expect(status.isError, status.text).toBe(false);
  });

  // A tool whose input registers a secret (set_password's any-string passwords) runs last: a secret it registers,
  // a single letter included, is rightly redacted from every later output, field names of other tools' refusals too.
  const registersSecrets = (spec: ToolSpec) => Object.keys(spec.params).some((param) => secretKey(param));
  const ordered = [...TOOLS.filter((spec) => !registersSecrets(spec)), ...TOOLS.filter(registersSecrets)];

  it.each(ordered.map((spec) => [spec.name, spec] as const))('%s', async (_name, spec) => {
    await fc.assert(
      fc.asyncProperty(argsFor(spec), (args) => check(spec, args)),
      { numRuns: NUM_RUNS },
    );
    // Still serving after the barrage.
    const status = await harness.call('mfa_status');
    expect(status.isError, status.text).toBe(false);
  });

});
