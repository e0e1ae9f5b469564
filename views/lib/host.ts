/**
 * The view's side of MCP Apps (SEP-1865, 2026-01-26): JSON-RPC 2.0 over postMessage with the host, which is the
 * parent window. The view asks ui/initialize, says ui/notifications/initialized, then gets the tool's input and
 * result as notifications; its own tools/call requests go through the host to this server, under the same policy
 * and two-factor gate as any call.
 */

export type Json = Record<string, unknown>;

export interface HostContext {
  theme?: 'light' | 'dark';
  styles?: { variables?: Record<string, string | undefined>; css?: { fonts?: string } };
  locale?: string;
  toolInfo?: { tool?: { name?: string } };
}

export interface ToolResult {
  content?: Array<{ type: string; text?: string }>;
  structuredContent?: Json;
  isError?: boolean;
  _meta?: Json;
}

const PROTOCOL_VERSION = '2026-01-26';
/** A tool call may wait minutes for the person (a two-factor code), never forever. */
const REQUEST_MS = 10 * 60_000;
const METHOD_NOT_FOUND = -32601;

interface Pending {
  resolve: (result: Json) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class Host {
  context: HostContext = {};
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, (params: Json) => void>();
  private lastSize = '';

  constructor(private readonly appName: string) {
    window.addEventListener('message', (event) => this.receive(event));
  }

  /** Handles one notification method of the host (the last handler set wins). */
  on(method: string, handler: (params: Json) => void): void {
    this.handlers.set(method, handler);
  }

  /** The handshake; the host context it returns (theme, locale, styles). */
  async start(): Promise<HostContext> {
    const result = await this.request('ui/initialize', { protocolVersion: PROTOCOL_VERSION, appInfo: { name: this.appName, version: '1' }, appCapabilities: { availableDisplayModes: ['inline'] } });
    this.context = (result.hostContext as HostContext | undefined) ?? {};
    this.notify('ui/notifications/initialized', {});
    new ResizeObserver(() => this.reportSize()).observe(document.documentElement);
    return this.context;
  }

  callTool(name: string, args: Json): Promise<ToolResult> {
    return this.request('tools/call', { name, arguments: args }) as Promise<ToolResult>;
  }

  private request(method: string, params: Json): Promise<Json> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, undefined, new Error(`${method}: no answer from the host`)), REQUEST_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.post({ jsonrpc: '2.0', id, method, params });
    });
  }

  private notify(method: string, params: Json): void {
    this.post({ jsonrpc: '2.0', method, params });
  }

  private post(message: Json): void {
    // The host's origin is not known to a sandboxed frame; the messages carry nothing secret of the view's.
    window.parent.postMessage(message, '*');
  }

  private settle(id: number, result: Json | undefined, error?: Error): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(result ?? {});
  }

  private receive(event: MessageEvent): void {
    if (event.source !== window.parent) return;
    const message = event.data as Json | null;
    if (!message || message.jsonrpc !== '2.0') return;
    const { id, method } = message;
    if (typeof method !== 'string') {
      if (typeof id !== 'number') return;
      const error = message.error as { message?: unknown } | undefined;
      this.settle(id, message.result as Json | undefined, error ? new Error(String(error.message ?? 'the host refused')) : undefined);
      return;
    }
    const params = (message.params as Json | undefined) ?? {};
    if (id === undefined) {
      this.handlers.get(method)?.(params);
      return;
    }
    // ping and the teardown need only an answer: the view keeps no state that must be saved.
    if (method === 'ping' || method === 'ui/resource-teardown') this.post({ jsonrpc: '2.0', id, result: {} });
    else this.post({ jsonrpc: '2.0', id, error: { code: METHOD_NOT_FOUND, message: `${method} is not handled by this view` } });
  }

  private reportSize(): void {
    const { scrollWidth: width, scrollHeight: height } = document.documentElement;
    const size = `${width}x${height}`;
    if (size === this.lastSize) return;
    this.lastSize = size;
    this.notify('ui/notifications/size-changed', { width, height });
  }
}
