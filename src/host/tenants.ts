import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createApp, VERSION, type AppOverrides, type AppSettings } from '../app/app.js';
import { LocalStore } from '../app/local-store.js';
import { FileJournal } from '../app/undo-journal.js';
import type { ToolMode } from '../surface/discovery.js';
import { YemotError } from '../client/errors.js';
import { loginCooldownMs, type Credentials } from '../client/session.js';
import { bearerToken } from './http-guard.js';
import type { HttpHosting, Refusal, SessionDeps } from './http-host.js';
import type { Logger } from '../core/log.js';
import { processSecrets, Secrets } from '../core/secrets.js';
import type { SsoLinks } from '../app/sso-link.js';

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
  const token = bearerToken(request)?.trim();
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

/** The system number a login names: the username, or the part before ':' of a token in the vendor's static `<system number>:<password>` form. */
const systemOf = (credentials: Credentials) => ('token' in credentials ? /^([^:]+):/.exec(credentials.token)?.[1] : credentials.username);

/**
 * Refused logins are counted per system number (guessing passwords is the attack), whichever form carried it;
 * refused opaque tokens per token. The number is counted by its letters and digits: another spelling of it
 * (spaces, dashes, case) is the same account.
 */
const throttleKey = (credentials: Credentials) => {
  const system = systemOf(credentials);
  return createHash('sha256')
    .update(system === undefined ? `token\0${(credentials as { token: string }).token}` : `user\0${system.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase()}`)
    .digest('hex');
};

/** Credentials remembered at most; past it, new ones wait until a cool-down ends (a flood must not free a guessed one). */
const MAX_REFUSED = 10_000;

/**
 * Repeated failed logins can lock a Yemot system, and each initialize of a new tenant session is a Login:
 * after a refusal the same system number waits before the next one reaches Yemot, longer after each.
 */
export class RefusedLogins {
  private readonly refused = new Map<string, { count: number; until: number }>();
  /** The check of each key under way: a second one waits for it, so a burst of wrong initializes costs one Login. */
  private readonly checking = new Map<string, Promise<unknown>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until these credentials may be tried again (0: now). */
  waitSeconds(key: string): number {
    const until = this.refused.get(key)?.until ?? this.fullUntil();
    return Math.max(0, Math.ceil((until - this.now()) / 1000));
  }

  /** Records a refusal; returns the seconds before the next try. */
  record(key: string): number {
    const count = (this.refused.get(key)?.count ?? 0) + 1;
    const waitMs = loginCooldownMs(count);
    this.remember(key, { count, until: this.now() + waitMs });
    return waitMs / 1000;
  }

  /** Yemot itself asked to wait: nothing is sent for these credentials before then. */
  hold(key: string, seconds: number): void {
    const entry = this.refused.get(key);
    this.remember(key, { count: entry?.count ?? 0, until: Math.max(entry?.until ?? 0, this.now() + seconds * 1000) });
  }

  clear(key: string): void {
    this.refused.delete(key);
  }

  /** Runs `check` once no other check of `key` is under way. */
  async inTurn<T>(key: string, check: () => Promise<T>): Promise<T> {
    const before = this.checking.get(key);
    const mine = (async () => {
      await before?.catch(() => undefined);
      return check();
    })();
    this.checking.set(key, mine);
    try {
      return await mine;
    } finally {
      if (this.checking.get(key) === mine) this.checking.delete(key);
    }
  }

  /** A cool-down still running is never forgotten to make room: when all are running, new keys are not remembered. */
  private remember(key: string, entry: { count: number; until: number }): void {
    this.refused.delete(key);
    if (this.refused.size >= MAX_REFUSED) this.forgetEnded();
    if (this.refused.size < MAX_REFUSED) this.refused.set(key, entry);
  }

  /** While every remembered cool-down is running, credentials not among them wait for the first to end. */
  private fullUntil(): number {
    if (this.refused.size < MAX_REFUSED) return 0;
    this.forgetEnded();
    if (this.refused.size < MAX_REFUSED) return 0;
    return Math.min(...[...this.refused.values()].map((entry) => entry.until));
  }

  private forgetEnded(): void {
    const now = this.now();
    for (const [key, entry] of this.refused) if (entry.until <= now) this.refused.delete(key);
  }
}

/** The operator's settings tenant mode reads, besides those of each tenant's app. */
export interface TenantSettings {
  toolMode: ToolMode;
  /** Sessions one tenant (system number, or token) may hold at once (YEMOT_HTTP_MAX_SESSIONS_PER_TENANT). */
  tenantMaxSessions: number;
}

export interface TenantOptions {
  config: AppSettings & TenantSettings;
  /** What every tenant app shares (the API URL, test timings); never credentials. */
  overrides?: Omit<AppOverrides, 'credentials' | 'secrets' | 'links' | 'log' | 'store' | 'journal'>;
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
  const tenantConfig: AppSettings = { ...config, filesDir: undefined, credentials: undefined };
  // One ledger for every tenant: a reconnecting client's repeat of a spend is a repeat, whichever session sends it.
  const store = new LocalStore({ dir: config.stateDir, warn: (message) => log.warn(message) });
  // Each account's entries are its own (scoped by account, like the ledger), wherever its sessions come from.
  const journal = new FileJournal({ dir: config.stateDir, warn: (message) => log.warn(message) });

  /** Open sessions per tenant: one customer must not take every slot of YEMOT_HTTP_MAX_SESSIONS. */
  const live = new Map<string, number>();

  async function admit(credentials: Credentials, key: string): Promise<SessionDeps | Refusal> {
    if ((live.get(key) ?? 0) >= config.tenantMaxSessions) {
      return {
        status: 429,
        message: `Too many sessions with these credentials: at most ${config.tenantMaxSessions} (YEMOT_HTTP_MAX_SESSIONS_PER_TENANT); end an unused one first`,
        headers: { 'retry-after': '60' },
      };
    }
    const wait = refused.waitSeconds(key);
    if (wait > 0) {
      return {
        status: 429,
        message: `Too many refused logins: these credentials are not tried again for ${wait} s (nothing was sent to Yemot); repeated failures can lock the Yemot system`,
        headers: { 'retry-after': String(wait) },
      };
    }
    const secrets = new Secrets(processSecrets);
    const app = createApp(tenantConfig, { ...overrides, credentials, secrets, links, store, journal, log: log.child(secrets) });
    try {
      await app.ctx.session.verify();
    } catch (error) {
      await app.close();
      if (!(error instanceof YemotError)) throw error;
      const said = secrets.scrub(error.vendorMessage ?? error.message);
      if (error.code === 'RATE_LIMITED' && error.retryAfterSeconds) {
        refused.hold(key, error.retryAfterSeconds);
        return {
          status: 429,
          message: `Yemot asks to wait ${error.retryAfterSeconds} s before these credentials are tried again (nothing more is sent until then)`,
          headers: { 'retry-after': String(error.retryAfterSeconds) },
        };
      }
      if (error.code !== 'AUTH_FAILED' && error.code !== 'SESSION_EXPIRED') {
        return { status: 502, message: `Bad gateway: the credentials could not be checked with Yemot (${error.code}: ${said}); try again later` };
      }
      const seconds = refused.record(key);
      log.info(`tenant refused by Yemot (${error.code}); next try in ${seconds} s`);
      return unauthorized(`Yemot refused these credentials (${said}); the next try is allowed in ${seconds} s. ${HOW}`);
    }
    refused.clear(key);
    const owner = fingerprint(credentials);
    live.set(key, (live.get(key) ?? 0) + 1);
    let closed = false;
    return {
      deps: { ctx: app.ctx, tools: app.tools, version: VERSION, toolMode: config.toolMode },
      close: async () => {
        if (!closed) {
          closed = true;
          const left = live.get(key)! - 1;
          if (left > 0) live.set(key, left);
          else live.delete(key);
        }
        await app.close();
      },
      admits: (later) => {
        const given = credentialsOf(later);
        return !('status' in given) && timingSafeEqual(fingerprint(given), owner);
      },
    };
  }

  return {
    links,
    log,
    async open(request) {
      const credentials = credentialsOf(request);
      if ('status' in credentials) return credentials;
      const key = throttleKey(credentials);
      return refused.inTurn(key, () => admit(credentials, key));
    },
  };
}
