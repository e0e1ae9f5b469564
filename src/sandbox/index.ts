import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SandboxAccounts, type FurtherAccount, type HostedAccount } from './accounts.js';
import { account } from './areas/caller-ids/approved.js';
import { bridgeCall } from './areas/calls/bridge-call.js';
import { callerIdValidation } from './areas/caller-ids/validation.js';
import { campaignReports } from './areas/campaign-runs/reports.js';
import { campaigns } from './areas/campaigns/send-tts.js';
import { fax } from './areas/calls/fax.js';
import { fileActions } from './areas/files/file-action.js';
import { files } from './areas/files/transfers.js';
import { ivrReads } from './areas/files/ivr-read.js';
import { ivrWrites } from './areas/files/ivr-write.js';
import { liveCalls } from './areas/calls/live-calls.js';
import { musicOnHold } from './areas/queues/music-on-hold.js';
import { profile } from './areas/account/profile.js';
import { queues } from './areas/queues/queues.js';
import { reports } from './areas/files/ymgr-reports.js';
import { scheduledCampaigns } from './areas/campaign-runs/scheduled-campaigns.js';
import { security } from './areas/security/security.js';
import { session } from './areas/mfa/session.js';
import { sip } from './areas/sip/sip.js';
import { smsSending } from './areas/sms/send.js';
import { sms } from './areas/sms/logs.js';
import { tasks } from './areas/tasks/tasks.js';
import { templateCampaigns } from './areas/campaign-runs/template-campaigns.js';
import { templates } from './areas/templates/templates.js';
import { tzintuk } from './areas/tzintuk/tzintuk.js';
import { units } from './areas/account/units.js';
import { runHandler, withVersion, type Outcome } from './dispatch.js';
import { applyFault, FaultQueue, type Fault } from './faults.js';
import { RawReply, type Area, type HandlerInfo, type Params, type UploadedFile } from './handler.js';
import type { MfaAccount } from './mfa.js';
import { mediaType, parseBody, readBody } from './request.js';
import { simulate } from './simulate.js';
import { endIdleSessions, endSession } from './sessions.js';
import { serveSsoPage, SSO_PAGE_PATH } from './sso-page.js';
import type { AccountState } from './state.js';

export type { FurtherAccount, HostedAccount } from './accounts.js';
export type { AccountState } from './state.js';
export type { Fault } from './faults.js';
export type { HandlerInfo } from './handler.js';

/** Every simulated command comes from one of these areas; a new command is one handler in its area. */
const AREAS: readonly Area[] = [
  session,
  security,
  profile,
  account,
  units,
  callerIdValidation,
  campaigns,
  templates,
  templateCampaigns,
  campaignReports,
  scheduledCampaigns,
  tasks,
  tzintuk,
  bridgeCall,
  fax,
  liveCalls,
  files,
  ivrReads,
  ivrWrites,
  fileActions,
  reports,
  queues,
  musicOnHold,
  sip,
  sms,
  smsSending,
];

/** The simulator's commands by name, with their flags and documented ranges. */
export function sandboxCommands(): Map<string, HandlerInfo> {
  const commands = new Map<string, HandlerInfo>();
  for (const area of AREAS) {
    for (const [name, info] of Object.entries(area)) {
      if (commands.has(name)) throw new Error(`sandbox: command ${name} is declared by two areas`);
      commands.set(name, info);
    }
  }
  return commands;
}

export interface SandboxOptions {
  port?: number;
  token?: string;
  username?: string;
  password?: string;
  mfa?: 'not-passed' | 'passed' | 'hard';
  /**
   * Also return a sent code (two-factor in MFASession, caller-ID validation in ValidationCallerId) in
   * the answer as sandboxCode, for hosts that show no stderr (default false, as the real API; the
   * --sandbox server turns it on).
   */
  codesInAnswers?: boolean;
  sip?: boolean;
  latencyMs?: number;
  log?: (line: string) => void;
  /** Log one line per request (default true; the --sandbox server turns it on only at debug level). */
  trace?: boolean;
  /** Keep every request for `requests` (default true; off in the long-running --sandbox server). */
  record?: boolean;
  /** The clock campaigns, scheduled runs and tasks follow (default Date.now); advance() moves it on. */
  now?: () => number;
  /**
   * Further accounts served at the same URL beside the primary (username/password/token/mfa above), as the
   * vendor serves every account at one address. Each has its own demo state, two-factor and sessions; it
   * starts with no open session (Login opens them). Usernames must differ.
   */
  accounts?: FurtherAccount[];
}

export interface RecordedRequest {
  command: string;
  method: string;
  /** The media type, lower case, without parameters. */
  contentType: string;
  params: Record<string, unknown>;
  /** Multipart file parts, bytes as received. */
  files: UploadedFile[];
  url: string;
  /** The body as text; '' for multipart bodies (their fields are in params, their files in files). */
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
  /** The primary account's two-factor. */
  mfa: MfaAccount;
  /** The primary account's whole state; reset() refills this same object. */
  account: AccountState;
  /** Every account served: the primary first, then `options.accounts` in order. */
  accounts: readonly HostedAccount[];
  /** Resets every account and the clock's advance. */
  reset(): void;
  /** The simulated time, epoch ms: the `now` option (or Date.now) plus every advance since the last reset. */
  now(): number;
  /** Moves simulated time on by ms and runs what falls due: calls progress, scheduled campaigns fire, tasks run. */
  advance(ms: number): void;
  close(): Promise<void>;
}

const API_PREFIX = '/ym/api/';
const SSO_BODY_BYTES = 64 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

function commandOf(pathname: string): string {
  const segment = pathname.slice(API_PREFIX.length);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function send(res: ServerResponse, outcome: Outcome): void {
  const raw = outcome instanceof RawReply;
  const body = raw ? outcome.body : JSON.stringify(outcome);
  res.writeHead(raw ? outcome.status : 200, {
    'Content-Type': raw ? outcome.contentType : JSON_TYPE,
    'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.length,
    Connection: 'keep-alive',
  });
  res.end(body);
}

function traceLine(method: string, command: string, outcome: Outcome): string {
  if (outcome instanceof RawReply) return `${method} ${command} -> ${outcome.status} ${outcome.contentType.split(';')[0]}`;
  const message = typeof outcome.message === 'string' ? `: ${outcome.message.slice(0, 120)}` : '';
  return `${method} ${command} -> ${String(outcome.responseStatus)}${message}`;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[sandbox] ${line}\n`));
  const trace = options.trace === false ? () => undefined : log;
  const record = options.record !== false;
  const initialToken = options.token ?? 'sandbox-token';
  const login = { username: options.username ?? '0770000000', password: options.password ?? 'sandbox-password' };
  const sip = options.sip ?? true;
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  const codesInAnswers = options.codesInAnswers ?? false;

  const commands = sandboxCommands();
  const baseClock = options.now ?? Date.now;
  let advanced = 0;
  const now = () => baseClock() + advanced;
  const accounts = new SandboxAccounts({ token: initialToken, login, mfa: options.mfa ?? 'passed' }, options.accounts ?? [], { log, codesInAnswers }, now());
  const simulateAll = (at: number) => accounts.list.forEach(({ account: state }) => simulate(state, at));
  const requests: RecordedRequest[] = [];
  const faults = new FaultQueue();
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

  /** The session and two-factor gates of the account the request belongs to, then the command's handler. */
  function answer(command: string, method: string, contentType: string, params: Params, uploads: UploadedFile[]): Outcome {
    const error = (message: string, responseStatus = 'ERROR') => withVersion({ responseStatus, message });
    if (method !== 'GET' && method !== 'POST') return error(`method ${method} is not supported; use GET or POST`);
    const info = commands.get(command);
    const token = textOf(params.token);
    const at = now();
    for (const { account: state } of accounts.list) endIdleSessions(state, at);
    let holder: HostedAccount;
    if (info?.access === 'public') holder = accounts.byUsername(textOf(params.username));
    else {
      if (token === '') return error('token is missing');
      const found = accounts.withSession(token);
      if (!found) return error('IllegalStateException(session token is invalid)', 'EXCEPTION');
      found.session.lastRequestAt = at;
      if (!info) return error(`unknown command ${command}`);
      if (info.access !== 'session' && !found.hosted.mfa.isPass(token)) return error('MFA_REQUIRED', 'FORBIDDEN');
      holder = found.hosted;
    }
    simulateAll(at);
    const { account: state, mfa } = holder;
    return runHandler(command, info, { params, files: uploads, state, method, contentType, sip, token, mfa, codesInAnswers, now: at }, log);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === SSO_PAGE_PATH) {
      const body = (await readBody(req, SSO_BODY_BYTES))?.toString('utf8') ?? '';
      serveSsoPage(req, res, body, (token) => accounts.withSession(token) !== undefined, (token) => accounts.withSession(token)?.hosted.mfa.completeSso(token));
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
    const header = String(req.headers['content-type'] ?? '');
    const contentType = mediaType(header);
    const body = await parseBody(header, rawBody);
    const params: Params = { ...Object.fromEntries(url.searchParams), ...body.params };
    if (record) {
      const text = contentType === 'multipart/form-data' ? '' : rawBody.toString('utf8');
      requests.push({ command, method, contentType, params, files: body.files, url: req.url ?? url.pathname, rawBody: text });
    }

    if (latencyMs > 0) await delay(latencyMs);
    if (closed || res.destroyed) return;
    const fault = faults.take(command);
    if (fault) {
      trace(`${method} ${command} -> fault ${fault.kind}${fault.kind === 'http' ? ` ${fault.status}` : ''}`);
      applyFault(fault, res);
      return;
    }
    const outcome = body.error ? withVersion({ responseStatus: 'ERROR', message: body.error }) : answer(command, method, contentType, params, body.files);
    trace(traceLine(method, command, outcome));
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
      for (const { account: state } of accounts.list) endSession(state, token);
    },
    mfa: accounts.primary.mfa,
    account: accounts.primary.account,
    accounts: accounts.list,
    reset() {
      requests.length = 0;
      faults.clear();
      advanced = 0;
      accounts.refill(now());
      maxInFlight = inFlight;
    },
    now,
    advance(ms) {
      if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`sandbox advance: ms must be a finite number >= 0, got ${ms}`);
      advanced += ms;
      simulateAll(now());
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
