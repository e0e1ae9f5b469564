import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { createApp, VERSION, type AppOverrides, type AppSettings } from '../app/app.js';
import { LocalStore } from '../app/local-store.js';
import { FileJournal } from '../app/undo-journal.js';
import type { ToolMode } from '../surface/discovery.js';
import { YemotError } from '../client/errors.js';
import { loginCooldownMs, type Credentials } from '../client/session.js';
import { bearerToken, clientAddress, trustedProxies } from './http-guard.js';
import type { HttpHosting, Refusal, SessionDeps } from './http-host.js';
import type { Logger } from '../core/log.js';
import { processSecrets, Secrets } from '../core/secrets.js';
import { sleep } from '../call/sleep.js';
import type { OneTimeLinks } from '../app/one-time-links.js';

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
 * The account a login names: its system number (whichever form carried it), or an opaque token. The number is
 * counted by its letters and digits: another spelling of it (spaces, dashes, case) is the same account.
 */
const accountKey = (credentials: Credentials) => {
  const system = systemOf(credentials);
  return createHash('sha256')
    .update(system === undefined ? `token\0${(credentials as { token: string }).token}` : `user\0${system.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase()}`)
    .digest('hex');
};

/** A client address as one sender: an IPv6 one by its /64 (one host or LAN holds a whole /64 to rotate through). */
export function senderOf(address: string): string {
  if (isIP(address) !== 6) return address;
  // A dotted IPv4 tail is the last two groups.
  const hex = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) => `${((+a << 8) | +b).toString(16)}:${((+c << 8) | +d).toString(16)}`);
  const [head, tail] = hex.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const full = tail === undefined ? groups(head) : [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${full.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/** Remembered refusals at most, in each table; past it the oldest are forgotten, never new credentials held back. */
const MAX_REFUSED = 10_000;

/**
 * After Yemot refuses a Login for a system number, the next Login for that number, from any address, waits this
 * long: system numbers are public, so a number is only ever slowed (at most 30 refused Logins a minute however
 * many addresses guess), never closed to its owner.
 */
export const NUMBER_SPACING_MS = 2_000;

function remember<V>(table: Map<string, V>, key: string, value: V): void {
  table.delete(key);
  table.set(key, value);
  if (table.size > MAX_REFUSED) table.delete(table.keys().next().value!);
}

/**
 * Repeated failed logins can lock a Yemot system, and each initialize of a new tenant session is a Login. A
 * refusal cools down its sender for that account (the pair of account and client address: 30 s, doubling to
 * 15 min); the account itself is only paced, so a stranger with a wrong password cannot lock its owner out.
 */
export class RefusedLogins {
  private readonly pairs = new Map<string, { count: number; until: number }>();
  /** Per account: when a Login for it was last refused, and until when Yemot itself asked to wait. */
  private readonly accounts = new Map<string, { refusedAt?: number; holdUntil?: number }>();
  /** The check of each account under way: a second one waits for it, so a burst of wrong initializes costs one Login. */
  private readonly checking = new Map<string, Promise<unknown>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until this sender may try this account again (0: now): its own cool-down, or Yemot's wait for the account. */
  waitSeconds(account: string, pair: string): number {
    const until = Math.max(this.pairs.get(pair)?.until ?? 0, this.accounts.get(account)?.holdUntil ?? 0);
    return Math.max(0, Math.ceil((until - this.now()) / 1000));
  }

  /** Milliseconds before the next Login for this account may go: the spacing after its last refusal. */
  paceMs(account: string): number {
    const refusedAt = this.accounts.get(account)?.refusedAt;
    return refusedAt === undefined ? 0 : Math.max(0, refusedAt + NUMBER_SPACING_MS - this.now());
  }

  /** Records a refusal; returns the seconds before this sender's next try. */
  record(account: string, pair: string): number {
    const count = (this.pairs.get(pair)?.count ?? 0) + 1;
    const waitMs = loginCooldownMs(count);
    remember(this.pairs, pair, { count, until: this.now() + waitMs });
    remember(this.accounts, account, { ...this.accounts.get(account), refusedAt: this.now() });
    return waitMs / 1000;
  }

  /** Yemot itself asked to wait: nothing is sent for this account before then, from any address (nothing would get in). */
  hold(account: string, seconds: number): void {
    const entry = this.accounts.get(account);
    remember(this.accounts, account, { ...entry, holdUntil: Math.max(entry?.holdUntil ?? 0, this.now() + seconds * 1000) });
  }

  clear(pair: string): void {
    this.pairs.delete(pair);
  }

  /** Runs `check` once no other check of `account` is under way. */
  async inTurn<T>(account: string, check: () => Promise<T>): Promise<T> {
    const before = this.checking.get(account);
    const mine = (async () => {
      await before?.catch(() => undefined);
      return check();
    })();
    this.checking.set(account, mine);
    try {
      return await mine;
    } finally {
      if (this.checking.get(account) === mine) this.checking.delete(account);
    }
  }
}

/** The operator's settings tenant mode reads, besides those of each tenant's app. */
export interface TenantSettings {
  toolMode: ToolMode;
  /** Sessions one tenant (system number, or token) may hold at once (YEMOT_HTTP_MAX_SESSIONS_PER_TENANT). */
  tenantMaxSessions: number;
  /** Proxies whose X-Forwarded-For names the client (YEMOT_TRUSTED_PROXIES: addresses and CIDRs). */
  trustedProxies: readonly string[];
}

export interface TenantOptions {
  config: AppSettings & TenantSettings;
  /** What every tenant app shares (the API URL, test timings); never credentials. */
  overrides?: Omit<AppOverrides, 'credentials' | 'secrets' | 'links' | 'log' | 'store' | 'journal'>;
  links: OneTimeLinks;
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

  const proxies = config.trustedProxies.length ? trustedProxies(config.trustedProxies) : undefined;

  async function admit(credentials: Credentials, key: string, pair: string): Promise<SessionDeps | Refusal> {
    if ((live.get(key) ?? 0) >= config.tenantMaxSessions) {
      return {
        status: 429,
        message: `Too many sessions with these credentials: at most ${config.tenantMaxSessions} (YEMOT_HTTP_MAX_SESSIONS_PER_TENANT); end an unused one first`,
        headers: { 'retry-after': '60' },
      };
    }
    const wait = refused.waitSeconds(key, pair);
    if (wait > 0) {
      return {
        status: 429,
        message: `Too many refused logins: these credentials are not tried again from this address for ${wait} s (nothing was sent to Yemot); repeated failures can lock the Yemot system`,
        headers: { 'retry-after': String(wait) },
      };
    }
    await sleep(refused.paceMs(key));
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
      const seconds = refused.record(key, pair);
      log.info(`tenant refused by Yemot (${error.code}); next try in ${seconds} s`);
      return unauthorized(`Yemot refused these credentials (${said}); the next try is allowed in ${seconds} s. ${HOW}`);
    }
    refused.clear(pair);
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
      const key = accountKey(credentials);
      const pair = `${key}\0${senderOf(clientAddress(request, proxies))}`;
      return refused.inTurn(key, () => admit(credentials, key, pair));
    },
  };
}
