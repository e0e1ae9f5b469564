/** JSON-RPC 2.0 envelopes, independent of MCP: what a message must look like before any method is looked at. */

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const INVALID_PARAMS = -32602;
/** Implementation-defined server error: a refusal of this server's own (the HTTP host's), or the server going away. */
export const SERVER_ERROR = -32000;
export const SERVER_CLOSING = SERVER_ERROR;

export type Id = string | number;

export interface ErrorReply {
  jsonrpc: '2.0';
  id: Id | null;
  error: { code: number; message: string };
}

export const errorReply = (id: Id | null, code: number, message: string): ErrorReply => ({ jsonrpc: '2.0', id, error: { code, message } });

/** A name or id from the peer, shortened for an error message: a hostile one may be megabytes long. */
export const brief = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** MCP takes a string or an integer as id; anything else cannot be echoed back to a waiting caller. */
export const usableId = (value: unknown): Id | undefined =>
  typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value)) ? value : undefined;

export type Checked = { message: Record<string, unknown> } | { reply: ErrorReply } | { dropped: string };

/** The answer to a batch, on every transport: the MCP revision of 2025-06-18 removed JSON-RPC batching. */
export const BATCH_REFUSED: ErrorReply = errorReply(null, INVALID_REQUEST, 'Invalid request: batches (JSON arrays) are not supported (MCP 2025-06-18 removed them); send one message at a time');

/**
 * Checks the envelope of one parsed message. A broken request gets an error with its id when it has a usable
 * one (null otherwise); a notification with bad params is dropped, as notifications are never answered.
 */
export function checkEnvelope(value: unknown): Checked {
  if (Array.isArray(value)) return { reply: BATCH_REFUSED };
  if (!isPlainObject(value)) return { reply: errorReply(null, INVALID_REQUEST, 'Invalid request: a message must be a JSON object') };
  const hasId = 'id' in value;
  const id = usableId(value.id) ?? null;
  const invalid = (rule: string) => ({ reply: errorReply(id, INVALID_REQUEST, `Invalid request: ${rule}`) });
  if (value.jsonrpc !== '2.0') return invalid('"jsonrpc" must be the string "2.0"');
  if (hasId && id === null) return invalid('"id" must be a string or an integer');
  if ('method' in value) {
    if (typeof value.method !== 'string') return invalid('"method" must be a string');
    if ('params' in value && !isPlainObject(value.params)) {
      const rule = `Invalid params: "params" of ${brief(value.method)} must be an object when present`;
      return hasId ? { reply: errorReply(id, INVALID_PARAMS, rule) } : { dropped: rule };
    }
    return { message: value };
  }
  if (hasId && ('result' in value) !== ('error' in value)) return { message: value };
  return invalid('a message needs a "method" (request or notification), or an "id" with exactly one of "result" and "error" (response)');
}

const STRING = /"(?:[^"\\]|\\.)*"/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /\s*/y;

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/**
 * The top-level "id" of a message of which only the beginning is known (a line too long to keep), when it
 * appears there. Nested "id" members (inside params) are skipped by tracking the depth.
 */
export function findLeadingId(head: string): Id | undefined {
  let depth = 0;
  for (let at = 0; at < head.length; ) {
    const char = head[at];
    if (char === '"') {
      const token = matchAt(STRING, head, at);
      if (token === undefined) return undefined;
      at += token.length;
      at += matchAt(SPACE, head, at)?.length ?? 0;
      if (depth !== 1 || head[at] !== ':' || token !== '"id"') continue;
      at += 1 + (matchAt(SPACE, head, at + 1)?.length ?? 0);
      const value = matchAt(STRING, head, at) ?? matchAt(NUMBER, head, at);
      // A value cut off by the end of the head is not known.
      if (value === undefined || at + value.length >= head.length) return undefined;
      return usableId(JSON.parse(value));
    }
    if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') depth--;
    at++;
  }
  return undefined;
}

/**
 * The top-level "id" of a message of which only the end is known, when it is among its last members (the MCP
 * SDK's client writes it last). A candidate counts only if the text from it on, opened with `{`, is one whole
 * JSON object: a nested "id" leaves a brace too many, and inside a string "id" cannot appear unescaped.
 */
export function findTrailingId(tail: string): Id | undefined {
  for (let at = tail.lastIndexOf('"id"'), tries = 0; at >= 0 && tries < 16; at = at > 0 ? tail.lastIndexOf('"id"', at - 1) : -1, tries++) {
    try {
      const value: unknown = JSON.parse(`{${tail.slice(at)}`);
      if (isPlainObject(value)) return usableId(value.id);
    } catch {
      // not the top level: an earlier candidate may be
    }
  }
  return undefined;
}
