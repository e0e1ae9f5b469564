import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** Raw HTTP for tests of the MCP endpoint: every header under the test's control. */

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with full control of the headers (fetch cannot set Host). Streams are cut after the headers. */
export function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: unknown; headersOnly?: boolean } = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    let responded = false;
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: options.method ?? 'POST',
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } : {}),
          ...options.headers,
        },
      },
      (response) => {
        responded = true;
        if (options.headersOnly) {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '' });
          response.destroy();
          return;
        }
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
        response.on('error', reject);
      },
    );
    // A server that refuses a large body may close the socket while it is still being written.
    req.on('error', (error) => (responded ? undefined : reject(error)));
    req.end(body);
  });
}

export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
