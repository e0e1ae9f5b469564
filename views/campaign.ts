import { confirmationCard } from './lib/card.js';
import { data, el, replace } from './lib/dom.js';
import type { Json } from './lib/host.js';
import { stateName, t } from './lib/i18n.js';
import { errorBox, failed, read, type Reading } from './lib/result.js';
import { startView } from './lib/start.js';

/**
 * A campaign as a progress bar: opened by run_campaign (its confirmation card first), get_campaign_status or
 * campaign_action. While it runs it is read again with get_campaign_status; stop and pause go through
 * campaign_action and the same confirmation as any call (stop cannot be undone, resuming spends).
 */

const FINAL = new Set(['FINISHED', 'STOPPED']);
// A read every few seconds while the person watches, for an hour at most; then the Refresh button.
const REFRESH_MS = 3_000;
const MAX_READS = 1_200;
const ROWS = 1_000;

const root = el('main');
document.body.append(root);

let args: Json = {};
let campaignId: string | undefined;
let estimate: number | undefined;
let campaign: Json | undefined;
/** A confirmation card or a refusal, shown above the campaign until the next action. */
let notice: HTMLElement | undefined;
let watching = false;

const number = (value: unknown) => (Number.isFinite(Number(value)) ? Number(value) : 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function progressOf(shown: Json) {
  const total = number(shown.totalEntries);
  const done = Math.max(0, total - number(shown.pendingEntries) - number(shown.activeEntries));
  return { total, done, percent: total ? Math.round((done / total) * 100) : 0 };
}

function outcomes(entries: Json[]): HTMLElement {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(String(entry.entryStatus), (counts.get(String(entry.entryStatus)) ?? 0) + 1);
  return el('ul', { class: 'outcomes' }, ...[...counts].map(([state, count]) => el('li', { 'data-state': state }, stateName(state), ' ', el('strong', {}, count))));
}

function units(shown: Json): HTMLElement {
  const spent = number(shown.currentPrice);
  const meter = estimate ? el('meter', { min: 0, max: Math.max(estimate, spent), value: spent }) : undefined;
  return el('p', { class: 'units' }, `${t('spent')}: `, el('strong', { 'data-spent': spent }, spent), ' / ', estimate !== undefined ? `${estimate} (${t('estimate')})` : t('noEstimate'), ' ', meter);
}

function table(entries: Json[], total: number): HTMLElement {
  const rows = entries.map((entry) =>
    el('tr', { 'data-state': String(entry.entryStatus) }, el('td', {}, data(entry.phone, 'num')), el('td', {}, stateName(String(entry.entryStatus))), el('td', {}, number(entry.duration)), el('td', {}, number(entry.currentPrice))),
  );
  return el(
    'table',
    {},
    entries.length < total ? el('caption', {}, t('firstRows', { n: entries.length })) : undefined,
    el('thead', {}, el('tr', {}, el('th', {}, t('phone')), el('th', {}, t('state')), el('th', {}, t('seconds')), el('th', {}, t('units')))),
    el('tbody', {}, ...rows),
  );
}

function actions(shown: Json): HTMLElement {
  const live = !FINAL.has(String(shown.campaignStatus));
  const paused = shown.paused === true || shown.campaignStatus === 'PAUSED';
  return el(
    'div',
    { class: 'actions' },
    live && el('button', { 'data-action': paused ? 'resume' : 'pause', onclick: () => act('setPaused', paused ? '0' : '1') }, t(paused ? 'resume' : 'pause')),
    live && el('button', { class: 'danger', 'data-action': 'stop', onclick: () => act('stop') }, t('stop')),
    !watching && el('button', { 'data-action': 'refresh', onclick: () => void watch() }, t('refresh')),
  );
}

function render(): void {
  if (!campaign) {
    replace(root, notice ?? el('p', { class: 'muted' }, t(campaignId ? 'loading' : 'nothing')));
    return;
  }
  const { total, done, percent } = progressOf(campaign);
  const entries = Array.isArray(campaign.entries) ? (campaign.entries as Json[]) : [];
  const status = String(campaign.campaignStatus ?? '');
  replace(
    root,
    el('h2', {}, `${t('campaign')} `, data(campaign.campaignId, 'num'), ' ', el('span', { class: `badge state-${status}`, 'data-status': status }, stateName(status))),
    el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': percent }, el('div', { class: 'bar', style: `inline-size: ${percent}%` })),
    el('p', {}, t('progress', { done, total }), ' · ', el('strong', { 'data-percent': percent }, `${percent}%`)),
    outcomes(entries),
    units(campaign),
    actions(campaign),
    notice,
    table(entries, total),
  );
}

/** Reads the campaign again and again while it runs (and the view is open), at most MAX_READS times. */
async function watch(): Promise<void> {
  if (watching || !campaignId) return;
  watching = true;
  try {
    for (let reads = 0; reads < MAX_READS; reads += 1) {
      const reading = await host.callTool('get_campaign_status', { campaignId, entries: 'all', range: `1:${ROWS}` }).then(read, failed);
      if (!reading.ok) {
        notice = errorBox(reading.data);
        return;
      }
      campaign = reading.data.campaign as Json;
      render();
      if (FINAL.has(String(campaign.campaignStatus))) return;
      await sleep(REFRESH_MS);
    }
  } finally {
    watching = false;
    render();
  }
}

/** What a call of run_campaign, get_campaign_status or campaign_action answered, with the arguments it was given. */
function answered(reading: Reading, given: Json): void {
  notice = undefined;
  if (reading.ticket) {
    const cost = (reading.data.preview as { cost?: { total?: unknown } } | undefined)?.cost?.total;
    if (estimate === undefined && typeof cost === 'number') estimate = cost;
    notice = confirmationCard(host, reading, given, (answer) => answered(answer, given));
  } else if (!reading.ok) {
    notice = errorBox(reading.data);
  } else {
    if (typeof reading.data.estimatedPrice === 'number') estimate = reading.data.estimatedPrice;
    const shown = reading.data.campaign as Json | undefined;
    campaignId = String(reading.data.campaignId ?? shown?.campaignId ?? campaignId ?? '') || undefined;
    // An action's answer has the campaign without its entries: those stay until the next read.
    if (shown) campaign = { ...campaign, ...shown };
  }
  void watch();
  render();
}

function act(action: 'stop' | 'setPaused', value?: string): void {
  const given = { action, campaignId, ...(value !== undefined && { value }) };
  host.callTool('campaign_action', given)
    .then(read, (error: unknown) => failed(error, t('needsAdmin')))
    .then((reading) => answered(reading, given));
}

const host = startView('yemot-campaign', {
  input: (given) => {
    args = given;
    if (typeof given.campaignId === 'string') campaignId = given.campaignId;
  },
  result: (result) => answered(read(result), args),
});
