import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  isInitializeRequest,
  ListToolsRequestSchema,
  McpError,
  SetLevelRequestSchema,
  type CallToolResult,
  type LoggingLevel,
} from '@modelcontextprotocol/sdk/types.js';
import { LOG_LEVELS, type LogLevel } from './log.js';
import type { ToolSpec } from './tools/command.js';
import type { ToolContext } from './tools/context.js';
import { describeTool } from './tools/describe.js';
import { INSTRUCTIONS } from './tools/instructions.js';
import type { Interaction } from './tools/interaction.js';
import { runTool } from './tools/run.js';

export interface ServerDeps {
  ctx: ToolContext;
  tools: readonly ToolSpec[];
  version: string;
}

/** A person needs minutes (YEMOT_MFA_WAIT_SECONDS), not the SDK's default 60 seconds, to read a code or answer a form. */
function interactionFor(server: Server, requestId: string | number, personWaitMs: number): Interaction {
  const elicitation = server.getClientCapabilities()?.elicitation;
  const options = { relatedRequestId: requestId, timeout: personWaitMs };
  return {
    canForm: !!elicitation?.form,
    canUrl: !!elicitation?.url,
    form: (message, requestedSchema) => server.elicitInput({ mode: 'form', message, requestedSchema: requestedSchema as never }, options),
    url: (message, url) => server.elicitInput({ mode: 'url', message, url, elicitationId: randomUUID() }, options),
  };
}

/** One MCP server over the shared tool context. The only module that knows the MCP SDK. */
export function createServer({ ctx, tools, version }: ServerDeps): Server {
  const server = new Server(
    { name: 'yemot-mcp', title: 'Yemot HaMashiach', version },
    { capabilities: { tools: {}, logging: {} }, instructions: INSTRUCTIONS },
  );
  const byName = new Map(tools.map((spec) => [spec.name, spec]));
  let listing: ReturnType<typeof describeTool>[] | undefined;
  let clientLevel: LogLevel | undefined;

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: (listing ??= tools.map(describeTool)) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const spec = byName.get(request.params.name);
    if (!spec) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`);
    const outcome = await runTool(ctx, spec, request.params.arguments, interactionFor(server, extra.requestId, ctx.mfaWaitMs), extra.signal);
    return {
      content: [{ type: 'text', text: JSON.stringify(outcome.structured) }],
      ...(outcome.isError ? { isError: true } : { structuredContent: outcome.structured }),
    };
  });

  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    clientLevel = request.params.level as LogLevel;
    return {};
  });
  const detach = ctx.log.attach((level, message) => {
    if (clientLevel === undefined || LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(clientLevel)) return;
    server.sendLoggingMessage({ level: level as LoggingLevel, logger: 'yemot-mcp', data: message }).catch(() => undefined);
  });
  const previousOnClose = server.onclose;
  server.onclose = () => {
    detach();
    previousOnClose?.();
  };
  return server;
}

export async function serveStdio(deps: ServerDeps, onClose: () => void): Promise<void> {
  const server = createServer(deps);
  const detach = server.onclose;
  server.onclose = () => {
    detach?.();
    onClose();
  };
  await server.connect(new StdioServerTransport());
}

export interface HttpOptions {
  host: string;
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
}

export interface HttpHandle {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The SDK's own transports cap a message at 4 MB; the body is read here, before the transport sees it. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** A bind address only this machine can reach. */
export const isLoopbackHost = (host: string) => LOOPBACK_HOSTS.has(host.toLowerCase()) || host === '::1';

function nameAllowed(hostname: string, bound: string): boolean {
  const name = hostname.toLowerCase();
  const own = bound.toLowerCase();
  return LOOPBACK_HOSTS.has(name) || name === own || name === `[${own}]`;
}

/** DNS rebinding: the Host header must name this server; a browser's Origin, when sent, must be a local page too. */
function hostAllowed(request: IncomingMessage, bound: string): boolean {
  const header = request.headers.host ?? '';
  const hostname = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0];
  if (!nameAllowed(hostname, bound)) return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return nameAllowed(new URL(origin).hostname, bound);
  } catch {
    return false;
  }
}

function bearerAllowed(request: IncomingMessage, token: string): boolean {
  const given = Buffer.from(request.headers.authorization ?? '', 'utf8');
  const wanted = Buffer.from(`Bearer ${token}`, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function reject(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  response
    .writeHead(status, { 'content-type': 'application/json', ...headers })
    .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Reads a JSON body of at most MAX_BODY_BYTES. An oversized body is refused at once but still drained, not cut:
 * closing a socket that has unread data resets it, and the client would lose the 413.
 */
function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, rejectBody) => {
    if (Number(request.headers['content-length']) > MAX_BODY_BYTES) return rejectBody(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      over = true;
      chunks.length = 0;
      rejectBody(new BodyTooLarge());
    });
    request.on('error', rejectBody);
    request.on('end', () => {
      if (over) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch (error) {
        rejectBody(error);
      }
    });
  });
}

/** Streamable HTTP with sessions (two-factor state and elicitation need them), DNS-rebinding and optional bearer checks. */
export async function serveHttp(deps: ServerDeps, options: HttpOptions): Promise<HttpHandle> {
  // Loaded here, not at the top: stdio starts (the common case) should not pay for it.
  const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const sessions = new Map<string, StreamableHTTPServerTransport>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (!hostAllowed(request, options.host)) return reject(response, 403, 'Host not allowed');
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
    if (existing) return existing.handleRequest(request, response, body);
    if (sessionId) return reject(response, 404, 'Session not found');
    if (request.method !== 'POST' || !isInitializeRequest(body)) return reject(response, 400, 'Bad request: no session; send initialize first');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await createServer(deps).connect(transport);
    await transport.handleRequest(request, response, body);
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
    close: async () => {
      await Promise.all([...sessions.values()].map((transport) => transport.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
