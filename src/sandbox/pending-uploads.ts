import { fail } from './handler.js';

/** Chunked UploadFile parts waiting for UploadFile?done, kept bounded in count, bytes and age. */

export interface PendingUpload {
  fileName: string;
  totalParts: number;
  totalSize: number;
  /** By part index. */
  parts: Record<string, { offset: number; bytes: Uint8Array }>;
  /** Bytes held in parts. */
  held: number;
  /** Date.now() of the last part. */
  touched: number;
}

/** What an upload declares on every part and again on done; they must agree. */
export interface UploadHeader {
  fileName: string;
  totalParts: number;
  totalSize: number;
}

export interface UploadLimits {
  maxUploads: number;
  maxBytes: number;
  staleMs: number;
}

/** The sandbox's own bounds (the API documents none for the chunked form). */
export const UPLOAD_LIMITS: UploadLimits = { maxUploads: 8, maxBytes: 192 * 1024 * 1024, staleMs: 10 * 60 * 1000 };

type Pending = Record<string, PendingUpload>;

const heldBytes = (pending: Pending) => Object.values(pending).reduce((sum, upload) => sum + upload.held, 0);

/** Drops uploads whose last part came longer ago than staleMs. */
export function forgetStale(pending: Pending, now: number, limits: UploadLimits = UPLOAD_LIMITS): void {
  for (const [uuid, upload] of Object.entries(pending)) if (now - upload.touched > limits.staleMs) delete pending[uuid];
}

function sameHeader(upload: PendingUpload, header: UploadHeader): boolean {
  return upload.fileName === header.fileName && upload.totalParts === header.totalParts && upload.totalSize === header.totalSize;
}

/** Keeps one part (a part sent again replaces the earlier copy). */
export function addPart(pending: Pending, uuid: string, header: UploadHeader, index: number, offset: number, bytes: Uint8Array, now: number, limits: UploadLimits = UPLOAD_LIMITS): void {
  forgetStale(pending, now, limits);
  if (header.totalSize > limits.maxBytes) fail(`qqtotalfilesize is over the sandbox's ${limits.maxBytes} bytes`);
  let upload = Object.hasOwn(pending, uuid) ? pending[uuid] : undefined;
  if (upload && !sameHeader(upload, header)) fail('qqfilename, qqtotalparts and qqtotalfilesize must be the same on every part of an upload');
  if (!upload) {
    if (Object.keys(pending).length >= limits.maxUploads) fail(`too many uploads in progress (at most ${limits.maxUploads}); finish one with UploadFile?done`);
    upload = { ...header, parts: {}, held: 0, touched: now };
  }
  const previous = Object.hasOwn(upload.parts, String(index)) ? upload.parts[index].bytes.length : 0;
  if (heldBytes(pending) - previous + bytes.length > limits.maxBytes) fail(`the uploads in progress would hold over ${limits.maxBytes} bytes`);
  pending[uuid] = upload;
  upload.parts[index] = { offset, bytes: bytes.slice() };
  upload.held += bytes.length - previous;
  upload.touched = now;
}

/** The whole file from its parts in order; refused (and kept, to resend a part) while a part is missing or the sizes disagree. */
export function assemble(pending: Pending, uuid: string, header: UploadHeader, now: number, limits: UploadLimits = UPLOAD_LIMITS): Uint8Array {
  forgetStale(pending, now, limits);
  const upload = (Object.hasOwn(pending, uuid) ? pending[uuid] : undefined) ?? fail(`no upload in progress with qquuid ${uuid}`);
  if (!sameHeader(upload, header)) fail('qqfilename, qqtotalparts and qqtotalfilesize must match the parts sent');
  const whole = new Uint8Array(upload.totalSize);
  let offset = 0;
  for (let index = 0; index < upload.totalParts; index++) {
    const part = Object.hasOwn(upload.parts, String(index)) ? upload.parts[index] : fail(`part ${index} of ${upload.totalParts} was not received`);
    if (part.offset !== offset) fail(`part ${index} starts at byte ${part.offset}, expected ${offset}`);
    if (offset + part.bytes.length > upload.totalSize) fail(`the parts hold more than qqtotalfilesize (${upload.totalSize}) bytes`);
    whole.set(part.bytes, offset);
    offset += part.bytes.length;
  }
  if (offset !== upload.totalSize) fail(`the parts hold ${offset} bytes, qqtotalfilesize says ${upload.totalSize}`);
  return whole;
}
