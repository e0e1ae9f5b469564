import type { Answer } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { checkSettings, placesToCheck, typeOf } from '../ivr/check.js';
import { expiringLines, type IniDocument } from '../ivr/ini.js';
import { resolveTarget } from '../ivr/navigation.js';
import { wirePath } from './ivr-reader.js';

/**
 * What the reference and the field say of an IVR change before it is written: settings that do not fit
 * (EXT-INI §2-§3), targets that lead nowhere, keys an expiry-dated line still overrides (§1.1), folders near the
 * ~3,000 files Yemot keeps (§5, guardrail 3).
 */

// Targets checked for one change at most: each is one CheckIfFolderExists.
const MAX_PLACES = 20;

/** The reference's warnings for the keys a change sets or removes, with every target it names looked up. */
export async function settingsWarnings(ctx: ToolContext, extension: string, before: Record<string, string> | undefined, after: Record<string, string>, changed: string[], signal?: AbortSignal): Promise<string[]> {
  const known = new Map<string, boolean>();
  for (const place of placesToCheck(after, changed).slice(0, MAX_PLACES)) {
    const target = resolveTarget(extension, place);
    if (target.kind !== 'folder') continue;
    const { answer } = await ctx.session.call('CheckIfFolderExists', { path: wirePath(target.path) }, { retry: true, signal });
    if (typeof answer.folderExists === 'boolean') known.set(place, answer.folderExists);
  }
  return checkSettings({ type: typeOf(after) ?? '', before, after, changed, exists: (place) => known.get(place) });
}

/** Keys a plain change leaves overridden: an expiry-dated line of the key wins until its date (or after it). */
export function expiryWarnings(doc: IniDocument, keys: string[]): string[] {
  return [...new Set(keys)].flatMap((key) => {
    const lines = expiringLines(doc, key);
    return lines.length ? [`${key}: ${lines.map((line) => line.raw.trim()).join(', ')} also sets it with a date and is kept as it is; it overrides this change while it applies`] : [];
  });
}

/** Yemot keeps about this many files in a folder and deletes the oldest beyond it without a word (§5, guardrail 3). */
export const FOLDER_FILES = 3000;
const NEAR = FOLDER_FILES - 100;

/** A warning when a GetIVR2DirStats answer shows a folder near or past the limit. */
export function crowded(folder: string, answer: Answer): string | undefined {
  const count = Number(answer.filesCount);
  if (!Number.isFinite(count) || count < NEAR) return undefined;
  return `${folder} holds ${count} files: Yemot keeps about ${FOLDER_FILES} in one folder and deletes the oldest beyond that without warning. Move old files elsewhere (copy_move_files) before adding more.`;
}

/** The same, read now; a failed read says nothing (it guards, it does not decide). */
export async function crowdedWarning(ctx: ToolContext, folder: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const { answer } = await ctx.session.call('GetIVR2DirStats', { path: folder }, { retry: true, signal });
    return crowded(folder, answer);
  } catch {
    return undefined;
  }
}
