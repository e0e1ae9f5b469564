import { data, el, replace } from '../lib/dom.js';
import type { Host, Json } from '../lib/host.js';
import { t } from '../lib/i18n.js';
import { errorBox, failed, read } from '../lib/result.js';

export interface DryRun {
  steps: Array<{ at: string; type?: string; hear?: string[]; action?: string; notes?: string[] }>;
  end: { kind: string; at: string; reason: string };
}

/** A dry run's steps as a person follows them: where the call is, what it hears, what happens next. */
export function renderRun(run: DryRun): HTMLElement {
  return el(
    'div',
    { class: 'run' },
    el(
      'ol',
      { class: 'steps' },
      ...run.steps.map((step) =>
        el('li', { 'data-at': step.at }, data(step.at, 'num'), step.type ? el('span', { class: 'type' }, step.type) : undefined, ...(step.hear ?? []).map((heard) => el('span', { class: 'hear' }, '♪ ', data(heard))), step.action ? el('span', { class: 'muted' }, ' ', data(step.action)) : undefined),
      ),
    ),
    el('p', { class: `end end-${run.end.kind}`, 'data-end': run.end.kind, dir: 'auto' }, run.end.reason),
  );
}

/** The box that runs dry_run_call for typed keys; `onRun` highlights the path in the tree. */
export function dryRunBox(host: Host, start: string, keys: string, onRun: (run: DryRun | undefined) => void): { box: HTMLElement; show: (run: DryRun) => void } {
  const output = el('div', { class: 'run-output' });
  const from = el('input', { name: 'path', value: start, dir: 'ltr', size: 10 });
  const typed = el('input', { name: 'keys', value: keys, dir: 'ltr', size: 10, pattern: '[0-9*#]{0,30}', inputmode: 'tel' });
  const show = (run: DryRun) => {
    replace(output, renderRun(run));
    onRun(run);
  };
  const run = async () => {
    replace(output, el('p', { class: 'muted' }, t('loading')));
    const reading = await host.callTool('dry_run_call', { path: from.value || '/', keys: typed.value }).then(read, failed);
    if (reading.ok) show(reading.data as unknown as DryRun);
    else {
      replace(output, errorBox(reading.data as Json));
      onRun(undefined);
    }
  };
  // Not a form: a host's sandbox may not allow form submission (allow-forms), and nothing here is submitted.
  typed.addEventListener('keydown', (event) => void (event.key === 'Enter' && run()));
  const box = el(
    'div',
    { class: 'dry-run' },
    el('h3', {}, t('dryRun')),
    el('label', {}, `${t('from')} `, from),
    el('label', {}, `${t('keys')} `, typed),
    el('button', { type: 'button', class: 'primary', 'data-action': 'dry-run', onclick: () => void run() }, t('run')),
    el('p', { class: 'muted' }, t('readOnly')),
    output,
  );
  return { box, show };
}
