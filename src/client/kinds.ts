import type { Answer } from './answer.js';
import type { Cut } from './json-cut.js';

/**
 * How a request travels: a form (a JSON body anyway when a value is an array or object), always JSON,
 * or multipart with the file part under the named field.
 */
export type RequestKind = 'form' | 'json' | { multipart: string };

/** What the command answers: a JSON object, a text product (a rendered file), or a file's bytes. */
export type AnswerKind = 'json' | 'text' | 'binary';

/** The file of a multipart request, read only when the request is sent: an upload is never held whole. */
export interface FilePart {
  fileName: string;
  contentType: string;
  /** Its length in bytes. */
  size: number;
  /** Its bytes from `start` to `end`, in pieces, in order. */
  read(start: number, end: number): AsyncIterable<Uint8Array>;
}

/** Where a file answer's bytes go as they arrive (a download saved to disk), instead of memory. */
export interface ByteSink {
  write(piece: Uint8Array): Promise<void>;
  /** Every byte was written: the file takes its place. */
  close(): Promise<void>;
  /** The answer failed, or was not the file: whatever was written goes. */
  abort(): Promise<void>;
}

export interface JsonReply {
  kind: 'json';
  answer: Answer;
  /** What a large answer lost while it was read (arrays and strings kept to what a result can show). */
  cuts?: Cut[];
}

export interface TextReply {
  kind: 'text';
  text: string;
  /** The media type, without parameters (the charset was used to decode the text). */
  contentType: string;
  /** The whole text's length when only its beginning was kept. */
  length?: number;
}

export interface BinaryReply {
  kind: 'binary';
  /** Exactly the bytes received; absent when they went to a sink or were more than the caller keeps. */
  bytes?: Uint8Array;
  /** The file's length; undefined only when it was not kept and the API did not declare it. */
  size?: number;
  /** The media type, without parameters; '' when the API declared none. */
  contentType: string;
}

export type Reply = JsonReply | TextReply | BinaryReply;

/** What a command of kind K may answer: a JSON answer always (an error, or a JSON render), else its own kind. */
export type ReplyFor<K extends AnswerKind> = JsonReply | (K extends 'text' ? TextReply : never) | (K extends 'binary' ? BinaryReply : never);

/** A memory file: base64 decoded, or bytes built in a test. */
export function memoryFile(bytes: Uint8Array, fileName: string, contentType: string): FilePart {
  return {
    fileName,
    contentType,
    size: bytes.byteLength,
    async *read(start, end) {
      yield bytes.subarray(start, end);
    },
  };
}

/** The bytes from `start` to `end` of a file, as a file of their own (one part of a chunked upload). */
export function slicePart(file: FilePart, start: number, end: number): FilePart {
  return { fileName: file.fileName, contentType: file.contentType, size: end - start, read: (from, to) => file.read(start + from, start + to) };
}

export function isFilePart(value: unknown): value is FilePart {
  const part = value as Partial<FilePart> | null;
  return !!part && typeof part.size === 'number' && typeof part.read === 'function' && typeof part.fileName === 'string' && typeof part.contentType === 'string';
}
