import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bridgingPhones, callerId, phoneString } from '../src/call/params.js';
import { normalizePhone, normalizePhoneList } from '../src/call/phone.js';

describe('phone numbers are normalised in one place', () => {
  it.each([
    ['+972501234567', '0501234567'],
    ['972501234567', '0501234567'],
    ['00972501234567', '0501234567'],
    ['+972 50-123-4567', '0501234567'],
    ['050-123 4567', '0501234567'],
    ['(077) 313-7770', '0773137770'],
    ['+97223456789', '023456789'],
    ['+12025550123', '+12025550123'],
    ['rand', 'RAND'],
  ])('%s -> %s', (given, expected) => {
    expect(normalizePhone(given)).toBe(expected);
  });

  it('keeps server-side lists and normalises each number of a ":" list', () => {
    expect(normalizePhoneList('tpl:123')).toBe('tpl:123');
    expect(normalizePhoneList('tzl:My List')).toBe('tzl:My List');
    expect(normalizePhoneList('+972501234567:052-765-4321')).toBe('0501234567:0527654321');
  });

  it('the shared schemas hand the normalised value on and still refuse non-numbers', () => {
    expect(phoneString.parse('+972 50-123-4567:0527654321')).toBe('0501234567:0527654321');
    expect(callerId().parse('+972773137770')).toBe('0773137770');
    expect(bridgingPhones.parse([{ phone: '+972501234567', callerId: '972-77-3137770' }])).toEqual([{ phone: '0501234567', callerId: '0773137770' }]);
    expect(bridgingPhones.parse([{ phones: ['+972501234567'], callerId: '0773137770' }])).toEqual([{ phones: ['0501234567'], callerId: '0773137770' }]);
    expect(phoneString.safeParse('05x1234567').success).toBe(false);
    expect(phoneString.safeParse('050:abc').success).toBe(false);
  });

  it('normalising adds nothing to the JSON Schema a host pays for', () => {
    const json = JSON.stringify(z.toJSONSchema(z.object({ phones: phoneString }), { io: 'input' }));
    expect(json).not.toContain('pattern');
  });
});
