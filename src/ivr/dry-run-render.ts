import type { DryRun, EndKind } from './dry-run.js';

const ENDS: Readonly<Record<EndKind, string>> = {
  hangup: 'The call hangs up',
  endpoint: 'The call leaves the menus',
  unmodelled: 'Not modelled, the dry run stops',
  waiting: 'The call waits',
  invalid: 'Broken',
  loop: 'Loop',
  'max-steps': 'Stopped',
};

/**
 * A dry run as chat text: one numbered line per extension entered (what is heard, then where the call goes), then
 * the end. The last step's action is left to the end line when that says it again.
 */
export function renderDryRun(run: DryRun, start: string, keys: string): string {
  const lines = [`Dry run from ${start}, ${keys ? `keys ${keys}` : 'no key pressed'} (read only: nothing is dialled or spent):`];
  run.steps.forEach((step, index) => {
    const said = index === run.steps.length - 1 && run.end.reason.startsWith(step.action);
    const parts = [`${index + 1}. ${step.at} [${step.type ?? 'no type'}]`, step.hear.length ? `hears ${step.hear.join(' | ')}` : '', said ? '' : step.action];
    lines.push(parts.filter(Boolean).join(' · '));
    for (const note of step.notes ?? []) lines.push(`   note: ${note}`);
  });
  lines.push(`${ENDS[run.end.kind]} at ${run.end.at}: ${run.end.reason}`);
  return lines.join('\n');
}
