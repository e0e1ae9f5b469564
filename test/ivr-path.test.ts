import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalIvrPath, ivrPath } from '../src/call/ivr-path.js';

describe('IVR paths', () => {
  it.each([
    ['ivr2:/1/2', 'ivr2:/1/2'],
    ['ivr2:1/2', 'ivr2:/1/2'],
    ['ivr/1/2', 'ivr2:/1/2'],
    ['/1/2', 'ivr2:/1/2'],
    ['1/2', 'ivr2:/1/2'],
    ['1/2/', 'ivr2:/1/2'],
    ['IVR2:/1/000.wav', 'ivr2:/1/000.wav'],
    // The vendor's GetIVR2DirStats example: "ext/1 for extension ext/1", a folder named ext, not a prefix.
    ['ext/1', 'ivr2:/ext/1'],
    ['ext/ext.ini', 'ivr2:/ext/ext.ini'],
    ['EXT/1', 'ivr2:/EXT/1'],
    // A root folder named ivr: the API's answer form strips one ivr/, so it is addressed after ivr2:.
    ['ivr2:/ivr/1', 'ivr2:/ivr/1'],
    ['ivr2:ivr/1', 'ivr2:/ivr/1'],
    ['ivr/ivr/1', 'ivr2:/ivr/1'],
    ['/', '/'],
    ['ivr2:/', '/'],
    ['ivr2:', '/'],
    ['1/שלום/ext.ini', 'ivr2:/1/שלום/ext.ini'],
    ['tpl:123', 'tpl:123'],
    ['tpl:123:tts', 'tpl:123:tts'],
    ['tpl:7:MoreInfo', 'tpl:7:MoreInfo'],
  ])('%s -> %s', (given, expected) => {
    expect(canonicalIvrPath(given)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ['1//2', 'empty segment'],
    ['1/../2', '..'],
    ['../etc', '..'],
    ['ivr2:/1/./x', '..'],
    ['1/a:b', 'character'],
    ['1/a\\b', 'character'],
    // Look-alikes that NFKC folds into . and .. or a separator: a server that normalises would climb out.
    ['１/．．/2', '..'],
    ['1/\u2024\u2024/2', '..'],
    ['1/\u2024/2', '..'],
    ['1/\uFE52\uFE52/2', '..'],
    ['1／..／2', 'character'],
    ['1/a\uFF3Cb', 'character'],
  ])('refuses %s (%s)', (given, why) => {
    const checked = canonicalIvrPath(given);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem).toContain(why);
  });

  it('a path field sends the canonical form and names the problem otherwise', () => {
    const field = ivrPath('Folder');
    expect(field.parse('ivr/1/2')).toBe('ivr2:/1/2');
    const refused = field.safeParse('1/../2');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0].message).toContain('..');
    expect(JSON.stringify(z.toJSONSchema(z.object({ path: field }), { io: 'input' }))).not.toContain('pattern');
  });
});
