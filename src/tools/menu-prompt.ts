import type { ToolContext } from '../call/context.js';
import { typeOf } from '../ivr/check.js';
import { messageFile } from '../ivr/nav-files.js';
import { parentOf } from '../ivr/navigation.js';
import { ivrReader, modelPath } from './ivr-reader.js';

/**
 * What an upload named M1000 does where it lands, for its preview: in a menu it is the prompt (EXT-INI §1.3), and
 * one already there is replaced, with no copy kept (the website even renames any upload into a menu to M1000,
 * §5 guardrail 6).
 */
export async function menuPromptNote(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<string> {
  const folder = parentOf(modelPath(path)) ?? '/';
  const reader = ivrReader(ctx, { signal });
  const [settings, listing] = await Promise.all([reader.settings(folder), reader.list(folder)]);
  const type = settings && typeOf(settings);
  const present = listing && messageFile(listing.files, 'M1000');
  if (type !== 'menu') return `${folder} is ${type ? `type=${type}` : 'without a type'}, not a menu: M1000 plays as a menu's prompt only.`;
  if (present) return `${folder} is a menu: this replaces its prompt ${present}, the first thing callers hear there; the old one is not kept for undo.`;
  return `${folder} is a menu without a prompt: this becomes its M1000, the first thing callers hear there.`;
}
