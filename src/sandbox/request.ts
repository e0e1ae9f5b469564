import type { IncomingMessage } from 'node:http';
import type { Params, UploadedFile } from './handler.js';

/** UploadFile takes 50 MB per request (documented); the cap leaves room for the multipart framing. */
export const MAX_BODY_BYTES = 51 * 1024 * 1024;

export interface ParsedBody {
  params: Params;
  files: UploadedFile[];
  error?: string;
}

/** The whole body, or undefined once it passes the cap (reading stops there). */
export async function readBody(req: IncomingMessage, cap = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > cap) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header: lower case, no parameters. */
export const mediaType = (header: string) => header.split(';')[0].trim().toLowerCase();

function parseJson(text: string): ParsedBody {
  if (text.trim() === '') return { params: {}, files: [] };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { params: value as Params, files: [] };
    return { params: {}, files: [], error: 'the JSON body must be an object' };
  } catch {
    return { params: {}, files: [], error: 'the body is not valid JSON' };
  }
}

async function parseMultipart(header: string, body: Buffer): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': header } }).formData();
  } catch {
    return { params: {}, files: [], error: 'the multipart body is malformed' };
  }
  const params: Params = {};
  const files: UploadedFile[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') params[name] = value;
    else files.push({ name, filename: value.name, contentType: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return { params, files };
}

/** Params (and file parts) of a body, by its Content-Type header. */
export async function parseBody(header: string, body: Buffer): Promise<ParsedBody> {
  const type = mediaType(header);
  if (type === 'application/json') return parseJson(body.toString('utf8'));
  if (type === 'application/x-www-form-urlencoded') return { params: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: [] };
  if (type === 'multipart/form-data') return parseMultipart(header, body);
  return { params: {}, files: [] };
}
