import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { TOOLS } from '../src/tools/index.js';
import { PHONE_FIELDS, unwrapOptional } from '../src/call/params.js';
import { startHarness, type Harness } from './harness.js';

/** Every phone field of the table takes the dialects people and the API itself use, and sends the local form. */

const FIELDS = TOOLS.flatMap((spec) =>
  Object.entries(spec.params).flatMap(([param, schema]) => {
    const kind = PHONE_FIELDS.get(unwrapOptional(schema as z.ZodType));
    return kind ? [{ spec, param, kind }] : [];
  }),
);

// As people type them, and as GetApprovedCallerIDs answers (E.164).
const international = (local: string) => `+972 ${local.slice(1, 3)}-${local.slice(3, 6)}-${local.slice(6)}`;
const LOCAL = { one: '0770000000', list: '0501234567:0527654321' };
/** TransferUnits moves units to another system, never this one (0770000000): the simulator's second system. */
const LOCAL_OF_FIELD: Record<string, string> = { 'transfer_units.destination': '0779999999' };
const localOf = (field: string, kind: 'one' | 'list') => LOCAL_OF_FIELD[field] ?? LOCAL[kind];
const typed = (local: string) => local.split(':').map(international).join(':');

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ sandbox: { mfa: 'hard' } });
});
afterAll(() => harness.close());

describe('phone fields', () => {
  it('are found in the table (phones and callerId of the campaign tools, callerId of the others)', () => {
    const names = FIELDS.map(({ spec, param }) => `${spec.name}.${param}`);
    expect(names).toEqual(expect.arrayContaining(['send_tts.phones', 'send_tts.callerId', 'bridge_calls_to_extension.phones', 'check_caller_id.callerId']));
  });

  it.each(FIELDS.map(({ spec, param, kind }) => [`${spec.name}.${param}`, spec, param, kind] as const))(
    '%s: "+972 …" with spaces and dashes reaches the API as the local number',
    async (_label, spec, param, kind) => {
      const local = localOf(`${spec.name}.${param}`, kind);
      const args = { ...spec.examples[0], [param]: typed(local), ...(spec.effect === 'spend' && { repeat: true }) };
      const before = harness.sandbox.requests.length;
      const result = await harness.call(spec.name, args);
      expect(result.isError, result.text).toBe(false);
      const sent = harness.since(before).filter((request) => request.command === spec.command && request.params.action !== 'isPass');
      expect(sent).toHaveLength(1);
      expect(sent[0].params[param]).toBe(local);
    },
  );

  it('nested numbers of the JSON forms are normalised too', async () => {
    const before = harness.sandbox.requests.length;
    const result = await harness.call('bridge_calls_to_extension', {
      phones: [{ phone: '+972-50-123-4567', callerId: '972 77 000 0000' }],
      ivrPath: 'ivr2:/1/100',
    });
    expect(result.isError, result.text).toBe(false);
    const [request] = harness.since(before).filter((r) => r.command === 'CallExtensionBridging');
    expect(request.params.phones).toEqual([{ phone: '0501234567', callerId: '0770000000' }]);
  });
});
