import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const LINK_LIFETIME_MS = 15 * 60_000;

const PRIVATE_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };

/** The button posts back here, and that post is redirected to the vendor: form-action must allow both. */
const confirmPage = (vendorOrigin: string) => ({
  headers: {
    ...PRIVATE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; form-action 'self' ${vendorOrigin}; frame-ancestors 'none'; base-uri 'none'`,
  },
  body:
    '<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
    '<title>Yemot two-factor verification</title>' +
    '<h1>Yemot two-factor verification</h1>' +
    '<p>Your assistant asked to verify this Yemot session. The button opens Yemot\'s own verification page; the link works once.</p>' +
    '<form method="post"><button type="submit">Continue to Yemot</button></form></html>',
});

function expired(response: ServerResponse): void {
  response
    .writeHead(404, { ...PRIVATE_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
    .end('This verification link has expired or was already used; ask the agent to repeat the call.');
}

/**
 * The vendor's browser verification page takes the session token in its query string
 * (mfa.php?mode=SSO&ymapitoken=…). The agent and the host must never see the token, so the person gets a
 * one-time loopback link that redirects their own browser there. Chat clients fetch links to preview them,
 * so a GET only shows a page whose button POSTs back; only that POST uses up the link.
 */
export class SsoLinks {
  private server: Server | undefined;
  private origin: Promise<string> | undefined;
  private readonly targets = new Map<string, { url: string; expires: number }>();

  constructor(private readonly apiUrl: () => Promise<string>) {}

  async create(token: string): Promise<string> {
    const now = Date.now();
    for (const [nonce, target] of this.targets) if (target.expires < now) this.targets.delete(nonce);
    const nonce = randomBytes(18).toString('base64url');
    const target = new URL('../mfa.php', await this.apiUrl());
    target.search = new URLSearchParams({ mode: 'SSO', ymapitoken: token }).toString();
    this.targets.set(nonce, { url: target.toString(), expires: now + LINK_LIFETIME_MS });
    return `${await this.listen()}/mfa/${nonce}`;
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
    this.origin = undefined;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const nonce = /^\/mfa\/([\w-]+)$/.exec(request.url ?? '')?.[1];
    const target = nonce ? this.targets.get(nonce) : undefined;
    if (!nonce || !target || target.expires < Date.now()) return expired(response);
    if (request.method === 'GET' || request.method === 'HEAD') {
      const page = confirmPage(new URL(target.url).origin);
      response.writeHead(200, page.headers).end(request.method === 'GET' ? page.body : undefined);
      return;
    }
    if (request.method !== 'POST') return void response.writeHead(405, { ...PRIVATE_HEADERS, allow: 'GET, HEAD, POST' }).end();
    this.targets.delete(nonce);
    // 303: the browser follows with a GET, whatever the method that led here.
    response.writeHead(303, { ...PRIVATE_HEADERS, location: target.url }).end();
  }

  private listen(): Promise<string> {
    this.origin ??= new Promise((resolve, reject) => {
      const server = createServer((request, response) => this.answer(request, response));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      server.unref();
      this.server = server;
    });
    return this.origin;
  }
}
