import { describe, expect, it } from 'vitest';
import { dryRunCall } from '../src/ivr/dry-run.js';
import { PLANTED, fakeIvr } from './ivr-tree-fake.js';
import type { FakeFolder } from './ivr-tree-fake.js';

const run = (keys: string, start = '/', folders: Record<string, FakeFolder> = PLANTED, maxSteps?: number) =>
  dryRunCall(fakeIvr(folders), { start, keys, maxSteps });

const ROOT_HEARD = ['TTS: Welcome to the line', '/M1000.wav'];

describe('dry run of the planted IVR', () => {
  it('1: the playfile plays its numbered files highest first, then playfile_end_goto back to the root menu', async () => {
    const call = await run('1');
    expect(call.steps).toEqual([
      { at: '/', type: 'menu', hear: ROOT_HEARD, action: 'pressed 1 → /1', decidedBy: '1' },
      { at: '/1', type: 'playfile', hear: ['TTS: File one speaks', '/1/000.wav'], action: 'playfile_end_goto → /', decidedBy: 'playfile_end_goto' },
      { at: '/', type: 'menu', hear: ROOT_HEARD, action: 'menu waits for a key' },
    ]);
    expect(call.end).toEqual({ kind: 'waiting', at: '/', type: 'menu', reason: 'no key left: the menu at / waits for a key' });
  });

  it('2: a queue is an end point', async () => {
    const call = await run('2');
    expect(call.steps.map((step) => step.action)).toEqual(['pressed 2 → /2', 'queue: the caller waits for an agent (agents are listed in queue.ini)']);
    expect(call.end).toMatchObject({ kind: 'endpoint', at: '/2', type: 'queue' });
    expect(call.end.reason).toContain('when it is done: back one level (default)');
  });

  it('3: an api extension names the server Yemot would call', async () => {
    const call = await run('3');
    expect(call.end).toEqual({
      kind: 'endpoint',
      at: '/3',
      type: 'api',
      reason: 'api: Yemot would call https://example.com/ivr; its answers decide what the caller hears (no answer or a malformed one: M1607, and the caller leaves); when an answer names no destination: api_end_goto → /6',
    });
  });

  it('4: go_to_folder moves to /1 without a key, and /1 plays', async () => {
    const call = await run('4');
    expect(call.steps.map((step) => [step.at, step.action])).toEqual([
      ['/', 'pressed 4 → /4'],
      ['/4', 'go_to_folder → /1'],
      ['/1', 'playfile_end_goto → /'],
      ['/', 'menu waits for a key'],
    ]);
  });

  it('5: go_to_folder_time is not modelled, and says where it could go', async () => {
    const call = await run('5');
    expect(call.end.kind).toBe('unmodelled');
    expect(call.end.reason).toBe(
      'type=go_to_folder_time chooses the target by the time of the call: not modelled (targets: go_to_folder_time_1 → /1, go_to_folder_time_error_goto → /6)',
    );
  });

  it('6: hangup, after its welcome message', async () => {
    const call = await run('6');
    expect(call.steps[1]).toEqual({ at: '/6', type: 'hangup', hear: ['/6/M0000.wav'], action: 'hangup' });
    expect(call.end).toEqual({ kind: 'hangup', at: '/6', type: 'hangup', reason: 'type=hangup' });
  });

  it('7: a sub-menu waits, and names where its timeout_goto would go', async () => {
    const call = await run('7');
    expect(call.steps[1]).toMatchObject({ at: '/7', hear: ['TTS: Press 1 for news'], action: 'menu waits for a key' });
    expect(call.end.reason).toBe('no key left: the menu at /7 waits for a key; unanswered, it goes to timeout_goto → /9 after its attempts');
  });

  it('8: a loop is caught', async () => {
    const call = await run('8');
    expect(call.steps.map((step) => step.action)).toEqual(['pressed 8 → /8', 'go_to_folder → /8/1', 'go_to_folder → /8']);
    expect(call.end).toMatchObject({ kind: 'loop', at: '/8' });
    expect(call.end.reason).toContain('go_to_folder at /8/1');
  });
});

describe('dry run: keys and menus', () => {
  it('keys are used in order: the first goes to the root menu, the next is tried there after the playfile', async () => {
    const call = await run('12');
    expect(call.steps.map((step) => step.action)).toEqual(['pressed 1 → /1', 'playfile_end_goto → /', 'pressed 2 → /2', expect.stringContaining('queue')]);
    expect(call.steps[1].notes).toEqual(['keys during playfile (control_play…) are not modelled: 2 is kept for the next menu']);
    expect(call.steps[0].hear).toEqual(ROOT_HEARD);
  });

  it('keys left at an end point are reported', async () => {
    const call = await run('21');
    expect(call.end.reason).toMatch(/keys not used: 1$/);
  });

  it('# goes up, * goes to the root, a wrong key stays in the menu', async () => {
    expect((await run('7#')).steps.map((step) => step.action)).toEqual(['pressed 7 → /7', 'pressed # (up) → /', 'menu waits for a key']);
    expect((await run('7*')).steps[1].action).toBe('pressed * (root) → /');
    const wrong = await run('95');
    expect(wrong.steps.slice(0, 2).map((step) => step.action)).toEqual([
      'pressed 9: no sub-extension /9 → wrong key, silently (M1001 plays only with M1001_say=yes); the menu asks again',
      'pressed 5 → /5',
    ]);
    expect(wrong.steps[1].at).toBe('/');
    expect(wrong.steps[1].hear).toEqual(['/M1000.wav']);
  });

  it('# at the root is not modelled: the reference does not say where it goes', async () => {
    const call = await run('#');
    expect(call.end).toMatchObject({ kind: 'unmodelled', at: '/' });
    expect(call.end.reason).toContain('this is the root');
  });

  it('7 then 1: play_and_return plays M0002 and goes back one level by default', async () => {
    const call = await run('71');
    expect(call.steps[2]).toEqual({ at: '/7/1', type: 'play_and_return', hear: ['/7/1/M0002.wav'], action: 'back one level (default) → /7' });
    expect(call.end).toMatchObject({ kind: 'waiting', at: '/7' });
  });

  it('a menu of two-digit numbers waits for the second digit', async () => {
    const folders = { '/': { ini: { type: 'menu', digits: '2' }, files: { 'M1000.wav': '' } }, '/01': { ini: { type: 'hangup' } } };
    expect((await run('01', '/', folders)).end).toMatchObject({ kind: 'hangup', at: '/01' });
    expect((await run('0', '/', folders)).end).toMatchObject({ kind: 'waiting', reason: expect.stringContaining('typed 0 of a 2-digit number') });
  });

  it('a broken target ends the call as invalid', async () => {
    const folders = { ...PLANTED, '/2': { ini: { type: 'play_and_return', play_and_return_end_go_to: '/9' } } };
    const call = await run('2', '/', folders);
    expect(call.end).toEqual({ kind: 'invalid', at: '/9', reason: 'there is no extension /9 (play_and_return_end_go_to at /2)' });
  });

  it('max steps stops a long walk', async () => {
    const call = await run('4', '/', PLANTED, 2);
    expect(call.steps).toHaveLength(2);
    expect(call.end).toMatchObject({ kind: 'max-steps', at: '/1' });
  });

  it('refuses keys other than digits, * and #', async () => {
    expect((await run('1a')).end).toMatchObject({ kind: 'invalid', reason: 'keys may hold only 0-9, * and #' });
  });
});

describe('dry run: modules', () => {
  const playfile = (ini: Record<string, string>, files: Record<string, string>) => ({ '/': { ini: { type: 'menu' } }, '/1': { ini: { type: 'playfile', ...ini }, files } });

  it('start=min plays lowest first; only 3+ digit numbered audio and tts count', async () => {
    const files = { '010.wav': '', '002.ogg': '', '05.wav': '', '003-Title.wav': '', '004.txt': '', 'M0000.wav': '' };
    const call = await run('', '/1', playfile({ start: 'min' }, files));
    expect(call.steps[0].hear).toEqual(['/1/M0000.wav', '/1/002.ogg', '/1/010.wav']);
    expect(call.steps[0].action).toBe('back one level (default) → /');
  });

  it('after_play_NNN_go_to_folder leaves after that file', async () => {
    const call = await run('', '/1', playfile({ after_play_002_go_to_folder: 'hangup' }, { '001.wav': '', '002.wav': '', '003.wav': '' }));
    expect(call.steps[0].hear).toEqual(['/1/003.wav', '/1/002.wav']);
    expect(call.end).toMatchObject({ kind: 'hangup', reason: 'after 002.wav, after_play_002_go_to_folder → hangup' });
  });

  it('no playable file: back one level, or playfile_end_goto when set', async () => {
    expect((await run('', '/1', playfile({}, {}))).steps[0]).toMatchObject({ hear: [], action: 'back one level (default) → /', notes: ['no playable numbered file'] });
    expect((await run('', '/1', playfile({ playfile_end_goto: '/1' }, {}))).end).toMatchObject({ kind: 'loop', at: '/1' });
  });

  it('start=select is not modelled', async () => {
    expect((await run('', '/1', playfile({ start: 'select' }, { '001.wav': '' }))).end).toMatchObject({ kind: 'unmodelled', reason: 'start=select (the caller selects files) is not modelled' });
  });

  it('a folder without ext.ini, an unknown type, entry checks and the Messages folder', async () => {
    const folders = {
      '/': { ini: { type: 'menu' } },
      '/1': { files: {} },
      '/2': { ini: { type: 'seker' } },
      '/3': { ini: { type: 'hangup', password: '1234' } },
      '/Messages': { files: { 'M0000.tts': 'Shared welcome' } },
    };
    expect((await run('', '/1', folders)).end).toMatchObject({ kind: 'unmodelled', reason: expect.stringContaining('there is no ext.ini') });
    expect((await run('', '/2', folders)).end).toMatchObject({ kind: 'unmodelled', reason: 'type=seker is not modelled' });
    const entry = await run('', '/3', folders);
    expect(entry.steps[0]).toMatchObject({ hear: ['TTS: Shared welcome'], notes: ['entry checks not modelled, assumed passed: password'] });
  });

  it('nothing is written: the reader has no write, and each folder is read once', async () => {
    const ivr = fakeIvr(PLANTED);
    await dryRunCall(ivr, { start: '/', keys: '14' });
    expect([...ivr.reads.values()].every((count) => count === 1)).toBe(true);
  });
});
