import { keyInfo, moduleInfo, type SettingKey } from './settings-data.js';
import { valueProblem } from './value-kind.js';

/**
 * Warnings about an ext.ini change, checked against the reference (EXT-INI.md). Yemot writes any key or value
 * without complaint and a wrong one can silently break the extension (§5 #2), so these are the only signal.
 */

export interface CheckInput {
  /** The extension's module (its type= after the change). */
  type: string;
  before?: Record<string, string>;
  after: Record<string, string>;
  /** Keys set or removed by the change, as written (an expiry part is allowed). */
  changed: string[];
  /**
   * Whether a place exists: true, false, or undefined when unknown. Asked with a navigation target as written
   * (possibly relative to this extension: 1, .., ../1) or a folder location as an absolute path (/5/6).
   */
  exists?: (target: string) => boolean | undefined;
}

const own = (record: Record<string, string>, key: string): string | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/** The type= of a settings record, trimmed; undefined when unset or empty. */
export function typeOf(settings: Record<string, string>): string | undefined {
  return own(settings, 'type')?.trim() || undefined;
}

/** `key(date|other)` is the key `key` with an expiry part. */
const baseName = (key: string) => /^(.*?)\(.*\)$/.exec(key)?.[1] ?? key;

const appliesTo = (info: SettingKey, type: string) => info.modules === 'any' || info.modules.includes(type);

/** What a change of type= does: another module runs, and keys of the old one stay in the file unused. */
function typeChange(before: string | undefined, after: string | undefined, settings: Record<string, string>): string {
  const module = after === undefined ? undefined : moduleInfo(after);
  const does = module ? `; the extension now: ${module.summary}` : '';
  const unused = Object.keys(settings).filter((key) => {
    const info = keyInfo(baseName(key));
    return info !== undefined && before !== undefined && appliesTo(info, before) && (after === undefined || !appliesTo(info, after));
  });
  const left = unused.length > 0 ? `; keys of ${before} that stay but ${after ?? 'no module'} does not use: ${unused.join(', ')}` : '';
  return `type: changes the module from ${before ?? '(none)'} to ${after ?? '(none)'}, so other keys apply${does}${left}`;
}

function moduleWarning(key: string, info: SettingKey, type: string): string | undefined {
  if (info.modules === 'any' || type === '' || info.modules.includes(type)) return undefined;
  const documented = `documented for type=${info.modules.join(', type=')}`;
  const module = moduleInfo(type);
  if (module && !module.modelled) return `${key}: ${documented}; the reference lists no keys for type=${type}, so it may not apply`;
  return `${key}: ${documented}, not for type=${type}; Yemot may ignore it`;
}

/** The form exists() is asked about: targets as written, folder locations as absolute paths. */
function location(info: SettingKey, value: string): string | undefined {
  if (value === '' || value === 'hangup' || info.also?.includes(value)) return undefined;
  if (info.value.kind === 'target') return value;
  if (info.value.kind !== 'path') return undefined;
  return info.value.style === 'absolute' ? value : `/${value.replace(/\/$/, '')}`;
}

function keyWarnings(key: string, value: string, type: string, exists: CheckInput['exists']): string[] {
  const info = keyInfo(baseName(key));
  if (!info) return [`${key}: not in the reference; kept as written`];
  const warnings: string[] = [];
  const module = moduleWarning(key, info, type);
  if (module) warnings.push(module);
  const problem = valueProblem(info, value);
  if (problem) warnings.push(`${key}: ${problem}${info.confidence === 'G' ? ' (this key\'s reference entry is our guess, G)' : ''}`);
  const where = problem ? undefined : location(info, value);
  if (where !== undefined && exists?.(where) === false) {
    warnings.push(info.navigates ? `${key}: target ${value} does not exist; the caller would be sent nowhere` : `${key}: folder ${value} does not exist`);
  }
  return warnings;
}

/** The places checkSettings asks `exists` about for this change, to be looked up first where that takes I/O. */
export function placesToCheck(after: Record<string, string>, changed: string[]): string[] {
  const places = [...new Set(changed)].flatMap((key) => {
    const value = own(after, key);
    const info = keyInfo(baseName(key));
    if (value === undefined || !info || valueProblem(info, value)) return [];
    const where = location(info, value);
    return where === undefined ? [] : [where];
  });
  return [...new Set(places)];
}

export function checkSettings({ type, before, after, changed, exists }: CheckInput): string[] {
  const warnings: string[] = [];
  const keys = [...new Set(changed)];
  if (keys.includes('type') && type !== '' && !moduleInfo(type)) warnings.push(`type: "${type}" is not a module type in the reference`);
  if (before && typeOf(before) !== typeOf(after)) warnings.push(typeChange(typeOf(before), typeOf(after), after));
  for (const key of keys) {
    const value = own(after, key);
    if (value !== undefined) warnings.push(...keyWarnings(key, value, type, exists));
  }
  return warnings;
}
