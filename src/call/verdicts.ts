import type { Outcome } from './command.js';

const refusedCount = (errors: unknown) => (errors && typeof errors === 'object' ? Object.keys(errors).length : 0);

/**
 * An answer that places calls or sends messages: none placed is a failure (nothing the agent asked for
 * happened), some numbers refused a partial success.
 */
export function callsVerdict(errors: unknown, placed: unknown, what = 'call'): Outcome | undefined {
  const refused = refusedCount(errors);
  // The API's numbers may come as strings ("0"): judged by value, as the result shows them (conform.ts).
  if (placed !== null && placed !== '' && Number(placed) === 0) {
    return {
      failure: 'NOTHING_DONE',
      message: `no ${what} was placed (${refused} number(s) refused)`,
      next: `Nothing was spent on ${what}s. Read the refused numbers and their reasons in the errors, fix them, then call again.`,
    };
  }
  return refused > 0 ? { warning: `Partly done: ${refused} number(s) were refused, see the errors.` } : undefined;
}
