import { actionOf, commandOf, effectOf, needsYes, type Input, type ToolSpec } from '../src/call/command.js';
import { TOOLS } from '../src/tools/index.js';

/** The first example of a tool whose call needs the person's yes, with that call's Yemot command. */
function confirmedExample(spec: ToolSpec): { args: Input; command: string } | undefined {
  const args = spec.examples.find((example) => needsYes(spec, effectOf(spec, actionOf(spec, example), example), example));
  return args && { args, command: commandOf(spec, actionOf(spec, args)) };
}

/** One call of each tool of the table that asks the person first (a spend, delete, irreversible call or confirmed write). */
export const CONFIRMED = TOOLS.flatMap((spec) => {
  const example = confirmedExample(spec);
  return example ? [{ spec, ...example }] : [];
});
