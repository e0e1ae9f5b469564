import { describe, expect, it } from 'vitest';
import { addPart, assemble, forgetStale, type PendingUpload, type UploadLimits } from '../src/sandbox/pending-uploads.js';
import { fileBytes, fileText, findFile, findFolder } from '../src/sandbox/vfs.js';
import { sandbox, useDemoSandbox, type Answer } from './demo-sandbox.js';

useDemoSandbox();

/** POST application/x-www-form-urlencoded; entries so a test can repeat or misspell keys. */
async function call(command: string, params: Record<string, string> | Array<[string, string]> = {}): Promise<Answer> {
  const body = new URLSearchParams([['token', sandbox.token], ...(Array.isArray(params) ? params : Object.entries(params))]);
  const response = await fetch(sandbox.url + command, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  expect(response.status).toBe(200);
  return response.json();
}

const ivrFile = (...segments: string[]) => findFile(sandbox.account.ivr, segments);
const names = (list: Answer[]) => list.map((entry) => entry.name);

describe('GetIVR2Dir', () => {
  it('lists the same folder for every path form, with dirs, audio files, ini files and extIni', async () => {
    const forms = ['1', '/1', '1/', 'ivr2:/1', 'ivr2:1', 'ivr/1'];
    const answers = await Promise.all(forms.map((path) => call('GetIVR2Dir', { path })));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const listing = answers[0];
    expect(listing).toMatchObject({ responseStatus: 'OK', extIni: { type: 'menu', title: '' }, thisPath: '/1', parentPath: '/', messages: [], html: [], msgDescriptions: {} });
    expect(names(listing.dirs)).toEqual(['10', '20', '100']);
    expect(listing.dirs[0]).toEqual({ exists: true, name: '10', uniqueId: expect.any(String), what: 'ivr2:/1/10', fileType: 'dir', extType: 'playfile', extTitle: '' });
    expect(names(listing.files)).toEqual(['000.wav', '001.wav']);
    expect(listing.ini).toEqual([{ exists: true, name: 'ext.ini', uniqueId: expect.any(String), what: 'ivr2:/1/ext.ini', fileType: 'ini', mtime: '01/06/2025 09:00', size: 'type=menu\ntitle=\n'.length }]);
  });

  // An agent read a fax's PDF listed as audio.
  it('gives a document kept in an extension its own file type, not audio', async () => {
    const listing = await call('GetIVR2Dir', { path: 'ext/45' });
    expect(listing.files.map((file: Answer) => [file.name, file.fileType])).toEqual([['123.pdf', 'pdf']]);
  });

  it('gives each audio file the documented fields, mtime as dd/MM/yyyy HH:mm', async () => {
    const listing = await call('GetIVR2Dir', { path: '1/10' });
    expect(listing.files[2]).toEqual({
      exists: true,
      name: '002.wav',
      uniqueId: expect.any(String),
      what: 'ivr2:/1/10/002.wav',
      fileType: 'audio',
      mtime: '03/06/2025 18:20',
      size: 44 + 61 * 16_000,
      duration: 1.02,
      durationStr: '01:01',
      customerDid: '0770000000',
      meta: JSON.stringify({ source: 'PHONE' }),
      date: '03/06/2025 18:20',
      source: 'PHONE',
      phone: '0501234567',
      ip: '',
    });
  });

  it('lists the root with / and ext/1, and puts .ymgr reports under ini', async () => {
    const root = await call('GetIVR2Dir', { path: '/' });
    expect(root).toMatchObject({ thisPath: '/', parentPath: null });
    expect(names(root.dirs)).toEqual(['1', '2', '3', '5', '6', 'ext', 'Log']);
    expect(await call('GetIVR2Dir', { path: 'ext/1' })).toMatchObject({ thisPath: '/ext/1', parentPath: '/ext', files: [{ name: '000.wav' }] });
    const log = await call('GetIVR2Dir', { path: 'Log' });
    expect(log.files).toEqual([]);
    expect(names(log.ini)).toEqual(['ext.ini', 'LogIncoming.ymgr', 'LogOutgoing.ymgr']);
  });

  it('lists system messages (M0000, M1000…) under messages, not files, and extIni as [] when ext.ini holds no key', async () => {
    const root = await call('GetIVR2Dir', { path: '/' });
    expect(root.files).toEqual([]);
    expect(names(root.messages)).toEqual(['M0000.tts', 'M1000.wav']);
    expect(root.messages[1]).toMatchObject({ what: 'ivr2:/M1000.wav', fileType: 'audio', durationStr: '00:06' });
    expect(root.extIni).toEqual({ type: 'menu', title: 'תפריט ראשי' });
    expect(await call('UpdateExtension', { path: '40' })).toMatchObject({ responseStatus: 'OK' });
    expect((await call('GetIVR2Dir', { path: '40' })).extIni).toEqual([]);
  });

  it('pages the files with filesFrom and filesLimit', async () => {
    expect(names((await call('GetIVR2Dir', { path: '1/10', filesFrom: '1', filesLimit: '1' })).files)).toEqual(['001.wav']);
    expect(names((await call('GetIVR2Dir', { path: '1/10', filesFrom: '2' })).files)).toEqual(['002.wav']);
    expect(names((await call('GetIVR2Dir', { path: '1/10', filesLimit: '2' })).files)).toEqual(['000.wav', '001.wav']);
    expect((await call('GetIVR2Dir', { path: '1/10', filesFrom: '3' })).files).toEqual([]);
    expect(await call('GetIVR2Dir', { path: '1/10', filesLimit: '0' })).toMatchObject({ responseStatus: 'ERROR', message: 'filesLimit must be at least 1' });
    expect(await call('GetIVR2Dir', { path: '1/10', filesFrom: '-1' })).toMatchObject({ responseStatus: 'ERROR', message: 'filesFrom must be at least 0' });
  });

  it('orders the files by orderBy and orderDir before paging', async () => {
    const order = async (orderBy: string, orderDir?: string, extra: Record<string, string> = {}) =>
      names((await call('GetIVR2Dir', { path: '1/100', orderBy, ...(orderDir ? { orderDir } : {}), ...extra })).files);
    expect(await order('name', 'desc')).toEqual(['003.wav', '000.wav']);
    expect(await order('size')).toEqual(['000.wav', '003.wav']);
    expect(await order('size', 'desc')).toEqual(['003.wav', '000.wav']);
    expect(await order('source')).toEqual(['003.wav', '000.wav']);
    expect(await order('date', 'desc', { filesLimit: '1' })).toEqual(['003.wav']);
    expect(await order('mtime', 'asc', { filesLimit: '1' })).toEqual(['000.wav']);
    expect(await order('uploader', 'asc')).toEqual(['003.wav', '000.wav']);
    expect(names((await call('GetIVR2Dir', { path: '1/10', orderBy: 'uploader' })).files)).toEqual(['002.wav', '000.wav', '001.wav']);
    expect(await call('GetIVR2Dir', { path: '1', orderBy: 'length' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('orderBy must be one of name, date') });
    expect(await call('GetIVR2Dir', { path: '1', orderDir: 'up' })).toMatchObject({ responseStatus: 'ERROR', message: 'orderDir must be one of asc, desc' });
  });

  it('refuses a missing folder, a .. segment and a missing path', async () => {
    expect(await call('GetIVR2Dir', { path: '1/404' })).toMatchObject({ responseStatus: 'ERROR', message: 'path not found: 1/404' });
    expect(await call('GetIVR2Dir', { path: 'ivr2:/1/../2' })).toMatchObject({ responseStatus: 'ERROR', message: "path must not contain '.' or '..' segments: ivr2:/1/../2" });
    expect(await call('GetIVR2Dir', {})).toMatchObject({ responseStatus: 'ERROR', message: 'path is required' });
  });
});

describe('GetFile, GetTextFile, CheckIfFileExists', () => {
  it('GetFile answers one file as its listing entry; a missing one is an ERROR', async () => {
    const listing = await call('GetIVR2Dir', { path: '1/10' });
    expect(await call('GetFile', { what: 'ivr2:1/10/002.wav' })).toMatchObject({ responseStatus: 'OK', file: listing.files[2] });
    expect(await call('GetFile', { what: 'ivr/1/10/404.wav' })).toMatchObject({ responseStatus: 'ERROR', message: 'file does not exist' });
    expect(await call('GetFile', { what: 'tpl:1' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what must be an IVR path/) });
  });

  it('GetTextFile answers the contents and the file; a missing file is "file does not exist"', async () => {
    expect(await call('GetTextFile', { what: 'ivr2:5/ext.ini' })).toMatchObject({
      responseStatus: 'OK',
      contents: 'type=queue\ntitle=\n',
      file: { exists: true, name: 'ext.ini', what: 'ivr2:/5/ext.ini', fileType: 'ini', mtime: '01/06/2025 09:00', size: 18 },
    });
    expect(await call('GetTextFile', { what: 'ivr2:/5/list.txt' })).toMatchObject({ responseStatus: 'ERROR', message: 'file does not exist' });
    expect(await call('GetTextFile', { what: 'ivr2:/1/000.wav' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what must be a text file/) });
    expect(await call('GetTextFile', { what: 'tpl:1:tts' })).toMatchObject({ responseStatus: 'OK', contents: 'שלום להורים, מחר אין לימודים.\n', file: { name: '1.tts', what: 'tpl:1:tts' } });
  });

  it('CheckIfFileExists takes the three documented forms and echoes ivr/…', async () => {
    for (const path of ['ivr2:/5/ext.ini', 'ivr2:5/ext.ini', 'ivr/5/ext.ini']) {
      expect(await call('CheckIfFileExists', { path })).toEqual({ responseStatus: 'OK', yAfastVersion: '6.7.30-sandbox', fileExists: true, path: 'ivr/5/ext.ini' });
    }
    expect(await call('CheckIfFileExists', { path: 'ivr2:/5/000.wav' })).toMatchObject({ fileExists: false, path: 'ivr/5/000.wav' });
    expect(await call('CheckIfFileExists', { path: 'ivr2:/1/10' })).toMatchObject({ fileExists: false });
  });
});

describe('UploadTextFile and UpdateExtension', () => {
  it('UploadTextFile replaces the whole ext.ini, and the folder type follows its type= line', async () => {
    expect(await call('UploadTextFile', { what: 'ivr2:/2/ext.ini', contents: 'type=menu\n' })).toEqual({ responseStatus: 'OK', yAfastVersion: '6.7.30-sandbox' });
    expect((await call('GetTextFile', { what: 'ivr2:/2/ext.ini' })).contents).toBe('type=menu\n');
    expect(await call('GetIVR2Dir', { path: '2' })).toMatchObject({ extIni: { type: 'menu' } });
    expect((await call('GetIVR2Dir', { path: '2' })).extIni).not.toHaveProperty('title');
    expect(await call('GetIVR2DirStats', { path: '2' })).toMatchObject({ type: 'menu' });
    expect((await call('GetIVR2Dir', { path: '/' })).dirs.find((dir: Answer) => dir.name === '2')).toMatchObject({ extType: 'menu' });
  });

  it('UploadTextFile creates a text file in an existing folder, and an empty one; a .tts lists as a message, a .txt not at all', async () => {
    expect(await call('UploadTextFile', { what: 'ivr/2/004.tts', contents: 'שלום' })).toMatchObject({ responseStatus: 'OK' });
    expect(await call('UploadTextFile', { what: '2/empty.txt', contents: '' })).toMatchObject({ responseStatus: 'OK' });
    expect(fileText(ivrFile('2', 'empty.txt')!)).toBe('');
    const listing = await call('GetIVR2Dir', { path: '2' });
    expect(listing.files.at(-1)).toMatchObject({ name: '004.tts', fileType: 'tts', source: 'API' });
    // GetIVR2Dir does not list .txt files (EXT-INI §5, guardrail 7); GetTextFile reads them.
    expect(names(listing.ini)).toEqual(['ext.ini']);
    expect(await call('GetTextFile', { what: '2/empty.txt' })).toMatchObject({ responseStatus: 'OK', contents: '' });
  });

  it('UploadTextFile into a folder that does not exist answers OK and creates nothing (EXT-INI §5, guardrail 1)', async () => {
    expect(await call('UploadTextFile', { what: 'ivr2:/99/ext.ini', contents: 'type=menu\n' })).toEqual({ responseStatus: 'OK', yAfastVersion: '6.7.30-sandbox' });
    expect(findFolder(sandbox.account.ivr, ['99'])).toBeUndefined();
    expect(await call('GetTextFile', { what: 'ivr2:/99/ext.ini' })).toMatchObject({ responseStatus: 'ERROR' });
    expect(await call('CheckIfFolderExists', { path: 'ivr2:/99' })).toMatchObject({ folderExists: false });
  });

  it('a folder keeps its newest 3,000 files: one more written and the oldest is gone, without a word (guardrail 3)', async () => {
    const folder = findFolder(sandbox.account.ivr, ['2'])!;
    const kept = Object.keys(folder.files).length;
    for (let number = 0; number < 3000 - kept; number += 1) folder.files[`${1000 + number}.txt`] = { data: 'x', mtime: `2024-01-01 00:00:${String(number % 60).padStart(2, '0')}`, source: 'API', phone: '', ip: '' };
    folder.files['0999.txt'] = { data: 'oldest', mtime: '2020-01-01 00:00:00', source: 'API', phone: '', ip: '' };
    delete folder.files['1000.txt'];
    expect(Object.keys(folder.files)).toHaveLength(3000);
    expect(await call('UploadTextFile', { what: '2/new.txt', contents: 'new' })).toMatchObject({ responseStatus: 'OK' });
    expect(Object.keys(folder.files)).toHaveLength(3000);
    expect(folder.files['0999.txt']).toBeUndefined();
    expect(fileText(folder.files['new.txt'])).toBe('new');
    expect(await call('GetIVR2DirStats', { path: '2' })).toMatchObject({ filesCount: 3000 });
  });

  it('UploadTextFile refuses a non-text file, missing contents and a .. path, writing nothing', async () => {
    expect(await call('UploadTextFile', { what: 'ivr2:/2/000.wav', contents: 'x' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what must be a text file/) });
    expect(ivrFile('2', '000.wav')!.data).toBeInstanceOf(Uint8Array);
    expect(await call('UploadTextFile', { what: 'ivr2:/2/a.txt' })).toMatchObject({ responseStatus: 'ERROR', message: 'contents is required' });
    expect(await call('UploadTextFile', { what: 'ivr2:/2/../a.txt', contents: 'x' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what must not contain/) });
    expect(ivrFile('a.txt')).toBeUndefined();
  });

  it('UpdateExtension merges only the keys sent, keeping the other lines and their order', async () => {
    findFile(sandbox.account.ivr, ['1', 'ext.ini'])!.data = 'type=menu\n; a comment\ntitle=old\nenter_id=no\n';
    expect(await call('UpdateExtension', { path: 'ivr2:1', title: 'שלום', say_menu: 'yes' })).toEqual({ responseStatus: 'OK', yAfastVersion: '6.7.30-sandbox' });
    expect((await call('GetTextFile', { what: 'ivr2:1/ext.ini' })).contents).toBe('type=menu\n; a comment\ntitle=שלום\nenter_id=no\nsay_menu=yes\n');
    expect(await call('UpdateExtension', { path: '1', type: 'playfile' })).toMatchObject({ responseStatus: 'OK' });
    expect(await call('GetIVR2Dir', { path: '1' })).toMatchObject({ extIni: { type: 'playfile', title: 'שלום', enter_id: 'no', say_menu: 'yes' } });
  });

  it('UpdateExtension changes a key given twice in the file once, so the new value is the one read', async () => {
    findFile(sandbox.account.ivr, ['1', 'ext.ini'])!.data = 'type=menu\ntitle=a\ntitle=b\n';
    await call('UpdateExtension', { path: '1', title: 'c' });
    expect(fileText(ivrFile('1', 'ext.ini')!)).toBe('type=menu\ntitle=c\n');
  });

  it('UpdateExtension creates a missing extension, and with only path an empty folder', async () => {
    expect(await call('UpdateExtension', { path: 'ivr2:/30/31', type: 'playfile' })).toMatchObject({ responseStatus: 'OK' });
    expect(fileText(ivrFile('30', '31', 'ext.ini')!)).toBe('type=playfile\n');
    expect(findFolder(sandbox.account.ivr, ['30'])!.files).toEqual({});
    expect(await call('UpdateExtension', { path: '40' })).toMatchObject({ responseStatus: 'OK' });
    expect(findFolder(sandbox.account.ivr, ['40'])).toEqual({ dirs: {}, files: {} });
    expect(await call('CheckIfFolderExists', { path: 'ivr2:/40' })).toMatchObject({ folderExists: true });
  });

  it('UpdateExtension refuses a key with = or a line break, and a value with a line break, changing nothing', async () => {
    const before = fileText(ivrFile('2', 'ext.ini')!);
    expect(await call('UpdateExtension', [['path', '2'], ['a=b', '1']])).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('ext.ini key "a=b" is invalid') });
    expect(await call('UpdateExtension', [['path', '2'], ['a\nb', '1']])).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('is invalid') });
    expect(await call('UpdateExtension', [['path', '2'], ['title', 'x\ntype=menu']])).toMatchObject({ responseStatus: 'ERROR', message: 'ext.ini value of title is invalid: a value must not contain a line break' });
    expect(await call('UpdateExtension', [['path', '77'], ['title', 'x\r']])).toMatchObject({ responseStatus: 'ERROR' });
    expect(fileText(ivrFile('2', 'ext.ini')!)).toBe(before);
    expect(findFolder(sandbox.account.ivr, ['77'])).toBeUndefined();
    expect(await call('UpdateExtension', { path: '1/../../x', title: 'x' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^path must not contain/) });
  });
});

describe('FileAction', () => {
  it('copies one file into a folder, keeping the source and the bytes', async () => {
    const answer = await call('FileAction', { action: 'copy', what: 'ivr2:/2/001.wav', target: 'ivr2:/1/20' });
    expect(answer).toMatchObject({
      responseStatus: 'OK',
      action: 'copy',
      success: true,
      message: expect.any(String),
      reports: [{ what: 'ivr2:/2/001.wav', target: 'ivr2:/1/20/001.wav', success: true }],
    });
    expect(Buffer.from(fileBytes(ivrFile('1', '20', '001.wav')!)).equals(Buffer.from(fileBytes(ivrFile('2', '001.wav')!)))).toBe(true);
  });

  it('moves several files with what0…whatN, and renames one with move to folder + new name', async () => {
    const answer = await call('FileAction', { action: 'move', what0: 'ivr2:/2/000.wav', what1: 'ivr/2/001.wav', what2: '2/002.wav', target: 'ivr2:1/20/11' });
    expect(answer.reports).toEqual([
      { what: 'ivr2:/2/000.wav', target: 'ivr2:/1/20/11/000.wav', success: true },
      { what: 'ivr2:/2/001.wav', target: 'ivr2:/1/20/11/001.wav', success: true },
      { what: 'ivr2:/2/002.wav', target: 'ivr2:/1/20/11/002.wav', success: true },
    ]);
    expect(Object.keys(findFolder(sandbox.account.ivr, ['2'])!.files)).toEqual(['ext.ini']);
    expect(Object.keys(findFolder(sandbox.account.ivr, ['1', '20', '11'])!.files)).toEqual(['ext.ini', '000.wav', '001.wav', '002.wav']);
    const rename = await call('FileAction', { action: 'move', what: 'ivr2:/1/20/11/002.wav', target: 'ivr2:/1/20/11/010.wav' });
    expect(rename).toMatchObject({ success: true, reports: [{ what: 'ivr2:/1/20/11/002.wav', target: 'ivr2:/1/20/11/010.wav', success: true }] });
    expect(Object.keys(findFolder(sandbox.account.ivr, ['1', '20', '11'])!.files)).toEqual(['ext.ini', '000.wav', '001.wav', '010.wav']);
  });

  it('deletes files, and reports a missing one as failed without stopping the others', async () => {
    const answer = await call('FileAction', { action: 'delete', what0: 'ivr2:/2/000.wav', what1: 'ivr2:/2/404.wav', what2: 'ivr2:/2/002.wav' });
    expect(answer).toMatchObject({ responseStatus: 'OK', action: 'delete', success: false });
    expect(answer.reports).toEqual([
      { what: 'ivr2:/2/000.wav', target: null, success: true },
      { what: 'ivr2:/2/404.wav', target: null, success: false },
      { what: 'ivr2:/2/002.wav', target: null, success: true },
    ]);
    expect(Object.keys(findFolder(sandbox.account.ivr, ['2'])!.files)).toEqual(['ext.ini', '001.wav']);
  });

  it('does not overwrite an existing destination file', async () => {
    const before = fileBytes(ivrFile('1', '10', '000.wav')!);
    const answer = await call('FileAction', { action: 'copy', what: 'ivr2:/2/000.wav', target: 'ivr2:/1/10' });
    expect(answer).toMatchObject({ success: false, reports: [{ success: false }] });
    expect(fileBytes(ivrFile('1', '10', '000.wav')!)).toBe(before);
  });

  it('refuses what with whatN, a gap in whatN, a rename of several files, and a target on delete, changing nothing', async () => {
    const refusals: Array<[Record<string, string>, RegExp]> = [
      [{ action: 'delete', what: 'ivr2:/2/000.wav', what0: 'ivr2:/2/001.wav' }, /either as what .* or as what0…whatN, not both/],
      [{ action: 'delete', what0: 'ivr2:/2/000.wav', what2: 'ivr2:/2/001.wav' }, /^what1 is missing/],
      [{ action: 'delete', what1: 'ivr2:/2/000.wav' }, /^what0 is missing/],
      [{ action: 'delete', what0: 'ivr2:/2/000.wav', what01: 'ivr2:/2/001.wav' }, /^what01 is invalid/],
      [{ action: 'move', what0: 'ivr2:/2/000.wav', what1: 'ivr2:/2/001.wav', target: 'ivr2:/2/x.wav' }, /several files were given/],
      [{ action: 'delete', what: 'ivr2:/2/000.wav', target: 'ivr2:/1' }, /^target is only for copy and move/],
      [{ action: 'copy', what: 'ivr2:/2/000.wav' }, /^target is required/],
      [{ action: 'copy', what: 'ivr2:/2/000.wav', target: 'ivr2:/404' }, /^target folder not found/],
      [{ action: 'copy', what: 'ivr2:/2/000.wav', target: 'ivr2:/1/../..' }, /^target must not contain/],
      [{ action: 'rename', what: 'ivr2:/2/000.wav', target: 'ivr2:/1' }, /^action must be one of copy, move, delete/],
    ];
    for (const [params, message] of refusals) expect(await call('FileAction', params)).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(message) });
    expect(Object.keys(findFolder(sandbox.account.ivr, ['2'])!.files)).toEqual(['ext.ini', '000.wav', '001.wav', '002.wav']);
  });

  it('never deletes or moves the root folder, however spelled, and changes nothing', async () => {
    for (const root of ['/', ' /', 'ivr2:', 'ivr2:/', 'ivr/', 'IVR2:']) {
      expect(await call('FileAction', { action: 'delete', what: root }), root).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what must name a file, not the root folder/) });
      expect(await call('FileAction', { action: 'move', what: root, target: 'ivr2:/1' }), root).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/root folder/) });
    }
    expect(Object.keys(sandbox.account.ivr.dirs)).toEqual(expect.arrayContaining(['1', '2', 'ext']));
  });

  it('reads ext/ as a folder and strips one documented prefix, once (GetIVR2DirStats: "ext/1 for extension ext/1")', async () => {
    expect(await call('FileAction', { action: 'delete', what: 'ext/1/000.wav' })).toMatchObject({ success: true, reports: [{ what: 'ivr2:/ext/1/000.wav' }] });
    expect(ivrFile('ext', '1', '000.wav')).toBeUndefined();
    expect(ivrFile('1', '000.wav')).toBeDefined();
    expect(await call('UpdateExtension', { path: 'ivr2:/ivr/2', type: 'menu' })).toMatchObject({ responseStatus: 'OK' });
    expect(await call('CheckIfFolderExists', { path: 'ivr2:ivr/2' })).toMatchObject({ folderExists: true, path: 'ivr/ivr/2' });
    expect(await call('CheckIfFolderExists', { path: 'ivr/ivr/2' })).toMatchObject({ folderExists: true });
  });

  it('refuses look-alike dots (NFKC . and ..) as it refuses . and ..', async () => {
    for (const what of ['ivr2:/1/．．/2/000.wav', 'ivr2:/1/\u2024\u2024/000.wav', 'ivr2:/\u2024/000.wav']) {
      expect(await call('FileAction', { action: 'delete', what }), what).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what must not contain '.' or '..' segments/) });
    }
    expect(ivrFile('2', '000.wav')).toBeDefined();
  });

  it('maps tpl:ID, tpl:ID:tts and tpl:ID:MoreInfo to the template files', async () => {
    const copied = await call('FileAction', { action: 'copy', what: 'tpl:1', target: 'ivr2:/2' });
    expect(copied).toMatchObject({ success: true, reports: [{ what: 'tpl:1', target: 'ivr2:/2/1.wav', success: true }] });
    expect(Buffer.from(fileBytes(ivrFile('2', '1.wav')!)).equals(Buffer.from(fileBytes(sandbox.account.campaignFiles.files['1.wav'])))).toBe(true);
    expect(await call('FileAction', { action: 'copy', what: 'ivr2:/2/002.wav', target: 'tpl:2:MoreInfo' })).toMatchObject({ success: true, reports: [{ target: 'tpl:2:MoreInfo' }] });
    expect(sandbox.account.campaignFiles.files['2-MoreInfo.wav']).toBeDefined();
    expect(await call('UploadTextFile', { what: 'tpl:2:tts', contents: 'hello' })).toMatchObject({ responseStatus: 'OK' });
    expect(fileText(sandbox.account.campaignFiles.files['2.tts'])).toBe('hello');
    expect(await call('FileAction', { action: 'delete', what: 'tpl:1:tts' })).toMatchObject({ success: true });
    expect(sandbox.account.campaignFiles.files['1.tts']).toBeUndefined();
    expect(await call('FileAction', { action: 'delete', what: 'tpl:99' })).toMatchObject({ responseStatus: 'ERROR', message: 'what: template 99 does not exist' });
    expect(await call('FileAction', { action: 'delete', what: 'tpl:1:foo' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/^what is invalid: a campaign file is tpl:ID/) });
  });
});

/** A WAV-like byte pattern no two positions of which repeat within a part, so a reordering would show. */
const sourceBytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 7 + (i >> 8)) & 0xff);

function sendPart(fields: Record<string, string>, part: Uint8Array, fileName = 'blob'): Promise<Answer> {
  const form = new FormData();
  form.set('token', sandbox.token);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.append('qqfile', new Blob([new Uint8Array(part)]), fileName);
  return fetch(sandbox.url + 'UploadFile', { method: 'POST', body: form }).then((response) => response.json());
}

/** Splits the bytes as the uploader does and sends the parts listed (all by default), in that order. */
async function sendParts(uuid: string, bytes: Uint8Array, chunk: number, fileName: string, indexes?: number[]): Promise<Answer[]> {
  const total = Math.ceil(bytes.length / chunk);
  const answers: Answer[] = [];
  for (const index of indexes ?? Array.from({ length: total }, (_, i) => i)) {
    const part = bytes.subarray(index * chunk, Math.min(bytes.length, (index + 1) * chunk));
    answers.push(
      await sendPart(
        {
          qquuid: uuid,
          qqpartindex: String(index),
          qqpartbyteoffset: String(index * chunk),
          qqchunksize: String(part.length),
          qqtotalparts: String(total),
          qqtotalfilesize: String(bytes.length),
          qqfilename: fileName,
          uploader: 'yemot-admin',
          path: 'ivr2:/2',
          convertAudio: '0',
          autoNumbering: 'false',
          tts: '0',
        },
        part,
      ),
    );
  }
  return answers;
}

function done(fields: Record<string, string>): Promise<Answer> {
  const body = new URLSearchParams({ token: sandbox.token, path: 'ivr2:/2', convertAudio: '0', autoNumbering: 'false', tts: '0', ...fields });
  return fetch(`${sandbox.url}UploadFile?done`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then((response) => response.json());
}

describe('chunked UploadFile', () => {
  it('assembles the parts (sent out of order) into the source bytes, stored at folder + qqfilename', async () => {
    const bytes = sourceBytes(250_000);
    const answers = await sendParts('u-1', bytes, 100_000, 'song.wav', [2, 0, 1]);
    for (const answer of answers) expect(answer).toMatchObject({ responseStatus: 'OK', success: true });
    const finished = await done({ qquuid: 'u-1', qqfilename: 'song.wav', qqtotalfilesize: String(bytes.length), qqtotalparts: '3' });
    expect(finished).toEqual({ responseStatus: 'OK', yAfastVersion: '6.7.30-sandbox', path: 'ivr2:/2/song.wav', size: bytes.length });
    const download = await fetch(`${sandbox.url}DownloadFile?${new URLSearchParams({ token: sandbox.token, path: 'ivr2:/2/song.wav' })}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(sandbox.account.pendingUploads).toEqual({});
    const part = sandbox.requests.find((request) => request.command === 'UploadFile' && request.params.qqpartindex === '0')!;
    expect(part).toMatchObject({ method: 'POST', contentType: 'multipart/form-data', params: { uploader: 'yemot-admin' }, files: [{ name: 'qqfile' }] });
    expect(sandbox.requests.at(-2)).toMatchObject({ command: 'UploadFile', url: '/ym/api/UploadFile?done', params: { done: '', qquuid: 'u-1' } });
  });

  it('refuses done while a part is missing, keeps the parts, and finishes once the part comes', async () => {
    const bytes = sourceBytes(30_000);
    await sendParts('u-2', bytes, 10_000, 'gap.wav', [0, 2]);
    const header = { qquuid: 'u-2', qqfilename: 'gap.wav', qqtotalfilesize: String(bytes.length), qqtotalparts: '3' };
    expect(await done(header)).toMatchObject({ responseStatus: 'ERROR', message: 'part 1 of 3 was not received' });
    expect(ivrFile('2', 'gap.wav')).toBeUndefined();
    await sendParts('u-2', bytes, 10_000, 'gap.wav', [1]);
    expect(await done(header)).toMatchObject({ responseStatus: 'OK', path: 'ivr2:/2/gap.wav', size: bytes.length });
    expect(Buffer.from(fileBytes(ivrFile('2', 'gap.wav')!)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a size that disagrees with the parts, and an unknown qquuid', async () => {
    const bytes = sourceBytes(20_000);
    await sendParts('u-3', bytes, 10_000, 'a.wav');
    expect(await done({ qquuid: 'u-3', qqfilename: 'a.wav', qqtotalfilesize: '20001', qqtotalparts: '2' })).toMatchObject({ responseStatus: 'ERROR', message: expect.stringMatching(/must match the parts sent/) });
    expect(await done({ qquuid: 'nope', qqfilename: 'a.wav', qqtotalfilesize: '20000', qqtotalparts: '2' })).toMatchObject({ responseStatus: 'ERROR', message: 'no upload in progress with qquuid nope' });
    expect(ivrFile('2', 'a.wav')).toBeUndefined();
  });

  it('refuses a part whose qqchunksize is not its length, answering success false with the error', async () => {
    const answer = await sendPart({ qquuid: 'u-4', qqpartindex: '0', qqpartbyteoffset: '0', qqchunksize: '99', qqtotalparts: '2', qqtotalfilesize: '200', qqfilename: 'b.wav' }, sourceBytes(100));
    expect(answer).toMatchObject({ responseStatus: 'ERROR', success: false, error: 'qqchunksize is 99 but the part holds 100 bytes' });
    const late = await sendPart({ qquuid: 'u-4', qqpartindex: '2', qqpartbyteoffset: '0', qqchunksize: '100', qqtotalparts: '2', qqtotalfilesize: '200', qqfilename: 'b.wav' }, sourceBytes(100));
    expect(late).toMatchObject({ success: false, error: 'qqpartindex must be between 0 and 1' });
    expect(sandbox.account.pendingUploads).toEqual({});
  });

  it('numbers the assembled file with autoNumbering=true', async () => {
    const bytes = sourceBytes(5_000);
    await sendParts('u-5', bytes, 4_000, 'any name.wav');
    expect(await done({ qquuid: 'u-5', qqfilename: 'any name.wav', qqtotalfilesize: '5000', qqtotalparts: '2', autoNumbering: 'true' })).toMatchObject({ responseStatus: 'OK', path: 'ivr2:/2/003.wav', size: 5000 });
  });
});

describe('pending chunked uploads stay bounded', () => {
  const limits: UploadLimits = { maxUploads: 2, maxBytes: 100, staleMs: 1000 };
  const header = (totalSize: number) => ({ fileName: 'a.wav', totalParts: 1, totalSize });

  it('refuses a new upload past the count, and forgets stale ones to make room', () => {
    const pending: Record<string, PendingUpload> = {};
    addPart(pending, 'a', header(10), 0, 0, new Uint8Array(10), 0, limits);
    addPart(pending, 'b', header(10), 0, 0, new Uint8Array(10), 500, limits);
    expect(() => addPart(pending, 'c', header(10), 0, 0, new Uint8Array(10), 900, limits)).toThrow(/too many uploads in progress/);
    addPart(pending, 'c', header(10), 0, 0, new Uint8Array(10), 1001, limits);
    expect(Object.keys(pending)).toEqual(['b', 'c']);
    forgetStale(pending, 2600, limits);
    expect(pending).toEqual({});
  });

  it('refuses parts past the byte cap, counting a resent part once', () => {
    const pending: Record<string, PendingUpload> = {};
    expect(() => addPart(pending, 'a', header(101), 0, 0, new Uint8Array(1), 0, limits)).toThrow(/over the sandbox's 100 bytes/);
    addPart(pending, 'a', { fileName: 'a.wav', totalParts: 2, totalSize: 100 }, 0, 0, new Uint8Array(60), 0, limits);
    addPart(pending, 'a', { fileName: 'a.wav', totalParts: 2, totalSize: 100 }, 0, 0, new Uint8Array(60), 1, limits);
    expect(() => addPart(pending, 'b', header(50), 0, 0, new Uint8Array(50), 2, limits)).toThrow(/would hold over 100 bytes/);
    expect(pending.a.held).toBe(60);
    expect(() => assemble(pending, 'a', { fileName: 'a.wav', totalParts: 2, totalSize: 100 }, 3, limits)).toThrow('part 1 of 2 was not received');
  });
});

describe('paths', () => {
  it('DownloadFile answers 404 for a .. path, not JSON', async () => {
    const response = await fetch(`${sandbox.url}DownloadFile?${new URLSearchParams({ token: sandbox.token, path: 'ivr2:/1/../2/000.wav' })}`);
    expect(response.status).toBe(404);
  });
});
