import type { Cut } from '../client/json-cut.js';
import type { AnswerKind, BinaryReply, Reply } from '../client/kinds.js';
import type { Answer, Input, ToolSpec } from './command.js';
import { scrubBytes } from './present.js';
import type { Secrets } from '../core/secrets.js';

/** What a tool result shows besides its structured content; server.ts maps these to the MCP SDK's blocks. */
export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'audio'; data: string; mimeType: string }
  | { type: 'image'; data: string; mimeType: string }
  | ({ type: 'resource'; uri: string; mimeType: string } & ({ text: string } | { blob: string }));

/** An answer as fields (judged, scrubbed and capped by the runner) and the media blocks that go beside them. */
export interface ReplyContent {
  fields: Answer;
  media: ContentBlock[];
  /** What the fields lost while the answer was read (the cap says so). */
  cuts?: Cut[];
}

// Yemot serves files as application/octet-stream; the file's extension says what they are.
const UNTYPED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const TYPE_BY_EXTENSION: Record<string, string> = { wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg', ini: 'text/plain', tts: 'text/plain', txt: 'text/plain', ymgr: 'text/plain', csv: 'text/csv' };

const REDACTED_NOTE = 'Secret values (the session token, the password) in the file were replaced by [redacted].';

export const textBlock = (structured: Record<string, unknown>): ContentBlock => ({ type: 'text', text: JSON.stringify(structured) });

function fileType(contentType: string, file: string | undefined): string {
  if (!UNTYPED.has(contentType)) return contentType;
  const extension = /\.([a-z0-9]+)$/i.exec(file ?? '')?.[1].toLowerCase();
  return (extension && TYPE_BY_EXTENSION[extension]) || 'application/octet-stream';
}

function fileBlock(bytes: Uint8Array, mimeType: string, uri: string): ContentBlock {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  if (mimeType.startsWith('audio/')) return { type: 'audio', data, mimeType };
  if (mimeType.startsWith('image/')) return { type: 'image', data, mimeType };
  if (mimeType.startsWith('text/')) return { type: 'resource', uri, mimeType, text: new TextDecoder().decode(bytes) };
  return { type: 'resource', uri, mimeType, blob: data };
}

/** The answer kind the client reads (default JSON). */
export const wireAnswerKind = (spec: ToolSpec): AnswerKind | undefined => (typeof spec.answer === 'object' ? 'binary' : spec.answer);

/** The input param naming the file a binary answer is, when the entry declares one. */
function fileOf(spec: ToolSpec, input: Input): string | undefined {
  const value = typeof spec.answer === 'object' ? input[spec.answer.binary] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** A file's description without its bytes: what a saved or withheld download shows. */
export function fileFields(spec: ToolSpec, input: Input, reply: BinaryReply): Answer {
  const file = fileOf(spec, input);
  return { contentType: fileType(reply.contentType, file), ...(reply.size !== undefined && { size: reply.size }), ...(file !== undefined && { file }) };
}

/** JSON answers are their fields; a text product is `{ contentType, content }`; a file is described by fields and shown as a block. */
export function replyContent(spec: ToolSpec, input: Input, reply: Reply, secrets: Secrets): ReplyContent {
  if (reply.kind === 'json') return { fields: reply.answer, media: [], cuts: reply.cuts };
  if (reply.kind === 'text') {
    const cuts: Cut[] | undefined = reply.length !== undefined && reply.length > reply.text.length ? [{ field: 'content', unit: 'characters', total: reply.length }] : undefined;
    return { fields: { contentType: reply.contentType, content: reply.text }, media: [], cuts };
  }
  const file = fileOf(spec, input);
  const mimeType = fileType(reply.contentType, file);
  const received = reply.bytes ?? new Uint8Array();
  const bytes = scrubBytes(received, secrets);
  return {
    fields: { contentType: mimeType, size: bytes.byteLength, ...(file !== undefined && { file }), ...(bytes !== received && { redacted: REDACTED_NOTE }) },
    media: [fileBlock(bytes, mimeType, file ?? `yemot:${spec.command}`)],
  };
}
