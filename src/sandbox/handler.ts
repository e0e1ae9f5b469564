import type { MfaAccount } from './mfa.js';
import type { AccountState } from './state.js';

export type Params = Record<string, unknown>;

/** A file part of a multipart request. */
export interface UploadedFile {
  /** The form field name. */
  name: string;
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** What every handler gets. */
export interface CommandContext {
  params: Params;
  files: UploadedFile[];
  state: AccountState;
  method: string;
  /** The request's media type, lower case, without parameters ('' for none). */
  contentType: string;
  /** The server supports SIP. */
  sip: boolean;
  token: string;
  mfa: MfaAccount;
  /** Also put codes the sandbox "sends" (ValidationCallerId) in the answer, as MFASession's sandboxCode. */
  codesInAnswers: boolean;
  /** The simulated clock's epoch ms when the request is answered (campaigns, schedules and tasks run on it). */
  now: number;
}

/** An answer that is not a JSON object: text, bytes, or a bare HTTP status. */
export class RawReply {
  constructor(
    readonly contentType: string,
    readonly body: string | Uint8Array,
    readonly status = 200,
  ) {}
}

/** The fields of an OK answer (the dispatcher adds responseStatus and the version), or a raw reply. */
export type CommandResult = Params | RawReply;

export interface NumberRange {
  min?: number;
  max?: number;
  /** The docs call the parameter a Float (e.g. TzintukTimeOut): decimals are accepted. */
  decimals?: boolean;
}

export interface HandlerInfo {
  handle: (ctx: CommandContext) => CommandResult;
  /** Exists only on SIP servers; elsewhere it answers the documented no-SIP error. */
  sipOnly?: boolean;
  /** The documented numeric ranges of its integer parameters, checked before handle runs. */
  rules?: Record<string, NumberRange>;
  /** Who may call it: anyone (Login), any valid session (MFASession), or (default) a session past two-factor. */
  access?: 'public' | 'session' | 'passed';
}

/** An area module exports one of these: command name => handler. */
export type Area = Record<string, HandlerInfo>;

/** Thrown by handlers and readers; carries the full answer. */
export class ApiFail extends Error {
  constructor(readonly answer: Params) {
    super(String(answer.message));
  }
}

export function fail(message: string, extra: Params = {}): never {
  throw new ApiFail({ responseStatus: 'ERROR', message, ...extra });
}
