import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerAllowed, BodyTooLarge, BodyTooSlow, hostRefusal, manyHosts, MAX_BODY_BYTES, readJson, type Allowed } from './http-guard.js';
import { BATCH_REFUSED, errorReply, SERVER_ERROR, type ErrorReply } from '../core/jsonrpc.js';
import type { Logger } from '../core/log.js';
import { isInitialize, mediaRefusal, openHttpSession, type HttpSession, type Served, type ServerDeps } from '../server.js';
import { OneTimeLinks } from '../app/one-time-links.js';

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
  /** Starts every session id (`<instance>.<uuid>`), so a proxy can route a session to the instance that holds it. */
  instance?: string;
  /** The base of the links handed out (YEMOT_PUBLIC_URL); default this server's own address. */
  publicUrl?: string;
}

export interface HttpHandle extends Served {
  url: string;
}

/** Why no session was opened: the HTTP status and message the client gets. */
export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** What a new session runs on, and what ends with it. */
export interface SessionDeps {
  deps: ServerDeps;
  /** Runs when the session ends (a tenant's Yemot client and secrets go with it). */
  close(): Promise<void>;
  /** Whether a later request may use the session (a tenant's must carry the credentials it opened with). */
  admits?(request: IncomingMessage): boolean;
}

export interface HttpHosting {
  /** The deps of a new session: the operator's shared context, or a tenant's own from its credentials. */
  open(request: IncomingMessage): Promise<SessionDeps | Refusal>;
  /** Where the two-factor links this server hands out are kept: it serves them at /mfa/. */
  links?: OneTimeLinks;
  /** The host's own lines (a session expired), which belong to no session. */
  log: Logger;
}

/** Every session shares the operator's context. */
export function operatorHosting(deps: ServerDeps, links?: OneTimeLinks): HttpHosting {
  const shared: SessionDeps = { deps, close: async () => undefined };
  return { open: async () => shared, links, log: deps.ctx.log };
}

function answer(response: ServerResponse, status: number, error: ErrorReply, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(error));
}

function reject(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  answer(response, status, errorReply(null, SERVER_ERROR, message), headers);
}

/** A session and its idle clock, which runs only while none of its requests is open. */
class Tracked {
  private open = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    readonly session: HttpSession,
    readonly owner: SessionDeps,
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
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private idle(): void {
    // The request that ended the session (DELETE) closes after it: its clock must not start again and hold it.
    if (this.stopped) return;
    this.timer = setTimeout(this.expire, this.idleMs);
    this.timer.unref();
  }
}

/** Streamable HTTP with sessions (two-factor state and elicitation need them), DNS-rebinding and optional bearer checks. */
export async function serveHttp(hosting: HttpHosting, options: HttpOptions): Promise<HttpHandle> {
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
    const media = await mediaRefusal(request);
    if (media) return reject(response, media.status, media.message);
    opening += 1;
    // Closed before anything was written: the client hung up while its credentials were checked.
    let hungUp = false;
    response.once('close', () => void (hungUp = !response.writableFinished));
    try {
      const owner = await hosting.open(request);
      if ('status' in owner) return reject(response, owner.status, owner.message, owner.headers);
      // It would never learn the session id: the session would hold a slot and a Yemot session until it idled out.
      // Closed without holding the slot meanwhile: the close logs out a Yemot session (bounded, yet a round trip).
      if (hungUp) return void owner.close();
      const opened = await openHttpSession(owner.deps, request, response, body, {
        newId: () => (options.instance ? `${options.instance}.${randomUUID()}` : randomUUID()),
        onOpen: (id, session) => {
          const tracked = new Tracked(session, owner, options.sessionIdleSeconds * 1000, () => {
            hosting.log.info(`HTTP session closed after ${options.sessionIdleSeconds} s idle`);
            void session.shutdown(0);
          });
          sessions.set(id, tracked);
        },
        onClose: (id) => {
          sessions.get(id)?.stop();
          sessions.delete(id);
          void owner.close();
        },
      });
      if (!opened) void owner.close();
    } finally {
      opening -= 1;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (manyHosts(request)) return reject(response, 400, 'Bad request: more than one Host header');
    const refusal = hostRefusal(request, options.host, options.allowed);
    if (refusal) return reject(response, 403, refusal);
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    // A person's browser opens these: it carries no bearer token; the one-time nonce is the credential.
    if (hosting.links && OneTimeLinks.owns(path)) return hosting.links.answer(request, response);
    if (options.token && !bearerAllowed(request, options.token)) return reject(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
    if (path !== '/mcp') return reject(response, 404, 'Not found: the endpoint is /mcp');
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
    if (existing?.owner.admits && !existing.owner.admits(request)) {
      return reject(response, 401, 'Unauthorized: every request of a tenant session must carry the Yemot credentials it was opened with');
    }
    // Refused as over stdio (the SDK transport would run it): one answer to a batch, whichever transport.
    if (Array.isArray(body)) return answer(response, 400, BATCH_REFUSED);
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
  hosting.links?.servedAt(options.publicUrl ?? `http://${host}:${port}`);
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
