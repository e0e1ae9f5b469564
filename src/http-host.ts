import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerAllowed, BodyTooLarge, BodyTooSlow, hostRefusal, MAX_BODY_BYTES, readJson, type Allowed } from './http-guard.js';
import { isInitialize, openHttpSession, type HttpSession, type Served, type ServerDeps } from './server.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Open sessions at most; the next initialize gets 503. */
  maxSessions: number;
  /** A session with no request open for this long is closed and forgotten. */
  sessionIdleSeconds: number;
  /** A request body must arrive within this time, or it gets 408. */
  bodyTimeoutSeconds: number;
  allowed: Allowed;
}

export interface HttpHandle extends Served {
  url: string;
}

function reject(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** A session and its idle clock, which runs only while none of its requests is open. */
class Tracked {
  private open = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    readonly session: HttpSession,
    private readonly idleMs: number,
    private readonly expire: () => void,
  ) {
    this.idle();
  }

  async handle(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void> {
    this.open += 1;
    clearTimeout(this.timer);
    response.once('close', () => {
      this.open -= 1;
      if (this.open === 0) this.idle();
    });
    await this.session.handle(request, response, body);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private idle(): void {
    this.timer = setTimeout(this.expire, this.idleMs);
    this.timer.unref();
  }
}

/** Streamable HTTP with sessions (two-factor state and elicitation need them), DNS-rebinding and optional bearer checks. */
export async function serveHttp(deps: ServerDeps, options: HttpOptions): Promise<HttpHandle> {
  const sessions = new Map<string, Tracked>();
  /** Initializes under way: they count against the cap before they have an id. */
  let opening = 0;
  let closing = false;

  const open = async (request: IncomingMessage, response: ServerResponse, body: unknown) => {
    if (sessions.size + opening >= options.maxSessions) {
      return reject(response, 503, `Too many sessions: this server holds at most ${options.maxSessions} (YEMOT_HTTP_MAX_SESSIONS); end an unused session or retry later`, {
        'retry-after': '60',
      });
    }
    opening += 1;
    try {
      await openHttpSession(
        deps,
        request,
        response,
        body,
        (id, session) => {
          const tracked = new Tracked(session, options.sessionIdleSeconds * 1000, () => {
            deps.ctx.log.info(`HTTP session closed after ${options.sessionIdleSeconds} s idle`);
            void session.shutdown(0);
          });
          sessions.set(id, tracked);
        },
        (id) => {
          sessions.get(id)?.stop();
          sessions.delete(id);
        },
      );
    } finally {
      opening -= 1;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const refusal = hostRefusal(request, options.host, options.allowed);
    if (refusal) return reject(response, 403, refusal);
    if (options.token && !bearerAllowed(request, options.token)) return reject(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/mcp') return reject(response, 404, 'Not found: the endpoint is /mcp');
    const sessionId = request.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    let body: unknown;
    if (request.method === 'POST') {
      try {
        body = await readJson(request, options.bodyTimeoutSeconds * 1000);
      } catch (error) {
        if (error instanceof BodyTooLarge) return reject(response, 413, `Payload too large: at most ${MAX_BODY_BYTES} bytes`);
        if (error instanceof BodyTooSlow) {
          return reject(response, 408, `Request timeout: the body must arrive within ${options.bodyTimeoutSeconds} s`, { connection: 'close' });
        }
        return reject(response, 400, 'Parse error: the body is not JSON');
      }
    }
    if (existing) return existing.handle(request, response, body);
    if (sessionId) return reject(response, 404, 'Session not found');
    if (closing) return reject(response, 503, 'Server shutting down');
    if (request.method !== 'POST' || !isInitialize(body)) return reject(response, 400, 'Bad request: no session; send initialize first');
    await open(request, response, body);
  };

  const http = createHttpServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) reject(response, 500, 'Internal error');
    });
  });
  await new Promise<void>((resolve, rejectListen) => {
    http.once('error', rejectListen);
    http.listen(options.port, options.host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/mcp`,
    close: async (graceMs) => {
      closing = true;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.all([...sessions.values()].map((tracked) => tracked.session.shutdown(graceMs)));
      http.closeAllConnections();
      await stopped;
    },
  };
}
