import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { tool, type AnswerHook, type Input } from '../call/command.js';
import type { ToolContext } from '../call/context.js';

/** Passwords and sessions: opt-in (the `security` toolset). */

const sessionRow = z.looseObject({ id: z.unknown(), token: z.unknown(), thisServer: z.boolean().optional(), remoteIP: z.unknown(), createTime: z.unknown(), lastRequest: z.unknown() });

// Which session is this server's own: the one whose token is the server's (the token itself stays masked).
const markOwnSession: AnswerHook = (_ctx, { token, answer }) => {
  if (!Array.isArray(answer.data)) return;
  for (const row of answer.data as Array<Record<string, unknown>>) if (row && row.token === token) row.thisServer = true;
};

async function sessionsNow(ctx: ToolContext, signal?: AbortSignal): Promise<{ rows: Array<Record<string, unknown>>; own: unknown }> {
  const token = await ctx.session.currentToken(signal);
  const { answer } = await ctx.session.call('GetAllSessions', {}, { retry: true, signal });
  const rows = Array.isArray(answer.data) ? (answer.data as Array<Record<string, unknown>>) : [];
  return { rows, own: rows.find((row) => row.token === token)?.id };
}

/** The session as the person knows it: where from, what kind, when last used (it may be their own browser). */
function sessionWords(row: Record<string, unknown> | undefined, id: unknown): string {
  if (!row) return `Session ${String(id)} is not among the sessions GetAllSessions lists now.`;
  return `Session ${String(id)}: ${String(row.sessionType ?? 'a session')} from ${String(row.remoteIP ?? 'an unknown address')}, opened ${String(row.createTime ?? '?')}, last used ${String(row.lastRequest ?? '?')}.`;
}

const afterOwnSessionEnds = (ctx: ToolContext) =>
  ctx.session.canLogin
    ? "This server's own session ends too: its next call logs in again once (two-factor must be passed again)."
    : "This server's own session ends too: its token stops working and every later call answers SESSION_EXPIRED until the operator sets a fresh YEMOT_TOKEN.";

export const securityTools = [
  tool({
    name: 'read_security',
    title: 'Sessions and login history',
    command: 'GetAllSessions',
    selects: 'command',
    toolset: 'security',
    effect: 'read',
    summary:
      "The sessions (this server's own marked thisServer), the login history, or this session's details. Tokens are always masked.",
    keywords: ['התחברויות', 'כניסות', 'התחבר', 'login', 'logged in', 'signed in'],
    actions: { GetAllSessions: { uses: ['limit'] }, GetLoginLog: { uses: ['limit', 'username'] }, ValidationToken: {} },
    params: {
      limit: z.number().int().min(1).max(10_000).optional().describe('Rows at most'),
      username: z.string().min(1).max(40).optional().describe('Only this system number'),
    },
    onAnswer: markOwnSession,
    output: {
      count: z.number(),
      data: z.array(sessionRow.or(z.looseObject({ remoteIP: z.unknown(), successful: z.unknown() }))),
      tokenData: z.looseObject({}),
    },
    narrowWith: 'limit',
    examples: [{ command: 'GetAllSessions' }, { command: 'GetLoginLog', limit: 20, username: '0770000000' }, { command: 'ValidationToken' }],
  }),
  tool({
    name: 'kill_sessions',
    title: 'End sessions',
    command: 'KillSession',
    selects: 'command',
    toolset: 'security',
    effect: 'delete',
    summary: 'End one session (KillSession, SessionId = id from read_security GetAllSessions) or every session (KillAllSessions), this server\'s own included.',
    keywords: ['נתק', 'התנתק', 'ניתוק', 'disconnect', 'log out', 'sign out'],
    actions: { KillSession: { needs: ['SessionId'] }, KillAllSessions: {} },
    params: { SessionId: z.number().int().min(1).optional().describe('id from read_security GetAllSessions (the API spells it SessionId)') },
    output: {},
    confirm: (input) => (input.command === 'KillAllSessions' ? 'KillAllSessions will end every session of the system, this server\'s own included.' : `KillSession will end session ${String(input.SessionId)}.`),
    quote: async (ctx, input, signal) => {
      const { rows, own } = await sessionsNow(ctx, signal);
      if (input.command === 'KillAllSessions') return { note: `${rows.length} session(s) end. ${afterOwnSessionEnds(ctx)}` };
      const about = sessionWords(rows.find((row) => row.id === input.SessionId), input.SessionId);
      return { note: `${about} ${own === input.SessionId ? afterOwnSessionEnds(ctx) : "It is not this server's own session."}` };
    },
    verifyWith: 'read_security',
    examples: [{ command: 'KillSession', SessionId: 2 }, { command: 'KillAllSessions' }],
  }),
  tool({
    name: 'set_password',
    title: 'Change the admin password',
    command: 'SetPassword',
    toolset: 'security',
    effect: 'irreversible',
    summary: "Change the system's admin password (password = the current one).",
    keywords: ['סיסמה', 'סיסמא', 'change password'],
    params: {
      password: z.string().min(1).max(100).describe('The current admin password'),
      newPassword: z.string().min(6).max(100).describe('The new admin password'),
    },
    output: {},
    outcome: (_answer, _input, ctx) =>
      ctx.session.canLogin
        ? { warning: 'The password this server logs in with (YEMOT_PASSWORD) is now stale: its next Login will fail until the operator updates it and restarts the server.' }
        : undefined,
    done: () => 'SetPassword done: the admin password was changed',
    // What the person should know before it (an agent had to guess): the docs do not say that open sessions end.
    quote: async (ctx) => ({
      note: `The docs do not say whether open sessions end: read_security GetAllSessions shows them after, kill_sessions ends them.${ctx.session.canLogin ? ' This server logs in with the old password (YEMOT_PASSWORD): its next Login fails until the operator updates it.' : ''}`,
    }),
    examples: [{ password: 'sandbox-password', newPassword: 'N3w-sandbox-password' }],
  }),
];

const PROFILE_FIELDS = ['name', 'email', 'organization', 'contactName', 'phones', 'invoiceName', 'invoiceAddress', 'fax', 'accessPassword', 'recordPassword'] as const;
const LINE_PASSWORDS = new Set(['accessPassword', 'recordPassword']);

/** Line passwords change only with the operator's opt-in (the same one that reveals them). */
export function refuseUnrevealedLinePasswords(ctx: ToolContext, input: Input): YemotError | undefined {
  if (ctx.reveal || !Object.keys(input).some((key) => LINE_PASSWORDS.has(key) && input[key] !== undefined)) return undefined;
  return new YemotError('NOT_ALLOWED', "set_customer_details: changing accessPassword or recordPassword needs the operator's opt-in", {
    command: 'SetCustomerDetails',
    hint: 'Nothing was sent. The operator allows it with YEMOT_REVEAL_SECRETS=1.',
  });
}

/**
 * SetCustomerDetails replaces every stored field (documented): an omitted one is blanked. So the tool reads
 * the profile first and sends every field, the ones given changed and the rest as they were.
 */
export async function mergeProfile(ctx: ToolContext, input: Input): Promise<Input> {
  const { answer } = await ctx.session.call('GetSession', {}, { retry: true });
  const current = Object.fromEntries(PROFILE_FIELDS.map((field) => [field, answer[field] ?? '']));
  return { ...current, ...input };
}

export const profileFields = Object.fromEntries(
  PROFILE_FIELDS.map((field) => [field, z.string().max(500).optional().describe(LINE_PASSWORDS.has(field) ? 'A line password (needs YEMOT_REVEAL_SECRETS=1)' : `The profile's ${field}`)]),
);
