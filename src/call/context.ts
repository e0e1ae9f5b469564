import type { YemotSession } from '../client/session.js';
import type { Logger } from '../core/log.js';
import type { MfaTracker } from './mfa-state.js';
import type { Policy } from './policy.js';
import type { Transfers } from './transfers.js';
import type { LocalFiles } from './local-files.js';
import type { SpendLedger } from './spend-guard.js';
import type { ConfirmationTokens } from './confirm-token.js';
import type { Secrets } from '../core/secrets.js';
import type { PromiseStore } from './store.js';
import type { UndoJournal } from './journal.js';

export type MfaPrompt = 'auto' | 'url' | 'form' | 'off';

/** Everything a tool call needs besides its input; built once per server. */
export interface ToolContext {
  session: YemotSession;
  mfa: MfaTracker;
  policy: Policy;
  /** The operator's folders for local files (YEMOT_FILES_DIR). */
  files: LocalFiles;
  transfers: Transfers;
  /** Where the ledger and single-use confirmations are kept: a call with a confirmed effect is not made while it does not answer. */
  store: PromiseStore;
  /** The account's ledger of spends: a spend identical to a recent one is refused unless the call says `repeat: true`. */
  ledger: SpendLedger;
  /** Single-use confirmation tokens for hosts without forms. */
  tokens: ConfirmationTokens;
  /** The previous content of IVR files the tools overwrote or deleted, for undo_change. */
  journal: UndoJournal;
  /** The Yemot account calls act on (API host and system number, or a digest of the token): scopes the ledger and tokens. */
  account: () => Promise<string>;
  log: Logger;
  /** Values redacted from everything this context's calls return or log. */
  secrets: Secrets;
  /** Show SIP passwords (YEMOT_REVEAL_SECRETS=1). */
  reveal: boolean;
  /** Ask the person before spend, delete and irreversible calls (YEMOT_CONFIRM). */
  confirm: boolean;
  mfaPrompt: MfaPrompt;
  /** How long to wait for a person to finish verification, and how often to poll isPass. */
  mfaWaitMs: number;
  mfaPollMs: number;
  /** How often get_campaign_status reads a campaign it is asked to wait for. */
  watchPollMs: number;
  /** A one-time local link that opens the vendor's browser verification page without showing the token. */
  ssoLink: (token: string) => Promise<string>;
  /** A one-time link that shows a secret (a new SIP password) to the person who opens it, never to the agent. */
  secretLink: (secret: string, title: string) => Promise<string>;
}
