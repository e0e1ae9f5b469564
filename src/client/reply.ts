import { checkAnswer } from './answer.js';
import { decodeText, parseObject, type CutBody, type FileBody } from './body.js';
import { waitFor, YemotError } from './errors.js';
import type { AnswerKind, Reply } from './kinds.js';

export interface RawResponse {
  status: number;
  /** The Content-Type header as sent ('' when none). */
  contentType: string;
  /** The Retry-After header as sent, if any. */
  retryAfter?: string;
  /** The body whole; a large answer as read with a cut; or a file that was not held (saved, or withheld). */
  body: Buffer | CutBody | FileBody;
}

/** The wait assumed when a 429 does not say how long: the length of the first login cool-down, long enough not to hammer. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** Retry-After in whole seconds from now: delay-seconds or an HTTP date (RFC 9110 10.2.3); undefined when it is neither. */
function retryAfterSeconds(header: string | undefined): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

const OPEN_BRACE = 0x7b;

function badResponse(command: string, what: string): YemotError {
  return new YemotError('BAD_RESPONSE', `${command}: the API answered ${what}`, {
    command,
    outcomeUnknown: true,
    hint: 'Try again later; if it persists, check YEMOT_API_URL.',
  });
}

function statusError(command: string, kind: AnswerKind, response: RawResponse): YemotError {
  const { status } = response;
  // DownloadFile answers 404 for a missing file (documented); for other commands it means a wrong URL.
  if (status === 404 && kind === 'binary') {
    return new YemotError('NOT_FOUND', `${command}: no such file (HTTP 404 from the API)`, {
      command,
      status: '404',
      hint: 'Check the path (e.g. ivr2:/1/000.wav): list the folder to see which files exist.',
    });
  }
  // Too many requests: refused before any work, so the outcome is known, a spend included.
  if (status === 429) {
    const said = retryAfterSeconds(response.retryAfter);
    const seconds = said ?? DEFAULT_RETRY_AFTER_SECONDS;
    return new YemotError('RATE_LIMITED', `${command}: HTTP 429 from the API, too many requests; ${said === undefined ? `it did not say how long to wait (${seconds}s assumed)` : `it asks to wait ${seconds}s`}`, {
      command,
      status: '429',
      retryAfterSeconds: seconds,
      hint: `Nothing was done: the API refused the request before acting on it. Wait ${waitFor(seconds)}, then try once more; requests sooner keep the account throttled.`,
    });
  }
  // 503 carries Retry-After when the service says when it is back (RFC 9110); a proxy may send it after
  // Yemot took the request, so the outcome stays unknown.
  const seconds = status === 503 ? retryAfterSeconds(response.retryAfter) : undefined;
  return new YemotError('HTTP_ERROR', `${command}: HTTP ${status} from the API`, {
    command,
    status: String(status),
    outcomeUnknown: true,
    retryAfterSeconds: seconds,
    hint: seconds !== undefined ? `The API is unavailable; try again in ${waitFor(seconds)}.` : status >= 500 ? 'The API is failing; try again in a minute.' : 'Check YEMOT_API_URL.',
  });
}

/** A file's bytes, unless the API answered with a JSON envelope instead (an error, usually). */
function readBinary(command: string, bytes: Buffer, contentType: string, type: string): Reply {
  const declaredJson = type.includes('json');
  const file: Reply = { kind: 'binary', bytes, size: bytes.byteLength, contentType: type };
  const first = bytes.find((byte) => byte > 0x20);
  if (!declaredJson && first !== OPEN_BRACE) return file;
  const answer = parseObject(decodeText(bytes, contentType));
  if (answer && (declaredJson || 'responseStatus' in answer)) return { kind: 'json', answer: checkAnswer(command, answer) };
  if (declaredJson) throw badResponse(command, 'something that is not JSON under a JSON content type');
  return file;
}

/** An answer that was not held whole: JSON kept to what a result shows, the beginning of a text, or a file's size. */
function readUnheld(command: string, kind: AnswerKind, body: CutBody | FileBody, type: string): Reply {
  if ('json' in body) return { kind: 'json', answer: checkAnswer(command, body.json), ...(body.cuts.length > 0 && { cuts: body.cuts }) };
  if ('text' in body) {
    if (kind === 'text' && !type.includes('json')) return { kind: 'text', text: body.text, contentType: type, length: body.length };
    throw badResponse(command, 'something that is not JSON');
  }
  return { kind: 'binary', size: body.size, contentType: type };
}

/** Reads one complete answer by the command's answer kind; API refusals and HTTP failures become YemotErrors. */
export function readReply(command: string, kind: AnswerKind, response: RawResponse): Reply {
  if (response.status >= 300) throw statusError(command, kind, response);
  const type = response.contentType.split(';')[0].trim().toLowerCase();
  const { body } = response;
  if (!Buffer.isBuffer(body)) return readUnheld(command, kind, body, type);
  if (kind === 'binary') return readBinary(command, body, response.contentType, type);
  const text = decodeText(body, response.contentType);
  const answer = parseObject(text);
  if (answer) return { kind: 'json', answer: checkAnswer(command, answer) };
  if (kind === 'text' && text && !type.includes('json')) return { kind: 'text', text, contentType: type };
  throw badResponse(command, text ? 'something that is not JSON' : 'with an empty body');
}
