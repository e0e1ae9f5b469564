import { afterModule } from './dry-run-after.js';
import { menuVisit } from './dry-run-menu.js';
import { playfileVisit } from './dry-run-playfile.js';
import type { Result, Visit } from './dry-run-visit.js';
import { END_KEY } from './nav-keys.js';
import { navigationOf } from './navigation.js';

/** Modules where the call leaves what a dry run can follow: a person, a server or the caller's own input decides. */
const ENDPOINTS: Readonly<Record<string, (settings: Record<string, string>) => string>> = {
  api: (settings) => {
    const link = settings.api_link?.trim() || settings.api_url?.trim();
    // EXT-INI §4.3: no answer, or one that is not plain text, is M1607 and the caller leaves; no setting changes that.
    return link
      ? `api: Yemot would call ${link}; its answers decide what the caller hears (no answer or a malformed one: M1607, and the caller leaves)`
      : 'api: no api_link is set, so the caller hears M1609 and leaves';
  },
  queue: () => 'queue: the caller waits for an agent (agents are listed in queue.ini)',
  routing: (settings) => `routing: the call is forwarded to ${phones(settings)}`,
  routing_time: (settings) => `routing_time: the call is forwarded to a phone by time (${phones(settings)})`,
  routing_1800: (settings) => `routing_1800: the call is forwarded to ${phones(settings)}`,
  routing_ip: () => 'routing_ip: the call is forwarded to an IP phone',
  routing_yemot: () => 'routing_yemot: the call moves to another Yemot system',
  record: () => 'record: the caller records a message',
  confbridge: (settings) => `confbridge: a conference room (${settings.conf_bridge_type?.trim() || 'listen'})`,
  tzintuk: (settings) => `tzintuk: the caller joins or leaves the missed-call list${settings.list_tzintuk ? ` ${settings.list_tzintuk}` : ''}`,
  create_tts: () => 'create_tts: the caller types or dictates a text that is saved as .tts',
};

const CHOOSERS: Readonly<Record<string, string>> = {
  go_to_folder_time: 'by the time of the call',
  go_to_folder_date: 'by the date (a sub-folder named by a date pattern)',
  go_to_folder_count: 'by how many callers are in it',
  go_to_folder_from_list_all_information: "by the caller's row in ListAllInformation.ini",
};

function phones(settings: Record<string, string>): string {
  const listed = Object.keys(settings).filter((key) => /^routing\d+$/.test(key)).map((key) => settings[key].trim());
  return settings.routing_to_phone?.trim() || listed.join(', ') || 'a number not set in ext.ini';
}

const end = (kind: 'hangup' | 'endpoint' | 'unmodelled' | 'invalid', action: string, reason = action): Result => ({ outcome: { kind: 'end', end: kind, action, reason } });

function afterwards(settings: Record<string, string>, type: string): string {
  const key = END_KEY[type];
  if (key === undefined) return '';
  const target = settings[key]?.trim();
  const when = type === 'api' ? 'when an answer names no destination' : 'when it is done';
  return target ? `; ${when}: ${key} → ${target}` : `; ${when}: back one level (default)`;
}

function goToFolder(visit: Visit): Result {
  const { settings } = visit;
  for (const option of ['go_to_folder_from_file', 'go_to_folder_from_file_name']) {
    if (settings[option] === 'yes') return end('unmodelled', `${option}=yes picks the target by the caller (FileGoToFolder.ini): not modelled`);
  }
  const target = settings.go_to_folder?.trim();
  if (!target) return end('invalid', 'type=go_to_folder without go_to_folder= (no target)');
  return { outcome: { kind: 'go', target, label: 'go_to_folder', decidedBy: 'go_to_folder' } };
}

/** What the module of this extension does, the welcome message already played. */
export async function moduleVisit(visit: Visit, hasSettings: boolean): Promise<Result> {
  const { settings } = visit;
  const type = settings.type?.trim();
  if (!type) {
    const why = hasSettings ? 'ext.ini sets no type=' : 'there is no ext.ini';
    return end('unmodelled', `${why}: the reference does not say what Yemot does here`);
  }
  switch (type) {
    case 'menu':
      return menuVisit(visit);
    case 'playfile':
      return playfileVisit(visit);
    case 'go_to_folder':
      return goToFolder(visit);
    case 'hangup':
      return end('hangup', 'hangup', 'type=hangup');
    case 'play_and_return':
      if (!(await visit.message('M0002'))) visit.notes.push('no M0002 file: there is nothing to play');
      return { outcome: afterModule(settings, 'play_and_return_end_go_to') };
    case 'sending_sms_and_return':
      visit.notes.push(`an SMS would be sent to the caller (costs units): "${settings.text_sms_for_sending ?? ''}"`);
      return { outcome: afterModule(settings, 'sending_sms_and_return_end_goto') };
  }
  const endpoint = ENDPOINTS[type];
  if (endpoint) return end('endpoint', endpoint(settings), `${endpoint(settings)}${afterwards(settings, type)}`);
  const chooser = CHOOSERS[type];
  if (chooser) {
    const targets = navigationOf(settings).map(({ key, target }) => `${key} → ${target}`);
    return end('unmodelled', `type=${type} chooses the target ${chooser}: not modelled${targets.length ? ` (targets: ${targets.join(', ')})` : ''}`);
  }
  return end('unmodelled', `type=${type} is not modelled`);
}
