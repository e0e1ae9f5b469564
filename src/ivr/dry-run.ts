import { entryChecksOf } from './dry-run-entry.js';
import { moduleVisit } from './dry-run-modules.js';
import { visitOf } from './dry-run-visit.js';
import type { EndKind, Visit } from './dry-run-visit.js';
import { memoized } from './nav-reader.js';
import type { IvrTextReader } from './nav-reader.js';
import { parentOf, resolveTarget } from './navigation.js';

export type { EndKind } from './dry-run-visit.js';
export type { IvrTextReader } from './nav-reader.js';

export interface DryRunStep {
  /** The extension the caller is in. */
  at: string;
  type?: string;
  /** Files heard, as paths (`/1/M0000.wav`), and `TTS: <text>` for text read aloud. */
  hear: string[];
  /** What happens next, e.g. `pressed 2 → /2`, `playfile_end_goto → /`, `back one level (default) → /`. */
  action: string;
  /** The key pressed or the setting that decided it. */
  decidedBy?: string;
  /** What the model assumed or left out at this step. */
  notes?: string[];
}

export interface DryRunEnd {
  kind: EndKind;
  at: string;
  type?: string;
  reason: string;
}

export interface DryRun {
  steps: DryRunStep[];
  end: DryRunEnd;
}

export interface DryRunOptions {
  start: string;
  /** Keys the caller presses, in order: digits, `#`, `*`. */
  keys: string;
  maxSteps?: number;
  signal?: AbortSignal;
}

/** What runs on entry before the module: the entry checks (assumed passed) and the welcome message `M0000`. */
async function enter(visit: Visit, welcomed: Set<string>): Promise<void> {
  const checks = entryChecksOf(visit.settings);
  if (checks.length > 0) visit.notes.push(`entry checks not modelled, assumed passed: ${checks.join(', ')}`);
  if (visit.settings.say_first_one_time === 'yes' && welcomed.has(visit.path)) return;
  if (await visit.message('M0000')) welcomed.add(visit.path);
}

/**
 * A call as the caller would live it, from `start` with `keys` pressed in order, read-only. Keys go to menus: a
 * key pressed while files play is not modelled and waits for the next menu. A loop is an extension entered a
 * second time with no key consumed in between.
 */
export async function dryRunCall(reader: IvrTextReader, options: DryRunOptions): Promise<DryRun> {
  const { keys, maxSteps = 50, signal } = options;
  const steps: DryRunStep[] = [];
  let keyIndex = 0;
  const finish = (kind: EndKind, at: string, reason: string, type?: string): DryRun => {
    const unused = keyIndex < keys.length && kind !== 'waiting' ? `; keys not used: ${keys.slice(keyIndex)}` : '';
    return { steps, end: { kind, at, ...(type ? { type } : {}), reason: `${reason}${unused}` } };
  };
  if (!/^[0-9*#]*$/.test(keys)) return { steps, end: { kind: 'invalid', at: options.start, reason: 'keys may hold only 0-9, * and #' } };
  const first = resolveTarget('/', options.start);
  if (first.kind !== 'folder') return finish('invalid', options.start, first.kind === 'invalid' ? first.reason : 'a call starts in a folder');

  const list = memoized((path) => reader.list(path, signal));
  const settingsOf = memoized((path) => reader.settings(path, signal));
  const text = memoized((path) => reader.text(path, signal));
  const entered = new Set<string>();
  const welcomed = new Set<string>();
  let at = first.path;
  let arrivedBy = 'the start';
  let entering = true;
  for (;;) {
    signal?.throwIfAborted();
    if (steps.length >= maxSteps) return finish('max-steps', at, `stopped after ${maxSteps} steps`);
    if (entering) {
      if (entered.has(`${at} ${keyIndex}`)) return finish('loop', at, `${at} is entered again (${arrivedBy}) with no key pressed since the last time: the call goes round forever`);
      entered.add(`${at} ${keyIndex}`);
    }
    const listing = await list(at);
    if (!listing) return finish('invalid', at, `there is no extension ${at} (${arrivedBy})`);
    const settings = await settingsOf(at);
    const type = settings?.type?.trim() || undefined;
    const visit = visitOf({ list, text }, at, settings ?? {}, listing, keys.slice(keyIndex));
    if (entering) await enter(visit, welcomed);
    const { outcome, used = 0 } = await moduleVisit(visit, settings !== undefined);
    keyIndex += used;
    const step: DryRunStep = { at, ...(type ? { type } : {}), hear: visit.hear, action: '', ...(visit.notes.length ? { notes: visit.notes } : {}) };
    steps.push(step);
    if (outcome.kind === 'end') {
      step.action = outcome.action;
      return finish(outcome.end, at, outcome.reason, type);
    }
    if (outcome.decidedBy !== undefined) step.decidedBy = outcome.decidedBy;
    if (outcome.kind === 'stay') {
      step.action = outcome.action;
      entering = false;
      continue;
    }
    const target = outcome.kind === 'back' ? backOf(at) : resolveTarget(at, outcome.target);
    if (target.kind === 'hangup') {
      step.action = `${outcome.label} → hangup`;
      return finish('hangup', at, `${outcome.label} → hangup`, type);
    }
    if (target.kind === 'invalid') {
      step.action = `${outcome.label} → nowhere`;
      return finish(outcome.kind === 'back' ? 'unmodelled' : 'invalid', at, `${outcome.label}: ${target.reason}`, type);
    }
    step.action = `${outcome.label} → ${target.path}`;
    arrivedBy = `${outcome.label} at ${at}`;
    at = target.path;
    entering = true;
  }
}

const backOf = (path: string) => {
  const parent = parentOf(path);
  return parent === undefined
    ? ({ kind: 'invalid', reason: 'this is the root, and the reference does not say what going back from it does' } as const)
    : ({ kind: 'folder', path: parent } as const);
};
