import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv-provider.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { z } from 'zod';
import {
  CallToolRequestParamsSchema,
  CallToolRequestSchema,
  CancelledNotificationSchema,
  CompleteRequestSchema,
  ErrorCode,
  InitializeRequestSchema,
  isInitializeRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  JSONRPCRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  PingRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  type CallToolResult,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type LoggingLevel,
  type MessageExtraInfo,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { YemotError } from './client/errors.js';
import { brief, errorReply, INVALID_PARAMS, INVALID_REQUEST, SERVER_CLOSING, usableId, type ErrorReply } from './core/jsonrpc.js';
import { LOG_LEVELS, type LogLevel } from './core/log.js';
import type { ToolSpec } from './call/command.js';
import type { ContentBlock } from './call/content.js';
import type { ToolContext } from './call/context.js';
import { describeTool } from './surface/describe.js';
import { notEnabled, unknownToolText } from './surface/availability.js';
import { createDiscovery, refusal, type DiscoveryDefinition, type ToolMode } from './surface/discovery.js';
import { instructionsFor } from './surface/instructions.js';
import { completeResource, listResources, listResourceTemplates, readResource, ResourceRefused } from './surface/resources.js';
import { CARD_META, rendersViews, viewOf, withView } from './surface/views.js';
import type { CardTicket, Interaction } from './call/interaction.js';
import { runTool, type ToolOutcome } from './call/run.js';

export interface ServerDeps {
  ctx: ToolContext;
  tools: readonly ToolSpec[];
  version: string;
  /** direct (default): every tool listed; discover: the three discovery tools over them. */
  toolMode?: ToolMode;
}

/** The MCP specification's error code for a resource URI that names none. */
const RESOURCE_NOT_FOUND = -32002;

/** The SDK checks a form's answer against the form's schema; an answer that does not fit is the person's input error. */
function formAnswerRefused(error: unknown): never {
  if (!(error instanceof McpError) || error.code !== ErrorCode.InvalidParams) throw error;
  throw new YemotError('INVALID_INPUT', `The answer to the form does not fit it: ${error.message.replace(/^MCP error -?\d+: /, '')}`, {
    hint: 'Nothing was sent with that answer; repeat the call and answer the form again.',
  });
}

/** A person needs minutes (YEMOT_MFA_WAIT_SECONDS), not the SDK's default 60 seconds, to read a code or answer a form. */
function interactionFor(server: Server, requestId: string | number, personWaitMs: number, progressToken: string | number | undefined, card?: (ticket: CardTicket) => void): Interaction {
  const elicitation = server.getClientCapabilities()?.elicitation;
  const options = { relatedRequestId: requestId, timeout: personWaitMs };
  return {
    card,
    progress: (progress, total, message) => {
      if (progressToken === undefined) return;
      server.notification({ method: 'notifications/progress', params: { progressToken, progress, total, message } }, { relatedRequestId: requestId }).catch(() => undefined);
    },
    canForm: !!elicitation?.form,
    canUrl: !!elicitation?.url,
    form: (message, requestedSchema) => server.elicitInput({ mode: 'form', message, requestedSchema: requestedSchema as never }, options).catch(formAnswerRefused),
    url: (message, url) => server.elicitInput({ mode: 'url', message, url, elicitationId: randomUUID() }, options),
  };
}

function toSdkBlock(block: ContentBlock): CallToolResult['content'][number] {
  if (block.type !== 'resource') return block;
  const { type, ...resource } = block;
  return { type, resource };
}

/**
 * tools/call as the SDK reads it, but with the arguments as they came: the SDK's record schema drops an own
 * `__proto__` key (JSON.parse keeps one), and the tool's strict schema must see it to refuse it by name.
 */
const CallToolWithRawArguments = CallToolRequestSchema.extend({ params: CallToolRequestParamsSchema.extend({ arguments: z.unknown().optional() }) });

/**
 * The SDK validates only a form's answer against its schema, yet builds a validator for every server; over HTTP
 * that is every session, and it was a quarter of an initialize's CPU. Built here on the first form instead.
 */
function validatorOnFirstForm(): jsonSchemaValidator {
  let validator: AjvJsonSchemaValidator | undefined;
  return { getValidator: (schema) => (validator ??= new AjvJsonSchemaValidator()).getValidator(schema) };
}

/**
 * One MCP server over a tool context (shared by the operator's sessions, or a tenant's own). Its calls log to a
 * logger of its own, so its log lines reach its own client only. The only module that knows the MCP SDK.
 */
export function createServer({ ctx: shared, tools, version, toolMode = 'direct' }: ServerDeps): Server {
  const ctx: ToolContext = { ...shared, log: shared.log.child() };
  const server = new Server(
    { name: 'yemot-mcp', title: 'Yemot HaMashiach', version },
    { capabilities: { tools: {}, logging: {}, resources: {}, completions: {} }, instructions: instructionsFor(ctx.policy), jsonSchemaValidator: validatorOnFirstForm() },
  );
  const byName = new Map(tools.map((spec) => [spec.name, spec]));
  const discovery = toolMode === 'discover' ? createDiscovery(ctx, tools) : undefined;
  let listing: DiscoveryDefinition[] | undefined;
  let clientLevel: LogLevel | undefined;

  // A client that renders MCP Apps views is told which tool opens which (surface/views.ts); the others see no change.
  const views = () => rendersViews(server.getClientCapabilities());
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: (listing ??= discovery?.definitions ?? tools.map((spec) => (views() ? withView(describeTool(spec), spec) : describeTool(spec)))),
  }));

  /** A name this server does not list: a tool of the table the operator left off answers NOT_ENABLED, saying how to turn it on. */
  const unlisted = (name: string): ToolOutcome => {
    const off = notEnabled(name, ctx.policy);
    if (off) return refusal(off, ctx.secrets);
    throw new McpError(ErrorCode.InvalidParams, discovery && byName.has(name) ? `Unknown tool: ${name} (in discovery mode, call it through yemot_call)` : unknownToolText(name, ctx.policy));
  };

  server.setRequestHandler(CallToolWithRawArguments, async (request, extra): Promise<CallToolResult> => {
    const { name, arguments: args } = request.params;
    const spec = byName.get(name);
    let ticket: CardTicket | undefined;
    const card = !discovery && spec && views() && viewOf(spec) ? (issued: CardTicket) => void (ticket = issued) : undefined;
    const interaction = interactionFor(server, extra.requestId, ctx.mfaWaitMs, request.params._meta?.progressToken, card);
    const running = discovery ? discovery.call(name, args, interaction, extra.signal) : spec && runTool(ctx, spec, args, interaction, extra.signal);
    const outcome = running ? await running : unlisted(name);
    return {
      content: outcome.content.map(toSdkBlock),
      ...(outcome.isError ? { isError: true } : { structuredContent: outcome.structured }),
      ...(ticket && { _meta: { [CARD_META]: ticket } }),
    };
  });

  // Resources are reads of registered tools through the runner (surface/resources.ts): same policy, same gate.
  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: listResources(byName, views()) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: listResourceTemplates(byName) }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const interaction = interactionFor(server, extra.requestId, ctx.mfaWaitMs, request.params._meta?.progressToken);
    try {
      return { contents: [await readResource(ctx, byName, request.params.uri, interaction, extra.signal)] };
    } catch (error) {
      if (!(error instanceof ResourceRefused)) throw error;
      throw new McpError(error.notFound ? RESOURCE_NOT_FOUND : ErrorCode.InvalidRequest, error.message, error.data);
    }
  });
  server.setRequestHandler(CompleteRequestSchema, async (request, extra) => {
    const { ref, argument } = request.params;
    const completion = ref.type === 'ref/resource' ? await completeResource(ctx, byName, ref.uri, argument.name, argument.value, extra.signal) : { values: [] };
    return { completion };
  });

  server.setRequestHandler(SetLevelRequestSchema, (request) => {
    clientLevel = request.params.level as LogLevel;
    return {};
  });
  const detach = ctx.log.attach((level, message) => {
    if (clientLevel === undefined || LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(clientLevel)) return;
    server.sendLoggingMessage({ level: level as LoggingLevel, logger: 'yemot-mcp', data: message }).catch(() => undefined);
  });
  // A call still running when its session closes has nowhere to send its lines.
  const previousOnClose = server.onclose;
  server.onclose = () => {
    detach();
    previousOnClose?.();
  };
  return server;
}


interface Validator {
  safeParse(value: unknown): { success: boolean; error?: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/** The requests this server answers, with the shape their params must have. */
const REQUEST_SCHEMAS = new Map<string, Validator>([
  ['initialize', InitializeRequestSchema],
  ['ping', PingRequestSchema],
  ['tools/list', ListToolsRequestSchema],
  ['tools/call', CallToolRequestSchema],
  ['resources/list', ListResourcesRequestSchema],
  ['resources/templates/list', ListResourceTemplatesRequestSchema],
  ['resources/read', ReadResourceRequestSchema],
  ['completion/complete', CompleteRequestSchema],
  ['logging/setLevel', SetLevelRequestSchema],
]);
/** The specification lets a client send only ping before initialize; nothing else may reach a tool. */
const ALLOWED_BEFORE_INITIALIZE = new Set(['initialize', 'ping']);

/** A result or an error answering a request (not a request or a notification). */
const isReply = (message: JSONRPCMessage): message is JSONRPCMessage & { id: RequestId } => 'id' in message && !('method' in message);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const onlyKeys = (record: Record<string, unknown>, keys: ReadonlySet<string>) => Object.keys(record).every((key) => keys.has(key));
const ENVELOPE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const CALL_KEYS = new Set(['name', 'arguments', '_meta']);
const META_KEYS = new Set(['progressToken']);

/**
 * A tools/call of the plain shape nearly every call has, recognised without zod: zod's parse of the envelope and
 * of the params is most of what the gate costs a call, and the SDK parses the params once more anyway. Anything
 * else (other keys, other types) goes through the schemas, which name the problem.
 */
function plainToolCall(request: Record<string, unknown>): boolean {
  const { params } = request;
  if (request.jsonrpc !== '2.0' || !onlyKeys(request, ENVELOPE_KEYS) || !isRecord(params) || typeof params.name !== 'string' || !onlyKeys(params, CALL_KEYS)) return false;
  if (params.arguments !== undefined && !isRecord(params.arguments)) return false;
  const meta = params._meta;
  if (meta === undefined) return true;
  return isRecord(meta) && onlyKeys(meta, META_KEYS) && (typeof meta.progressToken === 'string' || Number.isSafeInteger(meta.progressToken));
}

function paramsProblem(request: Record<string, unknown>): string | undefined {
  if (request.method === 'tools/call' && plainToolCall(request)) return undefined;
  for (const schema of [JSONRPCRequestSchema, REQUEST_SCHEMAS.get(String(request.method))]) {
    const issues = schema?.safeParse(request).error?.issues;
    if (issues?.length) return issues.slice(0, 3).map((issue) => `${issue.path.map(String).join('.') || 'message'}: ${issue.message}`).join('; ');
  }
  return undefined;
}

/**
 * Stands between a transport and the SDK: refuses requests before initialize, with params of the wrong
 * shape (the SDK would answer those with an internal error, or not at all) or with an id already in
 * flight, and tracks the requests in flight so a shutdown can let them finish for a bounded time.
 */
class Gate implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  private initialized = false;
  private closing = false;
  private readonly inFlight = new Set<RequestId>();
  /** Requests answered by a response of their own (see exchange): their replies go there, not to the transport. */
  private readonly direct = new Map<RequestId, (reply: JSONRPCMessage | undefined) => void>();
  private settled?: () => void;

  constructor(private readonly inner: Transport) {}

  get sessionId() {
    return this.inner.sessionId;
  }

  async start(): Promise<void> {
    const { onclose, onerror } = this.inner;
    this.inner.onclose = () => {
      onclose?.();
      this.onclose?.();
    };
    this.inner.onerror = (error) => {
      onerror?.(error);
      this.onerror?.(error);
    };
    this.inner.onmessage = (message, extra) => this.receive(message, extra);
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    // The SDK's own message: its shape is known, so no schema is parsed over every result on its way out.
    if (isReply(message)) {
      const { id } = message;
      // Already answered by the shutdown: the late result has nowhere to go.
      if (id === undefined || !this.inFlight.has(id)) return;
      this.done(id);
    }
    await this.deliver(message, options);
  }

  /**
   * One request outside the transport: its reply is what the promise resolves with (undefined when the request
   * is cancelled first). For a request that nothing but its reply can follow: no progress, no question to the person.
   */
  exchange(request: JSONRPCRequest, extra?: MessageExtraInfo): Promise<JSONRPCMessage | undefined> {
    return new Promise((resolve) => {
      this.direct.set(request.id, resolve);
      this.receive(request, extra);
    });
  }

  private async deliver(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const id = isReply(message) ? message.id : options?.relatedRequestId;
    const waiter = id === undefined ? undefined : this.direct.get(id);
    if (!waiter) return this.inner.send(message, options);
    // Anything but the reply of a request answered directly has nowhere to go.
    if (!isReply(message)) return;
    this.direct.delete(id!);
    waiter(message);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Refuses new requests, gives those in flight `graceMs` to finish, answers the rest with an error, then closes. */
  async shutdown(server: Server, graceMs: number): Promise<void> {
    this.closing = true;
    if (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.settled = () => (clearTimeout(timer), resolve());
      });
    }
    const abandoned = [...this.inFlight];
    this.inFlight.clear();
    const message = `Server shutting down: the call was stopped after a ${graceMs} ms grace and its outcome is unknown; check it before repeating a write`;
    await Promise.all(abandoned.map((id) => this.refuse(id, SERVER_CLOSING, message)));
    await server.close();
  }

  /** The client is gone before the answer: the handler is aborted as if it had sent notifications/cancelled. */
  cancel(id: RequestId, reason: string): void {
    if (!this.inFlight.has(id)) return;
    this.direct.get(id)?.(undefined);
    this.direct.delete(id);
    this.done(id);
    this.onmessage?.({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } });
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if ('method' in message && 'id' in message) {
      const refusal = this.refusal(message);
      if (refusal) return void this.refuse(message.id, ...refusal);
      if (message.method === 'initialize') this.initialized = true;
      this.inFlight.add(message.id);
    } else if ('method' in message && message.method === 'notifications/cancelled') {
      // The SDK sends nothing for a cancelled request.
      const cancelled = CancelledNotificationSchema.safeParse(message);
      if (cancelled.success && cancelled.data.params.requestId !== undefined) this.done(cancelled.data.params.requestId);
    }
    this.onmessage?.(message, extra);
  }

  private refusal(request: JSONRPCMessage & { method: string; id: RequestId }): [number, string] | undefined {
    if (this.closing) return [SERVER_CLOSING, 'Server shutting down: no new requests are taken'];
    if (!this.initialized && !ALLOWED_BEFORE_INITIALIZE.has(request.method)) {
      return [INVALID_REQUEST, `Invalid request: ${brief(request.method)} before initialize; send initialize first (only ping is answered before it)`];
    }
    if (this.inFlight.has(request.id)) return [INVALID_REQUEST, `Invalid request: id ${brief(JSON.stringify(request.id))} is already used by a request in flight`];
    const problem = paramsProblem(request);
    return problem ? [INVALID_PARAMS, `Invalid params for ${brief(request.method)}: ${problem}`] : undefined;
  }

  private refuse(id: RequestId, code: number, message: string): Promise<void> {
    const reply: ErrorReply = errorReply(id, code, message);
    return this.deliver(reply as JSONRPCMessage).catch((error: Error) => this.onerror?.(error));
  }

  private done(id: RequestId): void {
    this.inFlight.delete(id);
    if (this.inFlight.size === 0) this.settled?.();
  }
}

export interface Served {
  /** Stops taking requests, lets those in flight finish for at most `graceMs`, answers the rest with an error and closes. */
  close(graceMs: number): Promise<void>;
}

/**
 * MCP over a transport the host built (host/stdio.ts: stdin/stdout), behind the gate. `close` stops taking
 * requests, lets those in flight finish for at most `graceMs`, answers the rest with an error and closes.
 */
export async function serveTransport(deps: ServerDeps, transport: Transport): Promise<Served> {
  const server = createServer(deps);
  const gate = new Gate(transport);
  await server.connect(gate);
  return { close: (graceMs) => gate.shutdown(server, graceMs) };
}

/** One MCP session over Streamable HTTP, as the HTTP host (http-host.ts) sees it: no SDK types. */
export interface HttpSession {
  /** Answers one request; a call whose client drops the connection before its answer is cancelled. */
  handle(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void>;
  shutdown(graceMs: number): Promise<void>;
}

export const isInitialize = (body: unknown): boolean => isInitializeRequest(body);

/**
 * What the transport would answer an initialize for its Accept or Content-Type (406, 415), found before a
 * session is opened for it: in tenant mode opening one costs a Login. The transport's own rules and words.
 */
export async function mediaRefusal(request: IncomingMessage): Promise<{ status: number; message: string } | undefined> {
  // Loaded here, not at the top, like the HTTP transport: stdio starts should not pay for it.
  const { isJsonContentType } = await import('@modelcontextprotocol/sdk/shared/mediaType.js');
  const accept = request.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return { status: 406, message: 'Not Acceptable: Client must accept both application/json and text/event-stream' };
  }
  if (!isJsonContentType(request.headers['content-type'])) return { status: 415, message: 'Unsupported Media Type: Content-Type must be application/json' };
  return undefined;
}

/** The id of the request in a POST body, if it is one (the host refuses batches). */
function requestId(body: unknown): RequestId | undefined {
  const { id, method } = (body ?? {}) as { id?: unknown; method?: unknown };
  return typeof method === 'string' && (typeof id === 'string' || typeof id === 'number') ? id : undefined;
}

/**
 * Answers an initialize on a new transport and server. The session exists only when the transport accepted the
 * initialize (it may refuse it with 406, 415 or 400): then `onOpen` runs with its id; otherwise everything is
 * closed again (the server's log sink would keep it alive) and `undefined` is returned.
 */
export async function openHttpSession(
  deps: ServerDeps,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
  hooks: { newId: () => string; onOpen: (id: string, session: HttpSession) => void; onClose: (id: string) => void },
): Promise<HttpSession | undefined> {
  const { onOpen, onClose } = hooks;
  // Loaded here, not at the top: stdio starts (the common case) should not pay for them.
  const [{ StreamableHTTPServerTransport }, { isJsonContentType }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/shared/mediaType.js'),
  ]);
  let opened: string | undefined;
  const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
    sessionIdGenerator: hooks.newId,
    onsessioninitialized: (id) => void (opened = id),
  });
  transport.onclose = () => {
    if (opened) onClose(opened);
  };
  const server = createServer(deps);
  const gate = new Gate(transport);
  await server.connect(gate);
  /**
   * A tools/call that nothing but its result can follow (no progress token, a client that takes no forms) is answered
   * with one JSON response (the specification lets a server answer a POST either way): no event stream, and none of
   * the transport's conversion to and from web Requests and Responses, which were most of a call's cost over HTTP.
   * Only a request the transport would take as it is goes this way; everything else, refusals included, goes through it.
   */
  const directCall = (request: IncomingMessage, body: unknown): JSONRPCRequest | undefined => {
    const { accept = '', 'mcp-session-id': sessionId, 'mcp-protocol-version': version } = request.headers;
    if (opened === undefined || sessionId !== opened || request.method !== 'POST') return undefined;
    if (!accept.includes('application/json') || !accept.includes('text/event-stream') || !isJsonContentType(request.headers['content-type'])) return undefined;
    if (version !== undefined && !(typeof version === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(version))) return undefined;
    if (server.getClientCapabilities()?.elicitation || !isRecord(body) || body.method !== 'tools/call' || usableId(body.id) === undefined) return undefined;
    return plainToolCall(body) && (body.params as { _meta?: unknown })._meta === undefined ? (body as JSONRPCRequest) : undefined;
  };
  const session: HttpSession = {
    handle: async (request, response, body) => {
      const direct = directCall(request, body);
      if (direct) {
        response.once('close', () => gate.cancel(direct.id, 'the client closed the connection'));
        const reply = await gate.exchange(direct, { requestInfo: { headers: request.headers } });
        if (reply && !response.destroyed) response.writeHead(200, { 'content-type': 'application/json', 'mcp-session-id': opened! }).end(JSON.stringify(reply));
        return;
      }
      const id = requestId(body);
      // The SDK aborts a handler only on notifications/cancelled or close, not when the client hangs up.
      if (id !== undefined) response.once('close', () => gate.cancel(id, 'the client closed the connection'));
      await transport.handleRequest(request, response, body);
    },
    shutdown: (graceMs) => gate.shutdown(server, graceMs),
  };
  try {
    await session.handle(request, response, body);
  } finally {
    if (opened) onOpen(opened, session);
    else await server.close();
  }
  return opened ? session : undefined;
}
