import type { Result, Visit } from './dry-run-visit.js';
import { menuKeyMeaning, menuKeysOf } from './nav-menu.js';
import { childOf, resolveTarget } from './navigation.js';

/** `type=menu`: the prompt, then one sub-extension number typed by the caller (EXT-INI §2.2, §3.3). */
export async function menuVisit(visit: Visit): Promise<Result> {
  const { settings, path, keys } = visit;
  if (settings.say_menu_voice === 'yes' && settings.menu_voice?.trim()) visit.hear.push(`TTS: ${settings.menu_voice.trim()}`);
  else if (!(await visit.message('M1000'))) visit.notes.push('no M1000 file: the menu prompt is missing (a menu needs one)');
  if (settings.menu_sequence?.trim()) visit.notes.push(`menu_sequence=${settings.menu_sequence} is not modelled: the default order is shown`);
  if (settings.text_extensions === 'yes') visit.notes.push('text_extensions=yes (named sub-extensions) is not modelled');

  const menu = menuKeysOf(settings);
  const key = keys[0];
  if (key === undefined) return { outcome: { kind: 'end', end: 'waiting', action: 'menu waits for a key', reason: waitingReason(path, settings) } };
  const meaning = menuKeyMeaning(menu, key);
  switch (meaning.kind) {
    case 'again':
      return { outcome: { kind: 'stay', action: `pressed ${key} (again): the prompt plays again`, decidedBy: 'again' }, used: 1 };
    case 'up':
      return { outcome: { kind: 'back', label: `pressed ${key} (up)`, decidedBy: key }, used: 1 };
    case 'root':
      return { outcome: { kind: 'go', target: '/', label: `pressed ${key} (root)`, decidedBy: key }, used: 1 };
    case 'folder':
      return { outcome: { kind: 'go', target: meaning.name, label: `pressed ${key}`, decidedBy: key }, used: 1 };
    case 'none':
      return wrongKey(visit, key, `${key} means nothing in this menu`);
  }
  const typed = keys.slice(0, menu.digits);
  if (typed.length < menu.digits) {
    const reason = `typed ${typed} of a ${menu.digits}-digit number at ${path}; the menu waits for more (timeout=${settings.timeout || 7} s)`;
    return { outcome: { kind: 'end', end: 'waiting', action: `pressed ${typed}, menu waits for more digits`, reason }, used: typed.length };
  }
  if (!/^[0-9]+$/.test(typed)) return wrongKey(visit, typed, `${typed} is not a number`);
  if (!visit.listing.folders.some((entry) => entry.name === typed)) return wrongKey(visit, typed, `no sub-extension ${childOf(path, typed)}`);
  return { outcome: { kind: 'go', target: typed, label: `pressed ${typed}`, decidedBy: typed }, used: typed.length };
}

async function wrongKey(visit: Visit, typed: string, why: string): Promise<Result> {
  if (visit.settings.M1001_say === 'yes' && !(await visit.message('M1001'))) visit.hear.push("M1001 (Yemot's own 'wrong key' message)");
  const heard = visit.settings.M1001_say === 'yes' ? 'M1001 plays' : 'silently (M1001 plays only with M1001_say=yes)';
  return { outcome: { kind: 'stay', action: `pressed ${typed}: ${why} → wrong key, ${heard}; the menu asks again`, decidedBy: typed }, used: typed.length };
}

function waitingReason(path: string, settings: Record<string, string>): string {
  const reason = `no key left: the menu at ${path} waits for a key`;
  const timeout = settings.timeout_goto?.trim();
  if (!timeout) return reason;
  const target = resolveTarget(path, timeout);
  const where = target.kind === 'folder' ? target.path : target.kind === 'hangup' ? 'hangup' : `"${timeout}" (${target.reason})`;
  return `${reason}; unanswered, it goes to timeout_goto → ${where} after its attempts`;
}
