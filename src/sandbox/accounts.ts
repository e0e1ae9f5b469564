import { createDemoState } from './demo.js';
import { MfaAccount, type MfaOptions } from './mfa.js';
import { findSession } from './sessions.js';
import type { AccountState, SandboxSession } from './state.js';

/**
 * The Yemot accounts one sandbox serves at its one URL, as the vendor serves every account at one
 * address: which account a token or a Login belongs to, and refilling them all on reset.
 */

export interface FurtherAccount {
  username: string;
  password: string;
  mfa?: MfaOptions['initial'];
}

export interface HostedAccount {
  readonly username: string;
  /** The account's whole state; refill() refills this same object. */
  readonly account: AccountState;
  readonly mfa: MfaAccount;
}

interface Primary {
  /** The starting token: a session open from the start, without Login. */
  token: string;
  login: AccountState['login'];
  mfa: MfaOptions['initial'];
}

type Shared = Pick<MfaOptions, 'log' | 'codesInAnswers'>;

interface Entry extends HostedAccount {
  fresh(at: number): AccountState;
}

/**
 * A further account starts from the same demo without any open session: the demo's seeded sessions
 * carry fixed tokens, which would then name two accounts. Its sessions come from Login.
 */
function furtherDemo(login: AccountState['login'], at: number): AccountState {
  const state = createDemoState('', login, at);
  state.sessions = [];
  return state;
}

function checked(further: readonly FurtherAccount[], primaryUsername: string): void {
  const taken = new Set([primaryUsername]);
  further.forEach(({ username, password }, index) => {
    if (typeof username !== 'string' || username === '') throw new RangeError(`sandbox: accounts[${index}].username must be a non-empty string`);
    if (typeof password !== 'string' || password === '') throw new RangeError(`sandbox: accounts[${index}].password must be a non-empty string`);
    if (taken.has(username)) throw new RangeError(`sandbox: accounts[${index}].username ${username} is already another account's username`);
    taken.add(username);
  });
}

export class SandboxAccounts {
  /** The primary first, then the further accounts in the order given. */
  readonly list: readonly HostedAccount[];
  private readonly entries: Entry[];

  constructor(primary: Primary, further: readonly FurtherAccount[], shared: Shared, at: number) {
    checked(further, primary.login.username);
    const entry = (login: AccountState['login'], initial: MfaOptions['initial'], fresh: Entry['fresh']): Entry => ({
      username: login.username,
      account: fresh(at),
      mfa: new MfaAccount({ initial, ...shared }),
      fresh,
    });
    this.entries = [
      entry(primary.login, primary.mfa, (now) => createDemoState(primary.token, primary.login, now)),
      ...further.map(({ username, password, mfa }) => {
        const login = { username, password };
        return entry(login, mfa ?? 'passed', (now) => furtherDemo(login, now));
      }),
    ];
    this.list = this.entries;
  }

  get primary(): HostedAccount {
    return this.entries[0];
  }

  /** The open session with this token and the account holding it, whichever account that is. */
  withSession(token: string): { hosted: HostedAccount; session: SandboxSession } | undefined {
    for (const hosted of this.entries) {
      const session = findSession(hosted.account, token);
      if (session) return { hosted, session };
    }
    return undefined;
  }

  /**
   * The account a Login names. An unknown username goes to the primary, whose Login refuses it like a
   * wrong password and logs it there, so the answer never tells which usernames exist.
   */
  byUsername(username: string): HostedAccount {
    return this.entries.find((hosted) => hosted.account.login.username === username) ?? this.primary;
  }

  /** Every account back to its demo (the same state objects), two-factor included. */
  refill(at: number): void {
    for (const { account, mfa, fresh } of this.entries) {
      Object.assign(account, fresh(at));
      mfa.reset();
    }
  }
}
