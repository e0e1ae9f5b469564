import { randomUUID } from 'node:crypto';
import { basename, posix } from 'node:path';
import { YemotError } from '../client/errors.js';
import { memoryFile, slicePart, type ByteSink, type FilePart, type Reply } from '../client/kinds.js';
import type { Input, ToolSpec, Transfer, TransferContext } from './command.js';
import { fileFields, replyContent, wireAnswerKind, type ReplyContent } from './content.js';
import type { ToolContext } from './context.js';
import { fileNameProblem } from './ivr-path.js';
import { LocalFileRefused } from './local-files.js';
import { DEFAULT_MAX_RESULT_CHARS } from './result-cap.js';

/** How files travel: the operator's limits (read at start-up and handed down). */
export interface Transfers {
  /** A download larger than this is not put in the agent's context: it asks for saveTo. */
  downloadMaxBytes: number;
  /** A file larger than this is uploaded in parts of this size (UploadFile's chunked form). */
  uploadPartBytes: number;
  /** The total time one file transfer request may take. */
  timeoutMs: number;
}

/** The largest file this server reads for one upload (in parts beyond uploadPartBytes). */
export const MAX_UPLOAD_FILE_BYTES = 500 * 1024 * 1024;
/** Multipart field of the simple UploadFile; the chunked form sends `qqfile`. */
export const UPLOAD_FIELD = 'file';

const MIME_BY_EXTENSION: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  gsm: 'audio/x-gsm',
  tts: 'text/plain',
  txt: 'text/plain',
  ini: 'text/plain',
  csv: 'text/csv',
  pdf: 'application/pdf',
};
const mimeOf = (name: string) => MIME_BY_EXTENSION[/\.([a-z0-9]+)$/i.exec(name)?.[1].toLowerCase() ?? ''] ?? 'application/octet-stream';

const refused = (tool: string, message: string) => new YemotError('INVALID_INPUT', `${tool}: ${message}`, { hint: 'Nothing was sent. Fix the named field and call again.' });

/** A local file refused is the person's input: INVALID_INPUT naming the field, `after` saying what was done already. */
async function asInput<T>(tool: string, work: () => Promise<T>, after = ''): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof LocalFileRefused ? refused(tool, error.message + after) : error;
  }
}

/**
 * The file an upload carries: a local file inside YEMOT_FILES_DIR, checked now and read a piece at a time as
 * it is sent; or base64 with its name.
 */
export async function filePart(ctx: ToolContext, tool: string, input: Input): Promise<FilePart> {
  if (typeof input.localFile !== 'string') {
    const fileName = String(input.fileName);
    return memoryFile(Buffer.from(String(input.base64), 'base64'), fileName, mimeOf(fileName));
  }
  const given = input.localFile;
  const fileName = basename(given);
  const source = await asInput(tool, async () => {
    // The name travels with the file (qqfilename names it in the chunked form): one segment, like fileName.
    const problem = fileNameProblem(fileName);
    if (problem) throw new LocalFileRefused(`localFile: the file's name ${problem}`);
    return ctx.files.source('localFile', given, MAX_UPLOAD_FILE_BYTES);
  });
  return {
    fileName,
    contentType: mimeOf(fileName),
    size: source.size,
    async *read(start, end) {
      try {
        yield* source.read(start, end);
      } catch (error) {
        throw error instanceof LocalFileRefused ? new YemotError('INVALID_INPUT', `${tool}: ${error.message}`, { outcomeUnknown: true, hint: 'The upload stopped before its end. Check the target with read_ivr, then upload the file again once it no longer changes.' }) : error;
      }
    },
  };
}

/** Refuses a saveTo that could not be written before anything is downloaded. */
export async function checkSaveTo(ctx: ToolContext, tool: string, input: Input): Promise<Input> {
  if (typeof input.saveTo === 'string') await asInput(tool, () => ctx.files.writable('saveTo', input.saveTo as string, input.overwrite === true));
  return input;
}

/** A text file (a CSV phone list) inside YEMOT_FILES_DIR, as UTF-8 text. */
export async function localText(ctx: ToolContext, tool: string, path: string): Promise<string> {
  return (await asInput(tool, () => ctx.files.read('localFile', path, MAX_UPLOAD_FILE_BYTES))).toString('utf8');
}

/** How an answer is read: where a download goes, and how much of a large answer is kept. */
export interface Reading {
  /** The file a download is saved to as it arrives. */
  sink?: ByteSink & { path: string };
  /** A download larger than this is withheld from the conversation. */
  keepBytes?: number;
  /** A large answer is cut while it is read to about this many characters per array and string. */
  cut?: number;
}

/**
 * A download is saved to saveTo as it arrives, or kept up to what the conversation may hold. A large answer is cut
 * as it is read, to what a result can show, unless the entry judges or reads the whole answer itself.
 */
export async function readingOf(ctx: ToolContext, spec: ToolSpec, input: Input): Promise<Reading> {
  if (wireAnswerKind(spec) !== 'binary') return spec.outcome || spec.onAnswer ? {} : { cut: DEFAULT_MAX_RESULT_CHARS };
  if (typeof input.saveTo !== 'string') return { keepBytes: ctx.transfers.downloadMaxBytes };
  const saver = await asInput(spec.name, () => ctx.files.saver('saveTo', input.saveTo as string, input.overwrite === true));
  const notSaved = ' (nothing was saved)';
  return {
    sink: {
      path: saver.path,
      write: (piece) => asInput(spec.name, () => saver.write(piece), notSaved),
      close: () => asInput(spec.name, () => saver.close(), notSaved),
      abort: () => saver.abort(),
    },
  };
}

/** A download: saved where the operator allows, withheld from the context above its cap, or shown as a block. */
export function deliver(ctx: ToolContext, spec: ToolSpec, input: Input, reply: Reply, reading: Reading): ReplyContent {
  if (reply.kind !== 'binary') return replyContent(spec, input, reply, ctx.secrets);
  if (reading.sink) return { fields: { ...fileFields(spec, input, reply), savedTo: reading.sink.path }, media: [] };
  if (!reply.bytes) {
    const size = reply.size === undefined ? `More than ${ctx.transfers.downloadMaxBytes} bytes` : `${reply.size} bytes`;
    const notShown = `${size} is more than the ${ctx.transfers.downloadMaxBytes} this server puts in the conversation (YEMOT_DOWNLOAD_MAX_BYTES); call again with saveTo, a path inside YEMOT_FILES_DIR`;
    return { fields: { ...fileFields(spec, input, reply), notShown }, media: [] };
  }
  return replyContent(spec, input, reply, ctx.secrets);
}

/**
 * UploadFile's chunked form, for a file larger than one request may carry: each part a multipart request
 * (`qqfile` and the qq* fields), then `UploadFile?done`, which stores the file. Progress after each part;
 * a cancellation between parts stops before `done`, so nothing is stored.
 */
export const chunkedUpload: Transfer = async ({ ctx, progress, signal }, wire) => {
  const file = wire[UPLOAD_FIELD] as FilePart;
  const partBytes = ctx.transfers.uploadPartBytes;
  const { size } = file;
  if (size <= partBytes) return undefined;
  const { [UPLOAD_FIELD]: _file, path, ...options } = wire;
  // The chunked form stores into an IVR folder; a template's file has none.
  if (!/^(?:ivr2:|\/)/.test(String(path))) {
    throw new YemotError('INVALID_INPUT', `path: a template's file goes in one request, at most ${partBytes} bytes; this one is ${size}`, { command: 'UploadFile', hint: 'Nothing was sent. Shorten or compress the recording.' });
  }
  // In the chunked form `path` is a folder and the name travels as qqfilename.
  const numbered = options.autoNumbering === 'true';
  const folder = numbered ? String(path) : posix.dirname(String(path));
  const qqfilename = numbered ? file.fileName : posix.basename(String(path));
  const qquuid = randomUUID();
  const qqtotalparts = Math.ceil(size / partBytes);
  const common = { ...options, path: folder, qquuid, qqfilename, qqtotalfilesize: size, qqtotalparts };
  const timeoutMs = ctx.transfers.timeoutMs;
  for (let index = 0; index < qqtotalparts; index++) {
    if (signal?.aborted) {
      throw new YemotError('CANCELLED', `UploadFile: cancelled after ${index} of ${qqtotalparts} parts`, {
        command: 'UploadFile',
        hint: 'Nothing was stored: the upload was never completed (UploadFile?done was not sent). Upload the whole file again when wanted.',
      });
    }
    const offset = index * partBytes;
    const part = slicePart(file, offset, Math.min(size, offset + partBytes));
    const { answer } = await ctx.session.call(
      'UploadFile',
      { ...common, qqpartindex: index, qqpartbyteoffset: offset, qqchunksize: part.size, uploader: 'yemot-admin', qqfile: part },
      { request: { multipart: 'qqfile' }, signal, timeoutMs },
    );
    if (answer.success === false) {
      throw new YemotError('API_ERROR', `UploadFile: part ${index + 1} of ${qqtotalparts} was refused`, {
        command: 'UploadFile',
        vendorMessage: typeof answer.error === 'string' ? answer.error : undefined,
        hint: 'Nothing was stored. Read vendorMessage, then upload the whole file again.',
      });
    }
    progress(index + 1, qqtotalparts + 1, `UploadFile: part ${index + 1} of ${qqtotalparts} sent`);
  }
  const done = await ctx.session.call('UploadFile', common, { query: 'done', signal, timeoutMs });
  progress(qqtotalparts + 1, qqtotalparts + 1, 'UploadFile: done');
  return done;
};

/** One file by UploadFile, for a tool that sends it among other requests: in parts when larger than one carries. */
export async function uploadFile(transfer: TransferContext, wire: Input): Promise<Reply> {
  const { ctx, signal } = transfer;
  return (await chunkedUpload(transfer, wire)) ?? (await ctx.session.call('UploadFile', wire, { request: { multipart: UPLOAD_FIELD }, signal, timeoutMs: ctx.transfers.timeoutMs }));
}
