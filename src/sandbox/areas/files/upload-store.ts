import { fail, type Params } from '../../handler.js';
import { formatDateTime, optFlag, optString } from '../../params.js';
import type { AccountState } from '../../state.js';
import { ensureFolder, FILE_NAME, findFolder, ivr2Path, keepNewest, NAME_SEGMENT, nextFreeNumber, own, parsePath, TEXT_FILE } from '../../vfs.js';
import { readWav, toTelephony } from '../../wav.js';

/** What the simple and the chunked UploadFile share: the documented errors, the options, storing the bytes. */

export const uploadFail = (code: 105 | 107 | 108 | 109 | 110, message: string): never => fail(message, { messageCode: code });
const systemError = () => uploadFail(105, 'System error');

export interface UploadOptions {
  numbered: boolean;
  convert: boolean;
  tts: boolean;
}

/** autoNumbering takes true/false, unlike the API's usual 1/0. */
function autoNumbering(params: Params): boolean {
  const value = optString(params, 'autoNumbering')?.trim().toLowerCase();
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return fail('autoNumbering must be true or false');
}

export const uploadOptions = (params: Params): UploadOptions => ({
  numbered: autoNumbering(params),
  convert: optFlag(params, 'convertAudio') === 1,
  tts: optFlag(params, 'tts') === 1,
});

/** The segments of `path` (109 when missing, 110 when a segment is not a name the IVR takes). */
export function uploadPath(params: Params): string[] {
  const path = optString(params, 'path')?.trim() || uploadFail(109, 'path is required');
  const segments = parsePath(path);
  if (!segments?.every((segment) => NAME_SEGMENT.test(segment))) return uploadFail(110, 'path is invalid');
  return segments;
}

export const isFileName = (name: string) => NAME_SEGMENT.test(name) && FILE_NAME.test(name);

/** autoNumbering: the folder's next free number, with the extension the stored file will have. */
export function numberedName(state: AccountState, folder: string[], options: UploadOptions, originalName: string): string {
  const extension = options.tts ? '.tts' : options.convert ? '.wav' : (FILE_NAME.exec(originalName)?.[0].toLowerCase() ?? '.wav');
  const existing = findFolder(state.ivr, folder);
  return `${existing ? nextFreeNumber(existing) : '000'}${extension}`;
}

/**
 * A template's file by the name UploadFile takes for it (API forum post 472): `ID.wav` the voice message, `ID.tts`
 * the SMS text, `ID-MoreInfo.wav` before bridging, with no ivr2: prefix; undefined for an IVR path.
 */
export function campaignFile(state: AccountState, path: unknown): string | undefined {
  const match = /^(\d+)(?:-MoreInfo)?\.wav$|^(\d+)\.tts$/.exec(String(path ?? '').trim());
  if (!match) return undefined;
  if (!own(state.templates, match[1] ?? match[2])) uploadFail(110, 'path is invalid');
  return match[0];
}

/** Stores the bytes at folder/name (converted to telephony WAV when asked) and answers as UploadFile does. */
export function storeUpload(state: AccountState, folder: string[], name: string, bytes: Uint8Array, options: UploadOptions, root = state.ivr) {
  // The sandbox converts PCM WAV only; other audio (mp3...) it cannot decode.
  const wav = options.convert ? (readWav(bytes) ?? systemError()) : undefined;
  const stored = wav ? toTelephony(wav) : bytes;
  const into = ensureFolder(root, folder);
  into.files[name] = {
    data: TEXT_FILE.test(name) ? new TextDecoder().decode(stored) : stored,
    mtime: formatDateTime(),
    source: 'API',
    phone: '',
    ip: '127.0.0.1',
  };
  keepNewest(into);
  const converted = wav && { convertedSize: stored.length, duration: Math.round(wav.seconds * 1000) / 1000 };
  return { path: root === state.ivr ? ivr2Path([...folder, name]) : name, size: bytes.length, ...converted };
}
