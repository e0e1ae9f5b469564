import { lookup as dnsLookup } from 'node:dns';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ElicitRequestSchema, type ClientCapabilities, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { serveHttp, type Served as Instance } from './http-server.js';
import { freePort, startProxy, type Proxy } from './nginx-proxy.js';

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

export interface Fleet {
  /** The built instances by name (a, b). */
  instances: Map<string, Instance>;
  proxy: Proxy;
  /** A fetch through the proxy (see proxyFetch). */
  fetch: FetchLike;
  /** https://<public name>:<port>: the proxy's address as clients know it. */
  publicUrl: string;
  stop(): Promise<void>;
}

/**
 * Instances a and b of the built server (HTTP, `args`), each with `env(name, publicUrl)`, behind the shipped nginx
 * site on a free port. What started is stopped again when anything fails to start.
 */
export async function startFleet(programs: { nginx: string; openssl: string }, publicName: string, args: string[], env: (name: string, publicUrl: string) => Record<string, string>): Promise<Fleet> {
  const port = await freePort();
  const publicUrl = `https://${publicName}:${port}`;
  const instances = new Map<string, Instance>();
  let proxy: Proxy | undefined;
  const stopAll = async () => {
    await proxy?.stop();
    await Promise.all([...instances.values()].map((instance) => instance.stop()));
  };
  try {
    // Settled, not all: an instance that started beside one that failed must still be stopped.
    const started = await Promise.allSettled(['a', 'b'].map(async (name) => instances.set(name, await serveHttp(args, env(name, publicUrl)))));
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    const portOf = (name: string) => Number(new URL(instances.get(name)!.url).port);
    proxy = await startProxy(programs.nginx, programs.openssl, { instancePorts: [portOf('a'), portOf('b')], port, publicName });
  } catch (error) {
    await stopAll();
    throw error;
  }
  const { fetch, close } = proxyFetch(proxy.ca);
  return { instances, proxy, fetch, publicUrl, stop: async () => (await stopAll(), await close()) };
}
