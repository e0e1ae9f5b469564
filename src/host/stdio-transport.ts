import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { checkEnvelope, errorReply, findLeadingId, findTrailingId, INVALID_REQUEST, PARSE_ERROR, type ErrorReply } from '../core/jsonrpc.js';
import { LineSplitter } from './stdio-lines.js';

/**
 * The longest JSON-RPC line read from stdin: base64 uploads make lines of tens of megabytes. A longer line
 * is skipped as it streams in (never held whole) and answered with an error.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Of a line too long to keep, the beginning and the end kept to find its id (the SDK's client writes it last). */
const OVERSIZED_EDGE_BYTES = 64 * 1024;

/**
 * MCP over stdio, one JSON-RPC message per line, replacing the SDK's transport: that one gives up the whole
 * connection on a line over 10 MB and drops malformed messages without an answer. This one answers every
 * malformed line with a JSON-RPC error and keeps serving.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** The peer went away: stdin ended, or stdout can no longer be written. */
  onhangup?: () => void;

  private readonly splitter = new LineSplitter(MAX_LINE_BYTES, OVERSIZED_EDGE_BYTES, {
    line: (bytes) => this.receive(bytes.toString('utf8')),
    oversized: (head, tail) => this.reply(tooLong(head.toString('utf8'), tail.toString('utf8'))),
  });
  private writable = true;
  private closed = false;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.on('error', this.onInputError);
    this.output.on('error', this.onOutputError);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.write(message);
  }

  /** Resolves once everything written so far has reached the operating system (or could not). */
  flush(): Promise<void> {
    if (!this.writable) return Promise.resolve();
    return new Promise((resolve) => this.output.write('', () => resolve()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.pause();
    this.onclose?.();
  }

  private readonly onData = (chunk: Buffer) => this.splitter.push(chunk);
  private readonly onEnd = () => {
    this.splitter.end();
    this.onhangup?.();
  };
  private readonly onInputError = (error: Error) => {
    this.onerror?.(error);
    this.onhangup?.();
  };
  // A client that closes its end of stdout (EPIPE) has left: stop writing, and never crash over it.
  private readonly onOutputError = () => {
    this.writable = false;
    this.onhangup?.();
  };

  private receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return void this.reply(errorReply(null, PARSE_ERROR, 'Parse error: the line is not valid JSON'));
    }
    const checked = checkEnvelope(parsed);
    if ('reply' in checked) return void this.reply(checked.reply);
    if ('dropped' in checked) return this.onerror?.(new Error(checked.dropped));
    this.onmessage?.(checked.message as JSONRPCMessage);
  }

  private reply(error: ErrorReply): void {
    this.write(error).catch((failure: Error) => this.onerror?.(failure));
  }

  private write(message: JSONRPCMessage | ErrorReply): Promise<void> {
    if (!this.writable || this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.output.write(`${JSON.stringify(message)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }
}

/** The refusal of a line over the limit, to its id when either end shows it; a file sent as base64 is told the way that fits. */
function tooLong(head: string, tail: string): ErrorReply {
  const id = findLeadingId(head) ?? findTrailingId(tail) ?? null;
  const base64 = /"base64"\s*:/.test(head) || /"base64"\s*:/.test(tail);
  const advice = base64 ? '; a file this large cannot travel as base64: put it in a folder the operator lists in YEMOT_FILES_DIR and give its path as localFile' : '';
  return errorReply(id, INVALID_REQUEST, `Invalid request: the message is longer than ${MAX_LINE_BYTES} bytes${advice}`);
}
