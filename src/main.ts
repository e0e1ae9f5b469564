#!/usr/bin/env node
import { createApp, VERSION, type AppOverrides } from './app/app.js';
import { DEFAULT_API_URL } from './client/http.js';
import { ConfigError, HELP, loadConfig, type Config, type SandboxMfa } from './config.js';
import { isLoopbackHost } from './host/http-guard.js';
import type { HttpHandle } from './host/http-host.js';
import { Logger } from './core/log.js';
import { serveStdio } from './host/stdio.js';
import { OneTimeLinks } from './app/one-time-links.js';
import type { PromiseStore } from './call/store.js';
import { processSecrets } from './core/secrets.js';

/** On stdin EOF or a signal, calls in flight get this long to finish before they are stopped. */
const SHUTDOWN_GRACE_MS = 2000;
/** After the grace, closing the API client and the sandbox gets this long before the process ends anyway. */
const CLOSE_BUDGET_MS = 2000;
/** The built-in simulator's session token: known before it starts, so the server needs not wait for it. */
const SANDBOX_TOKEN = 'sandbox-token';

/** --sandbox-mfa names the state a person sees; the simulator names it as the API reports it. */
const SANDBOX_MFA_STATE = { none: 'not-passed', pass: 'passed', hard: 'hard' } as const satisfies Record<SandboxMfa, string>;

// stdout carries JSON-RPC only: everything this entry says goes to stderr.
const say = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
// Logs are best effort: a host that closes stderr must not crash the server (EPIPE).
process.stderr.on('error', () => undefined);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    say(`yemot-mcp: ${error.message}`);
    process.exit(2);
  }
  if (config.mode === 'help') return void say(HELP);
  if (config.mode === 'version') return void say(VERSION);

  const closers: Array<() => Promise<void>> = [];
  let closing = false;
  async function shutdown(): Promise<void> {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS + CLOSE_BUDGET_MS).unref();
    for (const close of closers) await close().catch(() => undefined);
    process.exit(0);
  }
  // Installed before anything starts, so a signal during start-up still ends the process cleanly.
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());

  let overrides: AppOverrides = {};
  if (config.sandbox) {
    // Yemot's clock is Israel's: the simulator writes wall-clock times as the process's local time, and the server
    // reads every vendor date as Israel's (src/call/israel-time.ts, which never reads the local zone).
    process.env.TZ = 'Asia/Jerusalem';
    // The simulator is loaded and started by the first call, not before: initialize and tools/list need no API,
    // and hosts spawn the server often.
    let sandbox: ReturnType<typeof startSandbox> | undefined;
    const startSandbox = () =>
      import('./sandbox/index.js').then(({ startSandbox: start }) =>
        // Codes also come back in the send answer: many hosts never show the stderr they are printed on.
        start({ token: SANDBOX_TOKEN, record: false, trace: config.logLevel === 'debug', mfa: SANDBOX_MFA_STATE[config.sandboxMfa], codesInAnswers: true }),
      );
    const started = () => {
      if (sandbox) return sandbox;
      sandbox = startSandbox();
      sandbox.then(
        (running) => say(`yemot-mcp: sandbox API at ${running.url} (simulated account; no units are spent; two-factor codes are printed here and returned as sandboxCode)`),
        (error: unknown) => say(`yemot-mcp: the sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`),
      );
      return sandbox;
    };
    closers.push(async () => (await sandbox)?.close());
    overrides = { apiUrl: async () => (await started()).url, ...(!config.tenantCredentials && { credentials: { token: SANDBOX_TOKEN } }) };
  }
  if (!config.credentials && !config.sandbox && !config.tenantCredentials) {
    say('yemot-mcp: no complete Yemot credentials (YEMOT_USERNAME with YEMOT_PASSWORD, or YEMOT_TOKEN): every call will answer AUTH_MISSING');
  }
  const store = await fleetStore(config);
  if (store) {
    closers.push(async () => store.close());
    overrides = { ...overrides, store };
  }
  if (config.mode === 'stdio') {
    const app = createApp(config, overrides);
    closers.unshift(() => app.close());
    const stdio = await serveStdio({ ctx: app.ctx, tools: app.tools, version: VERSION, toolMode: config.toolMode }, () => void shutdown());
    closers.unshift(() => stdio.close(SHUTDOWN_GRACE_MS));
    return;
  }

  const http = await serveOverHttp(config, overrides);
  closers.unshift(() => http.close(SHUTDOWN_GRACE_MS));
  if (!config.http.token && !config.tenantCredentials && !isLoopbackHost(config.http.host)) {
    say('yemot-mcp: warning: listening beyond loopback without YEMOT_HTTP_TOKEN; anyone who reaches this port can use the Yemot account');
  }
  say(`yemot-mcp: Streamable HTTP at ${http.url}${config.tenantCredentials ? ' (tenant mode: each client brings its own Yemot credentials)' : ''}`);
}

/** The fleet's store (YEMOT_REDIS_URL), loaded only then: a single instance never pays for it. */
async function fleetStore(config: Config): Promise<(PromiseStore & { close(): void }) | undefined> {
  if (!config.redis) return undefined;
  if (config.redis.password) processSecrets.addCredential(config.redis.password);
  const { RedisStore } = await import('./app/redis-store.js');
  const log = new Logger(config.logLevel);
  const store = new RedisStore(config.redis, { warn: (message) => log.warn(message) });
  // Checked once at start-up, so a wrong address or password is seen at once; the server starts either way (reads need no store).
  await store.ready().then(
    () => say(`yemot-mcp: the ledger of spends, confirmations, two-factor links and login cool-downs are kept in ${store.where}`),
    () => undefined,
  );
  return store;
}

/** The operator's account shared by every session, or (tenant mode) each session's own. */
async function serveOverHttp(config: Config, overrides: AppOverrides): Promise<HttpHandle> {
  // Loaded here, not at the top: stdio starts (the common case) should not pay for them.
  const [{ operatorHosting, serveHttp }, { tenantHosting }, { RefusedLogins }] = await Promise.all([
    import('./host/http-host.js'),
    import('./host/tenants.js'),
    import('./host/refused-logins.js'),
  ]);
  // Two-factor links are served by the HTTP server itself, at the address people reach it by.
  const apiUrl = overrides.apiUrl ?? config.apiUrl ?? DEFAULT_API_URL;
  const links = new OneTimeLinks({ apiUrl: async () => (typeof apiUrl === 'string' ? apiUrl : apiUrl()), instance: config.http.instance, store: overrides.store, secret: config.confirmKey });
  if (config.tenantCredentials) {
    const hosting = tenantHosting({ config, overrides, links, log: new Logger(config.logLevel), store: overrides.store, refused: new RefusedLogins(overrides.store) });
    return serveHttp(hosting, config.http);
  }
  const app = createApp(config, { ...overrides, links });
  const served = await serveHttp(operatorHosting({ ctx: app.ctx, tools: app.tools, version: VERSION, toolMode: config.toolMode }, links), config.http);
  return { url: served.url, close: async (graceMs) => (await served.close(graceMs), await app.close()) };
}

main().catch((error: unknown) => {
  say(`yemot-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
