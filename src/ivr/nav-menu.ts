/** What a key does in a `type=menu` extension (EXT-INI §2.2 menu row, §3.3). */
export interface MenuKeys {
  /** How many keys make one sub-extension number; 2 means sub-folders `01`…`99`. */
  digits: number;
  up: string;
  root: string;
  again?: string;
  /** `hash_extension=yes` / `star_extension=yes`: `#` / `*` enter the sub-folders `Hash` / `Star`. */
  hashFolder: boolean;
  starFolder: boolean;
}

export type KeyMeaning = { kind: 'up' | 'root' | 'again' | 'digit' | 'none' } | { kind: 'folder'; name: string };

// `again=Star` is the documented spelling for `*`; we read `up`/`root` the same way.
const keyName = (value: string | undefined) => {
  const key = value?.trim();
  if (key === undefined || key === '') return undefined;
  return key === 'Star' ? '*' : key === 'Hash' ? '#' : key;
};

export function menuKeysOf(settings: Record<string, string>): MenuKeys {
  const digits = Number(settings.digits);
  return {
    digits: Number.isInteger(digits) && digits >= 1 && digits <= 9 ? digits : 1,
    up: keyName(settings.up) ?? '#',
    root: keyName(settings.root) ?? '*',
    again: keyName(settings.again),
    hashFolder: settings.hash_extension === 'yes',
    starFolder: settings.star_extension === 'yes',
  };
}

/**
 * One key's meaning. The special keys come before sub-extension numbers: the reference says `again=` "disables
 * the existing-sub-extension jump", and we read `up`/`root` the same way.
 */
export function menuKeyMeaning(menu: MenuKeys, key: string): KeyMeaning {
  if (key === '#' && menu.hashFolder) return { kind: 'folder', name: 'Hash' };
  if (key === '*' && menu.starFolder) return { kind: 'folder', name: 'Star' };
  if (key === menu.again) return { kind: 'again' };
  if (key === menu.up) return { kind: 'up' };
  if (key === menu.root) return { kind: 'root' };
  return /^[0-9]$/.test(key) ? { kind: 'digit' } : { kind: 'none' };
}

/** Whether a sub-folder name is a number the caller can type in this menu. */
export function isMenuNumber(menu: MenuKeys, name: string): boolean {
  return name.length === menu.digits && /^[0-9]+$/.test(name) && menuKeyMeaning(menu, name[0]).kind === 'digit';
}
