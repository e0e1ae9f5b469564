import type { Dispatcher } from 'undici';
import { checkAnswer, type Answer } from './answer.js';
import { decodeText, readCapped } from './body.js';
import { Deadline } from './deadline.js';
import { YemotError } from './errors.js';
import { Limiter, LimiterBusy } from './limiter.js';

export const DEFAULT_API_URL = 'https://www.call2all.co.il/ym/api/';

export interface HttpOptions {
  baseUrl?: string;
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

export interface SendOptions {
  /** Send a JSON body even if no value needs it (QueueManagement). */
  json?: boolean;
  /** Reads only: may be retried once after a network error or a 5xx. */
  retry?: boolean;
  /** A non-JSON 200 answer is the product (RenderYMGRFile html/csv). */
  text?: boolean;
  signal?: AbortSignal;
  /** This request's total time limit instead of the client's (file transfers need longer). */
  timeoutMs?: number;
}

type Params = Record<string, unknown>;

const needsJson = (params: Params) => Object.values(params).some((value) => value !== null && typeof value === 'object');

function formValue(value: unknown): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

function encode(params: Params, json: boolean): { body: string; contentType: string } {
  const defined = Object.entries(params).filter(([, value]) => value !== undefined);
  if (json) return { body: JSON.stringify(Object.fromEntries(defined)), contentType: 'application/json' };
  const form = new URLSearchParams();
  for (const [key, value] of defined) form.append(key, formValue(value));
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
}

// undici is ~100 CommonJS files compiled on every start; hosts spawn the server often and most
// starts only answer tools/list, so it is loaded on the first request.
let undiciModule: Promise<typeof import('undici')> | undefined;
const loadUndici = () => (undiciModule ??= import('undici'));

/** One shared HTTP client: POST with the token in the body, never in the URL. */
export class YemotHttp {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly basePath: string;
  private dispatcher: Dispatcher | undefined;
  private readonly ownsDispatcher: boolean;
  private readonly connectTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly retryDelayMs: number;
  private readonly maxInFlight: number;
  private readonly limiter: Limiter;

  constructor(options: HttpOptions = {}) {
    const url = new URL((options.baseUrl ?? DEFAULT_API_URL).replace(/\/*$/, '/'));
    this.baseUrl = url.href;
    this.origin = url.origin;
    this.basePath = url.pathname;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 8_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 20 * 1024 * 1024;
    this.retryDelayMs = options.retryDelayMs ?? 300;
    this.maxInFlight = options.maxInFlight ?? 6;
    this.limiter = new Limiter(this.maxInFlight, { maxWaitMs: options.queueWaitMs ?? 10_000, maxQueue: options.maxQueue ?? 64 });
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher = options.dispatcher;
  }

  async send(command: string, params: Params, options: SendOptions = {}): Promise<Answer> {
    const { body, contentType } = encode(params, options.json === true || needsJson(params));
    const attempt = () =>
      this.limiter.run(() => this.post(command, body, contentType, options), options.signal).catch((error: unknown) => {
        throw error instanceof LimiterBusy ? busyError(command, error) : error;
      });
    try {
      return await attempt();
    } catch (error) {
      if (!options.retry || !isTransient(error) || options.signal?.aborted) throw error;
      await delay(this.retryDelayMs, options.signal);
      return attempt();
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher?.close();
  }

  private async connection(): Promise<Dispatcher> {
    if (this.dispatcher) return this.dispatcher;
    const { Agent } = await loadUndici();
    this.dispatcher ??= new Agent({ connect: { timeout: this.connectTimeoutMs }, keepAliveTimeout: 30_000, connections: this.maxInFlight });
    return this.dispatcher;
  }

  private async post(command: string, body: string, contentType: string, options: SendOptions): Promise<Answer> {
    const dispatcher = await this.connection();
    const deadline = new Deadline(options.timeoutMs ?? this.timeoutMs, options.signal);
    let response: Dispatcher.ResponseData;
    let bytes: Buffer | undefined;
    try {
      // Our deadline bounds the whole exchange, so undici's idle-time timers are switched off.
      response = await dispatcher.request({
        origin: this.origin,
        path: this.basePath + encodeURIComponent(command),
        method: 'POST',
        headers: { 'content-type': contentType, accept: 'application/json, text/*' },
        body,
        signal: deadline.signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const declared = Number(response.headers['content-length']);
      bytes = declared > this.maxResponseBytes ? undefined : await readCapped(response.body, this.maxResponseBytes);
      if (!bytes) deadline.abort();
    } catch (error) {
      throw transportError(command, error, options.signal, deadline);
    } finally {
      deadline.clear();
    }
    if (!bytes) throw tooLarge(command, this.maxResponseBytes);
    if (response.statusCode >= 300) {
      throw new YemotError('HTTP_ERROR', `${command}: HTTP ${response.statusCode} from the API`, {
        command,
        status: String(response.statusCode),
        outcomeUnknown: true,
        hint: response.statusCode >= 500 ? 'The API is failing; try again in a minute.' : 'Check YEMOT_API_URL.',
      });
    }
    const type = String(response.headers['content-type'] ?? '');
    const text = decodeText(bytes, type);
    const answer = parse(text);
    if (answer) return checkAnswer(command, answer);
    if (options.text && text && !type.includes('json')) return { responseStatus: 'OK', contentType: type.split(';')[0], content: text };
    throw new YemotError('BAD_RESPONSE', `${command}: the API answered ${text ? 'something that is not JSON' : 'with an empty body'}`, {
      command,
      outcomeUnknown: true,
      hint: 'Try again later; if it persists, check YEMOT_API_URL.',
    });
  }
}

function parse(text: string): Answer | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Answer) : undefined;
  } catch {
    return undefined;
  }
}

function isTransient(error: unknown): boolean {
  return error instanceof YemotError && (error.code === 'NETWORK' || (error.code === 'HTTP_ERROR' && Number(error.status) >= 500));
}

function transportError(command: string, error: unknown, caller: AbortSignal | undefined, deadline: Deadline): YemotError {
  if (caller?.aborted) {
    return new YemotError('CANCELLED', `${command}: cancelled by the client`, { command, outcomeUnknown: true, hint: 'The request was aborted; check the outcome before repeating it.' });
  }
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

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
