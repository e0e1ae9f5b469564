import { confirmationCard } from './lib/card.js';
import { data, el, replace } from './lib/dom.js';
import type { Json } from './lib/host.js';
import { t } from './lib/i18n.js';
import { errorBox, read, type Reading } from './lib/result.js';
import { startView } from './lib/start.js';

/**
 * The confirmation card of every tool that spends, deletes or cannot be undone, where no other view shows its
 * results: the card while the person is asked, then what the call did.
 */

const root = el('main');
document.body.append(root);
let args: Json = {};

/** The top-level facts of a result, the way the agent's text has them. */
function outcome(reading: Reading): HTMLElement {
  if (!reading.ok) return errorBox(reading.data);
  const facts = Object.entries(reading.data).filter(([, value]) => value !== null && typeof value !== 'object');
  return el('section', { class: 'done' }, el('h2', {}, t('done')), el('dl', { class: 'figures' }, ...facts.flatMap(([key, value]) => [el('dt', {}, key), el('dd', {}, data(value))])));
}

function show(reading: Reading): void {
  if (reading.ticket) replace(root, confirmationCard(host, reading, args, (answer) => root.append(outcome(answer))));
  else replace(root, outcome(reading));
}

const host = startView('yemot-confirm', {
  input: (given) => void (args = given),
  result: (result) => show(read(result)),
});
