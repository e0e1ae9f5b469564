import { formatDateTime } from './params.js';
import type { AccountState, SandboxSession } from './state.js';

/** Session tokens: opened by Login, touched by every call, ended by KillSession, KillAllSessions, Logout or idleness. */

/** Documented: a token dies after 30 minutes without any API call. */
export const SESSION_IDLE_MS = 30 * 60_000;

/** Logins kept at most: the oldest session ends when a new one would pass this (bounded memory). */
const MAX_SESSIONS = 1000;

/** The sandbox listens on loopback only, so every caller comes from here. */
export const CALLER_IP = '127.0.0.1';

export interface NewSession {
  token: string;
  at: number;
  remoteIP?: string;
  sessionType?: string;
  idles?: boolean;
}

export function openSession(state: AccountState, { token, at, remoteIP = CALLER_IP, sessionType = 'API', idles = true }: NewSession): SandboxSession {
  const session: SandboxSession = { id: state.nextSessionId++, token, remoteIP, sessionType, selectedDID: state.mainDid, createdAt: at, lastRequestAt: at, idles };
  state.sessions.push(session);
  if (state.sessions.length > MAX_SESSIONS) state.sessions.shift();
  return session;
}

export const findSession = (state: AccountState, token: string) => state.sessions.find((session) => session.token === token);

export function endSession(state: AccountState, token: string): void {
  state.sessions = state.sessions.filter((session) => session.token !== token);
}

/** Ends every session idle for more than SESSION_IDLE_MS at `now`. */
export function endIdleSessions(state: AccountState, now: number): void {
  state.sessions = state.sessions.filter((session) => !session.idles || now - session.lastRequestAt <= SESSION_IDLE_MS);
}

/** The fields GetAllSessions and ValidationToken share, two-factor state included. */
export function describeSession(session: SandboxSession, mfa: { isPass: boolean; isPassInThisSession: boolean; passReason: string }) {
  return {
    token: session.token,
    remoteIP: session.remoteIP,
    sessionType: session.sessionType,
    createTime: formatDateTime(new Date(session.createdAt)),
    lastRequest: formatDateTime(new Date(session.lastRequestAt)),
    // The legacy DoubleAuth flow is not simulated: no session passes it.
    doubleAuthStatus: false,
    mfaStatus: mfa.isPass,
    mfaRealValid: mfa.isPassInThisSession,
    mfaRequestId: null,
    mfaValidReason: mfa.passReason || null,
  };
}
