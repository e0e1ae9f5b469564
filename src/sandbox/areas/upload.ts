import { fail, type HandlerInfo, type Params, type UploadedFile } from '../handler.js';
import { formatDateTime, optFlag, optString } from '../params.js';
import type { AccountState } from '../state.js';
import { ensureFolder, findFolder, ivr2Path, nextFreeNumber, pathSegments, TEXT_FILE } from '../vfs.js';
import { readWav, toTelephony } from '../wav.js';

/** The documented UploadFile errors: code and message. */
const uploadFail = (code: 105 | 107 | 108 | 109 | 110, message: string): never => fail(message, { messageCode: code });
const systemError = () => uploadFail(105, 'System error');

const SEGMENT = /^[\w\u05D0-\u05EA][\w\u05D0-\u05EA .-]*$/;
const FILE_NAME = /\.[A-Za-z0-9]+$/;

/** autoNumbering takes true/false, unlike the API's usual 1/0. */
function autoNumbering(params: Params): boolean {
  const value = optString(params, 'autoNumbering')?.trim().toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return fail('autoNumbering must be true or false');
}

/** The one file part, named `file`; several file parts are refused whatever their names. */
function theFile(files: UploadedFile[]): UploadedFile {
  if (files.length > 1) uploadFail(108, 'Only single upload per request');
  return files.find((part) => part.name === 'file') ?? uploadFail(107, 'File upload expected');
}

/** The target's folder and name: `path` names the file, or (autoNumbering) the folder that gets the next free number. */
function target(state: AccountState, params: Params, upload: UploadedFile, options: { numbered: boolean; convert: boolean; tts: boolean }): { folder: string[]; name: string } {
  const path = optString(params, 'path')?.trim() || uploadFail(109, 'path is required');
  const segments = pathSegments(path);
  if (!segments.every((segment) => SEGMENT.test(segment))) uploadFail(110, 'path is invalid');
  if (!options.numbered) {
    if (segments.length === 0 || !FILE_NAME.test(segments.at(-1)!)) uploadFail(110, 'path is invalid');
    return { folder: segments.slice(0, -1), name: segments.at(-1)! };
  }
  const extension = options.tts ? '.tts' : options.convert ? '.wav' : (FILE_NAME.exec(upload.filename)?.[0].toLowerCase() ?? '.wav');
  const folder = findFolder(state.ivr, segments);
  return { folder: segments, name: `${folder ? nextFreeNumber(folder) : '000'}${extension}` };
}

/** Simple (one-request) form. The chunked form (qquuid parts, then UploadFile?done) will assemble the bytes and store them the same way. */
export const uploadFile: HandlerInfo = {
  handle({ params, files, state, method, contentType }) {
    if (method !== 'POST' || contentType !== 'multipart/form-data') uploadFail(107, 'File upload expected');
    const upload = theFile(files);
    const options = { numbered: autoNumbering(params), convert: optFlag(params, 'convertAudio') === 1, tts: optFlag(params, 'tts') === 1 };
    const { folder, name } = target(state, params, upload, options);
    // The sandbox converts PCM WAV only; other audio (mp3...) it cannot decode.
    const wav = options.convert ? (readWav(upload.bytes) ?? systemError()) : undefined;
    const bytes = wav ? toTelephony(wav) : upload.bytes;
    ensureFolder(state.ivr, folder).files[name] = {
      data: TEXT_FILE.test(name) ? new TextDecoder().decode(bytes) : bytes,
      mtime: formatDateTime(),
      source: 'API',
      phone: '',
      ip: '127.0.0.1',
    };
    const converted = wav && { convertedSize: bytes.length, duration: Math.round(wav.seconds * 1000) / 1000 };
    return { path: ivr2Path([...folder, name]), size: upload.bytes.length, ...converted };
  },
};
