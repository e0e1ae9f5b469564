import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PromiseStore } from '../call/store.js';
import { FallbackStore } from './fallback-store.js';
import { LocalStore } from './local-store.js';
import { seal, sealKey, unseal } from './seal.js';

const LINK_LIFETIME_MS = 15 * 60_000;
/** Two-factor verification links under /mfa/, a secret shown once under /once/. */
const PATHS = { verify: '/mfa/', reveal: '/once/' } as const;

const PRIVATE_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff' };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const html = (title: string, body: string, formAction: string) => ({
  headers: {
    ...PRIVATE_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  },
  body: `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1>${body}</html>`,
});

type Target = { kind: 'verify'; url: string } | { kind: 'reveal'; title: string; secret: string };

/** The page a GET shows: what the link is for, and the button whose POST uses it up. */
function landing(target: Target) {
  if (target.kind === 'verify') {
    // The button posts back here, and that post is redirected to the vendor: form-action must allow both.
    return html(
      'Yemot two-factor verification',
      '<p>Your assistant asked to verify this Yemot session. The button opens Yemot\'s own verification page; the link works once.</p><form method="post"><button type="submit">Continue to Yemot</button></form>',
      `'self' ${new URL(target.url).origin}`,
    );
  }
  return html(target.title, '<p>The button shows it once, here only: note it down now. Your assistant never sees it.</p><form method="post"><button type="submit">Show it</button></form>', "'self'");
}

function expired(response: ServerResponse): void {
  response
    .writeHead(404, { ...PRIVATE_HEADERS, 'content-type': 'text/plain; charset=utf-8' })
    .end('This link has expired or was already used; ask the agent to repeat the call.');
}

function unavailable(response: ServerResponse): void {
  response
    .writeHead(503, { ...PRIVATE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'retry-after': '30' })
    .end('This link cannot be read right now; try it again in a minute.');
}

/** Links kept at most in memory; the oldest goes first (each lives 15 minutes anyway). */
const MAX_LINKS = 1000;

export interface LinkOptions {
  /** The API's base URL: the vendor's verification page is beside it. */
  apiUrl: () => Promise<string>;
  /** Starts every nonce (`<instance>.<nonce>`), so a proxy routes the link to the instance that made it. */
  instance?: string;
  /** A fleet's store, where any instance serves any link (this process's memory while it does not answer); default memory only. */
  store?: PromiseStore;
  /** What a kept link's token or secret is sealed with: the fleet's YEMOT_CONFIRM_KEY; default a key of this process. */
  secret?: string;
}

const storeKey = (nonce: string) => `link:${nonce}`;

/**
 * One-time links of this server, for what only the person may see. The vendor's browser verification page takes
 * the session token in its query string (mfa.php?mode=SSO&ymapitoken=…), and a new SIP account's password is for
 * the person's phone, not the conversation: the agent and the host must see neither, so the person gets a link of
 * ours. Chat clients fetch links to preview them, so a GET only shows a page whose button POSTs back; only that
 * POST uses up the link (a redirect to the vendor, or the secret on a page that is never cached).
 *
 * What a link leads to is kept sealed (AES-GCM, under a key derived from the secret, bound to the nonce): a store
 * shared by a fleet is readable by whoever reaches Redis, and a session token or a SIP password there would be a
 * login.
 */
export class OneTimeLinks {
  private server: Server | undefined;
  private origin: Promise<string> | undefined;
  private readonly store: PromiseStore;
  private readonly key: Buffer;
  /** The links this process made and may revoke, with what it stored for each (a revocation removes only that). */
  private readonly made = new Map<string, string>();
  /** Where an HTTP server serves the links (see `servedAt`); until then, a loopback port of their own. */
  private base: string | undefined;

  constructor(private readonly options: LinkOptions) {
    const memory = new LocalStore({ maxEntries: MAX_LINKS });
    this.store = options.store ? new FallbackStore(options.store, memory) : memory;
    this.key = sealKey(options.secret ?? randomBytes(32), 'yemot-mcp one-time link');
  }

  /** The HTTP server that routes the links' paths to `answer` is reached at `base` (YEMOT_PUBLIC_URL, or its own address). */
  servedAt(base: string): void {
    this.base = base;
  }

  /** A link to the vendor's verification of this session. */
  async create(token: string): Promise<string> {
    // The page is beside the API folder: resolved against the folder, whether or not the URL ends in a slash.
    const url = new URL('../mfa.php', (await this.options.apiUrl()).replace(/\/*$/, '/'));
    url.search = new URLSearchParams({ mode: 'SSO', ymapitoken: token }).toString();
    return this.issue({ kind: 'verify', url: url.toString() });
  }

  /** A link that shows `secret` once, on a page titled `title`. */
  reveal(secret: string, title: string): Promise<string> {
    return this.issue({ kind: 'reveal', secret, title });
  }

  /** A link that must stop working now (its session ended). */
  async revoke(link: string): Promise<void> {
    const nonce = link.slice(link.lastIndexOf('/') + 1);
    const sealed = this.made.get(nonce);
    this.made.delete(nonce);
    // A store that does not answer: the link dies by its lifetime.
    if (sealed) await this.store.release(storeKey(nonce), sealed).catch(() => undefined);
  }

  /** Whether a request path is a link's: the HTTP server hands those to `answer`. */
  static owns(path: string): boolean {
    return Object.values(PATHS).some((prefix) => path.startsWith(prefix));
  }

  async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/(mfa|once)\/([\w.-]+)$/.exec(request.url ?? '');
    if (!match) return expired(response);
    const nonce = match[2];
    let sealed: string | undefined;
    try {
      sealed = await this.store.get(storeKey(nonce));
    } catch {
      return unavailable(response);
    }
    const target = sealed === undefined ? undefined : this.open(sealed, nonce);
    if (!sealed || !target || PATHS[target.kind] !== `/${match[1]}/`) return expired(response);
    if (request.method === 'GET' || request.method === 'HEAD') {
      const page = landing(target);
      response.writeHead(200, page.headers).end(request.method === 'GET' ? page.body : undefined);
      return;
    }
    if (request.method !== 'POST') return void response.writeHead(405, { ...PRIVATE_HEADERS, allow: 'GET, HEAD, POST' }).end();
    // Taken by whichever instance removes it first: a second POST, here or on another instance, finds nothing.
    const taken = await this.store.release(storeKey(nonce), sealed).catch(() => undefined);
    if (taken === undefined) return unavailable(response);
    if (!taken) return expired(response);
    this.made.delete(nonce);
    // 303: the browser follows with a GET, whatever the method that led here.
    if (target.kind === 'verify') return void response.writeHead(303, { ...PRIVATE_HEADERS, location: target.url }).end();
    const page = html(target.title, `<p><code style="font-size:1.5em">${escapeHtml(target.secret)}</code></p><p>This page will not show it again.</p>`, "'none'");
    response.writeHead(200, page.headers).end(page.body);
  }

  close(): void {
    this.server?.close();
    this.server = undefined;
    this.origin = undefined;
  }

  private async issue(target: Target): Promise<string> {
    const nonce = `${this.options.instance ? `${this.options.instance}.` : ''}${randomBytes(18).toString('base64url')}`;
    const sealed = seal(this.key, JSON.stringify(target), nonce);
    await this.store.put(storeKey(nonce), sealed, LINK_LIFETIME_MS);
    this.made.set(nonce, sealed);
    if (this.made.size > MAX_LINKS) this.made.delete(this.made.keys().next().value!);
    const base = this.base ?? (await this.listen());
    return `${base.replace(/\/+$/, '')}${PATHS[target.kind]}${nonce}`;
  }

  /** The target a sealed value holds, or undefined when it was sealed under another key or nonce. */
  private open(sealed: string, nonce: string): Target | undefined {
    const text = unseal(this.key, sealed, nonce);
    return text === undefined ? undefined : (JSON.parse(text) as Target);
  }

  private listen(): Promise<string> {
    this.origin ??= new Promise((resolve, reject) => {
      const server = createServer((request, response) => void this.answer(request, response));
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      server.unref();
      this.server = server;
    });
    return this.origin;
  }
}
