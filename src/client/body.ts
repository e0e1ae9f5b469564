import type { Readable } from 'node:stream';
import type { Answer } from './answer.js';
import { JsonCutError, JsonCutParser, SECRET_MARGIN_CHARS, type Cut } from './json-cut.js';
import type { ByteSink } from './kinds.js';

/** A large JSON or text answer, read with a cut: the JSON as kept and what it lost, or the text's beginning and its length. */
export type CutBody = { json: Answer; cuts: Cut[] } | { text: string; length: number };

/** A file answer not held whole: written to a sink, or withheld (more than the caller keeps); its size when known. */
export interface FileBody {
  size: number | undefined;
}

/** Answers up to this size are read whole and parsed at once (faster); larger ones are parsed as they arrive. */
export const CUT_AFTER_BYTES = 1024 * 1024;
/** A body that begins with `{` may be a JSON answer instead of the file; one is never this long. */
const ENVELOPE_BYTES = 64 * 1024;
const OPEN_BRACE = 0x7b;

/**
 * Hands each chunk of a body to `take` as it arrives; `take` answers false to stop there (the body is destroyed,
 * nothing more read). Resolves true at the body's end, false when stopped. Events rather than async iteration: for
 * the small answer of nearly every call, iteration's promises and stream bookkeeping cost more than the reading.
 */
function eachChunk(body: Readable, take: (chunk: Buffer) => boolean): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      let more: boolean;
      try {
        more = take(chunk);
      } catch (error) {
        more = false;
        settle(() => reject(error));
      }
      if (more) return;
      settle(() => resolve(false));
      body.destroy();
    };
    body.on('data', onData);
    body.once('end', () => settle(() => resolve(true)));
    body.once('error', (error) => settle(() => reject(error)));
    body.once('close', () => settle(() => reject(new Error('the answer ended before it was complete'))));
  });
}

/** An answer's bytes, read up to `maxBytes`; undefined as soon as it proves larger (nothing more is read). */
export async function readCapped(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  const whole = await eachChunk(body, (chunk) => {
    total += chunk.byteLength;
    chunks.push(chunk);
    return total <= maxBytes;
  });
  return whole ? (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total)) : undefined;
}

/**
 * A JSON or text answer: whole when it is small, else parsed as it arrives with arrays and strings kept to about
 * `keepChars` (a result never shows more). Undefined as soon as it proves larger than `maxBytes`.
 */
export async function readCut(body: Readable, maxBytes: number, keepChars: number, contentType: string): Promise<Buffer | CutBody | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  let reader: CutReader | undefined;
  const whole = await eachChunk(body, (chunk) => {
    total += chunk.byteLength;
    if (total > maxBytes) return false;
    if (reader) {
      reader.push(chunk);
      return true;
    }
    chunks.push(chunk);
    if (total > CUT_AFTER_BYTES) {
      reader = new CutReader(keepChars, contentType);
      for (const held of chunks.splice(0)) reader.push(held);
    }
    return true;
  });
  if (!whole) return undefined;
  return reader ? reader.end() : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

/** Decodes as it goes; parses JSON when the text starts with `{`, and keeps the text's beginning in case it is not JSON. */
class CutReader {
  private readonly decoder: TextDecoder;
  private parser: JsonCutParser | undefined;
  private started = false;
  private kept = '';
  private length = 0;

  constructor(
    private readonly keepChars: number,
    contentType: string,
  ) {
    this.decoder = decoderFor(contentType);
  }

  push(bytes: Uint8Array): void {
    this.add(this.decoder.decode(bytes, { stream: true }));
  }

  end(): CutBody {
    this.add(this.decoder.decode());
    if (this.parser) {
      try {
        const { value, cuts } = this.parser.end();
        if (isObject(value)) return { json: value, cuts };
      } catch (error) {
        if (!(error instanceof JsonCutError)) throw error;
      }
    }
    return { text: this.kept, length: this.length };
  }

  private add(text: string): void {
    if (!this.started && text.trimStart()) {
      this.started = true;
      if (text.trimStart().startsWith('{')) this.parser = new JsonCutParser(this.keepChars);
    }
    this.length += text.length;
    const room = this.keepChars + SECRET_MARGIN_CHARS - this.kept.length;
    if (room > 0) this.kept += text.slice(0, room);
    try {
      this.parser?.write(text);
    } catch (error) {
      if (!(error instanceof JsonCutError)) throw error;
      this.parser = undefined;
    }
  }
}

/**
 * A file answer, not held whole: into `sink` as it arrives, or kept up to `keepBytes` (withheld beyond, the rest
 * not read). A short body that is a JSON answer (an error) comes back as bytes and never reaches the sink.
 * Undefined as soon as it proves larger than `maxBytes` (the sink then aborted).
 */
export async function readFile(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  options: { sink?: ByteSink; keepBytes?: number; declaredLength?: number; contentType: string },
): Promise<Buffer | FileBody | undefined> {
  const { sink, keepBytes = maxBytes } = options;
  const held: Uint8Array[] = [];
  let total = 0;
  let streaming = false;
  let first: number | undefined;
  try {
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await sink?.abort();
        return undefined;
      }
      if (streaming) {
        await sink!.write(chunk);
        continue;
      }
      held.push(chunk);
      if (!sink) {
        if (total > keepBytes) return { size: options.declaredLength };
        continue;
      }
      first ??= chunk.find((byte) => byte > 0x20);
      // Not an envelope: from here on, the file goes to the sink as it comes.
      if ((first !== undefined && first !== OPEN_BRACE) || total > ENVELOPE_BYTES) {
        streaming = true;
        for (const piece of held.splice(0)) await sink.write(piece);
      }
    }
    const bytes = Buffer.concat(held, streaming ? 0 : total);
    if (!sink) return bytes;
    if (!streaming && isEnvelope(bytes, options.contentType)) return bytes;
    if (!streaming) await sink.write(bytes);
    await sink.close();
    return { size: total };
  } catch (error) {
    await sink?.abort();
    throw error;
  }
}


/** A JSON object with a responseStatus: the API answered instead of sending the file. */
function isEnvelope(bytes: Uint8Array, contentType: string): boolean {
  const answer = parseObject(decodeText(bytes, contentType));
  return !!answer && 'responseStatus' in answer;
}

const LEADS_WITH_BRACE = /^\s*\{/;
const isObject = (value: unknown): value is Answer => !!value && typeof value === 'object' && !Array.isArray(value);

/** The text as a JSON object, or undefined when it is not one. */
export function parseObject(text: string): Answer | undefined {
  if (!LEADS_WITH_BRACE.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

const UTF8 = /^utf-?8$/i;
const BOM = 0xfeff;

/** Text by the answer's declared charset (Yemot serves some Hebrew files as windows-1255); UTF-8 when none or unknown. */
export function decodeText(bytes: Uint8Array, contentType: string): string {
  const label = CHARSET.exec(contentType)?.[1];
  if (label && !UTF8.test(label)) return decoderFor(contentType).decode(bytes);
  // UTF-8, nearly every answer: by Buffer, without a TextDecoder made for each; its BOM dropped as a TextDecoder drops it.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

function decoderFor(contentType: string): TextDecoder {
  const label = CHARSET.exec(contentType)?.[1];
  if (label) {
    try {
      return new TextDecoder(label);
    } catch {
      // An unknown label (RangeError): fall through to UTF-8.
    }
  }
  return new TextDecoder();
}
