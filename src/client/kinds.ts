import type { Answer } from './answer.js';

/**
 * How a request travels: a form (a JSON body anyway when a value is an array or object), always JSON,
 * or multipart with the file part under the named field.
 */
export type RequestKind = 'form' | 'json' | { multipart: string };

/** What the command answers: a JSON object, a text product (a rendered file), or a file's bytes. */
export type AnswerKind = 'json' | 'text' | 'binary';

/** The file of a multipart request. */
export interface FilePart {
  bytes: Uint8Array;
  fileName: string;
  contentType: string;
}

export interface JsonReply {
  kind: 'json';
  answer: Answer;
}

export interface TextReply {
  kind: 'text';
  text: string;
  /** The media type, without parameters (the charset was used to decode the text). */
  contentType: string;
}

export interface BinaryReply {
  kind: 'binary';
  /** Exactly the bytes received; their length is the size. */
  bytes: Uint8Array;
  /** The media type, without parameters; '' when the API declared none. */
  contentType: string;
}

export type Reply = JsonReply | TextReply | BinaryReply;

/** What a command of kind K may answer: a JSON answer always (an error, or a JSON render), else its own kind. */
export type ReplyFor<K extends AnswerKind> = JsonReply | (K extends 'text' ? TextReply : never) | (K extends 'binary' ? BinaryReply : never);

export function isFilePart(value: unknown): value is FilePart {
  const part = value as Partial<FilePart> | null;
  return !!part && part.bytes instanceof Uint8Array && typeof part.fileName === 'string' && typeof part.contentType === 'string';
}
