import { describe, expect, it } from 'vitest';
import { checkSettings, typeOf } from '../src/ivr/check.js';
import { targetProblem } from '../src/ivr/value-kind.js';

/** One change of one key on an extension of this type. */
const check = (type: string, key: string, value: string, exists?: (target: string) => boolean | undefined) =>
  checkSettings({ type, after: { type, [key]: value }, changed: [key], ...(exists ? { exists } : {}) });

describe('checkSettings', () => {
  it('a clean change gives no warning', () => {
    const after = { type: 'playfile', start: 'min', playfile_end_goto: '/', control_play5: 'wait', after_play_005_go_to_folder: '../2', password: '1234' };
    expect(checkSettings({ type: 'playfile', before: { type: 'playfile' }, after, changed: Object.keys(after), exists: () => true })).toEqual([]);
  });

  it('an unknown key is kept and named', () => {
    expect(check('menu', 'my_custom', '1')).toEqual(['my_custom: not in the reference; kept as written']);
  });

  it('a key of another module type is named with the types it belongs to', () => {
    const [warning] = check('menu', 'playfile_end_goto', '/');
    expect(warning).toContain('playfile_end_goto');
    expect(warning).toContain('type=playfile');
    expect(warning).toContain('type=menu');
  });

  it('a key documented for several types is fine on each; cross-module keys never warn for the type', () => {
    expect(check('routing', 'digits', '2')).toEqual([]);
    expect(check('menu', 'digits', '2')).toEqual([]);
    for (const type of ['menu', 'api', 'seker', 'hangup']) expect(check(type, 'password', '1234')).toEqual([]);
  });

  it('on a type the reference has no key list for, says so', () => {
    expect(check('seker', 'record_end_goto', '/')[0]).toContain('the reference lists no keys for type=seker');
  });

  it.each([
    ['playfile', 'play_beep', 'maybe', 'yes or no'],
    ['tzintuk', 'tzintuk_timeout', '11', 'from 1 to 10'],
    ['menu', 'rate', '-11', 'from -10 to 10'],
    ['menu', 'digits', 'two', 'expects a number'],
    ['playfile', 'start', 'oldest', 'one of max, min'],
    ['api', 'api_link', 'http://example.com/yemot', 'https'],
    ['api', 'api_link', 'example.com', 'expects a URL'],
    ['api', 'api_hangup_link', 'ftp://example.com', 'http(s)'],
    ['routing', 'routing_to_phone', 'my mobile', 'phone number'],
    ['routing', 'routing_multiple_numbers', '1,x', '"x"'],
    ['api', 'api_dir', '5/6', 'must start with "/"'],
    ['playfile', 'folder_to_play', '/1/2', 'must not start with "/"'],
    ['record', 'hangup_insert_file_to_folder', '/1/../2', 'full path'],
  ])('%s: %s=%s is the wrong kind (%s)', (type, key, value, words) => {
    const warnings = check(type, key, value);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].startsWith(`${key}: `)).toBe(true);
    expect(warnings[0]).toContain(words);
  });

  it('open enums, vendor words and empty values (back to the default) pass', () => {
    expect(check('routing', 'music_on_hold', 'MyMusic')).toEqual([]);
    expect(check('routing', 'routing_to_phone', 'by_incoming_did')).toEqual([]);
    expect(check('playfile', 'folder_to_play', 'tfr')).toEqual([]);
    expect(check('confbridge', 'confbridge_live_no_goto', 'wait_live')).toEqual([]);
    expect(check('playfile', 'start', '')).toEqual([]);
    expect(check('api', 'api_link', 'https://example.com/a?b=c')).toEqual([]);
  });

  it('a guessed key says its format is a guess', () => {
    expect(check('playfile', 'listening_mark', 'on')[0]).toContain('our guess');
  });

  it.each(['1//2', '/1/', '/1/../2', '1/..', 'a b', '1,2', './1'])('a navigation target of invalid syntax: %s', (target) => {
    const [warning] = check('playfile', 'playfile_end_goto', target);
    expect(warning).toContain('playfile_end_goto');
    expect(warning).toContain('not a navigation target');
  });

  it.each(['/', '/1/1', '1', '.', '..', '../..', '../1', 'hangup', 'Star3', '/שלום'])('a valid navigation target: %s', (target) => {
    expect(targetProblem(target)).toBeUndefined();
    expect(check('playfile', 'playfile_end_goto', target)).toEqual([]);
  });

  it('a target or folder that does not exist, when exists() knows', () => {
    const known = new Set(['/', '/1', '/5/6']);
    const exists = (target: string) => (target === '/unknown' ? undefined : known.has(target));
    expect(check('playfile', 'playfile_end_goto', '/9', exists)).toEqual(['playfile_end_goto: target /9 does not exist; the caller would be sent nowhere']);
    expect(check('playfile', 'playfile_end_goto', '/1', exists)).toEqual([]);
    expect(check('playfile', 'playfile_end_goto', '/unknown', exists)).toEqual([]);
    expect(check('playfile', 'playfile_end_goto', 'hangup', () => false)).toEqual([]);
    expect(check('api', 'api_dir', '/5/7', exists)).toEqual(['api_dir: folder /5/7 does not exist']);
    expect(check('api', 'api_dir', '/5/6', exists)).toEqual([]);
    expect(check('playfile', 'folder_to_play', '5/6', exists)).toEqual([]);
    expect(check('playfile', 'folder_to_play', 'tfr', () => false)).toEqual([]);
  });

  it('a change of type says what it changes and which keys stop applying', () => {
    const before = { type: 'playfile', playfile_end_goto: '/', password: '1' };
    const after = { type: 'menu', playfile_end_goto: '/', password: '1' };
    const warnings = checkSettings({ type: 'menu', before, after, changed: ['type'] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('from playfile to menu');
    expect(warnings[0]).toContain('playfile_end_goto');
    expect(warnings[0]).not.toContain('password');
    expect(checkSettings({ type: 'menu', before: { type: 'menu' }, after: { type: 'menu' }, changed: ['type'] })).toEqual([]);
  });

  it('a type unknown to the reference', () => {
    expect(check('voicemail', 'type', 'voicemail')).toEqual(['type: "voicemail" is not a module type in the reference']);
  });

  it('an expiry-bound key is checked as its key', () => {
    const key = 'type(2026-01-01-00-00-00|playfile)';
    expect(checkSettings({ type: 'menu', after: { type: 'menu', [key]: 'menu' }, changed: [key] })).toEqual([]);
    const goto = 'playfile_end_goto(2026-01-01-00-00-00)';
    expect(checkSettings({ type: 'playfile', after: { [goto]: '1//2' }, changed: [goto] })[0]).toContain(goto);
  });

  it('a removed key, and keys named like Object members, are handled', () => {
    expect(checkSettings({ type: 'menu', before: { type: 'menu', digits: '2' }, after: { type: 'menu' }, changed: ['digits'] })).toEqual([]);
    expect(checkSettings({ type: 'menu', after: { type: 'menu' }, changed: ['constructor', 'toString'] })).toEqual([]);
  });
});

describe('typeOf', () => {
  it('is the trimmed type, or undefined', () => {
    expect(typeOf({ type: ' menu ' })).toBe('menu');
    expect(typeOf({ type: '' })).toBeUndefined();
    expect(typeOf({})).toBeUndefined();
  });
});
