import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createApp, VERSION, type AppOverrides } from './app.js';
import { YemotError } from './client/errors.js';
import { loginCooldownMs, type Credentials } from './client/session.js';
import type { Config } from './config.js';
import type { HttpHosting, Refusal, SessionDeps } from './http-host.js';
import type { Logger } from './log.js';
import { processSecrets, Secrets } from './secrets.js';
import type { SsoLinks } from './sso-link.js';

const HOW = 'send your Yemot credentials as Authorization: Bearer <Yemot session token>, or as X-Yemot-Username (the system number) and X-Yemot-Password';

const unauthorized = (why: string): Refusal => ({ status: 401, message: `Unauthorized: ${why}`, headers: { 'www-authenticate': 'Bearer' } });

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** A tenant's Yemot credentials from its request headers, or why they are missing. */
export function credentialsOf(request: IncomingMessage): Credentials | Refusal {
  const username = header(request, 'x-yemot-username');
  const password = header(request, 'x-yemot-password');
  // The scheme name is case-insensitive (RFC 9110).
  const token = /^bearer +(.+)$/is.exec(request.headers.authorization ?? '')?.[1].trim();
  if (username === undefined && password === undefined) return token ? { token } : unauthorized(`tenant mode: ${HOW}`);
  if (token) return unauthorized('send one form of credentials, a Bearer token or X-Yemot-Username and X-Yemot-Password, not both');
  if (!username || !password) return unauthorized('send both X-Yemot-Username (the system number) and X-Yemot-Password');
  return { username, password };
}

/** A digest of the credentials: what a session remembers to admit its later requests, never the values. */
const fingerprint = (credentials: Credentials) =>
  createHash('sha256')
    .update('token' in credentials ? `token\0${credentials.token}` : `login\0${credentials.username}\0${credentials.password}`)
    .digest();

/** Refused logins are counted per system number (guessing passwords is the attack), refused tokens per token. */
const throttleKey = (credentials: Credentials) =>
  createHash('sha256')
    .update('token' in credentials ? `token\0${credentials.token}` : `user\0${credentials.username}`)
    .digest('hex');

/** Credentials seen refused at most; the oldest is forgotten first. */
const MAX_REFUSED = 10_000;

/**
 * Repeated failed logins can lock a Yemot system, and each initialize of a new tenant session is a Login:
 * after a refusal the same system number waits before the next one reaches Yemot, longer after each.
 */
export class RefusedLogins {
  private readonly refused = new Map<string, { count: number; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until these credentials may be tried again (0: now). */
  waitSeconds(key: string): number {
    const entry = this.refused.get(key);
    return entry ? Math.max(0, Math.ceil((entry.until - this.now()) / 1000)) : 0;
  }

  /** Records a refusal; returns the seconds before the next try. */
  record(key: string): number {
    const count = (this.refused.get(key)?.count ?? 0) + 1;
    const waitMs = loginCooldownMs(count);
    this.refused.delete(key);
    this.refused.set(key, { count, until: this.now() + waitMs });
    if (this.refused.size > MAX_REFUSED) this.refused.delete(this.refused.keys().next().value!);
    return waitMs / 1000;
  }

  clear(key: string): void {
    this.refused.delete(key);
  }
}

export interface TenantOptions {
  config: Config;
  /** What every tenant app shares (the API URL, test timings); never credentials. */
  overrides?: Omit<AppOverrides, 'credentials' | 'secrets' | 'links' | 'log'>;
  links: SsoLinks;
  log: Logger;
  refused?: RefusedLogins;
}

/**
 * Tenant mode: each session brings its own Yemot credentials and gets its own app: Yemot session, two-factor
 * state, secrets registry, concurrency cap, spend guard. The operator's policy bounds it; the operator's
 * credentials and local folders are never its.
 */
export function tenantHosting({ config, overrides = {}, links, log, refused = new RefusedLogins() }: TenantOptions): HttpHosting {
  // Tenants are remote and share this machine: none may read or write its files (YEMOT_FILES_DIR).
  const tenantConfig: Config = { ...config, filesDir: undefined, credentials: undefined };
  return {
    links,
    log,
    async open(request): Promise<SessionDeps | Refusal> {
      const credentials = credentialsOf(request);
      if ('status' in credentials) return credentials;
      const key = throttleKey(credentials);
      const wait = refused.waitSeconds(key);
      if (wait > 0) {
        return {
          status: 429,
          message: `Too many refused logins: these credentials are not tried again for ${wait} s (nothing was sent to Yemot); repeated failures can lock the Yemot system`,
          headers: { 'retry-after': String(wait) },
        };
      }
      const secrets = new Secrets(processSecrets);
      const app = createApp(tenantConfig, { ...overrides, credentials, secrets, links, log: log.child(secrets) });
      try {
        await app.ctx.session.verify();
      } catch (error) {
        await app.close();
        if (!(error instanceof YemotError)) throw error;
        const said = secrets.scrub(error.vendorMessage ?? error.message);
        if (error.code !== 'AUTH_FAILED' && error.code !== 'SESSION_EXPIRED') {
          return { status: 502, message: `Bad gateway: the credentials could not be checked with Yemot (${error.code}: ${said}); try again later` };
        }
        const seconds = refused.record(key);
        log.info(`tenant refused by Yemot (${error.code}); next try in ${seconds} s`);
        return unauthorized(`Yemot refused these credentials (${said}); the next try is allowed in ${seconds} s. ${HOW}`);
      }
      refused.clear(key);
      const owner = fingerprint(credentials);
      return {
        deps: { ctx: app.ctx, tools: app.tools, version: VERSION, toolMode: config.toolMode },
        close: () => app.close(),
        admits: (later) => {
          const given = credentialsOf(later);
          return !('status' in given) && timingSafeEqual(fingerprint(given), owner);
        },
      };
    },
  };
}
