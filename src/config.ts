import { join, resolve } from 'node:path';
import { isIP } from 'node:net';
import { EFFECTS, type Effect } from './call/command.js';
import { DEFAULT_TOOLSETS, TOOLSETS, type Toolset } from './call/toolsets.js';
import type { MfaPrompt } from './call/context.js';
import { TOOLS } from './tools/index.js';
import { LOG_LEVELS, type LogLevel } from './core/log.js';
import { TOOL_MODES, type ToolMode } from './surface/discovery.js';
import type { Credentials } from './client/session.js';
import type { HttpOptions } from './host/http-host.js';
import type { AppSettings } from './app/app.js';
import type { TenantSettings } from './host/tenants.js';
import type { RedisAddress } from './app/resp.js';

export class ConfigError extends Error {}

export const SANDBOX_MFA = ['none', 'pass', 'hard'] as const;
export type SandboxMfa = (typeof SANDBOX_MFA)[number];

/** Everything read from the command line and environment, once, at the top; the rooms below take their parts. */
export interface Config extends AppSettings, TenantSettings {
  mode: 'stdio' | 'http' | 'help' | 'version';
  sandbox: boolean;
  /** Two-factor state the built-in sandbox starts in. */
  sandboxMfa: SandboxMfa;
  http: HttpOptions;
  /** Tenant mode: each HTTP client brings its own Yemot credentials (--tenant-credentials). */
  tenantCredentials: boolean;
  /** The fleet's store (YEMOT_REDIS_URL): the ledger, confirmations, two-factor links and login cool-downs of every instance. */
  redis?: RedisAddress;
}

type Env = Record<string, string | undefined>;

const FLAGS_WITH_VALUE = new Set(['--sandbox-mfa', '--allow', '--toolsets', '--tools', '--exclude-tools', '--port', '--host', '--log-level', '--tool-mode']);
const BOOLEAN_FLAGS = new Set(['--sandbox', '--read-only', '--http', '--tenant-credentials', '--no-confirm', '--help', '-h', '--version', '-v']);

function parseArgs(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    if (BOOLEAN_FLAGS.has(name)) flags.set(name, 'true');
    else if (FLAGS_WITH_VALUE.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new ConfigError(`${name} needs a value`);
      flags.set(name, value);
    } else throw new ConfigError(`unknown option ${argv[i]}; see --help`);
  }
  return flags;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);

function oneOf<T extends string>(what: string, values: string[], valid: readonly T[]): T[] {
  const unknown = values.filter((value) => !valid.includes(value as T));
  if (unknown.length) throw new ConfigError(`unknown ${what}: ${unknown.join(', ')}. Valid: ${valid.join(', ')}`);
  return values as T[];
}

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value);

function number(name: string, value: string | undefined, fallback: number, min: number, max: number, why = ''): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}${why}`);
  return parsed;
}

function effects(flags: Map<string, string>, env: Env): Set<Effect> {
  if (flags.has('--read-only') || truthy(env.YEMOT_READ_ONLY)) return new Set(['read']);
  const named = list(flags.get('--allow') ?? env.YEMOT_ALLOW);
  if (!named.length || named.includes('all')) return new Set(EFFECTS);
  return new Set(oneOf('effect in YEMOT_ALLOW/--allow', named, [...EFFECTS, 'all'] as Effect[]));
}

function toolsets(flags: Map<string, string>, env: Env, toolsNamed: boolean): Set<Toolset> {
  const named = list(flags.get('--toolsets') ?? env.YEMOT_TOOLSETS);
  if (!named.length) return new Set(toolsNamed ? [] : DEFAULT_TOOLSETS);
  const valid = [...TOOLSETS, 'all', 'default'] as const;
  const chosen = new Set<Toolset>();
  for (const name of oneOf('toolset in YEMOT_TOOLSETS/--toolsets', named, valid)) {
    if (name === 'all') TOOLSETS.forEach((t) => chosen.add(t));
    else if (name === 'default') DEFAULT_TOOLSETS.forEach((t) => chosen.add(t));
    else chosen.add(name);
  }
  return chosen;
}

/**
 * A system number without its password (a Desktop form half filled) is no credential, as none is: the server starts,
 * lists its tools and answers each call AUTH_MISSING, which says what to set; exiting would leave the person a
 * host's "server disconnected" and nothing to read.
 */
function credentials(env: Env): Credentials | undefined {
  if (env.YEMOT_TOKEN) return { token: env.YEMOT_TOKEN };
  if (env.YEMOT_USERNAME && env.YEMOT_PASSWORD) return { username: env.YEMOT_USERNAME, password: env.YEMOT_PASSWORD };
  return undefined;
}

/** A guessable bearer token is worse than none: it looks like protection. */
export const MIN_HTTP_TOKEN_LENGTH = 32;

function httpToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < MIN_HTTP_TOKEN_LENGTH) {
    throw new ConfigError(`YEMOT_HTTP_TOKEN must be at least ${MIN_HTTP_TOKEN_LENGTH} characters (it has ${value.length}); generate one with: openssl rand -hex 32`);
  }
  return value;
}

function origins(value: string | undefined): string[] {
  return list(value).map((origin) => {
    try {
      return new URL(origin).origin;
    } catch {
      throw new ConfigError(`YEMOT_HTTP_ALLOWED_ORIGINS: ${origin} is not an origin; write it as scheme://host[:port], e.g. https://app.example.com`);
    }
  });
}

/** The base of the links this server hands out (the two-factor page), as people reach it through a proxy. */
function publicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`YEMOT_PUBLIC_URL: ${value} is not a URL; write it as https://host[:port][/path]`);
  }
  if (!/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new ConfigError('YEMOT_PUBLIC_URL must be an http(s) URL without credentials, query or fragment, e.g. https://mcp.example.com');
  }
  return url.href.replace(/\/+$/, '');
}

/** Tenant mode takes every credential from the client: an operator's own would be a second, silent identity. */
function checkTenantMode(mode: Config['mode'], env: Env): void {
  if (mode !== 'http') throw new ConfigError('--tenant-credentials (YEMOT_TENANT_CREDENTIALS) needs --http: tenants bring credentials in HTTP headers');
  const own = ['YEMOT_TOKEN', 'YEMOT_USERNAME', 'YEMOT_PASSWORD'].filter((name) => env[name]);
  if (own.length) throw new ConfigError(`tenant mode uses each client's own Yemot credentials: unset ${own.join(', ')}`);
  if (env.YEMOT_HTTP_TOKEN) {
    throw new ConfigError("tenant mode: each client's Yemot credentials are its authorization (the Authorization header carries a Yemot token); unset YEMOT_HTTP_TOKEN");
  }
}

/** The reverse proxies whose X-Forwarded-For names the client: single addresses and CIDRs, IPv4 or IPv6. */
function trustedProxies(value: string | undefined): string[] {
  return list(value).map((entry) => {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    if (!family || rest.length || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
      throw new ConfigError(`YEMOT_TRUSTED_PROXIES: ${entry} is not an IP address or CIDR; write e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8`);
    }
    return entry;
  });
}

/** Goes into session ids and a proxy's routing rules: visible characters only, no separator of ours. */
function instanceName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(value)) throw new ConfigError('YEMOT_HTTP_INSTANCE must be 1 to 32 letters, digits, _ or -');
  return value;
}

/** Reads the command line and the environment. Throws ConfigError with a message that lists valid values. */
export function loadConfig(argv: string[], env: Env): Config {
  const flags = parseArgs(argv);
  const toolNames = TOOLS.map((spec) => spec.name);
  const tools = new Set(oneOf('tool in YEMOT_TOOLS/--tools', list(flags.get('--tools') ?? env.YEMOT_TOOLS), toolNames));
  const exclude = new Set(oneOf('tool in YEMOT_EXCLUDE_TOOLS/--exclude-tools', list(flags.get('--exclude-tools') ?? env.YEMOT_EXCLUDE_TOOLS), toolNames));
  const logLevel = ((flags.get('--log-level') ?? env.YEMOT_LOG_LEVEL) || 'info') as LogLevel;
  oneOf('log level in YEMOT_LOG_LEVEL', [logLevel], LOG_LEVELS);
  const mfaPrompt = (env.YEMOT_MFA_PROMPT || 'auto') as MfaPrompt;
  oneOf('value of YEMOT_MFA_PROMPT', [mfaPrompt], ['auto', 'url', 'form', 'off'] as const);
  const sandboxMfa = ((flags.get('--sandbox-mfa') ?? env.YEMOT_SANDBOX_MFA) || 'pass') as SandboxMfa;
  oneOf('value of YEMOT_SANDBOX_MFA/--sandbox-mfa', [sandboxMfa], SANDBOX_MFA);
  const toolMode = ((flags.get('--tool-mode') ?? env.YEMOT_TOOL_MODE) || 'direct') as ToolMode;
  oneOf('value of YEMOT_TOOL_MODE/--tool-mode', [toolMode], TOOL_MODES);
  const mode = flags.has('--help') || flags.has('-h') ? 'help' : flags.has('--version') || flags.has('-v') ? 'version' : flags.has('--http') ? 'http' : 'stdio';
  const tenantCredentials = flags.has('--tenant-credentials') || truthy(env.YEMOT_TENANT_CREDENTIALS);
  if (tenantCredentials && mode !== 'help' && mode !== 'version') checkTenantMode(mode, env);
  const sandbox = flags.has('--sandbox') || truthy(env.YEMOT_SANDBOX);
  const base = publicUrl(env.YEMOT_PUBLIC_URL);
  const published = base ? new URL(base) : undefined;
  return {
    mode,
    sandbox,
    apiUrl: env.YEMOT_API_URL || undefined,
    credentials: credentials(env),
    policy: { allow: effects(flags, env), toolsets: toolsets(flags, env, tools.size > 0), tools, exclude },
    toolMode,
    reveal: truthy(env.YEMOT_REVEAL_SECRETS),
    confirm: !flags.has('--no-confirm') && !/^(0|false|no|off)$/i.test(env.YEMOT_CONFIRM ?? ''),
    mfaPrompt,
    mfaWaitSeconds: number('YEMOT_MFA_WAIT_SECONDS', env.YEMOT_MFA_WAIT_SECONDS, 300, 10, 3600),
    maxInFlight: number('YEMOT_MAX_CONCURRENCY', env.YEMOT_MAX_CONCURRENCY, 6, 1, 64),
    queueWaitMs: number('YEMOT_QUEUE_WAIT_MS', env.YEMOT_QUEUE_WAIT_MS, 10_000, 100, 600_000),
    maxQueue: number('YEMOT_MAX_QUEUE', env.YEMOT_MAX_QUEUE, 64, 0, 10_000),
    // The total deadline is our own millisecond timer; the connect timeout is undici's, which resolves to about a second.
    timeoutMs: number('YEMOT_TIMEOUT_MS', env.YEMOT_TIMEOUT_MS, 30_000, 100, 600_000),
    connectTimeoutMs: number('YEMOT_CONNECT_TIMEOUT_MS', env.YEMOT_CONNECT_TIMEOUT_MS, 8_000, 1000, 120_000, ' (the connect timer resolves to about one second)'),
    maxResponseBytes: number('YEMOT_MAX_RESPONSE_BYTES', env.YEMOT_MAX_RESPONSE_BYTES, 20 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    duplicateWindowSeconds: number('YEMOT_DUPLICATE_WINDOW_SECONDS', env.YEMOT_DUPLICATE_WINDOW_SECONDS, 300, 0, 86_400),
    stateDir: stateDir(env, sandbox),
    confirmTtlSeconds: number('YEMOT_CONFIRM_TTL_SECONDS', env.YEMOT_CONFIRM_TTL_SECONDS, 600, 30, 3600),
    confirmKey: confirmKey(env.YEMOT_CONFIRM_KEY),
    sandboxMfa,
    filesDir: env.YEMOT_FILES_DIR || undefined,
    transfers: {
      downloadMaxBytes: number('YEMOT_DOWNLOAD_MAX_BYTES', env.YEMOT_DOWNLOAD_MAX_BYTES, 2 * 1024 * 1024, 1024, 50 * 1024 * 1024),
      // The API takes at most 50 MB in one upload request (documented); bigger files go in parts.
      uploadPartBytes: number('YEMOT_UPLOAD_PART_BYTES', env.YEMOT_UPLOAD_PART_BYTES, 50 * 1024 * 1024, 1024, 50 * 1024 * 1024),
      timeoutMs: number('YEMOT_TRANSFER_TIMEOUT_MS', env.YEMOT_TRANSFER_TIMEOUT_MS, 300_000, 1000, 3_600_000),
    },
    logLevel,
    http: {
      host: flags.get('--host') ?? (env.YEMOT_HTTP_HOST || '127.0.0.1'),
      port: number('--port', flags.get('--port') ?? env.YEMOT_HTTP_PORT, 3000, 0, 65535),
      token: httpToken(env.YEMOT_HTTP_TOKEN),
      maxSessions: number('YEMOT_HTTP_MAX_SESSIONS', env.YEMOT_HTTP_MAX_SESSIONS, 1000, 1, 100_000),
      // Yemot's own session token lives 30 minutes.
      sessionIdleSeconds: number('YEMOT_HTTP_SESSION_IDLE_SECONDS', env.YEMOT_HTTP_SESSION_IDLE_SECONDS, 1800, 1, 86_400),
      bodyTimeoutSeconds: number('YEMOT_HTTP_BODY_TIMEOUT_SECONDS', env.YEMOT_HTTP_BODY_TIMEOUT_SECONDS, 30, 1, 600),
      // The public name is the proxy's Host, and its origin the pages people open there.
      allowed: {
        hosts: [...list(env.YEMOT_HTTP_ALLOWED_HOSTS), ...(published ? [published.host] : [])],
        origins: [...origins(env.YEMOT_HTTP_ALLOWED_ORIGINS), ...(published ? [published.origin] : [])],
      },
      instance: instanceName(env.YEMOT_HTTP_INSTANCE),
      publicUrl: base,
    },
    tenantCredentials,
    tenantMaxSessions: number('YEMOT_HTTP_MAX_SESSIONS_PER_TENANT', env.YEMOT_HTTP_MAX_SESSIONS_PER_TENANT, 20, 1, 100_000),
    trustedProxies: trustedProxies(env.YEMOT_TRUSTED_PROXIES),
    redis: redisAddress(env.YEMOT_REDIS_URL, env.YEMOT_CONFIRM_KEY),
  };
}

/**
 * The state folder: YEMOT_STATE_DIR, else the user's data folder. The built-in sandbox keeps its state in memory:
 * its simulated account starts anew every time, so a ledger of it would only refuse spends of earlier runs.
 */
function stateDir(env: Env, sandbox: boolean): string | undefined {
  if (env.YEMOT_STATE_DIR) return resolve(env.YEMOT_STATE_DIR);
  if (sandbox) return undefined;
  const home = env.HOME || env.USERPROFILE;
  const data =
    env.XDG_DATA_HOME ||
    (process.platform === 'win32' ? env.APPDATA || env.LOCALAPPDATA : home && (process.platform === 'darwin' ? join(home, 'Library', 'Application Support') : join(home, '.local', 'share')));
  return data ? join(data, 'yemot-mcp') : undefined;
}

/**
 * `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. A fleet shares tokens and sealed
 * two-factor links through it, so it needs the fleet's key. Messages never repeat the URL: it may hold a password.
 */
function redisAddress(value: string | undefined, sharedKey: string | undefined): RedisAddress | undefined {
  if (!value) return undefined;
  const wrong = (why: string) => new ConfigError(`YEMOT_REDIS_URL ${why}; write it as redis://[:password@]host[:port][/db] (rediss:// for TLS)`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw wrong('is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw wrong('must start with redis:// or rediss://');
  const db = url.pathname.replace(/^\//, '');
  if (!url.hostname || (db && !/^\d{1,2}$/.test(db)) || url.search || url.hash) throw wrong('names no host, or more than a host, port and database number');
  if (!sharedKey) {
    throw new ConfigError('YEMOT_REDIS_URL needs YEMOT_CONFIRM_KEY, the same on every instance: a confirmation one instance issues is checked by another, and two-factor links are sealed with it');
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : 6379,
    tls: url.protocol === 'rediss:',
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: db ? Number(db) : undefined,
  };
}

/** A fleet's shared confirmation key: long enough that a token cannot be forged by guessing it. */
function confirmKey(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (value.length < 32) throw new ConfigError('YEMOT_CONFIRM_KEY must be at least 32 characters (a random string shared by every instance)');
  return value;
}

export const HELP = `yemot-mcp: MCP server for the Yemot HaMashiach (call2all) API

Usage: yemot-mcp [--sandbox] [--http [--port N] [--host H]] [options]

  --sandbox            run against the built-in simulator (no account, no units spent)
  --sandbox-mfa STATE  two-factor state the sandbox starts in: none, pass (default), hard
  --http               serve Streamable HTTP instead of stdio (default 127.0.0.1:3000)
  --tenant-credentials with --http: each client brings its own Yemot credentials
                       (Authorization: Bearer <Yemot token>, or X-Yemot-Username + X-Yemot-Password)
  --read-only          only read tools (same as --allow read)
  --allow LIST         effects an agent may use: read,write,irreversible,delete,spend (default all)
  --toolsets LIST      ${[...TOOLSETS, 'all', 'default'].join(', ')}
  --tools LIST         extra tools by name; --exclude-tools LIST removes tools
  --tool-mode MODE     direct (default: list every tool) or discover (three tools find,
                       describe and call them all, within the same policy)
  --no-confirm         run spend, delete and irreversible calls without the person's yes
  --log-level LEVEL    ${LOG_LEVELS.join(', ')}
  --help, --version

Environment: YEMOT_USERNAME + YEMOT_PASSWORD (or YEMOT_TOKEN), YEMOT_API_URL, YEMOT_SANDBOX,
YEMOT_ALLOW, YEMOT_READ_ONLY, YEMOT_TOOLSETS, YEMOT_TOOLS, YEMOT_EXCLUDE_TOOLS, YEMOT_TOOL_MODE, YEMOT_CONFIRM,
YEMOT_REVEAL_SECRETS, YEMOT_MFA_PROMPT, YEMOT_MFA_WAIT_SECONDS, YEMOT_MAX_CONCURRENCY,
YEMOT_QUEUE_WAIT_MS, YEMOT_MAX_QUEUE, YEMOT_TIMEOUT_MS, YEMOT_CONNECT_TIMEOUT_MS,
YEMOT_MAX_RESPONSE_BYTES, YEMOT_DUPLICATE_WINDOW_SECONDS, YEMOT_STATE_DIR, YEMOT_CONFIRM_TTL_SECONDS,
YEMOT_CONFIRM_KEY, YEMOT_REDIS_URL, YEMOT_SANDBOX_MFA,
YEMOT_FILES_DIR, YEMOT_DOWNLOAD_MAX_BYTES, YEMOT_UPLOAD_PART_BYTES, YEMOT_TRANSFER_TIMEOUT_MS, YEMOT_LOG_LEVEL, YEMOT_HTTP_PORT, YEMOT_HTTP_HOST, YEMOT_HTTP_TOKEN,
YEMOT_HTTP_MAX_SESSIONS, YEMOT_HTTP_SESSION_IDLE_SECONDS, YEMOT_HTTP_BODY_TIMEOUT_SECONDS, YEMOT_HTTP_ALLOWED_HOSTS,
YEMOT_HTTP_ALLOWED_ORIGINS, YEMOT_HTTP_INSTANCE, YEMOT_PUBLIC_URL, YEMOT_TENANT_CREDENTIALS,
YEMOT_HTTP_MAX_SESSIONS_PER_TENANT, YEMOT_TRUSTED_PROXIES.
See README.md.
`;
