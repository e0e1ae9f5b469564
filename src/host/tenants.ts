import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { createApp, VERSION, type AppOverrides, type AppSettings } from '../app/app.js';
import { LocalStore } from '../app/local-store.js';
import { FileJournal } from '../app/undo-journal.js';
import type { ToolMode } from '../surface/discovery.js';
import { YemotError } from '../client/errors.js';
import type { Credentials } from '../client/session.js';
import { bearerToken, clientAddress, trustedProxies } from './http-guard.js';
import type { HttpHosting, Refusal, SessionDeps } from './http-host.js';
import type { Logger } from '../core/log.js';
import { processSecrets, Secrets } from '../core/secrets.js';
import type { OneTimeLinks } from '../app/one-time-links.js';
import type { PromiseStore } from '../call/store.js';
import { RefusedLogins } from './refused-logins.js';

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
  /** The promises every tenant app shares (the fleet's, YEMOT_REDIS_URL); default a store in the state folder. */
  store?: PromiseStore;
  refused?: RefusedLogins;
}

/**
 * Tenant mode: each session brings its own Yemot credentials and gets its own app: Yemot session, two-factor
 * state, secrets registry, concurrency cap, spend guard. The operator's policy bounds it; the operator's
 * credentials and local folders are never its.
 */
export function tenantHosting({ config, overrides = {}, links, log, store, refused = new RefusedLogins() }: TenantOptions): HttpHosting {
  // Tenants are remote and share this machine: none may read or write its files (YEMOT_FILES_DIR).
  const tenantConfig: AppSettings = { ...config, filesDir: undefined, credentials: undefined };
  // One ledger for every tenant: a reconnecting client's repeat of a spend is a repeat, whichever session sends it.
  const promises = store ?? new LocalStore({ dir: config.stateDir, warn: (message) => log.warn(message) });
  // Each account's entries are its own (scoped by account, like the ledger), wherever its sessions come from.
  // The journal stays in this instance's state folder, even in a fleet: it holds what undo_change can put back, not a promise.
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
    const wait = await refused.waitSeconds(key, pair);
    if (wait > 0) {
      return {
        status: 429,
        message: `Too many refused logins: these credentials are not tried again from this address for ${wait} s (nothing was sent to Yemot); repeated failures can lock the Yemot system`,
        headers: { 'retry-after': String(wait) },
      };
    }
    if (!(await refused.turn(key))) {
      return {
        status: 429,
        message: 'Too many Logins for this system number at once after a refused one: they go one at a time, 2 s apart (nothing was sent to Yemot); try again shortly',
        headers: { 'retry-after': '30' },
      };
    }
    const secrets = new Secrets(processSecrets);
    const app = createApp(tenantConfig, { ...overrides, credentials, secrets, links, store: promises, journal, log: log.child(secrets) });
    try {
      await app.ctx.session.verify();
    } catch (error) {
      await app.close();
      if (!(error instanceof YemotError)) throw error;
      const said = secrets.scrub(error.vendorMessage ?? error.message);
      if (error.code === 'RATE_LIMITED' && error.retryAfterSeconds) {
        await refused.hold(key, error.retryAfterSeconds);
        return {
          status: 429,
          message: `Yemot asks to wait ${error.retryAfterSeconds} s before these credentials are tried again (nothing more is sent until then)`,
          headers: { 'retry-after': String(error.retryAfterSeconds) },
        };
      }
      if (error.code !== 'AUTH_FAILED' && error.code !== 'SESSION_EXPIRED') {
        return { status: 502, message: `Bad gateway: the credentials could not be checked with Yemot (${error.code}: ${said}); try again later` };
      }
      const seconds = await refused.record(key, pair);
      log.info(`tenant refused by Yemot (${error.code}); next try in ${seconds} s`);
      return unauthorized(`Yemot refused these credentials (${said}); the next try is allowed in ${seconds} s. ${HOW}`);
    }
    await refused.clear(pair);
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
