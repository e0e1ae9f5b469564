import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createDemoAccount, type DemoAccount } from './account.js';
import { isCommand, runCommand, withVersion, type Outcome } from './commands.js';
import { applyFault, FaultQueue, type Fault } from './faults.js';
import { MfaAccount } from './mfa.js';
import { serveSsoPage, SSO_PAGE_PATH } from './sso-page.js';

export type { DemoAccount } from './account.js';
export type { Fault } from './faults.js';

export interface SandboxOptions {
  port?: number;
  token?: string;
  username?: string;
  password?: string;
  mfa?: 'not-passed' | 'passed' | 'hard';
  /**
   * Also return a sent two-factor code in the MFASession answer (sandboxCode), for hosts that show
   * no stderr (default false, as the real API; the --sandbox server turns it on).
   */
  codesInAnswers?: boolean;
  sip?: boolean;
  latencyMs?: number;
  log?: (line: string) => void;
  /** Log one line per request (default true; the --sandbox server turns it on only at debug level). */
  trace?: boolean;
  /** Keep every request for `requests` (default true; off in the long-running --sandbox server). */
  record?: boolean;
}

export interface RecordedRequest {
  command: string;
  method: string;
  contentType: string;
  params: Record<string, unknown>;
  url: string;
  rawBody: string;
}

export interface Sandbox {
  url: string;
  token: string;
  requests: RecordedRequest[];
  maxInFlight: number;
  inFlight(): number;
  /** TCP connections accepted since start: shows whether clients reuse them (keep-alive). */
  connections(): number;
  injectFault(fault: Fault, match?: { command?: string; times?: number }): void;
  clearFaults(): void;
  expireSession(token?: string): void;
  mfa: import('./mfa.js').MfaAccount;
  account: DemoAccount;
  reset(): void;
  close(): Promise<void>;
}

const API_PREFIX = '/ym/api/';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

interface ParsedBody {
  params: Record<string, unknown>;
  error?: string;
}

function parseBody(contentType: string, rawBody: string): ParsedBody {
  if (contentType === 'application/json') {
    if (rawBody.trim() === '') return { params: {} };
    try {
      const value: unknown = JSON.parse(rawBody);
      if (value && typeof value === 'object' && !Array.isArray(value)) return { params: value as Record<string, unknown> };
      return { params: {}, error: 'the JSON body must be an object' };
    } catch {
      return { params: {}, error: 'the body is not valid JSON' };
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') return { params: Object.fromEntries(new URLSearchParams(rawBody)) };
  return { params: {} };
}

function commandOf(pathname: string): string {
  const segment = pathname.slice(API_PREFIX.length);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const tokenOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[sandbox] ${line}\n`));
  const trace = options.trace === false ? () => undefined : log;
  const record = options.record !== false;
  const initialToken = options.token ?? 'sandbox-token';
  const username = options.username ?? '0770000000';
  const password = options.password ?? 'sandbox-password';
  const sip = options.sip ?? true;
  const latencyMs = Math.max(0, options.latencyMs ?? 0);

  const account = createDemoAccount();
  const sessions = new Set<string>([initialToken]);
  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue();
  const mfa = new MfaAccount({ initial: options.mfa ?? 'passed', log, codesInAnswers: options.codesInAnswers });
  const sockets = new Set<Socket>();
  const waiting = new Map<NodeJS.Timeout, () => void>();
  let inFlight = 0;
  let maxInFlight = 0;
  let closed = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => (waiting.delete(timer), resolve()), ms);
      waiting.set(timer, resolve);
    });

  function login(params: Record<string, unknown>): Record<string, unknown> {
    if (tokenOf(params.username) === username && tokenOf(params.password) === password) {
      const token = randomBytes(12).toString('base64url');
      sessions.add(token);
      return { responseStatus: 'OK', token, yemotAPIVersion: 6 };
    }
    return { responseStatus: 'ERROR', message: 'Username or password is incorrect', messageCode: 1 };
  }

  function answer(command: string, method: string, contentType: string, params: Record<string, unknown>): Outcome {
    const json = (body: Record<string, unknown>): Outcome => ({ kind: 'json', answer: withVersion(body) });
    if (method !== 'GET' && method !== 'POST') return json({ responseStatus: 'ERROR', message: `method ${method} is not supported; use GET or POST` });
    if (command === 'Login') return json(login(params));
    const token = tokenOf(params.token);
    if (token === '') return json({ responseStatus: 'ERROR', message: 'token is missing' });
    if (!sessions.has(token)) return json({ responseStatus: 'EXCEPTION', message: 'IllegalStateException(session token is invalid)' });
    if (command === 'MFASession') return json(mfa.handle(token, params));
    if (!isCommand(command)) return json({ responseStatus: 'ERROR', message: `unknown command ${command}` });
    if (!mfa.isPass(token)) return json({ responseStatus: 'FORBIDDEN', message: 'MFA_REQUIRED' });
    return runCommand(command, { params, account, method, contentType, json: contentType === 'application/json', sip }, log);
  }

  function send(res: ServerResponse, outcome: Outcome): void {
    const body = outcome.kind === 'json' ? JSON.stringify(outcome.answer) : outcome.body;
    res.writeHead(200, {
      'Content-Type': outcome.kind === 'json' ? JSON_TYPE : outcome.contentType,
      'Content-Length': Buffer.byteLength(body),
      Connection: 'keep-alive',
    });
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === SSO_PAGE_PATH) {
      serveSsoPage(req, res, (await readBody(req)) ?? '', (token) => sessions.has(token), (token) => mfa.completeSso(token));
      return;
    }
    if (!url.pathname.startsWith(API_PREFIX)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('request body too large\n');
      return;
    }
    const command = commandOf(url.pathname);
    const method = (req.method ?? 'GET').toUpperCase();
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const body = parseBody(contentType, rawBody);
    const params: Record<string, unknown> = { ...Object.fromEntries(url.searchParams), ...body.params };
    if (record) requests.push({ command, method, contentType, params, url: req.url ?? url.pathname, rawBody });

    if (latencyMs > 0) await delay(latencyMs);
    if (closed || res.destroyed) return;
    const fault = faults.take(command);
    if (fault) {
      trace(`${method} ${command} -> fault ${fault.kind}${fault.kind === 'http' ? ` ${fault.status}` : ''}`);
      applyFault(fault, res);
      return;
    }
    const outcome = body.error ? ({ kind: 'json', answer: withVersion({ responseStatus: 'ERROR', message: body.error }) } as const) : answer(command, method, contentType, params);
    if (outcome.kind === 'json') {
      const message = typeof outcome.answer.message === 'string' ? `: ${outcome.answer.message.slice(0, 120)}` : '';
      trace(`${method} ${command} -> ${String(outcome.answer.responseStatus)}${message}`);
    } else trace(`${method} ${command} -> ${outcome.contentType.split(';')[0]}`);
    send(res, outcome);
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) (counted = false), (inFlight -= 1);
    };
    res.once('finish', done);
    res.once('close', done);
    handle(req, res).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('sandbox error\n');
      } else res.destroy();
    });
  });
  let connections = 0;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${API_PREFIX}`;
  log(`listening on ${url} (mfa: ${options.mfa ?? 'passed'}, sip: ${sip ? 'yes' : 'no'})`);

  let closing: Promise<void> | undefined;

  return {
    url,
    token: initialToken,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    inFlight: () => inFlight,
    connections: () => connections,
    injectFault: (fault, match) => faults.add(fault, match),
    clearFaults: () => faults.clear(),
    expireSession(token = initialToken) {
      sessions.delete(token);
    },
    mfa,
    account,
    reset() {
      requests.length = 0;
      faults.clear();
      Object.assign(account, createDemoAccount());
      sessions.clear();
      sessions.add(initialToken);
      mfa.reset();
      maxInFlight = inFlight;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        for (const [timer, resolveWait] of waiting) (clearTimeout(timer), resolveWait());
        waiting.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
