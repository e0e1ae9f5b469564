import { z } from 'zod';
import { YemotError } from '../client/errors.js';
import { canonicalArgs } from './canonical.js';
import { callName, needsYes, type Effect, type Input, type ToolSpec } from './command.js';
import type { ToolContext } from './context.js';
import type { Interaction } from './interaction.js';
import { buildPreview, previewLines } from './preview.js';

/** Every tool with a confirmed effect takes it: the token of a CONFIRMATION_REQUIRED answer, after the person's yes. */
export const CONFIRM_PARAM = 'confirm';
// Undescribed on purpose: the server's instructions and the CONFIRMATION_REQUIRED answer say how to use it, once,
// instead of on every tool that takes it (35 tools, every turn).
export const confirmParam = z.string().max(200).optional();

const ASK_FIRST = 'Ask the person first: show them what follows and wait for their explicit yes. Never confirm on their behalf.';
const IN_CARD = 'The person is shown what follows in a card with a Confirm button; only their click sends it.';

/** What a token is bound to: the tool, its canonical arguments (all but the token) and the account. */
async function bindingOf(ctx: ToolContext, spec: ToolSpec, input: Input): Promise<string> {
  return JSON.stringify([await ctx.account(), spec.name, canonicalArgs(spec, input, [CONFIRM_PARAM])]);
}

function refusal(spec: ToolSpec, redeemed: 'mismatch' | 'expired' | 'used'): YemotError {
  const again = `Call ${spec.name} again without confirm to get a new preview, and show it to the person.`;
  if (redeemed === 'mismatch') {
    return new YemotError('CONFIRMATION_MISMATCH', `${spec.name}: the confirm token was issued for another call (other arguments, another tool or another account)`, {
      command: spec.command,
      hint: `Nothing was sent. A token confirms exactly the call the person saw. ${again}`,
    });
  }
  return new YemotError('CONFIRMATION_EXPIRED', `${spec.name}: the confirm token ${redeemed === 'used' ? 'was already used' : 'has expired'}`, {
    command: spec.command,
    hint: `Nothing was sent by this call. ${redeemed === 'used' ? 'A token confirms one call, once: check whether that call went out before anything else. ' : ''}${again}`,
  });
}

/** The form, when the client can show one: true on yes; undefined when it could not be shown (the token route then). */
async function askByForm(interaction: Interaction, lines: string[]): Promise<boolean | undefined> {
  try {
    const reply = await interaction.form(`${lines.join('\n')}\nGo ahead?`, {
      type: 'object',
      properties: { confirm: { type: 'boolean', title: 'Yes, go ahead', default: false } },
      required: ['confirm'],
    });
    return reply.action === 'accept' && reply.content?.confirm === true;
  } catch (error) {
    // An answer that breaks the form is the person's input error; anything else means no form reached them.
    if (error instanceof YemotError) throw error;
    return undefined;
  }
}

/**
 * A spend, a delete, an irreversible change or a write its entry declares confirmed runs only after the person's
 * yes: by a form where the client shows one, else by a single-use token: in a view's card the person clicks Confirm
 * (where the client renders views), or the agent brings it back after showing the person the preview. The preview
 * comes after the entry's prechecks, so nobody is asked about a call the API would refuse. Answers the digest of
 * what the preview showed (the quote's `seen`), for the transfer to hold the call to.
 */
export async function confirmCall(ctx: ToolContext, spec: ToolSpec, action: string | undefined, effect: Effect, input: Input, interaction: Interaction, signal?: AbortSignal): Promise<string | undefined> {
  if (!ctx.confirm || !needsYes(spec, effect, input)) return undefined;
  const binding = await bindingOf(ctx, spec, input);
  const presented = input[CONFIRM_PARAM];
  if (typeof presented === 'string') {
    const redeemed = await ctx.tokens.redeem(presented, binding);
    if (redeemed === 'ok') return ctx.tokens.seenIn(presented);
    throw refusal(spec, redeemed);
  }
  const { preview, seen } = await buildPreview(ctx, spec, action, effect, input, signal);
  const lines = previewLines(preview);
  if (interaction.canForm) {
    const yes = await askByForm(interaction, lines);
    if (yes === true) return seen;
    if (yes === false) {
      throw new YemotError('DECLINED', `The person did not confirm ${callName(spec, action)}`, { command: spec.command, hint: 'Nothing was sent. Do not repeat the call unless the person asks for it.' });
    }
  }
  const { token, expiresAt } = ctx.tokens.issue(binding, seen);
  const until = new Date(expiresAt).toISOString();
  if (interaction.card) {
    interaction.card({ tool: spec.name, confirm: token, expiresAt: until });
    throw new YemotError('CONFIRMATION_REQUIRED', `${IN_CARD}\n${lines.join('\n')}`, {
      command: preview.command,
      details: { preview, expiresAt: until },
      hint: `Nothing was sent. The person answers in the card: its Confirm button sends the call, once, before ${until}. Do not call ${spec.name} again for this; if the card did not appear, say so and let the person decide.`,
    });
  }
  throw new YemotError('CONFIRMATION_REQUIRED', `${ASK_FIRST}\n${lines.join('\n')}`, {
    command: preview.command,
    details: { preview, confirm: token, expiresAt: until },
    hint: `Nothing was sent. Only if the person says yes, call ${spec.name} again with the same arguments plus confirm: "${token}" (once, before ${until}). If they say no, do nothing.`,
  });
}
