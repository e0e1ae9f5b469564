import type { HandlerInfo, UploadedFile } from '../../handler.js';
import { campaignFile, isFileName, numberedName, storeUpload, uploadFail, uploadOptions, uploadPath } from './upload-store.js';
import { finishChunkedUpload, receiveChunk } from './upload-chunked.js';

/** The one file part, named `file`; several file parts are refused whatever their names. */
function theFile(files: UploadedFile[]): UploadedFile {
  if (files.length > 1) uploadFail(108, 'Only single upload per request');
  return files.find((part) => part.name === 'file') ?? uploadFail(107, 'File upload expected');
}

/**
 * UploadFile in its three forms: `UploadFile?done` (the query string's `done`) assembles a chunked upload, a
 * request with `qquuid` is one of its parts, anything else is the simple one-request form, where `path` names the
 * file (or, with autoNumbering, the folder that gets the next free number).
 */
export const uploadFile: HandlerInfo = {
  handle(ctx) {
    const { params, files, state, method, contentType } = ctx;
    if (Object.hasOwn(params, 'done')) return finishChunkedUpload(ctx);
    if (Object.hasOwn(params, 'qquuid')) return receiveChunk(ctx);
    if (method !== 'POST' || contentType !== 'multipart/form-data') uploadFail(107, 'File upload expected');
    const upload = theFile(files);
    const options = uploadOptions(params);
    const campaign = campaignFile(state, params.path);
    if (campaign) {
      if (options.numbered) uploadFail(110, 'path is invalid');
      return storeUpload(state, [], campaign, upload.bytes, options, state.campaignFiles);
    }
    const segments = uploadPath(params);
    if (options.numbered) return storeUpload(state, segments, numberedName(state, segments, options, upload.filename), upload.bytes, options);
    if (segments.length === 0 || !isFileName(segments.at(-1)!)) uploadFail(110, 'path is invalid');
    return storeUpload(state, segments.slice(0, -1), segments.at(-1)!, upload.bytes, options);
  },
};
