import { randomBytes } from 'node:crypto';
import { fail, type Area } from '../../handler.js';
import { formatDateTime, requireString } from '../../params.js';
import { CALLER_IP, describeSession, endSession, findSession, openSession } from '../../sessions.js';

/** Login attempts kept at most, oldest dropped first (bounded memory). */
const MAX_LOGIN_LOG = 1000;
/** A logged username is cut here: the log keeps what was tried, not whatever a caller sends. */
const MAX_LOGGED_USERNAME = 64;

const asText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** Logging in and out, the calling session's own state, and the admin password. */
export const session: Area = {
  Login: {
    access: 'public',
    handle({ params, state, now }) {
      const username = asText(params.username);
      const successful = username === state.login.username && asText(params.password) === state.login.password;
      state.loginLog.push({ remoteIP: CALLER_IP, sessionType: 'API', actionTimestamp: formatDateTime(new Date(now)), username: username.slice(0, MAX_LOGGED_USERNAME), successful });
      if (state.loginLog.length > MAX_LOGIN_LOG) state.loginLog.shift();
      if (!successful) fail('Username or password is incorrect', { messageCode: 1 });
      const token = randomBytes(12).toString('base64url');
      openSession(state, { token, at: now });
      return { token, yemotAPIVersion: 6 };
    },
  },
  Logout: {
    access: 'session',
    handle({ state, token }) {
      endSession(state, token);
      return { message: 'logout successful' };
    },
  },
  MFASession: {
    access: 'session',
    handle: ({ mfa, token, params }) => mfa.handle(token, params),
  },
  ValidationToken: {
    access: 'session',
    handle({ state, token, mfa }) {
      const own = findSession(state, token)!;
      // The legacy DoubleAuth call flow is not simulated, so no verification call was ever placed.
      return { tokenData: { ...describeSession(own, mfa.state(token)), validationCalls: 0 } };
    },
  },
  SetPassword: {
    handle({ params, state }) {
      const current = requireString(params, 'password');
      const newPassword = requireString(params, 'newPassword');
      if (current !== state.login.password) fail('password (the current admin password) is incorrect');
      state.login.password = newPassword;
      return { message: 'ok' };
    },
  },
};
