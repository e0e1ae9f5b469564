import { YemotError } from '../client/errors.js';
import type { ToolContext } from '../call/context.js';
import { parseIni, settings } from '../ivr/ini.js';
import { memoized } from '../ivr/nav-reader.js';
import type { IvrListing, IvrTextReader } from '../ivr/nav-reader.js';

/**
 * The IVR model's reader over the API's read commands, and nothing else: GetIVR2Dir lists a folder, GetTextFile
 * reads ext.ini and .tts texts, CheckIfFolderExists tells a missing folder from another refusal. No other command
 * can leave a view, so a dry run cannot write, spend or dial.
 *
 * Settings come from the file ext.ini itself (GetTextFile), not from GetIVR2Dir's `extIni`: that may carry values
 * inherited from parent folders and is `[]` when empty (EXT-INI §5, guardrail 7), so a parent's `timeout_goto`
 * would show on every child and resolve from the wrong folder; and the file is what the edit tools change.
 */
export const VIEW_READS = ['GetTextFile', 'CheckIfFolderExists'];

// One folder's files, a page at a time: Yemot keeps about 3,000 files in a folder (EXT-INI §5, guardrail 3).
const PAGE = 1000;
const MAX_PAGES = 3;

export interface ReaderOptions {
  /** Merge the root's ivr.ini under each ext.ini, as Yemot applies it to every extension (EXT-INI §1.1). */
  systemWide?: boolean;
  signal?: AbortSignal;
}

/** The API's spelling of a canonical model path: the root as `/` (GetIVR2Dir's documented root), else `ivr2:/1/2`. */
export const wirePath = (path: string) => (path === '/' ? '/' : `ivr2:${path}`);
/** The model's spelling of a path field's value (`ivr2:/1/2` or `/`). */
export const modelPath = (wire: string) => wire.replace(/^ivr2:/, '') || '/';

interface Entry {
  name: string;
  size?: unknown;
  extType?: unknown;
  extTitle?: unknown;
}

const entries = (value: unknown): Entry[] =>
  Array.isArray(value) ? value.filter((entry): entry is Entry => typeof entry?.name === 'string' && entry.name !== '') : [];
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Whether a file is there (CheckIfFileExists, retried as a read). */
export async function fileExists(ctx: ToolContext, path: string, signal?: AbortSignal): Promise<boolean> {
  return (await ctx.session.call('CheckIfFileExists', { path }, { retry: true, signal })).answer.fileExists === true;
}

export function ivrReader(ctx: ToolContext, options: ReaderOptions = {}): IvrTextReader {
  const { signal } = options;
  const call = async (command: string, params: Record<string, unknown>) => (await ctx.session.call(command, params, { retry: true, signal })).answer;

  /** A refused read of a folder or file: the thing is missing (undefined), or the refusal is the answer. */
  const missing = async (error: unknown, folder?: string): Promise<undefined> => {
    if (!(error instanceof YemotError) || error.code !== 'API_ERROR') throw error;
    if (folder !== undefined && (await call('CheckIfFolderExists', { path: wirePath(folder) })).folderExists !== false) throw error;
    return undefined;
  };

  const list = memoized(async (path: string): Promise<IvrListing | undefined> => {
    const pages = [];
    try {
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const answer = await call('GetIVR2Dir', { path: wirePath(path), filesFrom: page * PAGE, filesLimit: PAGE });
        pages.push(answer);
        if (entries(answer.files).length < PAGE) break;
      }
    } catch (error) {
      return missing(error, path);
    }
    const [first] = pages;
    // Audio and .tts under `files` (paged), system messages (M0000…) under `messages`, ini files under `ini`.
    const files = new Map<string, { name: string; size?: number }>();
    for (const entry of [...pages.flatMap((answer) => entries(answer.files)), ...entries(first.messages), ...entries(first.ini)]) {
      files.set(entry.name, { name: entry.name, ...(typeof entry.size === 'number' && { size: entry.size }) });
    }
    const folders = entries(first.dirs).map((entry) => ({ name: entry.name, ...(text(entry.extType) && { type: text(entry.extType) }), ...(text(entry.extTitle) && { title: text(entry.extTitle) }) }));
    return { folders, files: [...files.values()] };
  });

  const readText = memoized(async (path: string): Promise<string | undefined> => {
    try {
      const { contents } = await call('GetTextFile', { what: wirePath(path) });
      return typeof contents === 'string' ? contents : undefined;
    } catch (error) {
      return missing(error);
    }
  });

  /** A folder's own ini file as settings; undefined when the listing shows none (no request is sent for it). */
  const iniOf = async (folder: string, name: string): Promise<Record<string, string> | undefined> => {
    const listing = await list(folder);
    if (!listing?.files.some((file) => file.name === name)) return undefined;
    const contents = await readText(folder === '/' ? `/${name}` : `${folder}/${name}`);
    return contents === undefined ? undefined : settings(parseIni(contents));
  };
  let systemWide: Promise<Record<string, string> | undefined> | undefined;
  const systemWideSettings = () => (systemWide ??= options.systemWide ? iniOf('/', 'ivr.ini') : Promise.resolve(undefined));

  return {
    list: (path) => list(path),
    async settings(path) {
      const own = await iniOf(path, 'ext.ini');
      // An extension's own key wins, an empty one included: `key=` puts it back to the built-in default.
      return own && { ...(await systemWideSettings()), ...own };
    },
    text: (path) => readText(path),
  };
}
