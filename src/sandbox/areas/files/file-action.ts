import { fail, type Area, type Params } from '../../handler.js';
import { fileSlot, slotFile, slotFolder, type FileSlot } from '../../locate.js';
import { isPresent, requireChoice, requireString } from '../../params.js';
import type { AccountState } from '../../state.js';
import { FILE_NAME, findFolder, ivr2Path, NAME_SEGMENT, own, pathSegments } from '../../vfs.js';

/** The sandbox's cap on files per call (the API documents none). */
export const MAX_FILES_PER_ACTION = 500;

const INDEXED = /^what(\d+)$/;

/**
 * The files of the call: `what` (one) or `what0…whatN` (several). Mixing the two forms, a list not starting at
 * what0 or with a gap, and non-canonical indexes (what01) are refused: the docs show neither, and a gap most likely
 * means a file the caller meant to send got lost.
 */
function filesOf(params: Params): string[] {
  const indexed = Object.keys(params).flatMap((key) => {
    const match = INDEXED.exec(key);
    return match ? [{ key, index: Number(match[1]) }] : [];
  });
  if (indexed.length === 0) return [requireString(params, 'what')];
  if (isPresent(params, 'what')) fail('send the files either as what (one file) or as what0…whatN, not both');
  if (indexed.length > MAX_FILES_PER_ACTION) fail(`at most ${MAX_FILES_PER_ACTION} files per FileAction call`);
  indexed.sort((a, b) => a.index - b.index);
  indexed.forEach(({ key, index }, position) => {
    if (key !== `what${index}`) fail(`${key} is invalid: the files are numbered what0, what1, …`);
    if (index !== position) fail(`what${position} is missing: the files are numbered what0, what1, … without gaps`);
  });
  return indexed.map(({ key }) => requireString(params, key));
}

/** Where copy/move puts one file: into an existing folder (name kept), or folder + new name (a rename), or a tpl: file. */
type Destination = (source: FileSlot) => FileSlot;

function destinationOf(state: AccountState, target: string, count: number): Destination {
  const single = () => count === 1 || fail('target names one file (a new name or a tpl: file) but several files were given; target must be a folder');
  if (/^tpl:/i.test(target.trim())) {
    single();
    const slot = fileSlot(state, target, 'target', { templates: true });
    return () => slot;
  }
  const segments = pathSegments(target, 'target');
  if (findFolder(state.ivr, segments)) return (source) => ({ root: state.ivr, folder: segments, name: source.name, what: ivr2Path([...segments, source.name]) });
  const name = segments.at(-1);
  const parent = findFolder(state.ivr, segments.slice(0, -1));
  if (!name || !parent || !FILE_NAME.test(name)) fail(`target folder not found: ${ivr2Path(segments)}`);
  if (!NAME_SEGMENT.test(name)) fail(`target is invalid: file name "${name}"`);
  single();
  return () => ({ root: state.ivr, folder: segments.slice(0, -1), name, what: ivr2Path(segments) });
}

const sameSlot = (a: FileSlot, b: FileSlot) => a.root === b.root && a.folder.join('/') === b.folder.join('/') && a.name === b.name;

/** One file's outcome. An existing destination file is not overwritten (the docs are silent; the safe reading). */
function act(action: 'copy' | 'move' | 'delete', source: FileSlot, destination: FileSlot | undefined): boolean {
  const from = slotFolder(source);
  const file = from && own(from.files, source.name);
  if (!from || !file) return false;
  if (destination) {
    const to = slotFolder(destination);
    if (!to || slotFile(destination) || sameSlot(source, destination)) return false;
    to.files[destination.name] = { ...file, data: typeof file.data === 'string' ? file.data : file.data.slice() };
  }
  if (action !== 'copy') delete from.files[source.name];
  return true;
}

export const fileActions: Area = {
  FileAction: {
    handle({ params, state }) {
      const action = requireChoice(params, 'action', ['copy', 'move', 'delete'] as const);
      const sources = filesOf(params).map((what) => fileSlot(state, what, 'what', { templates: true }));
      // delete takes no target; one sent anyway is refused rather than guessed at (a move meant as a delete?).
      if (action === 'delete' && isPresent(params, 'target')) fail('target is only for copy and move');
      const destination = action === 'delete' ? undefined : destinationOf(state, requireString(params, 'target'), sources.length);
      const reports = sources.map((source) => {
        const to = destination?.(source);
        return { what: source.what, target: to?.what ?? null, success: act(action, source, to) };
      });
      const failed = reports.filter((report) => !report.success).length;
      return {
        reports,
        message: failed === 0 ? `${action}: ${reports.length} file(s) done` : `${action}: ${failed} of ${reports.length} file(s) failed`,
        success: failed === 0,
        action,
      };
    },
  },
};
