import { ApiFail, fail, type CommandContext, type Params } from '../../handler.js';
import { requireInt, requireString } from '../../params.js';
import { addPart, assemble, type UploadHeader } from '../../pending-uploads.js';
import { isFileName, numberedName, storeUpload, uploadFail, uploadOptions, uploadPath } from './upload-store.js';

/** The chunked UploadFile (the website's uploader protocol): parts carrying qquuid, then UploadFile?done. */

const UUID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_PARTS = 10_000;

function postedForm({ method, contentType }: CommandContext, multipart: boolean): void {
  const form = contentType === 'multipart/form-data' || (!multipart && contentType === 'application/x-www-form-urlencoded');
  if (method !== 'POST' || !form) uploadFail(107, 'File upload expected');
}

function uuidOf(params: Params): string {
  const uuid = requireString(params, 'qquuid');
  return UUID.test(uuid) ? uuid : fail('qquuid is invalid: letters, digits and dashes, at most 64');
}

function headerOf(params: Params): UploadHeader {
  return {
    fileName: requireString(params, 'qqfilename'),
    totalParts: requireInt(params, 'qqtotalparts', { min: 1, max: MAX_PARTS }),
    totalSize: requireInt(params, 'qqtotalfilesize', { min: 1 }),
  };
}

/** One part: kept until done. Answered `{success, error}` as the uploader expects (the error also as message). */
export function receiveChunk(ctx: CommandContext) {
  try {
    const { params, files } = ctx;
    postedForm(ctx, true);
    if (files.length > 1) uploadFail(108, 'Only single upload per request');
    const part = files.find((file) => file.name === 'qqfile') ?? uploadFail(107, 'File upload expected');
    const uuid = uuidOf(params);
    const header = headerOf(params);
    const index = requireInt(params, 'qqpartindex', { min: 0, max: header.totalParts - 1 });
    const offset = requireInt(params, 'qqpartbyteoffset', { min: 0 });
    const size = requireInt(params, 'qqchunksize', { min: 1 });
    if (size !== part.bytes.length) fail(`qqchunksize is ${size} but the part holds ${part.bytes.length} bytes`);
    if (offset + size > header.totalSize) fail(`the part ends past qqtotalfilesize (${header.totalSize})`);
    addPart(ctx.state.pendingUploads, uuid, header, index, offset, part.bytes, Date.now());
    return { success: true };
  } catch (error) {
    if (error instanceof ApiFail) throw new ApiFail({ ...error.answer, success: false, error: error.message });
    throw error;
  }
}

/**
 * UploadFile?done: the parts in order become one file at `path` (a folder in this form) + qqfilename, or the
 * folder's next free number with autoNumbering. One client reports the platform nesting valid audio into a
 * sub-folder named after the file when autoNumbering is false; that is not documented, so it is not imitated.
 */
export function finishChunkedUpload(ctx: CommandContext) {
  const { params, state } = ctx;
  postedForm(ctx, false);
  const uuid = uuidOf(params);
  const header = headerOf(params);
  const options = uploadOptions(params);
  const folder = uploadPath(params);
  if (!isFileName(header.fileName)) fail(`qqfilename is invalid: a file name with its extension, like 000.wav`);
  const name = options.numbered ? numberedName(state, folder, options, header.fileName) : header.fileName;
  const bytes = assemble(state.pendingUploads, uuid, header, Date.now());
  const answer = storeUpload(state, folder, name, bytes, options);
  delete state.pendingUploads[uuid];
  return answer;
}
