import type { Answer } from './answer.js';
import { YemotError } from './errors.js';
import { processSecrets, type Secrets } from '../core/secrets.js';
import type { SendOptions, YemotHttp } from './http.js';
import type { AnswerKind, ReplyFor } from './kinds.js';

export type Credentials = { token: string } | { username: string; password: string };

/** The reply, and whether the session expired and a new one was opened by Login (two-factor state of the old one is gone). */
export type CallResult<K extends AnswerKind = AnswerKind> = ReplyFor<K> & { renewed: boolean };

export interface SessionOptions {
  /** The clock of the login cool-down (injected in tests). */
  now?: () => number;
  /**
   * With username and password, a session idle this long is kept alive by one cheap call: a Yemot token
   * dies after 30 minutes without a call (documented), and with it the session's two-factor pass. 0 = off.
   */
  keepAliveMs?: number;
  /** Where session tokens from Login are registered for redaction. */
  secrets?: Secrets;
}

const KEEP_ALIVE_MS = 25 * 60_000;
/** Logout at close gets this long at most (its queue wait included): a shutdown must not wait on the API. */
export const LOGOUT_DEADLINE_MS = 1_000;

// Repeated failed logins can lock a Yemot system: after a refused Login, wait before the next one,
// twice as long after each further refusal.
const FIRST_LOGIN_COOLDOWN_MS = 30_000;
const MAX_LOGIN_COOLDOWN_MS = 15 * 60_000;

/** The wait before the next Login after `refusals` refused ones in a row. */
export const loginCooldownMs = (refusals: number) => Math.min(FIRST_LOGIN_COOLDOWN_MS * 2 ** (refusals - 1), MAX_LOGIN_COOLDOWN_MS);

const NO_CREDENTIALS = new YemotError('AUTH_MISSING', 'No complete Yemot credentials are configured: a system number needs its password (or a token instead)', {
  hint: "Nothing was sent. Ask the person to give the server a token (YEMOT_TOKEN) or, better, the system number and its password (YEMOT_USERNAME and YEMOT_PASSWORD; in Claude Desktop: the extension's settings), then restart it; or to start it with --sandbox (Desktop: \"Sandbox\") to try without an account.",
});
const CLOSED = new YemotError('CANCELLED', 'The Yemot session has ended (the server is shutting down, or this session was closed)', {
  command: 'Login',
  hint: 'Nothing was sent. Start a new session.',
});
const AUTH_HINT = 'Check YEMOT_USERNAME (the system number) and YEMOT_PASSWORD, then restart the server. Failed logins are not repeated sooner: too many can lock the Yemot system.';

/** Holds the session token: a fixed one, or one obtained by Login and renewed once when it expires. */
export class YemotSession {
  private token: string | undefined;
  private login: Promise<string> | undefined;
  private refusedLogins = 0;
  private nextLoginAt = 0;
  private lastRefusal: YemotError | undefined;
  private readonly now: () => number;
  private readonly keepAliveMs: number;
  private keepAlive: NodeJS.Timeout | undefined;
  private readonly secrets: Secrets;
  private closed = false;

  constructor(
    readonly http: YemotHttp,
    private readonly credentials: Credentials | undefined,
    options: SessionOptions = {},
  ) {
    if (credentials && 'token' in credentials) this.token = credentials.token;
    this.now = options.now ?? Date.now;
    this.keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
    this.secrets = options.secrets ?? processSecrets;
  }

  /**
   * Ends the session: stops the keep-alive and logs out a token this session got by Login, so it does not stay
   * valid for Yemot's 30 idle minutes. A token the operator or a tenant supplied is theirs: left alone. Never
   * throws, and never takes longer than LOGOUT_DEADLINE_MS.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.keepAlive);
    const token = this.canLogin ? this.token : undefined;
    if (!token) return;
    this.token = undefined;
    await this.logOut(token);
  }

  private async logOut(token: string): Promise<void> {
    const deadline = AbortSignal.timeout(LOGOUT_DEADLINE_MS);
    await this.http.send('Logout', { token }, { signal: deadline, timeoutMs: LOGOUT_DEADLINE_MS }).catch(() => undefined);
    this.secrets.forget(token);
  }

  /** After every call of a login session: one cheap call when it has been idle keepAliveMs. */
  private scheduleKeepAlive(): void {
    if (!this.canLogin || this.keepAliveMs <= 0) return;
    clearTimeout(this.keepAlive);
    this.keepAlive = setTimeout(() => void this.verify().catch(() => undefined), this.keepAliveMs);
    this.keepAlive.unref();
  }

  /**
   * Proves the credentials with one request that changes nothing and needs no two-factor pass (isPass);
   * with username and password that is after a Login. Throws AUTH_FAILED or SESSION_EXPIRED when they fail.
   */
  async verify(signal?: AbortSignal): Promise<void> {
    await this.call('MFASession', { action: 'isPass' }, { retry: true, signal });
  }

  get canLogin(): boolean {
    return !!this.credentials && 'username' in this.credentials;
  }

  /**
   * The current token, logging in first if needed. Concurrent callers share one Login; a caller's
   * signal only stops its own wait, never the Login the others wait on (that runs under the client's deadline).
   */
  async currentToken(signal?: AbortSignal): Promise<string> {
    if (this.token) return this.token;
    if (!this.credentials || !('username' in this.credentials)) throw NO_CREDENTIALS;
    if (signal?.aborted) throw cancelledWait();
    if (!this.login) {
      if (this.closed) throw CLOSED;
      this.refuseDuringCooldown();
      this.login = this.logIn(this.credentials).finally(() => {
        this.login = undefined;
      });
    }
    return waitFor(this.login, signal);
  }

  /**
   * Sends one command. A session-expired refusal was not carried out, so with username and password
   * it is safe to log in once more and repeat the call once.
   */
  async call<K extends AnswerKind = 'json'>(command: string, params: Record<string, unknown>, options: SendOptions<K> = {}): Promise<CallResult<K>> {
    const token = await this.currentToken(options.signal);
    this.scheduleKeepAlive();
    try {
      return { ...(await this.http.send(command, { token, ...params }, options)), renewed: false };
    } catch (error) {
      if (!(error instanceof YemotError) || error.code !== 'SESSION_EXPIRED' || !this.canLogin) throw error;
      if (this.token === token) this.token = undefined;
      const fresh = await this.currentToken(options.signal);
      // The expired token is worthless now; the set of values to scrub should not grow with every renewal.
      if (fresh !== token) this.secrets.forget(token);
      return { ...(await this.http.send(command, { token: fresh, ...params }, options)), renewed: true };
    }
  }

  private async logIn({ username, password }: { username: string; password: string }): Promise<string> {
    let answer: Answer;
    try {
      ({ answer } = await this.http.send('Login', { username, password }));
    } catch (error) {
      throw error instanceof YemotError && error.code === 'AUTH_FAILED' ? this.recordRefusal(error) : error;
    }
    if (typeof answer.token !== 'string' || !answer.token) {
      throw new YemotError('BAD_RESPONSE', 'Login answered OK without a token', { command: 'Login', hint: 'Check YEMOT_API_URL.' });
    }
    this.secrets.add(answer.token);
    // Closed while this Login was under way: its token must not outlive the session either.
    if (this.closed) {
      await this.logOut(answer.token);
      throw CLOSED;
    }
    this.token = answer.token;
    this.refusedLogins = 0;
    return answer.token;
  }

  private recordRefusal(refusal: YemotError): YemotError {
    this.refusedLogins++;
    const cooldownMs = loginCooldownMs(this.refusedLogins);
    this.nextLoginAt = this.now() + cooldownMs;
    this.lastRefusal = refusal;
    return new YemotError('AUTH_FAILED', `${refusal.message}; the next Login is allowed in ${cooldownMs / 1000}s`, {
      command: 'Login',
      status: refusal.status,
      vendorMessage: refusal.vendorMessage,
      retryAfterSeconds: cooldownMs / 1000,
      hint: AUTH_HINT,
    });
  }

  private refuseDuringCooldown(): void {
    const waitMs = this.nextLoginAt - this.now();
    if (waitMs <= 0) return;
    const seconds = Math.ceil(waitMs / 1000);
    throw new YemotError('AUTH_FAILED', `Login was refused ${this.refusedLogins} time(s); not trying again for ${seconds}s (nothing was sent)`, {
      command: 'Login',
      status: this.lastRefusal?.status,
      vendorMessage: this.lastRefusal?.vendorMessage,
      retryAfterSeconds: seconds,
      hint: AUTH_HINT,
    });
  }
}

function cancelledWait(): YemotError {
  return new YemotError('CANCELLED', 'Login: cancelled by the client while waiting for the session', {
    command: 'Login',
    hint: 'Nothing of this call was sent.',
  });
}

/** The shared promise, or a rejection as soon as this caller's own signal aborts. */
function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return shared;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledWait());
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
