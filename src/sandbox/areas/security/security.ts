import { fail, type Area } from '../../handler.js';
import { optInt, optString, requireInt } from '../../params.js';
import { describeSession, endSession } from '../../sessions.js';

/** Who logged in, which sessions are open, and ending them. */
export const security: Area = {
  GetLoginLog: {
    rules: { limit: { min: 1 } },
    handle({ params, state }) {
      const username = optString(params, 'username');
      const rows = [...state.loginLog].reverse().filter((row) => username === undefined || row.username === username);
      return { data: rows.slice(0, optInt(params, 'limit') ?? rows.length).map((row) => ({ ...row })) };
    },
  },
  GetAllSessions: {
    rules: { limit: { min: 1 } },
    handle({ params, state, mfa }) {
      const newestFirst = [...state.sessions].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
      const data = newestFirst.slice(0, optInt(params, 'limit') ?? newestFirst.length).map((session) => {
        const { token, ...rest } = describeSession(session, mfa.state(session.token));
        return { id: session.id, token, active: true, selectedDID: session.selectedDID, ...rest };
      });
      return { count: state.sessions.length, data };
    },
  },
  KillSession: {
    handle({ params, state }) {
      if (params.SessionId === undefined && params.sessionId !== undefined) fail('SessionId is required (capital S and I)');
      const id = requireInt(params, 'SessionId');
      const target = state.sessions.find((session) => session.id === id) ?? fail(`SessionId ${id} is not an open session`);
      endSession(state, target.token);
      return {};
    },
  },
  KillAllSessions: {
    handle({ state }) {
      state.sessions = [];
      return {};
    },
  },
};
