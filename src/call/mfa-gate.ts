import { YemotError } from '../client/errors.js';
import { sleep } from './sleep.js';
import { authOf, callName, type ToolSpec } from './command.js';
import type { ToolContext } from './context.js';
import type { Interaction } from './interaction.js';
import type { MfaState } from './mfa-state.js';

const STEPS = 'mfa_list_methods, then mfa_send_code {mfaId, mfaSendType: CALL|SMS|EMAIL}, then mfa_verify_code {mfaCode}; then repeat this call';

export async function readMfaState(ctx: ToolContext, token: string, signal?: AbortSignal): Promise<MfaState> {
  const { answer } = await ctx.session.call('MFASession', { action: 'isPass' }, { retry: true, signal });
  const state = ctx.mfa.record(token, answer);
  if (!state) throw new YemotError('BAD_RESPONSE', 'MFASession isPass answered without isPass', { command: 'MFASession', hint: 'Check YEMOT_API_URL.' });
  return state;
}

function refusal(spec: ToolSpec, action: string | undefined, level: 'pass' | 'hard', state: MfaState): YemotError {
  const what = callName(spec, action);
  if (!state.isPass && state.isAvailable === false) {
    return new YemotError('MFA_REQUIRED', `${what} needs a session that passed two-factor, and no verification method is available`, {
      command: spec.command,
      hint: 'Add a two-factor method on the Yemot website; nothing can be done in this session until then.',
    });
  }
  if (level === 'hard' && state.isPass) {
    return new YemotError('HARD_AUTH_REQUIRED', `${what} needs a code verified in this very session (hard authentication)`, {
      command: spec.command,
      hint: `Call ${STEPS}.`,
    });
  }
  return new YemotError('MFA_REQUIRED', `${what} needs a session that passed two-factor authentication`, {
    command: spec.command,
    hint: `Call mfa_try once (it passes trusted IPs and remember-me); if still not passed, ${STEPS}.`,
  });
}

function unavailable(spec: ToolSpec, action: string, reason: string): YemotError {
  return new YemotError('MFA_UNAVAILABLE', `${spec.command} ${action} is not available now: ${reason}`, {
    command: spec.command,
    hint: 'Nothing was sent. Call mfa_status to see the state; do not retry this action.',
  });
}

const meets = (state: MfaState, level: 'pass' | 'hard') => (level === 'hard' ? state.isPassInThisSession : state.isPass);

/**
 * Refuses, before any request, a call the session's two-factor state cannot carry.
 * Where the client can ask the person, it walks them through verification inside the call instead.
 */
export async function checkMfa(ctx: ToolContext, spec: ToolSpec, action: string | undefined, interaction: Interaction, signal?: AbortSignal): Promise<void> {
  const auth = authOf(spec, action);
  const unavailableAfter = action ? spec.actions?.[action]?.unavailableAfter : undefined;
  if (auth === 'none' && !unavailableAfter) return;
  const token = await ctx.session.currentToken(signal);
  const state = ctx.mfa.get(token) ?? (await readMfaState(ctx, token, signal));
  if (unavailableAfter === 'pass' && state.isPass) throw unavailable(spec, action!, `the session already passed (${state.passReason ?? 'passed'}); it is allowed only before pass`);
  if (unavailableAfter === 'hard' && state.isPassInThisSession) throw unavailable(spec, action!, 'a code was already verified in this session');
  if (auth === 'none' || meets(state, auth)) return;
  const error = refusal(spec, action, auth, state);
  if (state.isAvailable === false) throw error;
  const outcome = await verifyWithPerson(ctx, token, auth, interaction, signal);
  if (outcome === true) return;
  throw outcome ?? error;
}

type Outcome = true | YemotError | undefined;

async function verifyWithPerson(ctx: ToolContext, token: string, level: 'pass' | 'hard', interaction: Interaction, signal?: AbortSignal): Promise<Outcome> {
  const useUrl = interaction.canUrl && (ctx.mfaPrompt === 'auto' || ctx.mfaPrompt === 'url');
  const useForm = interaction.canForm && (ctx.mfaPrompt === 'auto' || ctx.mfaPrompt === 'form');
  if (useUrl) return verifyByBrowser(ctx, token, level, interaction, signal);
  if (useForm) return verifyByForm(ctx, token, interaction, signal);
  return undefined;
}

async function verifyByBrowser(ctx: ToolContext, token: string, level: 'pass' | 'hard', interaction: Interaction, signal?: AbortSignal): Promise<Outcome> {
  const link = await ctx.ssoLink(token);
  const reply = await interaction.url('Yemot asks for two-factor verification. Open the link, verify in your browser, then come back here.', link);
  if (reply.action !== 'accept') return declined();
  const deadline = Date.now() + ctx.mfaWaitMs;
  while (Date.now() < deadline) {
    await sleep(ctx.mfaPollMs, signal);
    if (meets(await readMfaState(ctx, token, signal), level)) return true;
  }
  return new YemotError('MFA_REQUIRED', 'The browser verification was not completed in time', {
    command: 'MFASession',
    hint: `Finish the verification, then repeat the call; or use ${STEPS}.`,
  });
}

async function verifyByForm(ctx: ToolContext, token: string, interaction: Interaction, signal?: AbortSignal): Promise<Outcome> {
  const { answer } = await ctx.session.call('MFASession', { action: 'getMFAMethods' }, { retry: true, signal });
  ctx.mfa.record(token, answer);
  const choices = activeChoices(answer.mfaMethods);
  if (!choices.length) return undefined;
  const chosen = await interaction.form('Yemot asks for two-factor verification. Where should the code be sent?', {
    type: 'object',
    properties: { method: { type: 'string', title: 'Send the code by', oneOf: choices.map((c) => ({ const: c.value, title: c.label })) } },
    required: ['method'],
  });
  if (chosen.action !== 'accept') return declined();
  const [mfaId, mfaSendType] = String(chosen.content?.method ?? '').split(':');
  await ctx.session.call('MFASession', { action: 'sendMFA', mfaId, mfaSendType }, { signal });
  let prompt = 'Enter the code you received.';
  for (;;) {
    const reply = await interaction.form(prompt, {
      type: 'object',
      properties: { code: { type: 'string', title: 'Code', pattern: '^[0-9]{4,8}$', minLength: 4, maxLength: 8 } },
      required: ['code'],
    });
    if (reply.action !== 'accept') return declined();
    const mfaCode = String(reply.content?.code ?? '');
    ctx.secrets.add(mfaCode);
    const { answer: verdict } = await ctx.session.call('MFASession', { action: 'validMFA', mfaCode }, { signal });
    if (verdict.mfa_valid_status === 'VALID') {
      ctx.mfa.verified(token);
      return true;
    }
    if (verdict.mfa_valid_status !== 'UNVALID' || Number(verdict.mfa_valid_left) <= 0) {
      return new YemotError('MFA_REQUIRED', 'Too many wrong codes (OVERTRY): this code is void', {
        command: 'MFASession',
        status: String(verdict.mfa_valid_status ?? ''),
        vendorMessage: typeof verdict.mfa_valid_message === 'string' ? verdict.mfa_valid_message : undefined,
        hint: 'A new code is needed: call mfa_send_code once, then mfa_verify_code. Repeated failures can block the account.',
      });
    }
    prompt = `Wrong code; ${String(verdict.mfa_valid_left)} attempt(s) left. Enter the code again.`;
  }
}

function activeChoices(methods: unknown): Array<{ value: string; label: string }> {
  if (!Array.isArray(methods)) return [];
  return methods.flatMap((method: Record<string, unknown>) =>
    method.STATUS === 'ACTIVE' && Array.isArray(method.SEND_TYPE)
      ? method.SEND_TYPE.map((type) => ({ value: `${String(method.ID)}:${String(type)}`, label: `${String(type)} to ${String(method.VALUE ?? '')}` }))
      : [],
  );
}

function declined(): YemotError {
  return new YemotError('DECLINED', 'The person declined the two-factor verification', { hint: 'Nothing was sent. Ask the person before trying again.' });
}
