import { randomBytes } from 'node:crypto';
import { YemotError } from './errors.js';
import { isFilePart, type FilePart, type RequestKind } from './kinds.js';

export type Params = Record<string, unknown>;

export interface EncodedBody {
  /** A multipart body is a function: each attempt reads the file anew. */
  body: string | (() => AsyncIterable<Uint8Array>);
  contentType: string;
  /** Known ahead for a multipart body, so it goes with a Content-Length, not chunked. */
  length?: number;
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

// The multipart/form-data encoding of the HTML standard, as undici's FormData writes it: names with " CR LF
// escaped, text values with line breaks as CRLF, and a CRLF after the closing boundary.
const escapeName = (name: string) => name.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
const crlf = (value: string) => value.replace(/\r?\n|\r/g, '\r\n');

/**
 * A multipart body streamed from the file part's source (never a copy of the file in memory), the fields
 * first and the file last, after the fields that say where it goes.
 */
function multipart(command: string, entries: Array<[string, unknown]>, field: string): EncodedBody {
  const file = entries.find(([key]) => key === field)?.[1];
  if (!isFilePart(file)) throw refuseFile(command, field, 'a file (bytes, file name and MIME type) is required');
  if (file.size > MAX_UPLOAD_BYTES) throw refuseFile(command, field, `the file has ${file.size} bytes; the API takes at most ${MAX_UPLOAD_BYTES} per upload`);
  const boundary = `----yemot-mcp-${randomBytes(12).toString('hex')}`;
  const fields = entries
    .filter(([key]) => key !== field)
    .map(([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(crlf(key))}"\r\n\r\n${crlf(fieldValue(value))}\r\n`)
    .join('');
  const head = Buffer.from(`${fields}--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(crlf(field))}"; filename="${escapeName(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: () => framed(head, file, tail),
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.byteLength + file.size + tail.byteLength,
  };
}

async function* framed(head: Uint8Array, file: FilePart, tail: Uint8Array): AsyncIterable<Uint8Array> {
  yield head;
  yield* file.read(0, file.size);
  yield tail;
}

/** The request body of one command, by its request kind; the token travels in it, never in the URL. */
export function encodeBody(command: string, params: Params, kind: RequestKind = 'form'): EncodedBody {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  if (typeof kind === 'object') return multipart(command, entries, kind.multipart);
  if (kind === 'json' || needsJson(params)) return { body: JSON.stringify(Object.fromEntries(entries)), contentType: 'application/json' };
  const form = new URLSearchParams();
  for (const [key, value] of entries) form.append(key, fieldValue(value));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}
