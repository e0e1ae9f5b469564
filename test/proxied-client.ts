import { lookup as dnsLookup } from 'node:dns';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema, type ClientCapabilities, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { Agent, fetch as undiciFetch } from 'undici';

/** MCP clients of the instances behind the nginx example (test/nginx.test.ts, test/fleet.test.ts). */

export interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  sessionId: string;
  /** The instance the session id names (its prefix). */
  instance: string;
}

export interface ConnectOptions {
  headers: Record<string, string>;
  capabilities?: ClientCapabilities;
  onElicit?: (request: ElicitRequest['params']) => Promise<ElicitResult>;
}

/** A fetch through the proxy that trusts its throwaway certificate; the public name has no DNS entry and resolves to loopback here, yet travels as SNI and Host. */
export function proxyFetch(ca: string): { fetch: FetchLike; close: () => Promise<void> } {
  const agent = new Agent({
    connect: { ca, lookup: ((_name: string, options: object, callback: never) => dnsLookup('127.0.0.1', options, callback)) as never },
  });
  const fetch: FetchLike = (url, init) => undiciFetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<Response>;
  return { fetch, close: () => agent.close() };
}

/** An MCP client of `url` (the proxy's /mcp); `opened` collects it, so a test closes every client whatever failed. */
export async function connectMcp(url: string, fetch: FetchLike, options: ConnectOptions, opened: Client[]): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(url), { fetch, requestInit: { headers: options.headers } });
  const client = new Client({ name: 'proxied-test', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const onElicit = options.onElicit;
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(request.params));
  opened.push(client);
  await client.connect(transport);
  const sessionId = transport.sessionId ?? '';
  return { client, transport, sessionId, instance: sessionId.split('.')[0] };
}
