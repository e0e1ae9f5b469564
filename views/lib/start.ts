import { Host, type HostContext, type Json, type ToolResult } from './host.js';
import { applyContext } from './theme.js';

export interface Handlers {
  /** The arguments the tool was called with (ui/notifications/tool-input). */
  input(args: Json): void;
  /** Its result (ui/notifications/tool-result). */
  result(result: ToolResult): void;
}

/** Connects a view to its host: the handshake, the host's look as it changes, the tool's input and result. */
export function startView(name: string, handlers: Handlers): Host {
  const host = new Host(name);
  host.on('ui/notifications/tool-input', (params) => handlers.input((params.arguments as Json | undefined) ?? {}));
  host.on('ui/notifications/tool-result', (params) => handlers.result(params as ToolResult));
  host.on('ui/notifications/host-context-changed', (params) => {
    host.context = { ...host.context, ...(params as HostContext) };
    applyContext(params as HostContext);
  });
  host.start().then(applyContext, (error: Error) => handlers.result({ isError: true, content: [{ type: 'text', text: JSON.stringify({ error: 'HOST_ERROR', message: error.message }) }] }));
  return host;
}
