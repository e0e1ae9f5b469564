import { data, el, replace } from '../lib/dom.js';
import type { Host } from '../lib/host.js';
import { t } from '../lib/i18n.js';
import { failed, read } from '../lib/result.js';

// One page of files is what a person reads in a panel; read_ivr pages the rest.
const FILES = 200;

/** An extension's settings (its ext.ini) and files, read with read_ivr like any call. */
export async function showDetails(host: Host, panel: HTMLElement, path: string): Promise<void> {
  replace(panel, el('h3', {}, data(path, 'num')), el('p', { class: 'muted' }, t('loading')));
  const ini = path === '/' ? '/ext.ini' : `${path}/ext.ini`;
  const [settings, listing] = await Promise.all([
    host.callTool('read_ivr', { command: 'GetTextFile', what: ini }).then(read, failed),
    host.callTool('read_ivr', { command: 'GetIVR2Dir', path, filesLimit: FILES }).then(read, failed),
  ]);
  const files = Array.isArray(listing.data.files) ? (listing.data.files as Array<{ name?: unknown; size?: unknown }>) : [];
  replace(
    panel,
    el('h3', {}, data(path, 'num')),
    el('h4', {}, t('settings')),
    settings.ok ? el('pre', { dir: 'auto', class: 'ini' }, String(settings.data.contents ?? '')) : el('p', { class: 'muted' }, t('noSettings')),
    el('h4', {}, t('files')),
    listing.ok && files.length === 0 ? el('p', { class: 'muted' }, t('noFiles')) : undefined,
    listing.ok ? el('ul', { class: 'file-list' }, ...files.map((file) => el('li', {}, data(file.name, 'num'), file.size !== undefined ? el('span', { class: 'muted' }, ` ${String(file.size)}`) : undefined))) : el('p', { class: 'muted', dir: 'auto' }, String(listing.data.message ?? '')),
  );
}
