import { randomBytes } from 'node:crypto';
import { fail, type Area } from '../handler.js';

/** Logins kept at most: the oldest session ends when a new one would pass this (bounded memory). */
const MAX_SESSIONS = 1000;

const asText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

export const session: Area = {
  Login: {
    access: 'public',
    handle({ params, state, credentials }) {
      if (asText(params.username) !== credentials.username || asText(params.password) !== credentials.password) fail('Username or password is incorrect', { messageCode: 1 });
      const token = randomBytes(12).toString('base64url');
      state.sessions.push(token);
      if (state.sessions.length > MAX_SESSIONS) state.sessions.shift();
      return { token, yemotAPIVersion: 6 };
    },
  },
  MFASession: {
    access: 'session',
    handle: ({ mfa, token, params }) => mfa.handle(token, params),
  },
};
