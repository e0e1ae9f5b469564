import { actionOf, commandOf, CONFIRMED_EFFECTS, effectOf, type Input, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';

/** The first example of a tool whose call needs the person's yes, with that call's Yemot command. */
function confirmedExample(spec: ToolSpec): { args: Input; command: string } | undefined {
  const args = spec.examples.find((example) => CONFIRMED_EFFECTS.has(effectOf(spec, actionOf(spec, example), example)));
  return args && { args, command: commandOf(spec, actionOf(spec, args)) };
}

/** One spend, delete or irreversible call of each tool of the table that has one. */
export const CONFIRMED = TOOLS.flatMap((spec) => {
  const example = confirmedExample(spec);
  return example ? [{ spec, ...example }] : [];
});
