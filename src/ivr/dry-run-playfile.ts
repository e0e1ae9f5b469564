import { afterModule } from './dry-run-after.js';
import type { Result, Visit } from './dry-run-visit.js';
import { fileKind } from './nav-files.js';
import { resolveTarget } from './navigation.js';

const SHOWN_FILES = 10;

/** `file_amount_digits`: `5-5` exactly 5, `1-5` one to five, `5` five and up; default 3 and up (EXT-INI §1.2). */
function digitRange(value: string | undefined): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value?.trim() ?? '');
  if (!match) return [3, Infinity];
  return [Number(match[1]), match[2] === undefined ? Infinity : Number(match[2])];
}

/** The numbered files of a folder in play order, one per number (audio before `.tts` when both exist). */
export function playOrder(files: ReadonlyArray<{ name: string }>, settings: Record<string, string>): Array<{ number: string; name: string }> {
  const [fewest, most] = digitRange(settings.file_amount_digits);
  const byNumber = new Map<string, string>();
  for (const { name } of files) {
    const match = /^([0-9]+)\.[^.]+$/.exec(name);
    const kind = fileKind(name);
    if (!match || kind === 'other' || match[1].length < fewest || match[1].length > most) continue;
    const held = byNumber.get(match[1]);
    if (held === undefined || (kind === 'audio' && fileKind(held) === 'tts')) byNumber.set(match[1], name);
  }
  const ascending = settings.start?.trim() === 'min';
  const order = [...byNumber].map(([number, name]) => ({ number, name }));
  order.sort((a, b) => (Number(a.number) - Number(b.number) || a.number.localeCompare(b.number)) * (ascending ? 1 : -1));
  const first = settings.start_play?.trim();
  const from = first ? order.findIndex((file) => file.number === first) : -1;
  return from > 0 ? order.slice(from) : order;
}

/** `type=playfile`: the numbered files in order, then `playfile_end_goto` or back one level (EXT-INI §2.2, §3.2). */
export async function playfileVisit(visit: Visit): Promise<Result> {
  const { settings, path } = visit;
  const start = settings.start?.trim() ?? '';
  if (start.startsWith('select')) {
    return { outcome: { kind: 'end', end: 'unmodelled', action: `start=${start}: the caller picks a file by number`, reason: `start=${start} (the caller selects files) is not modelled` } };
  }
  const source = await sourceFolder(visit);
  if (settings.folder_play?.trim()) visit.notes.push(`folder_play=${settings.folder_play} picks files per caller or date: not modelled, the folder's own files are shown`);
  if (settings.random?.trim() === '1') visit.notes.push('random=1: Yemot plays in random order; the default order is shown');
  const files = source ? playOrder(source.files, settings) : [];
  if (files.length === 0) visit.notes.push('no playable numbered file');
  for (const [index, file] of files.entries()) {
    if (index < SHOWN_FILES) await visit.play(source?.folder ?? path, file.name);
    const key = `after_play_${file.number}_go_to_folder`;
    const jump = settings[key]?.trim();
    if (jump) return { outcome: { kind: 'go', target: jump, label: `after ${file.name}, ${key}`, decidedBy: key } };
  }
  if (files.length > SHOWN_FILES) visit.hear.push(`… and ${files.length - SHOWN_FILES} more files`);
  if (visit.keys !== '') visit.notes.push(`keys during playfile (control_play…) are not modelled: ${visit.keys} is kept for the next menu`);
  const after = settings.after_play?.trim();
  if (after && after !== 'return') return unmodelled(`after_play=${after}`);
  if (settings.playfile_end_goto_ext_next === 'yes') return unmodelled('playfile_end_goto_ext_next=yes (next sibling extension)');
  return { outcome: afterModule(settings, 'playfile_end_goto') };
}

async function sourceFolder(visit: Visit): Promise<{ folder: string; files: Array<{ name: string }> } | undefined> {
  const other = visit.settings.folder_to_play?.trim();
  if (!other) return { folder: visit.path, files: visit.listing.files };
  if (other === 'tfr') {
    visit.notes.push('folder_to_play=tfr (chosen by the caller) is not modelled: nothing is played');
    return undefined;
  }
  // The reference writes folder_to_play as a full path without its leading slash.
  const target = resolveTarget('/', other);
  const listing = target.kind === 'folder' ? await visit.list(target.path) : undefined;
  if (target.kind !== 'folder' || !listing) {
    visit.notes.push(`folder_to_play=${other} is not an existing folder`);
    return undefined;
  }
  return { folder: target.path, files: listing.files };
}

const unmodelled = (what: string): Result => ({ outcome: { kind: 'end', end: 'unmodelled', action: `${what}: not modelled`, reason: `${what} is not modelled` } });
