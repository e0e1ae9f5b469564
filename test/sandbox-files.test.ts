import { describe, expect, it } from 'vitest';
import { sandboxCommands, type Sandbox } from '../src/sandbox/index.js';
import { fileText, findFile, findFolder, folderType } from '../src/sandbox/vfs.js';
import { readWav, telephonyWav, toneWav } from '../src/sandbox/wav.js';
import { TOOLS } from '../src/tools/index.js';
import { commandsOf } from '../src/call/command.js';
import { sandbox, useDemoSandbox, type Answer } from './demo-sandbox.js';

useDemoSandbox();

/** A 16-bit PCM WAV of any format, built by hand (not by the module under test). */
function pcmWav(sampleRate: number, channels: number, frames: number): Uint8Array {
  const data = frames * channels * 2;
  const bytes = Buffer.alloc(44 + data);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(36 + data, 4);
  bytes.write('WAVEfmt ', 8, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(channels, 22);
  bytes.writeUInt32LE(sampleRate, 24);
  bytes.writeUInt32LE(sampleRate * channels * 2, 28);
  bytes.writeUInt16LE(channels * 2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(data, 40);
  for (let i = 0; i < frames * channels; i++) bytes.writeInt16LE(((i * 37) % 2000) - 1000, 44 + i * 2);
  return new Uint8Array(bytes);
}

function upload(fields: Record<string, string>, parts: Array<{ name: string; bytes: Uint8Array; filename: string }>, base: Sandbox = sandbox): Promise<Answer> {
  const form = new FormData();
  form.set('token', base.token);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  for (const part of parts) form.append(part.name, new Blob([new Uint8Array(part.bytes)], { type: 'audio/wav' }), part.filename);
  return fetch(base.url + 'UploadFile', { method: 'POST', body: form }).then((response) => response.json());
}

const download = (path: string) => fetch(`${sandbox.url}DownloadFile?${new URLSearchParams({ token: sandbox.token, path })}`);

describe('the account state', () => {
  it('keeps the folder type only in ext.ini, as its type= line', () => {
    const queue = findFolder(sandbox.account.ivr, ['5'])!;
    expect(fileText(queue.files['ext.ini'])).toMatch(/^type=queue$/m);
    expect(folderType(queue)).toBe('queue');
    queue.files['ext.ini'].data = 'title=x\ntype=playfile\n';
    expect(folderType(queue)).toBe('playfile');
  });

  it('stores demo audio as valid telephony WAV bytes whose length gives the duration', async () => {
    const file = findFile(sandbox.account.ivr, ['1', '10', '002.wav'])!;
    const bytes = file.data as Uint8Array;
    expect(Buffer.from(bytes.subarray(0, 4)).toString('ascii')).toBe('RIFF');
    expect(Buffer.from(bytes.subarray(8, 16)).toString('ascii')).toBe('WAVEfmt ');
    const view = Buffer.from(bytes);
    expect([view.readUInt16LE(20), view.readUInt16LE(22), view.readUInt32LE(24), view.readUInt16LE(34)]).toEqual([1, 1, 8000, 16]);
    expect(view.readUInt32LE(40)).toBe(61 * 8000 * 2);
    expect(bytes.length).toBe(44 + 61 * 16_000);
    const stats = await fetch(`${sandbox.url}GetIVR2DirStats?token=${sandbox.token}&path=1/10`).then((response) => response.json());
    expect(stats.maxFile).toMatchObject({ size: 44 + 61 * 16_000, durationStr: '01:01' });
  });

  it('keeps each .ymgr report once, in the tree, and renders it from there', async () => {
    expect(Object.keys(sandbox.account)).not.toContain('ymgrFiles');
    findFile(sandbox.account.ivr, ['Log', 'LogIncoming.ymgr'])!.data = 'Phone#0500000001%Date#2025-07-01\n';
    const rows = await fetch(`${sandbox.url}RenderYMGRFile?token=${sandbox.token}&wath=ivr2:/Log/LogIncoming.ymgr&convertType=json&notLoadLang=1`).then((response) => response.json());
    expect(rows.data).toEqual([{ Phone: '0500000001', Date: '2025-07-01' }]);
  });

  it('reset() gives a fresh copy: uploads and edits are gone', async () => {
    await upload({ path: 'ivr2:/2/009.wav' }, [{ name: 'file', bytes: toneWav(1), filename: 'a.wav' }]);
    sandbox.account.templates['1'].entries.length = 0;
    sandbox.reset();
    expect(findFile(sandbox.account.ivr, ['2', '009.wav'])).toBeUndefined();
    expect(sandbox.account.templates['1'].entries).toHaveLength(3);
    expect(sandbox.account.sessions.map((session) => session.token)).toEqual(['SBX-web-session-Hq4Zr8Tn2Lw6', 'SBX-api-session-Pm7Kd3Vx9Rb5', sandbox.token]);
  });
});

describe('WAV bytes', () => {
  it('reads the format and length of a PCM WAV and refuses other bytes', () => {
    expect(readWav(pcmWav(16_000, 2, 8000))).toMatchObject({ sampleRate: 16_000, channels: 2, bitsPerSample: 16, seconds: 0.5 });
    expect(readWav(new TextEncoder().encode('ID3 not a wav file at all, just some bytes here......'))).toBeUndefined();
    expect(readWav(telephonyWav(new Int16Array([1, -1, 300])))).toMatchObject({ sampleRate: 8000, channels: 1, seconds: 3 / 8000 });
  });
});

describe('UploadFile and DownloadFile', () => {
  it('stores an uploaded file byte for byte, and DownloadFile returns the same bytes', async () => {
    const bytes = pcmWav(8000, 1, 4000);
    expect(await upload({ path: 'ivr2:/2/005.wav' }, [{ name: 'file', bytes, filename: 'hello.wav' }])).toEqual({
      responseStatus: 'OK',
      yAfastVersion: '6.7.30-sandbox',
      path: 'ivr2:/2/005.wav',
      size: bytes.length,
    });
    const response = await download('ivr2:2/005.wav');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const request = sandbox.requests.find((recorded) => recorded.command === 'UploadFile')!;
    expect(request).toMatchObject({ method: 'POST', contentType: 'multipart/form-data', rawBody: '', params: { path: 'ivr2:/2/005.wav' } });
    expect(request.files).toHaveLength(1);
    expect(request.files[0]).toMatchObject({ name: 'file', filename: 'hello.wav', contentType: 'audio/wav' });
    expect(Buffer.from(request.files[0].bytes).equals(Buffer.from(bytes))).toBe(true);
    const stats = await fetch(`${sandbox.url}GetIVR2DirStats?token=${sandbox.token}&path=2`).then((answer) => answer.json());
    expect(stats).toMatchObject({ contentFilesCount: 4, maxFile: { name: '005.wav', source: 'API', size: bytes.length } });
  });

  it('puts uploads in the tree the other file commands read', async () => {
    const report = new TextEncoder().encode('Phone#0509990000%Seconds#12\n');
    expect(await upload({ path: 'ivr2:/7/Log.ymgr' }, [{ name: 'file', bytes: report, filename: 'Log.ymgr' }])).toMatchObject({ responseStatus: 'OK', size: report.length });
    const read = (command: string, params: Record<string, string>) => fetch(`${sandbox.url}${command}?${new URLSearchParams({ token: sandbox.token, ...params })}`).then((response) => response.json());
    expect(await read('CheckIfFolderExists', { path: 'ivr2:/7' })).toMatchObject({ folderExists: true, path: 'ivr/7' });
    expect(await read('RenderYMGRFile', { wath: 'ivr2:/7/Log.ymgr', convertType: 'json', notLoadLang: '1' })).toMatchObject({ data: [{ Phone: '0509990000', Seconds: '12' }] });
    expect(await upload({ path: 'ivr2:/7/ext.ini' }, [{ name: 'file', bytes: new TextEncoder().encode('type=menu\n'), filename: 'ext.ini' }])).toMatchObject({ responseStatus: 'OK' });
    expect(await read('GetIVR2DirStats', { path: '7' })).toMatchObject({ type: 'menu', filesCount: 2 });
  });

  it('answers HTTP 404 without JSON when the file is missing', async () => {
    for (const path of ['ivr2:/2/404.wav', 'ivr2:/2', '']) {
      const response = await download(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).not.toMatch(/json/);
    }
  });

  it('converts audio to telephony WAV and reports the converted size and duration', async () => {
    const stereo = pcmWav(16_000, 2, 24_000);
    const answer = await upload({ path: 'ivr2:/2/010.wav', convertAudio: '1' }, [{ name: 'file', bytes: stereo, filename: 'x.wav' }]);
    expect(answer).toMatchObject({ responseStatus: 'OK', size: stereo.length, convertedSize: 44 + 1.5 * 16_000, duration: 1.5 });
    const stored = new Uint8Array(await (await download('ivr2:/2/010.wav')).arrayBuffer());
    expect(readWav(stored)).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16, seconds: 1.5 });
    expect(await upload({ path: 'ivr2:/2/011.wav', convertAudio: '1' }, [{ name: 'file', bytes: new TextEncoder().encode('not audio'), filename: 'x.mp3' }])).toMatchObject({
      responseStatus: 'ERROR',
      messageCode: 105,
      message: 'System error',
    });
  });

  it('numbers the file after the highest one in the folder with autoNumbering=true', async () => {
    const wav = { name: 'file', bytes: toneWav(1), filename: 'a.wav' };
    expect(await upload({ path: 'ivr2:/1/100', autoNumbering: 'true' }, [wav])).toMatchObject({ path: 'ivr2:/1/100/004.wav' });
    expect(await upload({ path: 'ivr2:/1/100', autoNumbering: 'true' }, [wav])).toMatchObject({ path: 'ivr2:/1/100/005.wav' });
    const tts = { name: 'file', bytes: new TextEncoder().encode('שלום לכולם'), filename: 'message.txt' };
    expect(await upload({ path: 'ivr2:/5', autoNumbering: 'true', tts: '1' }, [tts])).toMatchObject({ path: 'ivr2:/5/000.tts' });
    expect(fileText(findFile(sandbox.account.ivr, ['5', '000.tts'])!)).toBe('שלום לכולם');
    expect(await upload({ path: 'ivr2:/5', autoNumbering: '1' }, [wav])).toMatchObject({ responseStatus: 'ERROR', message: expect.stringContaining('autoNumbering') });
  });

  it('answers the documented error codes', async () => {
    const wav = { name: 'file', bytes: toneWav(1), filename: 'a.wav' };
    const refused = (messageCode: number, message: string) => ({ responseStatus: 'ERROR', messageCode, message });
    const urlEncoded = await fetch(sandbox.url + 'UploadFile', { method: 'POST', body: new URLSearchParams({ token: sandbox.token, path: 'ivr2:/2/000.wav' }) });
    expect(await urlEncoded.json()).toMatchObject(refused(107, 'File upload expected'));
    expect(await upload({ path: 'ivr2:/2/000.wav' }, [])).toMatchObject(refused(107, 'File upload expected'));
    expect(await upload({ path: 'ivr2:/2/000.wav' }, [{ ...wav, name: 'upload' }])).toMatchObject(refused(107, 'File upload expected'));
    expect(await upload({ path: 'ivr2:/2/000.wav' }, [wav, wav])).toMatchObject(refused(108, 'Only single upload per request'));
    expect(await upload({}, [wav])).toMatchObject(refused(109, 'path is required'));
    for (const path of ['ivr2:/2/../x.wav', 'ivr2:/2/noextension', 'ivr2:/']) expect(await upload({ path }, [wav])).toMatchObject(refused(110, 'path is invalid'));
    expect(Buffer.from(findFile(sandbox.account.ivr, ['2', '000.wav'])!.data as Uint8Array).equals(Buffer.from(toneWav(15)))).toBe(true);
  });

  it('takes a 50 MB upload and refuses a body past the cap with 413', async () => {
    const big = new Uint8Array(50 * 1024 * 1024);
    big[0] = 7;
    big[big.length - 1] = 9;
    const answer = await upload({ path: 'ivr2:/2/big.bin' }, [{ name: 'file', bytes: big, filename: 'big.bin' }]);
    expect(answer).toMatchObject({ responseStatus: 'OK', size: big.length });
    const back = new Uint8Array(await (await download('ivr2:/2/big.bin')).arrayBuffer());
    expect([back.length, back[0], back.at(-1)]).toEqual([big.length, 7, 9]);
    const tooBig = await fetch(sandbox.url + 'UploadFile', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(52 * 1024 * 1024) });
    expect(tooBig.status).toBe(413);
  });
});

describe('handlers registered as data', () => {
  const commands = sandboxCommands();

  it('has a handler for every command of the tool table', () => {
    const missing = [...new Set(TOOLS.flatMap(commandsOf))].filter((command) => !commands.has(command));
    expect(missing).toEqual([]);
  });

  it('flags the SIP commands on their handlers, no second list', () => {
    const sipOnly = [...commands].filter(([, info]) => info.sipOnly).map(([name]) => name);
    expect(sipOnly.sort()).toEqual([...new Set(TOOLS.filter((spec) => spec.toolset === 'sip').map((spec) => spec.command))].sort());
  });

  it('enforces the ranges it exports', async () => {
    const ranges = Object.fromEntries([...commands].filter(([, info]) => info.rules).map(([name, info]) => [name, info.rules]));
    expect(ranges.SendTTS).toEqual({ ttsRate: { min: -10, max: 10 }, repeatFile: { min: 1 } });
    expect(ranges.CallExtensionBridging).toEqual({ callsTimeOut: { min: 1, max: 35 } });
    expect(ranges.GetIncomingSms).toEqual({ limit: { min: 1, max: 3000 } });
    const form = (command: string, params: Record<string, string>) =>
      fetch(sandbox.url + command, { method: 'POST', body: new URLSearchParams({ token: sandbox.token, ...params }) }).then((response) => response.json());
    expect(await form('SendTTS', { phones: '0501234567', ttsMessage: 'x', repeatFile: '0' })).toMatchObject({ responseStatus: 'ERROR', message: 'repeatFile must be at least 1' });
    expect(await form('SendTTS', { phones: '0501234567', ttsMessage: 'x', repeatFile: '25' })).toMatchObject({ responseStatus: 'OK' });
    expect(await form('SipExtensionManagement', { SipExtensionManagement: 'Set', extNumber: '199' })).toMatchObject({ message: 'extNumber must be between 200 and 10000' });
  });
});
