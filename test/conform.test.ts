import { describe, expect, it } from 'vitest';
import { conform, OFF_SCHEMA_FIELD, type OutputSchema } from '../src/call/conform.js';
import { startHarness } from './harness.js';

/** The normalisation of a successful result to its output schema: what is coerced, what moves aside (the table-wide run is test/vendor-types.property.test.ts). */

const SCHEMA: OutputSchema = {
  type: 'object',
  properties: {
    count: { type: 'number' },
    name: { type: 'string' },
    ok: { type: 'boolean' },
    id: { type: ['string', 'number'] },
    rows: { type: 'array', items: { type: 'object', properties: { n: { type: 'number' }, any: {} } } },
    either: { anyOf: [{ type: 'object', properties: { a: { type: 'number' } } }, { type: 'object', properties: { b: { type: 'string' } } }] },
  },
};

describe('conform', () => {
  it('leaves a result that fits as it is, undeclared fields included', () => {
    const fitting = { count: 3, name: 'x', ok: false, id: 'a1', rows: [{ n: 1, any: null }], extra: { deep: '1' } };
    expect(conform(fitting, SCHEMA)).toEqual(fitting);
  });

  it('spells numbers, strings and booleans as declared, where nothing is lost', () => {
    expect(conform({ count: ' 98 ', name: 12.5, ok: '1', rows: [{ n: '-0.25' }, { n: '7' }, { n: '0' }] }, SCHEMA)).toEqual({ count: 98, name: '12.5', ok: true, rows: [{ n: -0.25 }, { n: 7 }, { n: 0 }] });
    expect(conform({ ok: 'FALSE' }, SCHEMA)).toEqual({ ok: false });
    expect(conform({ ok: 0 }, SCHEMA)).toEqual({ ok: false });
    // A union takes either as sent.
    expect(conform({ id: 5 }, SCHEMA)).toEqual({ id: 5 });
  });

  it('moves what cannot fit to offSchema under its path, keeping the rest of the result', () => {
    const result = conform({ count: 'n/a', name: null, ok: 'maybe', rows: [{ n: 1 }, 'row', { n: '12345678901234567890' }, { n: '0501234567' }], keep: 1 }, SCHEMA);
    expect(result).toEqual({
      rows: [{ n: 1 }, {}, {}],
      keep: 1,
      // Past 2^53, or with a leading zero (a phone number), a number would not read back as sent.
      [OFF_SCHEMA_FIELD]: { count: 'n/a', name: null, ok: 'maybe', 'rows[1]': 'row', 'rows[2].n': '12345678901234567890', 'rows[3].n': '0501234567' },
    });
  });

  it('picks the branch of anyOf the value fits', () => {
    expect(conform({ either: { a: '4' } }, SCHEMA)).toEqual({ either: { a: 4 } });
    expect(conform({ either: { b: 4 } }, SCHEMA)).toEqual({ either: { b: 4 } });
    expect(conform({ either: 'neither' }, SCHEMA)).toEqual({ [OFF_SCHEMA_FIELD]: { either: 'neither' } });
  });

  it('keeps a key named __proto__ a key', () => {
    const result = conform(JSON.parse('{"__proto__": {"polluted": true}, "count": "1"}') as Record<string, unknown>, SCHEMA);
    expect(Object.hasOwn(result, '__proto__')).toBe(true);
    expect((result as { polluted?: unknown }).polluted).toBeUndefined();
    expect(result.count).toBe(1);
  });
});

describe('through MCP', () => {
  it('a number masked because it is a secret (a numeric password, alone) leaves its number field, and the result still fits', async () => {
    const password = '4242';
    const harness = await startHarness({ sandbox: { mfa: 'hard', username: '0770000000', password, log: () => undefined }, credentials: { username: '0770000000', password } });
    try {
      // The SDK client checks structuredContent against the schemas it listed.
      await harness.client.listTools();
      harness.sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'OK', destination: '0779999999', amount: 5, newBalance: Number(password) } }, { command: 'TransferUnits' });
      const result = await harness.call('transfer_units', { destination: '0779999999', amount: 5 });
      expect(result.isError, result.text).toBe(false);
      expect(result.text).not.toContain(password);
      expect(result.json).toMatchObject({ amount: 5, [OFF_SCHEMA_FIELD]: { newBalance: '[redacted]' } });
      expect(result.json).not.toHaveProperty('newBalance');
    } finally {
      await harness.close();
    }
  });
});
