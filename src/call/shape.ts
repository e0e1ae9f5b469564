import { followCampaign } from './campaign-id.js';
import type { Input, ToolSpec } from './command.js';
import { readable } from './readable.js';

/** What the agent reads of an OK answer: the entry's derived views, how to follow a campaign it started, plain dates. */
export function shape(spec: ToolSpec, input: Input, result: Record<string, unknown>): Record<string, unknown> {
  const derived = spec.derive ? spec.derive(result, input) : result;
  const started = spec.follows === undefined ? undefined : derived[spec.follows];
  return readable(typeof started === 'string' && started !== '' ? { ...derived, follow: followCampaign(started) } : derived);
}
