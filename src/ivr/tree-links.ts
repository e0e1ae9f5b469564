import { isMenuNumber, menuKeyMeaning, menuKeysOf } from './nav-menu.js';
import type { IvrListing } from './nav-reader.js';
import { childOf, navigationOf, parentOf, resolveTarget } from './navigation.js';
import type { Target } from './navigation.js';

export interface RawLink {
  via: string;
  target: Target;
}

const folder = (path: string): Target => ({ kind: 'folder', path });

/** Keypad order: numbered folders by number (`1` before `01` before `10`), then the rest by name. */
export function byFolderName(a: { name: string }, b: { name: string }): number {
  const numberA = /^[0-9]+$/.test(a.name) ? Number(a.name) : Infinity;
  const numberB = /^[0-9]+$/.test(b.name) ? Number(b.name) : Infinity;
  if (numberA !== numberB) return numberA < numberB ? -1 : 1;
  return a.name.length - b.name.length || a.name.localeCompare(b.name);
}

/** A menu's keys: its numbered sub-folders, then the keys that leave it. */
function menuLinks(path: string, settings: Record<string, string>, listing: IvrListing): RawLink[] {
  const menu = menuKeysOf(settings);
  const links = [...listing.folders]
    .sort(byFolderName)
    .filter((entry) => isMenuNumber(menu, entry.name))
    .map((entry) => ({ via: entry.name, target: folder(childOf(path, entry.name)) }));
  if (menu.hashFolder) links.push({ via: '#', target: folder(childOf(path, 'Hash')) });
  if (menu.starFolder) links.push({ via: '*', target: folder(childOf(path, 'Star')) });
  const parent = parentOf(path);
  if (parent !== undefined && menuKeyMeaning(menu, menu.up).kind === 'up') links.push({ via: menu.up, target: folder(parent) });
  if (parent !== undefined && menuKeyMeaning(menu, menu.root).kind === 'root') links.push({ via: menu.root, target: folder('/') });
  return links;
}

/**
 * Where a caller can go from this extension. Navigation keys are listed whatever the type: a key another module
 * would read is harmless but still worth seeing. The implicit "back one level" is not a link.
 */
export function linksOf(path: string, settings: Record<string, string>, listing: IvrListing): RawLink[] {
  const links = settings.type === 'menu' ? menuLinks(path, settings, listing) : [];
  for (const { key, target } of navigationOf(settings)) links.push({ via: key, target: resolveTarget(path, target) });
  return links;
}
