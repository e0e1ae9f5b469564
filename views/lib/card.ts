import { data, el, replace } from './dom.js';
import type { Host, Json } from './host.js';
import { t } from './i18n.js';
import { failed, read, type Reading } from './result.js';

/** The preview a CONFIRMATION_REQUIRED answer carries (src/call/preview.ts). */
interface Preview {
  command?: string;
  what?: string;
  because?: string;
  recipients?: { count?: number; first?: string[]; list?: string };
  sender?: string;
  message?: string;
  files?: string[];
  cost?: { unit?: string; items?: number; perItem?: number; per?: string; total?: number; upTo?: boolean; note?: string };
  balance?: { unit?: string; now?: number; after?: number };
  notes?: string[];
}

const unitWord = (unit: string | undefined) => (unit === 'SMS units' ? t('smsUnitWord') : t('unitWord'));

function recipientsOf({ count, first = [], list }: NonNullable<Preview['recipients']>): Array<Node | string> {
  if (list !== undefined) return [data(t('list', { n: list }))];
  const more = (count ?? 0) > first.length ? ', …' : '';
  return [el('strong', {}, t('numbers', { n: count ?? 0 })), first.length ? ' (' : '', ...first.flatMap((phone, index) => [index ? ', ' : '', data(phone, 'num')]), first.length ? `${more})` : ''];
}

function costOf({ unit, items, perItem, per, total, upTo, note }: NonNullable<Preview['cost']>): Array<Node | string> {
  const word = unitWord(unit);
  const each = perItem !== undefined ? `${perItem} ${word}${per ? ` ${t('per')} ${per}` : ''}` : '';
  const times = each && items !== undefined ? ` × ${items}` : '';
  const sum = total !== undefined ? `${each ? `${times} = ` : ''}${upTo ? `${t('atMost')} ` : ''}` : '';
  return [
    data(`${each}${sum}`),
    total !== undefined ? el('strong', { 'data-total': String(total) }, `${total} ${word}`) : '',
    note ? el('span', { class: 'muted', dir: 'auto' }, ` (${note})`) : '',
  ];
}

function balanceOf({ unit, now, after }: NonNullable<Preview['balance']>): Array<Node | string> {
  const word = unitWord(unit);
  return [`${now} ${word} ${t('now')}`, after !== undefined ? el('span', {}, ' → ', el('strong', { 'data-after': String(after) }, `${after} ${word}`), ` ${t('after')}`) : ''];
}

/** The facts of the preview, each a row a person reads before saying yes. */
function figures(preview: Preview, expiresAt: string): HTMLElement {
  const rows: Array<[string, string, Array<Node | string>]> = [];
  if (preview.because) rows.push(['because', t('why'), [data(preview.because)]]);
  if (preview.recipients) rows.push(['recipients', t('recipients'), recipientsOf(preview.recipients)]);
  if (preview.sender) rows.push(['sender', t('sender'), [data(preview.sender, 'num')]]);
  if (preview.message !== undefined) rows.push(['message', t('message'), [el('q', { dir: 'auto' }, preview.message)]]);
  if (preview.files) rows.push(['files', t('files'), preview.files.flatMap((file, index) => [index ? ', ' : '', data(file, 'num')])]);
  if (preview.cost) rows.push(['cost', t('cost'), costOf(preview.cost)]);
  if (preview.balance) rows.push(['balance', t('balance'), balanceOf(preview.balance)]);
  for (const note of preview.notes ?? []) rows.push(['note', '', [data(note)]]);
  rows.push(['expires', t('expires'), [data(new Date(expiresAt).toLocaleTimeString(document.documentElement.lang))]]);
  return el('dl', { class: 'figures' }, ...rows.flatMap(([field, label, value]) => [el('dt', {}, label), el('dd', { 'data-field': field }, ...value)]));
}

/**
 * The confirmation card: the preview, and a Confirm button that calls the tool again with the same arguments and
 * the card's token. Only the person's click sends it, once; the token never passes through the model.
 */
export function confirmationCard(host: Host, reading: Reading, args: Json, onAnswer: (answer: Reading) => void): HTMLElement {
  const ticket = reading.ticket!;
  const preview = (reading.data.preview ?? {}) as Preview;
  const status = el('p', { class: 'status', role: 'status' });
  let answered = false;
  const settle = (words: string) => {
    answered = true;
    confirm.disabled = cancel.disabled = true;
    replace(status, words);
  };
  const confirm = el('button', {
    class: 'primary',
    'data-action': 'confirm',
    onclick: () => {
      if (answered) return;
      settle(t('sending'));
      host.callTool(ticket.tool, { ...args, confirm: ticket.confirm }).then(read, failed).then((answer) => {
        replace(status, answer.ok ? t('done') : '');
        onAnswer(answer);
      });
    },
  }, t('confirm'));
  const cancel = el('button', { 'data-action': 'cancel', onclick: () => answered || settle(t('declined')) }, t('cancel'));
  return el(
    'section',
    { class: 'card', 'aria-label': t('cardTitle') },
    el('h2', {}, t('cardTitle'), ' ', el('code', {}, preview.command ?? ticket.tool)),
    el('p', { class: 'what', dir: 'auto' }, preview.what ?? ''),
    figures(preview, ticket.expiresAt),
    el('div', { class: 'actions' }, confirm, cancel),
    status,
  );
}
