import { z } from 'zod';
import { tool, type Input } from '../call/command.js';
import type { ToolContext } from '../call/context.js';
import { ivrPath, ROOT } from '../call/ivr-path.js';
import { typeOf } from '../ivr/check.js';
import { applyChanges, IniSyntaxError, parseIni, serializeIni, settings, type IniChange } from '../ivr/ini.js';
import { lookupSettings } from '../ivr/lookup.js';
import { parentOf } from '../ivr/navigation.js';
import { expiryWarnings, settingsWarnings } from './ivr-guards.js';
import { modelPath } from './ivr-reader.js';
import { CHANGE_OUTPUT, json, quoteChange, readText, writeChange, type TextChange } from './text-change.js';

/** An extension's settings file, as sent. */

const CONFIDENCE_MARKS = 'F: documented by Yemot staff or several sources; F~: one source; G: our reading of the name, unconfirmed';

export const extIniOf = (path: unknown) => (path === ROOT ? 'ivr2:/ext.ini' : `${String(path)}/ext.ini`);

const own = (record: Record<string, string>, key: string) => (Object.hasOwn(record, key) ? record[key] : undefined);

/**
 * The reference's warnings for an ext.ini going from `before` to `after`: for the keys named, or else every key
 * whose value differs (a whole file replaced).
 */
export async function iniWarnings(ctx: ToolContext, what: string, before: string | undefined, after: string, signal?: AbortSignal, keys?: string[]): Promise<string[]> {
  const afterDoc = parseIni(after);
  const was = settings(parseIni(before ?? ''));
  const now = settings(afterDoc);
  const changed = keys ?? [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((key) => own(was, key) !== own(now, key));
  const extension = parentOf(modelPath(what)) ?? ROOT;
  return [...(await settingsWarnings(ctx, extension, before === undefined ? undefined : was, now, changed, signal)), ...expiryWarnings(afterDoc, changed)];
}

const setOf = (input: Input) => Object.entries((input.set ?? {}) as Record<string, string | number>).map(([key, value]): [string, string] => [key, String(value)]);
const removeOf = (input: Input) => (input.remove ?? []) as string[];
const changesOf = (input: Input): IniChange[] => [...removeOf(input).map((key) => ({ remove: key })), ...setOf(input).map(([key, value]) => ({ set: key, value }))];

/** What a change set may not be: empty, a key that would not read back as itself, a key both set and removed. */
function changeProblems(input: Input): string[] {
  const set = setOf(input);
  if (set.length === 0 && removeOf(input).length === 0) return ['set, remove: give at least one key to set or remove'];
  const problems = changesOf(input).flatMap((change) => {
    try {
      applyChanges(parseIni(''), [change]);
      return [];
    } catch (error) {
      if (!(error instanceof IniSyntaxError)) throw error;
      return ['set' in change ? `set.${change.set}: ${error.rule}` : `remove: ${error.message}`];
    }
  });
  const setKeys = new Set(set.map(([key]) => key));
  return [...problems, ...removeOf(input).filter((key) => setKeys.has(key)).map((key) => `remove: ${key} is in set too; give it once`)];
}

const summaryOf = (input: Input) =>
  [setOf(input).length ? `set ${setOf(input).map(([key, value]) => `${key}=${value}`).join(', ')}` : '', removeOf(input).length ? `removed ${removeOf(input).join(', ')}` : ''].filter(Boolean).join('; ');

/** The change set of change_extension: set and remove keys in place, every other line as it was. */
function extIniChange(ctx: ToolContext, input: Input, signal?: AbortSignal): TextChange {
  const what = extIniOf(input.path);
  return {
    what,
    tool: 'change_extension',
    summary: summaryOf(input),
    make: async (before) => {
      const after = serializeIni(applyChanges(parseIni(before ?? ''), changesOf(input)));
      return { after, warnings: await iniWarnings(ctx, what, before, after, signal, [...setOf(input).map(([key]) => key), ...removeOf(input)]) };
    },
  };
}


export const ivrEditTools = [
  tool({
    name: 'lookup_setting',
    title: 'Find a setting',
    command: 'GetTextFile',
    reads: ['CheckIfFileExists'],
    toolset: 'files',
    effect: 'read',
    summary: 'Find ext.ini keys by what the owner wants (Hebrew or English): values, default, example, confidence; with path, for that extension and its values now.',
    keywords: ['הגדרה', 'מפתח', 'הגדרות שלוחה', 'setting', 'key', 'option'],
    params: {
      query: z.string().min(2).max(300).describe('e.g. after the message back to the main menu'),
      path: ivrPath('Extension (its ext.ini is read)').optional(),
    },
    transfer: async ({ ctx, signal }, input) => {
      const current = input.path === undefined ? undefined : settings(parseIni((await readText(ctx, extIniOf(input.path), signal)) ?? ''));
      const type = current && typeOf(current);
      const matches = lookupSettings(String(input.query), { type }).map((match) => {
        const now = current && own(current, match.key);
        return { ...match, ...(now !== undefined && { now }) };
      });
      // The marks of EXT-INI §0: an agent could not tell what "F" meant.
      return json({ ...(type && { type }), matches, confidence: CONFIDENCE_MARKS });
    },
    output: { matches: z.array(z.looseObject({ key: z.string() })) },
    examples: [{ query: 'after the message go back to the main menu', path: '2' }, { query: 'חזרה לתפריט הראשי' }],
  }),
  tool({
    name: 'change_extension',
    title: 'Change extension settings',
    command: 'UploadTextFile',
    reads: ['GetTextFile', 'CheckIfFolderExists', 'CheckIfFileExists', 'GetIVR2DirStats'],
    toolset: 'files',
    effect: 'write',
    confirmed: { why: 'callers meet a settings change at once' },
    summary: "Set or remove keys of an extension's ext.ini, other lines kept: the person sees the diff and warnings first; written only if unchanged since, read back. Undo: undo_change.",
    keywords: ['הגדרות שלוחה', 'שינוי', 'שלוחה', 'settings', 'configure', 'edit'],
    params: {
      path: ivrPath('Extension, e.g. 1/5'),
      set: z.record(z.string(), z.union([z.string().max(1000), z.number()])).optional().describe('e.g. {"title":"Sales"}; keys by type: lookup_setting'),
      remove: z.array(z.string().max(200)).max(50).optional().describe('Keys to drop'),
    },
    check: changeProblems,
    confirm: (input) => `UploadTextFile will rewrite ${extIniOf(input.path)} as the diff shows; every other line stays as it is.`,
    quote: (ctx, input, signal) => quoteChange(ctx, extIniChange(ctx, input, signal), signal),
    transfer: async ({ ctx, signal, seen }, input) => json(await writeChange(ctx, extIniChange(ctx, input, signal), seen, signal)),
    output: CHANGE_OUTPUT,
    verifyWith: 'read_ivr',
    examples: [{ path: '2', set: { playfile_end_goto: '/' } }, { path: 'ivr2:/3', set: { api_url_post: 'yes' }, remove: ['api_end_goto'] }],
  }),
];
