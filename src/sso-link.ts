import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const LINK_LIFETIME_MS = 15 * 60_000;

/**
 * The vendor's browser verification page takes the session token in its query string
 * (mfa.php?mode=SSO&ymapitoken=…). The agent and the host must never see the token, so the person
 * gets a one-time loopback link that redirects their own browser there.
 */
export class SsoLinks {
  private server: Server | undefined;
  private origin: Promise<string> | undefined;
  private readonly targets = new Map<string, { url: string; expires: number }>();

  constructor(private readonly apiUrl: string) {}

  async create(token: string): Promise<string> {
    const nonce = randomBytes(18).toString('base64url');
    const target = new URL('../mfa.php', this.apiUrl);
    target.search = new URLSearchParams({ mode: 'SSO', ymapitoken: token }).toString();
    this.targets.set(nonce, { url: target.toString(), expires: Date.now() + LINK_LIFETIME_MS });
    return `${await this.listen()}/mfa/${nonce}`;
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
    this.origin = undefined;
  }

  private listen(): Promise<string> {
    this.origin ??= new Promise((resolve, reject) => {
      const server = createServer((request, response) => {
        const nonce = /^\/mfa\/([\w-]+)$/.exec(request.url ?? '')?.[1];
        const target = nonce ? this.targets.get(nonce) : undefined;
        if (nonce) this.targets.delete(nonce);
        if (!target || target.expires < Date.now()) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('This verification link has expired; ask the agent to repeat the call.');
          return;
        }
        response.writeHead(302, { location: target.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
      });
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      server.unref();
      this.server = server;
    });
    return this.origin;
  }
}
