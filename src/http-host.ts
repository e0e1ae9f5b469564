import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerAllowed, BodyTooLarge, hostRefusal, MAX_BODY_BYTES, readJson } from './http-guard.js';
import { isInitialize, openHttpSession, type HttpSession, type Served, type ServerDeps } from './server.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
}

export interface HttpHandle extends Served {
  url: string;
}

function reject(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Streamable HTTP with sessions (two-factor state and elicitation need them), DNS-rebinding and optional bearer checks. */
export async function serveHttp(deps: ServerDeps, options: HttpOptions): Promise<HttpHandle> {
  const sessions = new Map<string, HttpSession>();
  let closing = false;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const refusal = hostRefusal(request, options.host);
    if (refusal) return reject(response, 403, refusal);
    if (options.token && !bearerAllowed(request, options.token)) return reject(response, 401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/mcp') return reject(response, 404, 'Not found: the endpoint is /mcp');
    const sessionId = request.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    let body: unknown;
    if (request.method === 'POST') {
      try {
        body = await readJson(request);
      } catch (error) {
        if (error instanceof BodyTooLarge) return reject(response, 413, `Payload too large: at most ${MAX_BODY_BYTES} bytes`);
        return reject(response, 400, 'Parse error: the body is not JSON');
      }
    }
    if (existing) return existing.handle(request, response, body);
    if (sessionId) return reject(response, 404, 'Session not found');
    if (closing) return reject(response, 503, 'Server shutting down');
    if (request.method !== 'POST' || !isInitialize(body)) return reject(response, 400, 'Bad request: no session; send initialize first');
    const session = await openHttpSession(
      deps,
      (id) => void sessions.set(id, session),
      (id) => void sessions.delete(id),
    );
    await session.handle(request, response, body);
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
      await Promise.all([...sessions.values()].map((session) => session.shutdown(graceMs)));
      http.closeAllConnections();
      await stopped;
    },
  };
}
