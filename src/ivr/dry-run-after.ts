import type { Outcome } from './dry-run-visit.js';

/** Where a module sends the caller when it is done: its end key, else back one level (EXT-INI §3.2). */
export function afterModule(settings: Record<string, string>, endKey: string | undefined): Outcome {
  const target = endKey === undefined ? '' : (settings[endKey]?.trim() ?? '');
  if (endKey !== undefined && target !== '') return { kind: 'go', target, label: endKey, decidedBy: endKey };
  return { kind: 'back', label: 'back one level (default)' };
}
