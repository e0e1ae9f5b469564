/** The whole error vocabulary. Every refusal an agent sees carries one of these codes. */
export const ERROR_CODES = [
  'AUTH_MISSING',
  'AUTH_FAILED',
  'SESSION_EXPIRED',
  'MFA_REQUIRED',
  'HARD_AUTH_REQUIRED',
  'MFA_UNAVAILABLE',
  'RATE_LIMITED',
  'NOT_SUPPORTED',
  'INVALID_INPUT',
  'NOT_ALLOWED',
  'NOT_ENABLED',
  'DECLINED',
  'API_ERROR',
  'HTTP_ERROR',
  'NOT_FOUND',
  'NETWORK',
  'TIMEOUT',
  'CANCELLED',
  'BAD_RESPONSE',
  'RESPONSE_TOO_LARGE',
  'BUSY',
  'NOTHING_DONE',
  'CONFLICT',
  'MFA_CODE_INVALID',
  'MFA_CODE_EXPIRED',
  'DUPLICATE_SPEND',
  'CONFIRMATION_REQUIRED',
  'CONFIRMATION_MISMATCH',
  'CONFIRMATION_EXPIRED',
  'INSUFFICIENT_UNITS',
  'LIMIT_REACHED',
  'STORE_UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface YemotErrorInit {
  command?: string;
  /** The API's responseStatus, or the HTTP status. */
  status?: string;
  vendorMessage?: string;
  /** One line: what to do next. */
  hint: string;
  /** A write whose request may have reached the API: it may or may not have taken effect. */
  outcomeUnknown?: boolean;
  /** How long the API asked to wait before this is tried again (RATE_LIMITED, a 503 that said so). */
  retryAfterSeconds?: number;
  /** Code-specific facts an agent acts on (attempts left, when the first spend went, ...). */
  details?: Record<string, unknown>;
}

/** "7 seconds (after 2025-06-01T10:00:07Z)": when to try again, in words an agent can still act on later. */
export function waitFor(seconds: number): string {
  const after = new Date(Date.now() + seconds * 1000);
  // A wait past the year 275760 (a hostile Retry-After) has no date.
  return Number.isNaN(after.getTime()) ? `${seconds} seconds` : `${seconds} seconds (after ${after.toISOString().replace(/\.\d+Z$/, 'Z')})`;
}

export class YemotError extends Error {
  readonly code: ErrorCode;
  readonly command?: string;
  readonly status?: string;
  readonly vendorMessage?: string;
  readonly hint: string;
  readonly outcomeUnknown: boolean;
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, reason: string, init: YemotErrorInit) {
    super(reason);
    this.name = 'YemotError';
    this.code = code;
    this.command = init.command;
    this.status = init.status;
    this.vendorMessage = init.vendorMessage;
    this.hint = init.hint;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = init.details;
  }

  /** The shape agents receive: stable fields, no stack. */
  toJSON(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      ...(this.command && { command: this.command }),
      ...(this.status && { status: this.status }),
      ...(this.vendorMessage && { vendorMessage: this.vendorMessage }),
      ...(this.outcomeUnknown && { outcomeUnknown: true }),
      ...(this.retryAfterSeconds !== undefined && { retryAfterSeconds: this.retryAfterSeconds }),
      ...this.details,
      next: this.hint,
    };
  }
}
