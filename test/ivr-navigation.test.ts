import { describe, expect, it } from 'vitest';
import { isMenuNumber, menuKeyMeaning, menuKeysOf } from '../src/ivr/nav-menu.js';
import { navigationOf, parentOf, resolveTarget } from '../src/ivr/navigation.js';

describe('navigation targets (EXT-INI §3.1)', () => {
  it.each([
    ['/1/2', '/', '/'],
    ['/1/2', '/3/4', '/3/4'],
    ['/1', '2', '/1/2'],
    ['/', '2', '/2'],
    ['/1/2', '.', '/1/2'],
    ['/1/2', '..', '/1'],
    ['/1/2', '../..', '/'],
    ['/1/2', '../3', '/1/3'],
    ['/1/2', './5', '/1/2/5'],
    ['/1', '/5/', '/5'],
    ['/1', ' 3 ', '/1/3'],
    ['/1', '/שיעורים/2', '/שיעורים/2'],
  ])('from %s, %s is %s', (from, target, path) => {
    expect(resolveTarget(from, target)).toEqual({ kind: 'folder', path });
  });

  it('hangup ends the call', () => {
    expect(resolveTarget('/1', 'hangup')).toEqual({ kind: 'hangup' });
  });

  it.each([
    ['/', '..', 'above the root'],
    ['/1', '../..', 'above the root'],
    ['/1', '/1//2', 'empty segment'],
    ['/1', '', 'empty'],
    ['/1', '1\\2', 'character'],
  ])('from %s, "%s" is invalid (%s)', (from, target, why) => {
    const resolved = resolveTarget(from, target);
    expect(resolved.kind).toBe('invalid');
    if (resolved.kind === 'invalid') expect(resolved.reason).toContain(why);
  });

  it('the parent of the root is none', () => {
    expect(parentOf('/')).toBeUndefined();
    expect(parentOf('/1')).toBe('/');
    expect(parentOf('/1/2/3')).toBe('/1/2');
  });
});

describe('navigation keys (EXT-INI §3.2)', () => {
  it('lists every key that moves the caller, with when it applies', () => {
    const found = navigationOf({
      type: 'playfile',
      title: 'x',
      playfile_end_goto: '/',
      playfile_error_goto: '..',
      timeout_goto: '/9',
      play_and_return_end_go_to: '/2',
      go_to_folder: 'hangup',
      queue_exit: '/5/8',
      tzintuk_end: '/1',
      after_play_005_go_to_folder: '/5',
      playfile_control_play_3_goto: '/3',
      playfile_010_control_play_3_goto: '/4',
      go_to_folder_time_1: '../1.08:00-12:00.sun-thu.*.*',
      record_end_goto_if_time_little: '8-/1/5',
      some_new_module_goto: '/7',
    });
    expect(found).toEqual([
      { key: 'playfile_end_goto', target: '/', when: 'end' },
      { key: 'playfile_error_goto', target: '..', when: 'error' },
      { key: 'timeout_goto', target: '/9', when: 'timeout' },
      { key: 'play_and_return_end_go_to', target: '/2', when: 'end' },
      { key: 'go_to_folder', target: 'hangup', when: 'other' },
      { key: 'queue_exit', target: '/5/8', when: 'key' },
      { key: 'tzintuk_end', target: '/1', when: 'end' },
      { key: 'after_play_005_go_to_folder', target: '/5', when: 'end' },
      { key: 'playfile_control_play_3_goto', target: '/3', when: 'key' },
      { key: 'playfile_010_control_play_3_goto', target: '/4', when: 'key' },
      { key: 'go_to_folder_time_1', target: '../1', when: 'other' },
      { key: 'record_end_goto_if_time_little', target: '/1/5', when: 'other' },
      { key: 'some_new_module_goto', target: '/7', when: 'other' },
    ]);
  });

  it('leaves out emptied keys, modes and keys that are not places', () => {
    expect(
      navigationOf({
        playfile_end_goto: '',
        confbridge_live_no_goto: 'wait_live',
        playfile_end_goto_ext_next: 'yes',
        up: '0',
        root: '9',
        digits: '2',
        folder_to_play: '1/2',
        folder_move: '/7',
        api_link: 'https://x',
        check_did_and_go_to_folder: 'yes',
      }),
    ).toEqual([]);
  });
});

describe('menu keys (EXT-INI §3.3)', () => {
  it('# goes up and * to the root unless up= / root= move them', () => {
    const plain = menuKeysOf({});
    expect(menuKeyMeaning(plain, '#').kind).toBe('up');
    expect(menuKeyMeaning(plain, '*').kind).toBe('root');
    expect(menuKeyMeaning(plain, '3').kind).toBe('digit');
    const moved = menuKeysOf({ up: '0', root: '9', again: 'Star' });
    expect(menuKeyMeaning(moved, '0').kind).toBe('up');
    expect(menuKeyMeaning(moved, '9').kind).toBe('root');
    expect(menuKeyMeaning(moved, '*').kind).toBe('again');
    expect(menuKeyMeaning(moved, '#').kind).toBe('none');
    expect(isMenuNumber(moved, '9')).toBe(false);
  });

  it('hash_extension / star_extension send # and * into Hash and Star', () => {
    const keys = menuKeysOf({ hash_extension: 'yes', star_extension: 'yes' });
    expect(menuKeyMeaning(keys, '#')).toEqual({ kind: 'folder', name: 'Hash' });
    expect(menuKeyMeaning(keys, '*')).toEqual({ kind: 'folder', name: 'Star' });
  });

  it('digits=2 numbers sub-folders 01…99', () => {
    const keys = menuKeysOf({ digits: '2' });
    expect(isMenuNumber(keys, '01')).toBe(true);
    expect(isMenuNumber(keys, '1')).toBe(false);
    expect(isMenuNumber(menuKeysOf({ digits: 'x' }), '1')).toBe(true);
  });
});
