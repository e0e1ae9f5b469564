import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { readCapped, readCut, readFile } from './body.js';
import { Deadline } from './deadline.js';
import { encodeBody, type EncodedBody, type Params } from './encode.js';
import { YemotError } from './errors.js';
import type { AnswerKind, ByteSink, ReplyFor, RequestKind } from './kinds.js';
import { Limiter, LimiterBusy } from './limiter.js';
import { readReply, type RawResponse } from './reply.js';
import { loadUndici } from './undici.js';

export const DEFAULT_API_URL = 'https://www.call2all.co.il/ym/api/';

export interface HttpOptions {
  /** The API's base URL; a function when it is known only once something starts (the built-in sandbox, on first use). */
  baseUrl?: string | (() => Promise<string>);
  /** Injected in tests; otherwise a keep-alive Agent of our own. */
  dispatcher?: Dispatcher;
  connectTimeoutMs?: number;
  /** The total time one request may take: connection, headers and the whole body. */
  timeoutMs?: number;
  maxInFlight?: number;
  /** How long a request may wait for one of the maxInFlight slots before BUSY. */
  queueWaitMs?: number;
  /** How many requests may wait for a slot at once; more are BUSY at once. */
  maxQueue?: number;
  /** Bytes read from one answer at most; beyond it RESPONSE_TOO_LARGE and the connection is dropped. */
  maxResponseBytes?: number;
  /** Pause before the one retry of a read. */
  retryDelayMs?: number;
}

export interface SendOptions<K extends AnswerKind = AnswerKind> {
  /** How the body travels (default a form). */
  request?: RequestKind;
  /** What the command answers (default JSON). */
  answer?: K;
  /** Reads only: may be retried once after a network error, a 5xx or a 429 (see send). */
  retry?: boolean;
  signal?: AbortSignal;
  /** This request's total time limit instead of the client's (file transfers need longer). */
  timeoutMs?: number;
  /** A bare query string after the command (UploadFile?done closes a chunked upload); never carries a value. */
  query?: 'done';
  /** This answer's byte cap instead of the client's (a downloaded file may be larger than any JSON answer). */
  maxBytes?: number;
  /** A file answer goes here as it arrives (a download saved to disk), never held whole. */
  sink?: ByteSink;
  /** A file answer larger than this is withheld: the rest is not read, only its size reported (when declared). */
  keepBytes?: number;
  /** A large JSON or text answer is parsed as it arrives, its arrays and strings kept to about this many characters. */
  cut?: number;
}

interface Route {
  dispatcher: Dispatcher;
  origin: string;
  basePath: string;
}

const acceptFor = (kind: AnswerKind = 'json') => (kind === 'binary' ? '*/*' : 'application/json, text/*');

/** One shared HTTP client: POST with the token in the body, never in the URL. */
export class YemotHttp {
  private readonly base: string | (() => Promise<string>);
  private known: Promise<URL> | undefined;
  private dispatcher: Dispatcher | undefined;
  private route: Route | undefined;
  private readonly ownsDispatcher: boolean;
  private readonly connectTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly retryDelayMs: number;
  private readonly maxInFlight: number;
  private readonly limiter: Limiter;

  constructor(options: HttpOptions = {}) {
    this.base = options.baseUrl ?? DEFAULT_API_URL;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 8_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 20 * 1024 * 1024;
    this.retryDelayMs = options.retryDelayMs ?? 300;
    this.maxInFlight = options.maxInFlight ?? 6;
    this.limiter = new Limiter(this.maxInFlight, { maxWaitMs: options.queueWaitMs ?? 10_000, maxQueue: options.maxQueue ?? 64 });
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher;
  }

  /**
   * One request; a read (`retry`) is sent once more after a network error, a 5xx or a 429: after the short
   * pause, or after the wait the API asked for (Retry-After) when that wait ends within this request's
   * deadline; a longer one is not waited, the failure is the answer at once.
   */
  async send<K extends AnswerKind = 'json'>(command: string, params: Params, options: SendOptions<K> = {}): Promise<ReplyFor<K>> {
    const encoded = encodeBody(command, params, options.request);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const started = Date.now();
    const attempt = async () => {
      const response = await this.limiter.run(() => this.post(command, encoded, options), options.signal).catch((error: unknown) => {
        throw error instanceof LimiterBusy ? busyError(command, error) : error;
      });
      return readReply(command, options.answer ?? 'json', response) as ReplyFor<K>;
    };
    try {
      return await attempt();
    } catch (error) {
      const waitMs = options.retry && !options.signal?.aborted ? retryWaitMs(error, this.retryDelayMs, timeoutMs - (Date.now() - started)) : undefined;
      if (waitMs === undefined) throw error;
      await delay(waitMs, options.signal);
      return attempt();
    }
  }

  /** The API's base URL, once known. */
  async baseUrl(): Promise<string> {
    return (await this.endpoint()).href;
  }

  /** Asked for on the first request (a bad URL is the operator's to see then), and kept. */
  private endpoint(): Promise<URL> {
    const { base } = this;
    return (this.known ??= (typeof base === 'string' ? Promise.resolve(base) : base()).then((url) => new URL(url.replace(/\/*$/, '/'))));
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher?.close();
  }

  /** The dispatcher and the endpoint, once both are known: every request after the first uses them without an await. */
  private async connection(): Promise<Route> {
    const { origin, pathname: basePath } = await this.endpoint();
    if (!this.dispatcher) {
      const { Agent } = await loadUndici();
      this.dispatcher ??= new Agent({ connect: { timeout: this.connectTimeoutMs }, keepAliveTimeout: 30_000, connections: this.maxInFlight });
    }
    return (this.route = { dispatcher: this.dispatcher, origin, basePath });
  }

  /** One exchange, its answer read (up to the cap) within the deadline; the status is judged by the caller. */
  private async post(command: string, { body, contentType, length }: EncodedBody, options: SendOptions): Promise<RawResponse> {
    const { dispatcher, origin, basePath } = this.route ?? (await this.connection());
    const deadline = new Deadline(options.timeoutMs ?? this.timeoutMs, options.signal);
    const cap = options.maxBytes ?? this.maxResponseBytes;
    let response: Dispatcher.ResponseData;
    let read: RawResponse['body'] | undefined;
    try {
      // Our deadline bounds the whole exchange, so undici's idle-time timers are switched off.
      response = await dispatcher.request({
        origin,
        path: basePath + encodeURIComponent(command) + (options.query ? `?${options.query}` : ''),
        method: 'POST',
        headers: { 'content-type': contentType, ...(length !== undefined && { 'content-length': String(length) }), accept: acceptFor(options.answer) },
        body: typeof body === 'function' ? Readable.from(body(), { objectMode: false }) : body,
        signal: deadline,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const declared = Number(response.headers['content-length']);
      read = declared > cap ? undefined : await readBody(response, cap, declared, options);
      // Not read to its end (too large, or a file withheld): the connection is dropped.
      if (!read || ('size' in read && !options.sink)) deadline.abort();
    } catch (error) {
      throw transportError(command, error, options.signal, deadline);
    } finally {
      deadline.clear();
    }
    if (!read) throw tooLarge(command, cap);
    const retryAfter = [response.headers['retry-after']].flat()[0];
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), retryAfter, body: read };
  }
}

/** The answer's body by what is asked of it: a file to a sink or kept up to a size, a large answer cut as it is read, or whole. */
function readBody(response: Dispatcher.ResponseData, cap: number, declared: number, options: SendOptions): Promise<RawResponse['body'] | undefined> {
  const contentType = String(response.headers['content-type'] ?? '');
  if (response.statusCode >= 300) return readCapped(response.body, cap);
  if (options.answer === 'binary' && !contentType.toLowerCase().includes('json')) {
    return readFile(response.body, cap, { sink: options.sink, keepBytes: options.keepBytes, declaredLength: Number.isSafeInteger(declared) ? declared : undefined, contentType });
  }
  if (options.cut !== undefined && options.answer !== 'binary') return readCut(response.body, cap, options.cut, contentType);
  return readCapped(response.body, cap);
}

/**
 * How long a read waits before its one retry: the short pause after a network error or a 5xx, or the wait
 * the API asked for (a 429, a 503 that said) if it ends within `leftMs`; undefined: no retry.
 */
function retryWaitMs(error: unknown, pauseMs: number, leftMs: number): number | undefined {
  if (!(error instanceof YemotError)) return undefined;
  const transient = error.code === 'RATE_LIMITED' || error.code === 'NETWORK' || (error.code === 'HTTP_ERROR' && Number(error.status) >= 500);
  if (!transient) return undefined;
  if (error.retryAfterSeconds === undefined) return pauseMs;
  const askedMs = error.retryAfterSeconds * 1000;
  return askedMs < leftMs ? askedMs : undefined;
}

function transportError(command: string, error: unknown, caller: AbortSignal | undefined, deadline: Deadline): YemotError {
  if (caller?.aborted) {
    return new YemotError('CANCELLED', `${command}: cancelled by the client`, { command, outcomeUnknown: true, hint: 'The request was aborted; check the outcome before repeating it.' });
  }
  // The file being sent, or the sink an answer is saved to, refused: their own words.
  if (error instanceof YemotError) return error;
  if (deadline.timedOut) {
    return new YemotError('TIMEOUT', `${command}: no complete answer from the API within ${deadline.ms} ms`, {
      command,
      outcomeUnknown: true,
      hint: 'The API is slow or unreachable; try again later.',
    });
  }
  const code = (error as { code?: string } | undefined)?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new YemotError('TIMEOUT', `${command}: could not connect to the API in time`, { command, hint: 'The API is unreachable; check the network and YEMOT_API_URL.' });
  }
  const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
  return new YemotError('NETWORK', `${command}: ${neverSent ? 'could not reach the API' : 'the connection broke before the answer was complete'}`, {
    command,
    outcomeUnknown: !neverSent,
    hint: 'Check the network and YEMOT_API_URL, then try again.',
  });
}

function tooLarge(command: string, maxBytes: number): YemotError {
  return new YemotError('RESPONSE_TOO_LARGE', `${command}: the answer is larger than ${maxBytes} bytes; the connection was dropped and the rest not read`, {
    command,
    outcomeUnknown: true,
    details: { maxResponseBytes: maxBytes },
    hint: 'Ask for less (a narrower range, a smaller limit, one folder at a time); the operator can raise YEMOT_MAX_RESPONSE_BYTES.',
  });
}

function busyError(command: string, busy: LimiterBusy): YemotError {
  const why = busy.reason === 'queue-full' ? 'the queue of waiting requests is full' : 'no slot came free in time';
  return new YemotError('BUSY', `${command}: not sent, ${why} (${busy.inFlight} requests in flight, ${busy.waiting} more waiting)`, {
    command,
    details: { inFlight: busy.inFlight, waiting: busy.waiting },
    hint: 'Nothing was sent. Earlier requests to the API are slow to answer; try again in a little while.',
  });
}

/** The wait before a read's retry; its abort listener goes when the wait ends, not left on the caller's signal. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
    const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
