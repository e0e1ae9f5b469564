import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ElicitRequest } from '@modelcontextprotocol/sdk/types.js';
import { fileBytes, fileText, findFile, findFolder } from '../src/sandbox/vfs.js';
import { sandbox, useDemoSandbox } from './demo-sandbox.js';
import { startHarness, type Harness } from './harness.js';

/**
 * Issue 27 through a real MCP client against the simulator: a change of an extension's settings is a change set
 * (read, diff, the person's yes, written only if unchanged since, read back), every overwrite or delete of an IVR
 * file is kept for undo, and the guardrails from the field stop or name what Yemot would do silently.
 */

useDemoSandbox();
let harness: Harness | undefined;
const stateDirs: string[] = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A client without forms: a change set answers CONFIRMATION_REQUIRED with a token. */
const tokens = async (env: Record<string, string> = {}) => (harness = await startHarness({ use: sandbox, confirm: true, env }));
const h = () => harness!;

const extIni = (...folder: string[]) => findFile(sandbox.account.ivr, [...folder, 'ext.ini']);
const stored = (...segments: string[]) => {
  const file = findFile(sandbox.account.ivr, segments);
  return file && fileText(file);
};
/** Someone else's edit, between the preview and the yes. */
const editElsewhere = (text: string, ...folder: string[]) => {
  extIni(...folder)!.data = text;
};
const writes = (from: number) => h().since(from).filter((request) => ['UploadTextFile', 'UpdateExtension', 'UploadFile', 'FileAction'].includes(request.command));

/** Asks, then says yes with the token, as an agent does after the person's yes. */
async function confirmed(name: string, args: Record<string, unknown>) {
  const asked = await h().call(name, args);
  expect(asked.json.error, asked.text).toBe('CONFIRMATION_REQUIRED');
  return h().call(name, { ...args, confirm: asked.json.confirm });
}

// Unknown keys, a comment, an expiry-dated key, CRLF line ends, spacing before "=" and no final line break.
const RICH = 'type=playfile\r\n; set by the office\r\nmy_own_key = 12\r\ntitle=הודעות\r\nplayfile_end_goto(2030-01-01-00-00-00|/1)=/4\r\nplayfile_end_goto=/4\r\n# end';

describe('a change set of an extension', () => {
  it('keeps unknown keys, order, comments, spacing, line ends and expiry-dated keys: only the asked lines change', async () => {
    await tokens();
    editElsewhere(RICH, '2');
    const result = await confirmed('change_extension', { path: '2', set: { playfile_end_goto: '/', new_key: 'x' }, remove: ['title'] });
    expect(result.isError, result.text).toBe(false);
    expect(stored('2', 'ext.ini')).toBe('type=playfile\r\n; set by the office\r\nmy_own_key = 12\r\nplayfile_end_goto(2030-01-01-00-00-00|/1)=/4\r\nplayfile_end_goto=/\r\n# end\r\nnew_key=x');
    expect(result.json).toMatchObject({ path: 'ivr2:/2/ext.ini', before: RICH, verified: true, changeId: expect.stringMatching(/^[0-9a-z]{13}$/) });
    expect(result.json.after).toBe(stored('2', 'ext.ini'));
    const warnings = result.json.warnings as string[];
    // An unknown key is kept and named, never refused; the expiry-dated line still overrides until its date.
    expect(warnings).toEqual(expect.arrayContaining(['new_key: not in the reference; kept as written']));
    expect(warnings.some((warning) => warning.startsWith('playfile_end_goto: playfile_end_goto(2030-01-01-00-00-00|/1)=/4 also sets it with a date'))).toBe(true);
  });

  it('shows the diff and the warnings before anything is written, and writes only after the yes', async () => {
    await tokens();
    const before = sandbox.requests.length;
    const asked = await h().call('change_extension', { path: '2', set: { type: 'menu', playfile_end_goto: '/77', digits: 'two' } });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(writes(before)).toEqual([]);
    const preview = asked.json.preview as { diff: string; warnings: string[]; what: string; because: string };
    expect(preview.what).toBe('UploadTextFile will rewrite ivr2:/2/ext.ini as the diff shows; every other line stays as it is.');
    expect(preview.because).toBe('callers meet a settings change at once');
    expect(preview.diff).toBe(
      '--- ivr2:/2/ext.ini (now)\n+++ ivr2:/2/ext.ini (after)\n@@ -1,3 +1,4 @@\n-type=playfile\n+type=menu\n title=הודעות\n-playfile_end_goto=/4\n+playfile_end_goto=/77\n+digits=two\n',
    );
    expect(preview.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^type: changes the module from playfile to menu/),
        'playfile_end_goto: documented for type=playfile, not for type=menu; Yemot may ignore it',
        'playfile_end_goto: target /77 does not exist; the caller would be sent nowhere',
        'digits: expects a number, not "two"',
      ]),
    );
    // The message an agent shows the person carries the diff.
    expect(String(asked.json.message)).toContain('-playfile_end_goto=/4\n+playfile_end_goto=/77');
    expect(stored('2', 'ext.ini')).toBe('type=playfile\ntitle=הודעות\nplayfile_end_goto=/4\n');
  });

  it('CONFLICT: an edit between the preview and the yes writes nothing and shows the new diff', async () => {
    await tokens();
    const change = { path: '2', set: { playfile_end_goto: '/' } };
    const asked = await h().call('change_extension', change);
    editElsewhere('type=playfile\ntitle=changed meanwhile\nplayfile_end_goto=/4\n', '2');
    const before = sandbox.requests.length;
    const refused = await h().call('change_extension', { ...change, confirm: asked.json.confirm });
    expect(refused.json).toMatchObject({
      error: 'CONFLICT',
      now: 'type=playfile\ntitle=changed meanwhile\nplayfile_end_goto=/4\n',
      diff: '--- ivr2:/2/ext.ini (now)\n+++ ivr2:/2/ext.ini (after)\n@@ -1,3 +1,3 @@\n type=playfile\n title=changed meanwhile\n-playfile_end_goto=/4\n+playfile_end_goto=/\n',
    });
    expect(String(refused.json.next)).toMatch(/^Nothing was written\. Show the person this new diff/);
    expect(writes(before)).toEqual([]);
    expect(stored('2', 'ext.ini')).toBe('type=playfile\ntitle=changed meanwhile\nplayfile_end_goto=/4\n');
    // A new preview of the file as it is now, and its yes, go through.
    const again = await confirmed('change_extension', change);
    expect(again.isError, again.text).toBe(false);
    expect(stored('2', 'ext.ini')).toBe('type=playfile\ntitle=changed meanwhile\nplayfile_end_goto=/\n');
  });

  it('CONFLICT through a form too: the file changed while the person read it', async () => {
    const asked: Array<ElicitRequest['params']> = [];
    harness = await startHarness({
      use: sandbox,
      capabilities: { elicitation: { form: {} } },
      onElicit: (request) => {
        asked.push(request);
        editElsewhere('type=playfile\n', '2');
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const before = sandbox.requests.length;
    const refused = await h().call('change_extension', { path: '2', set: { title: 'x' } });
    expect(asked).toHaveLength(1);
    expect(asked[0].message).toContain('+title=x');
    expect(refused.json.error).toBe('CONFLICT');
    expect(writes(before)).toEqual([]);
    expect(stored('2', 'ext.ini')).toBe('type=playfile\n');
  });

  it('a token is for the change the person saw: other keys are CONFIRMATION_MISMATCH, nothing written', async () => {
    await tokens();
    const asked = await h().call('change_extension', { path: '2', set: { title: 'a' } });
    const before = sandbox.requests.length;
    const other = await h().call('change_extension', { path: '2', set: { title: 'b' }, confirm: asked.json.confirm });
    expect(other.json.error).toBe('CONFIRMATION_MISMATCH');
    expect(writes(before)).toEqual([]);
  });

  it('refuses an extension that does not exist, with nothing written (UploadTextFile would answer OK and create nothing)', async () => {
    await tokens();
    const before = sandbox.requests.length;
    const refused = await h().call('change_extension', { path: '44', set: { type: 'menu' } });
    expect(refused.json).toMatchObject({ error: 'NOT_FOUND', message: expect.stringContaining('there is no extension ivr2:/44') });
    expect(String(refused.json.next)).toContain('create_extension');
    expect(writes(before)).toEqual([]);
    expect(findFolder(sandbox.account.ivr, ['44'])).toBeUndefined();
  });

  it('a refused write keeps nothing in the journal; a write whose outcome is unknown keeps it (the undo is checked anyway)', async () => {
    await tokens({ YEMOT_CONFIRM: '0' });
    sandbox.injectFault({ kind: 'answer', answer: { responseStatus: 'ERROR', message: 'no permission' } }, { command: 'UploadTextFile' });
    const refused = await h().call('change_extension', { path: '2', set: { title: 'x' } });
    expect(refused.json).toMatchObject({ error: 'API_ERROR', vendorMessage: 'no permission' });
    expect((await h().call('list_changes', {})).json.changes).toEqual([]);
    sandbox.injectFault({ kind: 'reset' }, { command: 'UploadTextFile' });
    const before = sandbox.requests.length;
    const unknown = await h().call('change_extension', { path: '2', set: { title: 'y' } });
    expect(unknown.json).toMatchObject({ outcomeUnknown: true });
    // Not repeated: one attempt.
    expect(h().since(before).filter((request) => request.command === 'UploadTextFile')).toHaveLength(1);
    expect((await h().call('list_changes', {})).json.changes).toEqual([expect.objectContaining({ path: 'ivr2:/2/ext.ini', now: 'changed since' })]);
  });
});

describe('the undo journal', () => {
  it('undo puts the file back byte for byte, is itself a confirmed, journaled change set, and can be undone', async () => {
    await tokens();
    editElsewhere(RICH, '2');
    const change = await confirmed('change_extension', { path: '2', set: { playfile_end_goto: '/' }, remove: ['my_own_key'] });
    const listed = await h().call('list_changes', {});
    expect(listed.json).toMatchObject({ journal: 'memory', changes: [{ changeId: change.json.changeId, tool: 'change_extension', path: 'ivr2:/2/ext.ini', what: 'set playfile_end_goto=/; removed my_own_key', now: 'as the change left it' }] });
    // It says what it does not keep, so "undo the last change" is not taken for an older one.
    expect(String(listed.json.kept)).toMatch(/files written, uploaded or deleted.*not extensions made by create_extension/);

    const before = sandbox.requests.length;
    const asked = await h().call('undo_change', { id: change.json.changeId });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(writes(before)).toEqual([]);
    expect((asked.json.preview as { diff: string }).diff).toContain('+my_own_key = 12\r\n');
    const undone = await h().call('undo_change', { id: change.json.changeId, confirm: asked.json.confirm });
    expect(undone.isError, undone.text).toBe(false);
    expect(stored('2', 'ext.ini')).toBe(RICH);
    expect(undone.json).toMatchObject({ verified: true, changeId: expect.any(String) });

    const changes = (await h().call('list_changes', {})).json.changes as Array<Record<string, unknown>>;
    expect(changes[0]).toMatchObject({ tool: 'undo_change', undoes: change.json.changeId, now: 'as the change left it' });
    expect(changes[1]).toMatchObject({ changeId: change.json.changeId, now: `undone by ${String(changes[0].changeId)}` });
    await confirmed('undo_change', { id: undone.json.changeId });
    expect(stored('2', 'ext.ini')).toBe(change.json.after);
  });

  it('an undo over a later edit says so in its preview, and an edit after the preview is a CONFLICT', async () => {
    await tokens();
    const change = await confirmed('change_extension', { path: '2', set: { title: 'a' } });
    editElsewhere('type=playfile\ntitle=b\n', '2');
    const asked = await h().call('undo_change', { id: change.json.changeId });
    expect((asked.json.preview as { warnings: string[] }).warnings).toContain(`ivr2:/2/ext.ini changed after ${String(change.json.changeId)}: undoing it also takes back what changed since (see the diff)`);
    editElsewhere('type=playfile\ntitle=c\n', '2');
    const refused = await h().call('undo_change', { id: change.json.changeId, confirm: asked.json.confirm });
    expect(refused.json.error).toBe('CONFLICT');
    expect(stored('2', 'ext.ini')).toBe('type=playfile\ntitle=c\n');
  });

  it('a file a change created is deleted by its undo, after a preview of what goes; that undo is undone in turn', async () => {
    await tokens();
    const made = await confirmed('write_text_file', { what: '2/new-note.tts', contents: 'הודעה חדשה' });
    expect(made.isError, made.text).toBe(false);
    expect(made.json.changeId).toEqual(expect.any(String));
    expect(findFile(sandbox.account.ivr, ['2', 'new-note.tts'])).toBeDefined();
    // The newest change is this one, so "undo the last change" takes it back, not an older one.
    expect((await h().call('list_changes', {})).json.changes).toEqual(expect.arrayContaining([expect.objectContaining({ changeId: made.json.changeId, path: 'ivr2:/2/new-note.tts', now: 'as the change left it' })]));
    const asked = await h().call('undo_change', { id: made.json.changeId });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(String(asked.json.message)).toContain('FileAction delete removes ivr2:/2/new-note.tts');
    expect(findFile(sandbox.account.ivr, ['2', 'new-note.tts'])).toBeDefined();
    const undone = await h().call('undo_change', { id: made.json.changeId, confirm: asked.json.confirm });
    expect(undone.json).toMatchObject({ path: 'ivr2:/2/new-note.tts', deleted: true, verified: true, changeId: expect.any(String) });
    // The change taken back reads as undone, not as "the file is gone": "the one before" is then the one not undone.
    expect((await h().call('list_changes', {})).json.changes).toEqual(expect.arrayContaining([expect.objectContaining({ changeId: made.json.changeId, now: `undone by ${String(undone.json.changeId)}` })]));
    expect(findFile(sandbox.account.ivr, ['2', 'new-note.tts'])).toBeUndefined();
    // Undoing the undo puts the text back as it was.
    const again = await confirmed('undo_change', { id: undone.json.changeId });
    expect(again.isError, again.text).toBe(false);
    expect(fileText(findFile(sandbox.account.ivr, ['2', 'new-note.tts'])!)).toBe('הודעה חדשה');
    // Once the file is gone, there is nothing left of the create to undo, and nothing is deleted.
    delete findFolder(sandbox.account.ivr, ['2'])!.files['new-note.tts'];
    const before = sandbox.requests.length;
    const nothing = await h().call('undo_change', { id: made.json.changeId });
    expect(nothing.json).toMatchObject({ error: 'NOT_FOUND', message: expect.stringContaining('is gone already') });
    expect(sandbox.requests.slice(before).map((request) => request.command)).not.toContain('FileAction');
  });

  it('keeps what write_text_file replaced, and what delete_files deleted, text and audio, and puts each back as it was', async () => {
    await tokens({ YEMOT_CONFIRM: '0' });
    const audio = Buffer.from(fileBytes(findFile(sandbox.account.ivr, ['2', '000.wav'])!));
    sandbox.account.ivr.dirs['2'].files['000.tts'] = { data: 'שלום\r\nעולם', mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const written = await h().call('write_text_file', { what: '2/000.tts', contents: 'חדש' });
    expect(written.json).toMatchObject({ before: 'שלום\r\nעולם', after: 'חדש', changeId: expect.any(String) });
    const deleted = await h().call('delete_files', { what: ['2/000.wav', '2/000.tts'] });
    expect(deleted.isError, deleted.text).toBe(false);
    const undo = deleted.json.undo as Array<{ path: string; changeId: string }>;
    expect(undo.map((entry) => entry.path)).toEqual(['ivr2:/2/000.wav', 'ivr2:/2/000.tts']);
    expect(findFile(sandbox.account.ivr, ['2', '000.wav'])).toBeUndefined();

    for (const { changeId } of undo) expect((await h().call('undo_change', { id: changeId })).isError).toBe(false);
    expect(Buffer.from(fileBytes(findFile(sandbox.account.ivr, ['2', '000.wav'])!)).equals(audio)).toBe(true);
    expect(stored('2', '000.tts')).toBe('חדש');
    expect((await h().call('undo_change', { id: written.json.changeId })).isError).toBe(false);
    expect(stored('2', '000.tts')).toBe('שלום\r\nעולם');
  });

  it('a deleted audio file comes back only where nothing took its place', async () => {
    await tokens({ YEMOT_CONFIRM: '0' });
    const deleted = await h().call('delete_files', { what: '2/001.wav' });
    const [{ changeId }] = deleted.json.undo as Array<{ changeId: string }>;
    sandbox.account.ivr.dirs['2'].files['001.wav'] = { data: new Uint8Array([1, 2, 3]), mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const before = sandbox.requests.length;
    const refused = await h().call('undo_change', { id: changeId });
    expect(refused.json).toMatchObject({ error: 'CONFLICT', message: expect.stringContaining('a file ivr2:/2/001.wav is there now') });
    expect(writes(before)).toEqual([]);
  });

  it('an id it does not hold is NOT_FOUND, naming where the journal is and how long it keeps', async () => {
    await tokens();
    const missing = await h().call('undo_change', { id: '0000000000000' });
    expect(missing.json).toMatchObject({ error: 'NOT_FOUND' });
    expect(String(missing.json.next)).toMatch(/The journal \(memory\) keeps changes 30 days, 1000 at most/);
    expect((await h().call('undo_change', { id: '../../etc' })).json.error).toBe('INVALID_INPUT');
  });

  it('lives in YEMOT_STATE_DIR across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yemot-state-'));
    stateDirs.push(dir);
    await tokens({ YEMOT_STATE_DIR: dir, YEMOT_CONFIRM: '0' });
    const change = await h().call('change_extension', { path: '2', set: { title: 'x' } });
    await h().close();
    await tokens({ YEMOT_STATE_DIR: dir, YEMOT_CONFIRM: '0' });
    expect((await h().call('list_changes', {})).json).toMatchObject({ journal: `folder ${join(dir, 'undo')}`, changes: [{ changeId: change.json.changeId }] });
    expect((await h().call('undo_change', { id: change.json.changeId })).isError).toBe(false);
    expect(stored('2', 'ext.ini')).toBe('type=playfile\ntitle=הודעות\nplayfile_end_goto=/4\n');
  });

  it('where the state folder cannot be written: said once, and changes and their undo still work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yemot-state-'));
    stateDirs.push(dir);
    writeFileSync(join(dir, 'file'), 'x');
    await tokens({ YEMOT_STATE_DIR: join(dir, 'file'), YEMOT_CONFIRM: '0' });
    const first = await h().call('change_extension', { path: '2', set: { title: 'x' } });
    await h().call('change_extension', { path: '2', set: { title: 'y' } });
    expect(h().logLines.filter((line) => line.includes('undo journal'))).toHaveLength(1);
    expect((await h().call('undo_change', { id: first.json.changeId })).isError).toBe(false);
    expect(stored('2', 'ext.ini')).toBe('type=playfile\ntitle=הודעות\nplayfile_end_goto=/4\n');
  });
});

describe('write_text_file and the guardrails from the field', () => {
  it('refuses a text file into an extension that does not exist, with nothing sent but reads', async () => {
    await tokens();
    for (const what of ['9/000.tts', '9/ext.ini', '1/9/list.txt']) {
      const before = sandbox.requests.length;
      const refused = await h().call('write_text_file', { what, contents: 'x' });
      expect(refused.json.error, what).toBe('NOT_FOUND');
      expect(writes(before), what).toEqual([]);
    }
  });

  it('replacing a whole ext.ini asks first with its diff and warnings, and so does a spoken text (.tts); another text file does not', async () => {
    await tokens();
    const asked = await h().call('write_text_file', { what: '2/ext.ini', contents: 'type=playfile\nplayfile_end_goto=/1\nbogus=1\n' });
    expect(asked.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(asked.json.preview).toMatchObject({
      because: 'callers meet a settings file (.ini) or a spoken text (.tts) at once',
      warnings: ['bogus: not in the reference; kept as written'],
      diff: expect.stringContaining('-title=הודעות\n-playfile_end_goto=/4\n+playfile_end_goto=/1\n+bogus=1\n'),
    });
    // An agent found a title change asked and a new announcement callers hear at once did not.
    const tts = await h().call('write_text_file', { what: '2/000.tts', contents: 'שלום' });
    expect(tts.json).toMatchObject({ error: 'CONFIRMATION_REQUIRED', preview: { diff: expect.stringContaining('+שלום') } });
    const list = await h().call('write_text_file', { what: '2/names.txt', contents: '0501234567' });
    expect(list.isError, list.text).toBe(false);
  });

  it('warns that an audio file of the same name may play instead of the text (an agent wrote M1000.tts beside M1000.wav)', async () => {
    await tokens({ YEMOT_CONFIRM: '0' });
    sandbox.account.ivr.files['M1000.wav'] ??= { data: 'RIFF', mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const shadowed = await h().call('write_text_file', { what: 'M1000.tts', contents: 'שלום' });
    expect(shadowed.isError, shadowed.text).toBe(false);
    expect(shadowed.json.warnings).toEqual([expect.stringMatching(/^M1000\.wav is in the same folder: .*callers may keep hearing the audio.*\(delete_files or copy_move_files, in files_admin\) if they should hear this text$/)]);
    const alone = await h().call('write_text_file', { what: '2/777.tts', contents: 'שלום' });
    expect(alone.json.warnings).toBeUndefined();
  });

  it('warns of a .tts longer than one reading holds, and splits a system message into continuation files', async () => {
    await tokens({ YEMOT_CONFIRM: '0' });
    const sentence = 'לשמיעת הודעות המערכת הקישו אחת ולהשארת הודעה הקישו שתיים. ';
    const long = sentence.repeat(40).trim();
    const whole = await h().call('write_text_file', { what: '1/M1000.tts', contents: long });
    expect((whole.json.warnings as string[])[0]).toMatch(/^\d+ characters, \d+ words: more than one \.tts reading is known to hold/);
    sandbox.account.ivr.dirs['1'].files['M1000-9.tts'] = { data: 'old', mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const split = await h().call('write_text_file', { what: '1/M1000.tts', contents: long, split: true });
    expect(split.isError, split.text).toBe(false);
    const parts = split.json.parts as Array<{ path: string; after: string }>;
    expect(parts.map((part) => part.path)).toEqual(['ivr2:/1/M1000.tts', 'ivr2:/1/M1000-1.tts', 'ivr2:/1/M1000-2.tts']);
    expect(parts.map((part) => part.after).join(' ')).toBe(long);
    for (const part of parts) expect(part.after.length).toBeLessThanOrEqual(1000);
    expect(split.json.warnings).toEqual(['M1000-9.tts still there and played after these parts; delete them (delete_files) unless meant']);
    const refused = await h().call('write_text_file', { what: '1/000.tts', contents: long, split: true });
    expect(refused.json).toMatchObject({ error: 'INVALID_INPUT', message: expect.stringContaining('split: only a system message') });
  });

  it('a new file in a folder near 3,000 files is warned about before it is written; an upload says so after', async () => {
    await tokens({ YEMOT_CONFIRM: '0' });
    const folder = sandbox.account.ivr.dirs['2'];
    for (let number = 100; number < 3_000; number += 1) folder.files[`${number}.txt`] = { data: 'x', mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const written = await h().call('write_text_file', { what: '2/new.tts', contents: 'x' });
    expect(written.json.warnings).toEqual([expect.stringMatching(/^ivr2:\/2 holds \d{4} files: Yemot keeps about 3000 in one folder and deletes the oldest beyond that without warning/)]);
    const uploaded = await h().call('upload_file', { path: '2/010.wav', base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'a.wav' });
    expect(uploaded.json).toMatchObject({ filesInFolder: expect.any(Number), warning: expect.stringMatching(/^ivr2:\/2 holds/) });
    const elsewhere = await h().call('upload_file', { path: '1/010.wav', base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'a.wav' });
    expect(elsewhere.json).not.toHaveProperty('warning');
  });

  // An agent once put an owner's greeting over the live welcome with no word: UploadFile keeps no copy of what it replaces.
  it('an upload to a named file asks first: the preview says whether it replaces a file, what plays beside it, and what an M1000 is there', async () => {
    await tokens();
    sandbox.account.ivr.dirs['1'].files['M1000.wav'] = { data: new Uint8Array([1]), mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const upload = { base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'menu.wav' };
    const before = sandbox.requests.length;
    const replacing = await h().call('upload_file', { path: '1/M1000.wav', ...upload });
    expect(replacing.json.error).toBe('CONFIRMATION_REQUIRED');
    expect(replacing.json.preview).toMatchObject({
      notes: ['This replaces /1/M1000.wav (1 bytes); undo_change can put the old one back. /1 is a menu: this is its prompt, which callers hear on entering it (after its welcome, M0000, if it has one).'],
    });
    const notMenu = await h().call('upload_file', { path: '2/M1000.wav', ...upload });
    expect(notMenu.json.preview).toMatchObject({ notes: ["M1000.wav is a new file in /2; undo_change can delete it. /2 is type=playfile, not a menu: M1000 plays as a menu's prompt only."] });
    const welcome = await h().call('upload_file', { path: 'M0000.wav', ...upload });
    expect((welcome.json.preview as { notes: string[] }).notes[0]).toMatch(/^M0000\.wav is a new file in \/; undo_change can delete it\. M0000\.tts is in the same folder: .*which of the two Yemot plays; remove or rename M0000\.tts \(delete_files or copy_move_files, in files_admin\)/);
    expect(writes(before)).toHaveLength(0);
    const added = await confirmed('upload_file', { path: '1/005.wav', ...upload });
    expect(added.isError, added.text).toBe(false);
    expect(writes(before)).toHaveLength(1);
    // A numbered upload is always a new file: it goes at once.
    expect((await h().call('upload_file', { path: '1', autoNumbering: true, ...upload })).isError).toBe(false);
    expect(writes(before)).toHaveLength(2);
  });

  // An owner asked to take back a greeting an agent had uploaded, and nothing could.
  it('keeps what an upload replaces, and a file it made, for undo_change: the old audio comes back byte for byte, the new file goes', async () => {
    await tokens();
    const old = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4]);
    sandbox.account.ivr.files['M0000.wav'] = { data: old, mtime: '2025-06-01 09:00:00', source: 'WEB', phone: '', ip: '' };
    const upload = { base64: 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=', fileName: 'greeting.wav' };
    const replaced = await confirmed('upload_file', { path: 'M0000.wav', ...upload });
    expect(replaced.json.changeId, replaced.text).toEqual(expect.any(String));
    expect(Buffer.from(findFile(sandbox.account.ivr, ['M0000.wav'])!.data as Uint8Array).equals(Buffer.from(old))).toBe(false);
    const made = await confirmed('upload_file', { path: '2/009.wav', ...upload });
    const listed = await h().call('list_changes', {});
    expect((listed.json.changes as Array<Record<string, unknown>>).slice(0, 2)).toMatchObject([
      { changeId: made.json.changeId, tool: 'upload_file', path: 'ivr2:/2/009.wav', what: 'uploaded ivr2:/2/009.wav', now: 'the file is there' },
      { changeId: replaced.json.changeId, tool: 'upload_file', path: 'ivr2:/M0000.wav', what: 'uploaded over ivr2:/M0000.wav', now: 'the file is there' },
    ]);

    const askedBack = await h().call('undo_change', { id: replaced.json.changeId });
    // The question names the command the undo sends, not the tool's usual one.
    expect((askedBack.json.preview as { command: string }).command).toBe('UploadFile');
    expect((askedBack.json.preview as { notes: string[] }).notes[0]).toBe(`UploadFile puts back ivr2:/M0000.wav as it was before ${String(replaced.json.changeId)} (${old.length} bytes); what is there now is kept for undo.`);
    const back = await h().call('undo_change', { id: replaced.json.changeId, confirm: askedBack.json.confirm });
    expect(back.json, back.text).toMatchObject({ restored: old.length, verified: true, changeId: expect.any(String) });
    expect(Buffer.from(findFile(sandbox.account.ivr, ['M0000.wav'])!.data as Uint8Array).equals(Buffer.from(old))).toBe(true);

    const askedGone = await h().call('undo_change', { id: made.json.changeId });
    expect((askedGone.json.preview as { command: string }).command).toBe('FileAction');
    // The answer's own command says the same (an agent read UploadTextFile beside FileAction).
    expect(askedGone.json.command).toBe('FileAction');
    expect((askedGone.json.preview as { notes: string[] }).notes[0]).toBe(`FileAction delete removes ivr2:/2/009.wav, which ${String(made.json.changeId)} uploaded; what it holds now is kept for undo.`);
    const gone = await h().call('undo_change', { id: made.json.changeId, confirm: askedGone.json.confirm });
    expect(gone.json, gone.text).toMatchObject({ deleted: true, verified: true });
    expect(findFile(sandbox.account.ivr, ['2', '009.wav'])).toBeUndefined();
    // Gone already: nothing to undo, nothing sent.
    const again = await h().call('undo_change', { id: made.json.changeId });
    expect(again.json.error).toBe('NOT_FOUND');

    // A numbered upload goes at once, and its undo deletes the file it made (an agent added a duplicate lesson callers heard first).
    const numbered = await h().call('upload_file', { path: '1/10', autoNumbering: true, ...upload });
    expect(numbered.json, numbered.text).toMatchObject({ path: expect.stringMatching(/\/1\/10\/\d{3}\.wav$/), changeId: expect.any(String) });
    const name = String(numbered.json.path).split('/').pop()!;
    expect(findFile(sandbox.account.ivr, ['1', '10', name])).toBeDefined();
    const askedNumbered = await h().call('undo_change', { id: numbered.json.changeId });
    expect((askedNumbered.json.preview as { notes: string[] }).notes[0]).toBe(`FileAction delete removes ivr2:/1/10/${name}, which ${String(numbered.json.changeId)} uploaded; what it holds now is kept for undo.`);
    await h().call('undo_change', { id: numbered.json.changeId, confirm: askedNumbered.json.confirm });
    expect(findFile(sandbox.account.ivr, ['1', '10', name])).toBeUndefined();
  });
});

describe('lookup_setting', () => {
  it('finds the key an owner means, in Hebrew or English, with its value in the extension now', async () => {
    await tokens();
    const english = await h().call('lookup_setting', { query: 'after the message go back to the main menu', path: '2' });
    expect(english.json.type).toBe('playfile');
    expect((english.json.matches as unknown[])[0]).toMatchObject({ key: 'playfile_end_goto', example: 'playfile_end_goto=/', now: '/4', forType: true, confidence: 'F', source: 'KB/playfile' });
    expect(english.json.confidence).toMatch(/^F: documented .*; F~: one source; G: /);
    const before = sandbox.requests.length;
    const hebrew = await h().call('lookup_setting', { query: 'לאן לעבור כשאף אחד לא מקיש' });
    expect((hebrew.json.matches as Array<{ key: string }>)[0].key).toBe('timeout_goto');
    expect(h().since(before)).toEqual([]);
  });
});
