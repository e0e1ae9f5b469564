import { YemotError } from '../client/errors.js';
import { secretKey } from '../core/secrets.js';
import { actionParamOf, callName, type Answer, type Input, type ToolSpec } from './command.js';
import type { ToolContext } from './context.js';
import { CONFIRM_PARAM } from './confirm.js';
import { DONE_FIELD } from './schema.js';
import { REPEAT_PARAM } from './spend-guard.js';

const shown = (value: unknown) => (Array.isArray(value) ? `${value.length} item(s)` : String(value).slice(0, 80));

/** What an OK answer without fields did: the entry's own words, or the command, action and the inputs it named. */
function doneText(spec: ToolSpec, action: string | undefined, input: Input): string {
  if (spec.done) return spec.done(input, action);
  const named = Object.entries(input)
    // The person's yes (its single-use token) and a repeat are how the call was made, not what it did.
    .filter(([key, value]) => value !== undefined && key !== actionParamOf(spec) && key !== CONFIRM_PARAM && key !== REPEAT_PARAM && !secretKey(key))
    .map(([key, value]) => `${key} ${shown(value)}`);
  return `${callName(spec, action)} done${named.length ? ` (${named.join(', ')})` : ''}`;
}

/**
 * The result of an OK answer, judged by the entry: a failure (nothing asked for happened) becomes a
 * YemotError that keeps the answer's fields; a partial success carries a warning; an answer with no
 * fields says what was done. `presented` is the answer as the agent may see it.
 */
export function judge(ctx: ToolContext, spec: ToolSpec, action: string | undefined, input: Input, answer: Answer, presented: Record<string, unknown>): Record<string, unknown> {
  const verdict = spec.outcome?.(answer, input, ctx);
  if (verdict && 'failure' in verdict) {
    // The answer's own `message` would replace the error's: it travels as vendorMessage instead.
    const { message, ...fields } = presented;
    throw new YemotError(verdict.failure, `${spec.name}: ${verdict.message}`, {
      command: spec.command,
      hint: verdict.next,
      ...(message !== undefined && { vendorMessage: String(message) }),
      details: { ...fields, ...verdict.details },
    });
  }
  const result = Object.keys(presented).length ? presented : { [DONE_FIELD]: doneText(spec, action, input) };
  if (verdict && 'note' in verdict) return { ...result, note: verdict.note };
  return verdict ? { warning: ctx.secrets.scrub(verdict.warning), ...result } : result;
}
