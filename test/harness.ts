import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, type ClientCapabilities, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { createApp } from '../src/app/app.js';
import type { Credentials } from '../src/client/session.js';
import { loadConfig } from '../src/config.js';
import { Logger } from '../src/core/log.js';
import { Secrets } from '../src/core/secrets.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../src/sandbox/index.js';
import { createServer } from '../src/server.js';
import type { PromiseStore } from '../src/call/store.js';

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox instead of starting one. */
  use?: Sandbox;
  argv?: string[];
  env?: Record<string, string>;
  /** token (default): the sandbox token; login: username/password; none: no credentials. */
  auth?: 'token' | 'login' | 'none';
  credentials?: Credentials;
  capabilities?: ClientCapabilities;
  /** Answers elicitation requests (declare the matching capability too). */
  onElicit?: (request: ElicitRequest['params']) => Promise<ElicitResult> | ElicitResult;
  apiUrl?: string;
  /** One request's time limit in ms (default: the configured one); short for the timeout path. */
  timeoutMs?: number;
  /** The idle time after which a username/password session is kept alive (default: the production 25 minutes). */
  keepAliveMs?: number;
  /**
   * Whether spend, delete and irreversible calls wait for the person's yes. The yes has its own suites
   * (confirmation.e2e, policy.e2e); elsewhere a client without forms runs as an operator who set YEMOT_CONFIRM=0,
   * unless the test says otherwise. A client that declares forms is asked, as in production.
   */
  confirm?: boolean;
  /** Where the ledger and confirmations are kept (a fleet's Redis); default the app's own memory. */
  store?: PromiseStore;
  /** The server process's secrets registry, for harnesses that stand for sessions of one process; default one of its own. */
  secrets?: Secrets;
}

/** The pause before a read's one retry: a few ms, so fault tests do not wait out the production 300 ms. */
export const TEST_RETRY_DELAY_MS = 5;

export interface CallOutcome {
  isError: boolean;
  json: Record<string, unknown>;
  text: string;
  structured?: Record<string, unknown>;
}

export async function startHarness(options: HarnessOptions = {}) {
  const sandboxLog: string[] = [];
  const sandbox = options.use ?? (await startSandbox({ log: (line) => sandboxLog.push(line), ...options.sandbox }));
  const logLines: string[] = [];
  // A registry of its own, as a server process has: harnesses of one test worker do not fill each other's.
  const secrets = options.secrets ?? new Secrets();
  const log = new Logger('debug', (line) => void logLines.push(line), secrets);
  const asks = options.confirm ?? !!options.capabilities?.elicitation;
  const config = loadConfig(options.argv ?? ['--toolsets', 'all'], { ...(!asks && { YEMOT_CONFIRM: '0' }), ...options.env });
  const credentials =
    options.credentials ??
    (options.auth === 'none' ? undefined : options.auth === 'login' ? { username: '0770000000', password: 'sandbox-password' } : { token: sandbox.token });
  const app = createApp({ ...config, credentials }, {
    apiUrl: options.apiUrl ?? sandbox.url,
    credentials,
    log,
    mfaPollMs: 20,
    watchPollMs: 20,
    retryDelayMs: TEST_RETRY_DELAY_MS,
    timeoutMs: options.timeoutMs,
    keepAliveMs: options.keepAliveMs,
    store: options.store,
    secrets,
  });
  const server = createServer({ ctx: app.ctx, tools: app.tools, version: 'test', toolMode: config.toolMode });
  const client = new Client({ name: 'harness', version: '1.0.0' }, { capabilities: options.capabilities ?? {} });
  const onElicit = options.onElicit;
  if (onElicit) client.setRequestHandler(ElicitRequestSchema, (request) => onElicit(request.params));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);

  async function call(name: string, args: Record<string, unknown> = {}): Promise<CallOutcome> {
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text ?? '';
    return { isError: result.isError === true, json: JSON.parse(text), text, structured: result.structuredContent as Record<string, unknown> | undefined };
  }

  return {
    sandbox,
    client,
    app,
    logLines,
    sandboxLog,
    call,
    /** Requests the simulator received since `from` (an index into sandbox.requests). */
    since: (from: number) => sandbox.requests.slice(from),
    async close() {
      await client.close();
      await server.close();
      await app.close();
      if (!options.use) await sandbox.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
