import type { Answer } from './answer.js';
import { YemotError } from './errors.js';
import { addSecret } from '../secrets.js';
import type { SendOptions, YemotHttp } from './http.js';

export type Credentials = { token: string } | { username: string; password: string };

export interface CallResult {
  answer: Answer;
  /** The session expired and a new one was opened by Login: two-factor state of the old one is gone. */
  renewed: boolean;
}

const NO_CREDENTIALS = new YemotError('AUTH_MISSING', 'No Yemot credentials are configured', {
  hint: 'Set YEMOT_TOKEN, or YEMOT_USERNAME and YEMOT_PASSWORD, in the server environment; or start it with --sandbox to try without an account.',
});

/** Holds the session token: a fixed one, or one obtained by Login and renewed once when it expires. */
export class YemotSession {
  private token: string | undefined;
  private login: Promise<string> | undefined;

  constructor(
    readonly http: YemotHttp,
    private readonly credentials: Credentials | undefined,
  ) {
    if (credentials && 'token' in credentials) this.token = credentials.token;
  }

  get canLogin(): boolean {
    return !!this.credentials && 'username' in this.credentials;
  }

  /** The current token, logging in first if needed. */
  async currentToken(signal?: AbortSignal): Promise<string> {
    if (this.token) return this.token;
    if (!this.credentials) throw NO_CREDENTIALS;
    if (!('username' in this.credentials)) throw NO_CREDENTIALS;
    const { username, password } = this.credentials;
    this.login ??= this.http
      .send('Login', { username, password }, { signal })
      .then((answer) => {
        if (typeof answer.token !== 'string' || !answer.token) {
          throw new YemotError('BAD_RESPONSE', 'Login answered OK without a token', { command: 'Login', hint: 'Check YEMOT_API_URL.' });
        }
        addSecret(answer.token);
        this.token = answer.token;
        return answer.token;
      })
      .finally(() => {
        this.login = undefined;
      });
    return this.login;
  }

  /**
   * Sends one command. A session-expired refusal was not carried out, so with username and password
   * it is safe to log in once more and repeat the call once.
   */
  async call(command: string, params: Record<string, unknown>, options: SendOptions = {}): Promise<CallResult> {
    const token = await this.currentToken(options.signal);
    try {
      return { answer: await this.http.send(command, { token, ...params }, options), renewed: false };
    } catch (error) {
      if (!(error instanceof YemotError) || error.code !== 'SESSION_EXPIRED' || !this.canLogin) throw error;
      if (this.token === token) this.token = undefined;
      const fresh = await this.currentToken(options.signal);
      return { answer: await this.http.send(command, { token: fresh, ...params }, options), renewed: true };
    }
  }
}
