import { z } from 'zod';
import { tool, type AnswerHook, type Answer, type Input, type Outcome } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { nameEach } from './name-each.js';
import { dateTime } from '../call/params.js';
import { multiline } from '../call/sendable.js';

/** Every MFASession answer that carries the session's two-factor state refreshes what the gate knows of it. */
const trackMfaState: AnswerHook = (ctx, { token, action, answer }) => {
  if (action === 'validMFA' && answer.mfa_valid_status === 'VALID') ctx.mfa.verified(token);
  else ctx.mfa.record(token, answer);
};

const WARN = 'Failures can block the account: never loop.';

/** A loopback or private address is this server's own side of a network, not where the person is. */
const LOCAL_IP = /^(?:127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|::1$|f[cd][0-9a-f]{2}:|fe80:)/i;
const ipsOf = (value: unknown) => (Array.isArray(value) ? value.map(String) : String(value).split(/\r?\n/).map((ip) => ip.trim()).filter(Boolean));

/** The question for a trusted-IP list: what is trusted now, what will be, and which addresses are nobody's computer. */
async function trustQuote(ctx: ToolContext, input: Input, signal?: AbortSignal) {
  const after = ipsOf(input.trustIps);
  const { answer } = await ctx.session.call('MFASession', { action: 'getMFATrustIps' }, { retry: true, signal });
  const now = Array.isArray(answer.trustIps) ? answer.trustIps.map((entry) => String((entry as { ip?: unknown }).ip ?? entry)) : [];
  const local = after.filter((ip) => LOCAL_IP.test(ip));
  return {
    note: `Trusted now: ${now.length ? now.join(', ') : 'none'}. After: ${after.length ? after.join(', ') : 'none'}. A trusted address passes two-factor without a code for anyone connecting from it.`,
    ...(local.length && { warnings: [`${local.join(', ')} ${local.length === 1 ? 'is a' : 'are'} loopback or private address${local.length === 1 ? '' : 'es'}: the address Yemot sees is this server's, not the person's computer`] }),
  };
}

/** A method as the person knows it: kind, masked value, note and status, not its internal number. */
async function methodQuote(ctx: ToolContext, input: Input, signal?: AbortSignal) {
  const note = await nameEach(ctx, { command: 'MFASession', params: { action: 'getMFAMethods' } }, [String(input.mfaId)], {
    rows: (answer) => answer.mfaMethods,
    idOf: (method) => String(method.MFA_METHOD_ID),
    said: (id, method) => `Method ${id}: ${String(method.NIKE)}, ${String(method.VALUE)}${method.NOTE ? ` ("${String(method.NOTE)}")` : ''}, ${String(method.STATUS)}`,
    gone: (id) => `Method ${id} is not among the methods mfa_list_methods lists`,
    unread: 'The methods could not be read to name it: check mfa_list_methods before saying yes.',
  }, signal);
  return { note };
}

const sendType = z.enum(['CALL', 'SMS', 'EMAIL']).describe("One of the method's SEND_TYPE");
const lang = z.enum(['HE', 'EN']).optional().describe('Default HE');
const autoOtpHostname = z.string().max(255).optional().describe('Host name for SMS OTP autofill');
const methodId = z.string().min(1).max(40);
const code = z.string().regex(/^\d{4,8}$/, 'must be the 4-8 digit code').describe('The code received');

const sessionState = {
  isAvailable: z.boolean(),
  isPass: z.boolean(),
  passReason: z.unknown(),
  isPassInThisSession: z.boolean(),
};
const validation = {
  mfa_valid_status: z.string(),
  mfa_valid_trys: z.unknown(),
  mfa_valid_left: z.unknown(),
  mfa_valid_message: z.unknown(),
};

/** Answers to validMFA and validMethod: only VALID did what was asked; `resend` is the step that sends a new code. */
function codeVerdict(resend: string) {
  return (answer: Answer): Outcome | undefined => {
    if (answer.mfa_valid_status === undefined || answer.mfa_valid_status === 'VALID') return undefined;
    if (answer.mfa_valid_status === 'OVERTRY') {
      return { failure: 'MFA_CODE_EXPIRED', message: 'too many tries: the code is void', next: `Ask the person before sending a new code with ${resend}. ${WARN}` };
    }
    const left = Number(answer.mfa_valid_left);
    return {
      failure: 'MFA_CODE_INVALID',
      message: 'the code was not accepted',
      next: `Ask the person to check the code; do not guess. ${WARN}`,
      ...(Number.isFinite(left) && { details: { attemptsLeft: left } }),
    };
  };
}

/** The verification flow: always registered, whatever the operator's policy (see policy.ts). */
export const mfaTools = [
  tool({
    name: 'mfa_status',
    title: 'Two-factor status',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa',
    effect: 'read',
    auth: 'none',
    summary: 'The two-factor state of this session.',
    keywords: ['אימות דו שלבי', 'two-factor', '2FA', 'OTP'],
    actions: { isPass: {} },
    params: {},
    output: sessionState,
    examples: [{}],
  }),
  tool({
    name: 'mfa_try',
    title: 'Try two-factor without a code',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa',
    effect: 'write',
    auth: 'none',
    summary: `Pass two-factor without a code (trusted IP or remember-me), before the session passed. ${WARN}`,
    actions: { try: { unavailableAfter: 'pass' } },
    params: {},
    output: sessionState,
    examples: [{}],
  }),
  tool({
    name: 'mfa_list_methods',
    title: 'Two-factor methods',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa',
    effect: 'read',
    auth: 'none',
    summary: 'The two-factor methods (ID, SEND_TYPE; VALUE masked until hard authentication).',
    actions: { getMFAMethods: {} },
    params: {},
    output: { ...sessionState, mfaMethods: z.array(z.looseObject({ ID: z.unknown(), STATUS: z.unknown(), SEND_TYPE: z.unknown(), VALUE: z.unknown() })), ids: z.string() },
    // Each method carries two ids, and a wrong one is a failed try: the answer says which tool takes which.
    derive: (result) => ({ ...result, ids: 'mfa_send_code takes ID as mfaId; mfa_verify_method takes MFA_METHOD_ID as mfaId' }),
    examples: [{}],
  }),
  tool({
    name: 'mfa_send_code',
    title: 'Send a two-factor code',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa',
    effect: 'write',
    auth: 'none',
    summary: `Send a two-factor code (voids the previous one). ${WARN}`,
    keywords: ['שלח קוד', 'קוד אימות', 'אימות דו שלבי', 'OTP', 'verification code', '2FA'],
    actions: { sendMFA: { unavailableAfter: 'hard' } },
    params: {
      mfaId: z.number().int().min(0).describe('ID from mfa_list_methods'),
      mfaSendType: sendType,
      lang,
      autoOtpHostname,
    },
    output: {},
    done: (input) => `Code sent to method ${String(input.mfaId)} by ${String(input.mfaSendType)}; ask the person for it, then call mfa_verify_code`,
    examples: [
      { mfaId: 1, mfaSendType: 'SMS' },
      { mfaId: 1, mfaSendType: 'SMS', lang: 'EN', autoOtpHostname: 'example.com' },
    ],
  }),
  tool({
    name: 'mfa_verify_code',
    title: 'Verify a two-factor code',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa',
    effect: 'write',
    auth: 'none',
    summary: `Verify the code from mfa_send_code; VALID passes this session (hard authentication). ${WARN}`,
    keywords: ['קוד אימות', 'הזן קוד', 'אימות דו שלבי', 'OTP', 'verification code', '2FA'],
    actions: { validMFA: { unavailableAfter: 'hard' } },
    params: {
      mfaCode: code,
      mfaRememberMe: z.boolean().optional().describe('Trust this IP next time'),
      mfaRememberNote: z.string().max(100).optional().describe('Remember-me note'),
    },
    output: validation,
    outcome: codeVerdict('mfa_send_code'),
    examples: [
      { mfaCode: '123456' },
      { mfaCode: '123456', mfaRememberMe: true, mfaRememberNote: 'my laptop' },
    ],
  }),
];

/** Managing methods and trust: needs a code verified in this very session (hard authentication). */
export const mfaAdminTools = [
  tool({
    name: 'mfa_add_method',
    title: 'Add a two-factor method',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa_admin',
    effect: 'write',
    auth: 'hard',
    summary: 'Add a two-factor method (EMAIL or PHONE of Israel/USA/Canada, max 20); it stays PENDING until verified.',
    keywords: ['שיטת אימות', 'הוסף', 'אימייל', 'email', 'phone'],
    actions: { addMethod: {} },
    params: {
      mfaNewType: z.enum(['EMAIL', 'PHONE']).describe('Method type'),
      mtaNewValue: z.string().min(3).max(200).describe('The email or phone (the API spells it mtaNewValue)'),
      mtaNewValidNote: z.string().max(100).optional().describe('Free note'),
      newExpiredDate: dateTime('Expiry').optional(),
    },
    output: { methodId: z.union([z.string(), z.number()]).describe('The new method, PENDING: its mfaId for mfa_verify_method') },
    verifyWith: 'mfa_list_methods',
    examples: [
      { mfaNewType: 'EMAIL', mtaNewValue: 'office@example.co.il' },
      { mfaNewType: 'EMAIL', mtaNewValue: 'desk@example.co.il', mtaNewValidNote: 'office', newExpiredDate: '2030-01-01 00:00:00' },
    ],
  }),
  tool({
    name: 'mfa_verify_method',
    title: 'Verify a two-factor method',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa_admin',
    effect: 'write',
    auth: 'hard',
    summary: 'Verify a pending method: reValidMethod sends it a code, validMethod checks the code.',
    actions: {
      reValidMethod: { needs: ['mfaSendType'], uses: ['lang', 'autoOtpHostname'] },
      validMethod: { needs: ['mfaCode'] },
    },
    params: {
      mfaId: methodId.describe('MFA_METHOD_ID, or methodId from mfa_add_method'),
      mfaSendType: sendType.optional(),
      lang,
      autoOtpHostname,
      mfaCode: code.optional(),
    },
    output: validation,
    outcome: codeVerdict('mfa_verify_method reValidMethod'),
    done: (input) => `Code sent to method ${String(input.mfaId)} by ${String(input.mfaSendType)}; verify it with action validMethod`,
    examples: [
      { action: 'reValidMethod', mfaId: '6601', mfaSendType: 'EMAIL' },
      { action: 'reValidMethod', mfaId: '6600', mfaSendType: 'SMS', lang: 'EN' },
      { action: 'validMethod', mfaId: '6600', mfaCode: '123456' },
    ],
  }),
  tool({
    name: 'mfa_delete_method',
    title: 'Delete a two-factor method',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa_admin',
    effect: 'delete',
    auth: 'hard',
    summary: 'Delete a two-factor method added by the customer (profile and reseller methods cannot be deleted).',
    actions: { deleteMethod: {} },
    params: { mfaId: methodId.describe('MFA_METHOD_ID') },
    output: {},
    done: (input) => `Two-factor method ${String(input.mfaId)} deleted`,
    confirm: (input) => `MFASession deleteMethod will delete two-factor method ${String(input.mfaId)}.`,
    quote: methodQuote,
    verifyWith: 'mfa_list_methods',
    examples: [
      { mfaId: '6601' },
      { mfaId: '6600' },
    ],
  }),
  tool({
    name: 'mfa_list_trust',
    title: 'Trusted IPs and tokens',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa_admin',
    effect: 'read',
    auth: 'hard',
    summary: 'List remember-me tokens (getMFATrustTokens) or trusted IPs (getMFATrustIps).',
    keywords: ['כתובות IP', 'מהימנות', 'זכור אותי', 'remember me', 'whitelist'],
    actions: { getMFATrustTokens: {}, getMFATrustIps: {} },
    params: {},
    output: { trustTokens: z.array(z.unknown()), trustIps: z.array(z.unknown()) },
    examples: [
      { action: 'getMFATrustIps' },
      { action: 'getMFATrustTokens' },
    ],
  }),
  tool({
    name: 'mfa_delete_trust_token',
    title: 'Delete a remember-me token',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa_admin',
    effect: 'delete',
    auth: 'hard',
    summary: 'Delete a remember-me token.',
    actions: { deleteTrustToken: {} },
    params: { trustTokenId: z.string().min(1).max(40).describe('id from mfa_list_trust getMFATrustTokens') },
    output: {},
    done: (input) => `Remember-me token ${String(input.trustTokenId)} deleted`,
    confirm: (input) => `MFASession deleteTrustToken will delete remember-me token ${String(input.trustTokenId)}.`,
    verifyWith: 'mfa_list_trust',
    examples: [{ trustTokenId: '1' }],
  }),
  tool({
    name: 'mfa_set_trust_ips',
    title: 'Set trusted IPs',
    command: 'MFASession',
    onAnswer: trackMfaState,
    toolset: 'mfa_admin',
    effect: 'write',
    auth: 'hard',
    summary: 'Replace the list of trusted IPs (IPv4/IPv6, max 50) that pass two-factor without a code.',
    // It weakens the account's guard for anyone at those addresses, and replaces the whole list (an agent trusted
    // 127.0.0.1, the server's own loopback, with no question asked).
    confirmed: { why: 'a trusted address passes two-factor without a code, and the list is replaced whole' },
    confirm: (input) => `MFASession setMFATrustIps will replace the trusted IPs with ${ipsOf(input.trustIps).length} address(es).`,
    quote: trustQuote,
    keywords: ['כתובת IP', 'מהימנה', 'מהימנות', 'הוסף', 'whitelist', 'allow IP'],
    actions: { setMFATrustIps: {} },
    params: {
      trustIps: multiline(z
        .union([z.string().max(2500), z.array(z.string().min(2).max(45)).max(50)])
        .describe('IPs, one per line, or an array; max 50')),
    },
    check: (input) => {
      const ips = Array.isArray(input.trustIps) ? input.trustIps : String(input.trustIps).split(/\r?\n/).filter(Boolean);
      return ips.length > 50 ? [`trustIps: at most 50 addresses (got ${ips.length})`] : [];
    },
    output: { okCount: z.unknown(), save: z.unknown(), valid_new_list: z.unknown(), errors: z.unknown() },
    outcome: (answer) => (Array.isArray(answer.errors) && answer.errors.length ? { warning: `${answer.errors.length} address(es) were refused (see errors).` } : undefined),
    verifyWith: 'mfa_list_trust',
    examples: [
      { trustIps: ['203.0.113.7'] },
      { trustIps: '203.0.113.7\n2001:db8::1' },
      { trustIps: ['203.0.113.8'] },
    ],
  }),
];
