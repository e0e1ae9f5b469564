import { Blob } from 'node:buffer';
import type { FormData } from 'undici';
import { YemotError } from './errors.js';
import { isFilePart, type RequestKind } from './kinds.js';
import { loadUndici } from './undici.js';

export type Params = Record<string, unknown>;

export interface EncodedBody {
  body: string | FormData;
  /** Undefined for multipart: undici writes the header with the boundary. */
  contentType?: string;
}

// UploadFile takes at most 50 MB per request (documented).
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

const needsJson = (params: Params) => Object.values(params).some((value) => value !== null && typeof value === 'object');

/** Booleans as the API spells them almost everywhere; a value given as a string (UploadFile's `true`/`false`) is sent untouched. */
function fieldValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  // Only multipart fields get here with objects (a form with one becomes a JSON body); legacy clients send them as JSON text.
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function refuseFile(command: string, field: string, rule: string): YemotError {
  return new YemotError('INVALID_INPUT', `${command}: ${field}: ${rule}`, { command, hint: 'Nothing was sent. Fix the file and call again.' });
}

async function multipart(command: string, entries: Array<[string, unknown]>, field: string): Promise<FormData> {
  const file = entries.find(([key]) => key === field)?.[1];
  if (!isFilePart(file)) throw refuseFile(command, field, 'a file (bytes, file name and MIME type) is required');
  if (file.bytes.byteLength > MAX_UPLOAD_BYTES) throw refuseFile(command, field, `the file has ${file.bytes.byteLength} bytes; the API takes at most ${MAX_UPLOAD_BYTES} per upload`);
  const { FormData } = await loadUndici();
  const form = new FormData();
  for (const [key, value] of entries) if (key !== field) form.append(key, fieldValue(value));
  // The file part last, after the fields that say where it goes.
  form.append(field, new Blob([file.bytes], { type: file.contentType }), file.fileName);
  return form;
}

/** The request body of one command, by its request kind; the token travels in it, never in the URL. */
export async function encodeBody(command: string, params: Params, kind: RequestKind = 'form'): Promise<EncodedBody> {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  if (typeof kind === 'object') return { body: await multipart(command, entries, kind.multipart) };
  if (kind === 'json' || needsJson(params)) return { body: JSON.stringify(Object.fromEntries(entries)), contentType: 'application/json' };
  const form = new URLSearchParams();
  for (const [key, value] of entries) form.append(key, fieldValue(value));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}
