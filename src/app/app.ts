import { readFileSync } from 'node:fs';
import { DEFAULT_API_URL, YemotHttp } from '../client/http.js';
import { YemotSession, type Credentials } from '../client/session.js';
import { Logger } from '../core/log.js';
import { processSecrets, type Secrets } from '../core/secrets.js';
import { OneTimeLinks } from './one-time-links.js';
import type { ToolContext } from '../call/context.js';
import { TOOLS } from '../tools/index.js';
import { MfaTracker } from '../call/mfa-state.js';
import { selectTools } from '../call/policy.js';
import { LocalFiles } from '../call/local-files.js';
import { SpendLedger } from '../call/spend-guard.js';
import { ConfirmationTokens } from '../call/confirm-token.js';
import type { PromiseStore } from '../call/store.js';
import { LocalStore } from './local-store.js';
import { FileJournal } from './undo-journal.js';
import type { UndoJournal } from '../call/journal.js';
import { createHash, randomBytes } from 'node:crypto';
import type { ToolSpec } from '../call/command.js';
import type { Dispatcher } from 'undici';
import type { MfaPrompt } from '../call/context.js';
import type { Policy } from '../call/policy.js';
import type { Transfers } from '../call/transfers.js';
import type { LogLevel } from '../core/log.js';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** The operator's settings one app is built from (read once at the top, in config.ts, and handed down). */
export interface AppSettings {
  apiUrl?: string;
  credentials?: Credentials;
  policy: Policy;
  reveal: boolean;
  confirm: boolean;
  mfaPrompt: MfaPrompt;
  mfaWaitSeconds: number;
  maxInFlight: number;
  queueWaitMs: number;
  maxQueue: number;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
  /** Seconds an identical spend is refused as a likely repeat (0: off). */
  duplicateWindowSeconds: number;
  /** Where the ledger of spends and used confirmations survive a restart (YEMOT_STATE_DIR); undefined: memory only. */
  stateDir?: string;
  /** How long a confirmation token is valid (YEMOT_CONFIRM_TTL_SECONDS). */
  confirmTtlSeconds: number;
  /** The HMAC key of confirmation tokens shared by a fleet (YEMOT_CONFIRM_KEY); default a random key per process. */
  confirmKey?: string;
  /** Folders tools may read local files from and save downloads to (YEMOT_FILES_DIR, path-delimited); unset = none. */
  filesDir?: string;
  transfers: Transfers;
  logLevel: LogLevel;
}

export interface App {
  ctx: ToolContext;
  tools: ToolSpec[];
  close(): Promise<void>;
}

export interface AppOverrides {
  /** A function for the built-in sandbox, which starts on the first call: initialize and tools/list need no API. */
  apiUrl?: string | (() => Promise<string>);
  credentials?: Credentials;
  dispatcher?: Dispatcher;
  log?: Logger;
  mfaPollMs?: number;
  /** Idle time before a login session is kept alive (tests make it short). */
  keepAliveMs?: number;
  /** How often a watched campaign is read (tests make it short). */
  watchPollMs?: number;
  /** Pause before the one retry of a read (tests shorten it). */
  retryDelayMs?: number;
  /** One request's total time limit, below the configurable minimum (tests of the timeout path). */
  timeoutMs?: number;
  /** The values to redact (a tenant's own registry); default the process's. */
  secrets?: Secrets;
  /** Where two-factor links are kept and served (the HTTP server's); default a loopback server of the app's own. */
  links?: OneTimeLinks;
  /** The promises shared with other apps of this process or fleet (tenants, YEMOT_REDIS_URL); default one of the app's own in stateDir. */
  store?: PromiseStore;
  /** The undo journal shared with other apps of this process (tenants); default one of the app's own in stateDir. */
  journal?: UndoJournal;
}

/** A spend whose claim is this old and never settled (its process died mid-request) may have gone: read as unknown. */
const STALE_CLAIM_MS = 10 * 60_000;

/** One random key per process: its tokens die with it, unless the operator shares YEMOT_CONFIRM_KEY. */
const PROCESS_CONFIRM_KEY = randomBytes(32);

/**
 * The account a session acts on, as `<API host>|<system number>`: a token session asks GetSession for its number
 * once, so a token and a password of one system share one ledger. While that cannot be read (before two-factor),
 * a digest of the token stands in (never the token), and the number is asked for again next time.
 */
function accountResolver(http: YemotHttp, session: YemotSession, credentials: Credentials | undefined): () => Promise<string> {
  let known: string | undefined;
  return async () => {
    const host = new URL(await http.baseUrl()).host;
    if (known) return `${host}|${known}`;
    if (!credentials) return `${host}|none`;
    if ('username' in credentials) known = credentials.username;
    else {
      const { answer } = await session.call('GetSession', {}, { retry: true }).catch(() => ({ answer: {} as Record<string, unknown> }));
      if (typeof answer.username === 'string' && answer.username) known = answer.username;
      else return `${host}|token:${createHash('sha256').update(credentials.token).digest('base64url').slice(0, 22)}`;
    }
    return `${host}|${known}`;
  };
}

/** Live links one app holds at most (the store is shared by every tenant): a newer one revokes the oldest. */
const MAX_ISSUED_LINKS = 32;

/** Wires the client, the two-factor tracker and the policy from the operator's settings. No MCP here. */
export function createApp(config: AppSettings, overrides: AppOverrides = {}): App {
  const apiUrl = overrides.apiUrl ?? config.apiUrl ?? DEFAULT_API_URL;
  const credentials = overrides.credentials ?? config.credentials;
  // The username is the system's phone number: an identifier the API returns everywhere, not a secret.
  const secrets = overrides.secrets ?? processSecrets;
  if (credentials) secrets.addCredential('token' in credentials ? credentials.token : credentials.password);
  const http = new YemotHttp({
    baseUrl: apiUrl,
    dispatcher: overrides.dispatcher,
    maxInFlight: config.maxInFlight,
    queueWaitMs: config.queueWaitMs,
    maxQueue: config.maxQueue,
    timeoutMs: overrides.timeoutMs ?? config.timeoutMs,
    retryDelayMs: overrides.retryDelayMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxResponseBytes: config.maxResponseBytes,
  });
  const session = new YemotSession(http, credentials, { keepAliveMs: overrides.keepAliveMs, secrets });
  const ownLinks = overrides.links ? undefined : new OneTimeLinks({ apiUrl: () => http.baseUrl() });
  const links = overrides.links ?? ownLinks!;
  const issued = new Set<string>();
  const issue = async (made: Promise<string>) => {
    const link = await made;
    issued.add(link);
    if (issued.size > MAX_ISSUED_LINKS) {
      const oldest = issued.values().next().value!;
      issued.delete(oldest);
      await links.revoke(oldest);
    }
    return link;
  };
  const log = overrides.log ?? new Logger(config.logLevel, undefined, secrets);
  const store = overrides.store ?? new LocalStore({ dir: config.stateDir, warn: (message) => log.warn(message) });
  const confirmKey = config.confirmKey ? createHash('sha256').update(config.confirmKey).digest() : PROCESS_CONFIRM_KEY;
  const ctx: ToolContext = {
    session,
    mfa: new MfaTracker(),
    policy: config.policy,
    files: new LocalFiles(config.filesDir),
    transfers: config.transfers,
    store,
    ledger: new SpendLedger(store, { windowMs: config.duplicateWindowSeconds * 1000, staleClaimMs: STALE_CLAIM_MS }),
    tokens: new ConfirmationTokens(confirmKey, store, config.confirmTtlSeconds * 1000),
    journal: overrides.journal ?? new FileJournal({ dir: config.stateDir, warn: (message) => log.warn(message) }),
    account: accountResolver(http, session, credentials),
    log,
    secrets,
    reveal: config.reveal,
    confirm: config.confirm,
    mfaPrompt: config.mfaPrompt,
    mfaWaitMs: config.mfaWaitSeconds * 1000,
    mfaPollMs: overrides.mfaPollMs ?? 2000,
    // Never faster than every few seconds against the real API: a watch is one request per poll.
    watchPollMs: overrides.watchPollMs ?? 5000,
    ssoLink: (token) => issue(links.create(token)),
    secretLink: (secret, title) => issue(links.reveal(secret, title)),
  };
  return {
    ctx,
    tools: selectTools(TOOLS, config.policy),
    close: async () => {
      await Promise.all([...issued].map((link) => links.revoke(link)));
      ownLinks?.close();
      // Logs out a session it logged in itself (bounded), before the connections it needs are closed.
      await session.close();
      await http.close();
    },
  };
}
