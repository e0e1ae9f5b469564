import { waitFor, YemotError } from './errors.js';

export type Answer = Record<string, unknown>;

// The two documented expiry answers, matched exactly: after an expiry a spend is sent again under a new
// session, so a refusal that merely mentions these words must not count as one.
const SESSION_EXPIRED: ReadonlyArray<readonly [status: string, message: string]> = [
  ['EXCEPTION', 'IllegalStateException(session token is invalid)'],
  ['FORBIDDEN', 'session is expired'],
];
const RATE_LIMIT = /\bwait (\d+)\s*s\b/i;
// The API's own words for "this server has no SIP", sent under ERROR.
const NO_SIP = 'אינו תומך במערכת SIP';

/** Reads `responseStatus` (any casing); anything but OK becomes a YemotError with a stable code. */
export function checkAnswer(command: string, answer: Answer): Answer {
  const status = String(answer.responseStatus ?? '');
  if (status.toUpperCase() === 'OK') return answer;
  const vendorMessage = String(answer.message ?? answer.exceptionMessage ?? '') || undefined;
  const text = vendorMessage ?? '';
  const init = { command, status: status || undefined, vendorMessage };
  if (!status) {
    throw new YemotError('BAD_RESPONSE', `${command}: the answer has no responseStatus`, {
      ...init,
      hint: 'The API answered in an unexpected shape; try again later or check the API URL (YEMOT_API_URL).',
    });
  }
  if (text.includes('MFA_REQUIRED')) {
    throw new YemotError('MFA_REQUIRED', `${command}: this session has not passed two-factor authentication`, {
      ...init,
      hint: 'Call mfa_try once; if still not passed, mfa_list_methods, then mfa_send_code and mfa_verify_code.',
    });
  }
  if (SESSION_EXPIRED.some(([expiredStatus, message]) => status.toUpperCase() === expiredStatus && text === message)) {
    throw new YemotError('SESSION_EXPIRED', `${command}: the session token is no longer valid`, {
      ...init,
      hint: 'A Yemot token dies after 30 minutes without a call, or when a session is killed. Set a fresh YEMOT_TOKEN, or YEMOT_USERNAME and YEMOT_PASSWORD so the server can log in again (and keep its session alive), then restart it.',
    });
  }
  const wait = RATE_LIMIT.exec(text);
  if (wait) {
    const seconds = Number(wait[1]);
    throw new YemotError('RATE_LIMITED', `${command}: the API asks to wait ${seconds}s`, {
      ...init,
      retryAfterSeconds: seconds,
      hint: `Wait ${waitFor(seconds)} before trying once more; repeated attempts make the wait longer.`,
    });
  }
  if (text.includes(NO_SIP)) {
    throw new YemotError('NOT_SUPPORTED', `${command}: this Yemot server does not support SIP`, {
      ...init,
      hint: 'SIP commands work only on SIP-enabled servers; ask Yemot to move the system, or do not use the sip tools.',
    });
  }
  if (command === 'Login') {
    throw new YemotError('AUTH_FAILED', 'Login was refused', {
      ...init,
      hint: 'Check YEMOT_USERNAME (the system number) and YEMOT_PASSWORD, then restart the server.',
    });
  }
  const messageCode = typeof answer.messageCode === 'number' || typeof answer.messageCode === 'string' ? Number(answer.messageCode) : undefined;
  throw new YemotError('API_ERROR', `${command}: the API refused the call (${status}${messageCode === undefined ? '' : ` ${messageCode}`})`, {
    ...init,
    ...(messageCode !== undefined && !Number.isNaN(messageCode) && { details: { messageCode } }),
    hint: 'Read vendorMessage, fix the input it names, and do not repeat the same call unchanged.',
  });
}
