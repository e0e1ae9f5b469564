import { fail } from './handler.js';
import { formatDateTime } from './params.js';
import type { AccountState, CampaignEntry, EntryStatus, TemplateCampaign } from './state.js';

/** GetCampaignStatus's `campaign` object (AF post/482) and DownloadCampaignReport's text. */

/** Documented default of `range`: the first 10,000 entries. */
const DEFAULT_RANGE_SIZE = 10_000;

const count = (campaign: TemplateCampaign, ...statuses: EntryStatus[]) => campaign.entries.filter((entry) => statuses.includes(entry.entryStatus)).length;
const time = (ms: number | null) => (ms === null ? null : formatDateTime(new Date(ms)));
const seconds = (from: number | null, to: number | null, now: number) => (from === null ? 0 : Math.round(((to ?? now) - from) / 1000));

export function findCampaign(state: AccountState, campaignId: string): TemplateCampaign {
  return state.templateCampaigns.find((campaign) => campaign.campaignId === campaignId.trim()) ?? fail(`campaignId ${campaignId} not found`);
}

function entryView(entry: CampaignEntry, now: number) {
  return {
    phone: entry.phone,
    name: entry.name,
    moreinfo: entry.moreinfo,
    entryStatus: entry.entryStatus,
    duration: seconds(entry.answeredAt, entry.endedAt, now),
    bridgedDuration: 0,
    bridged: false,
    startTime: time(entry.startedAt),
    currentPrice: entry.price,
    redials: [],
  };
}

/** The campaign object without entries (GetActiveCampaigns, CampaignAction). */
export function campaignView(campaign: TemplateCampaign, now: number) {
  const { settings } = campaign;
  const failed = count(campaign, 'failed', 'no_answer', 'busy', 'amd', 'error');
  return {
    campaignId: campaign.campaignId,
    campaignStatus: campaign.campaignStatus,
    templateId: campaign.templateId,
    who: campaign.who,
    callerId: campaign.callerId,
    blockedEntries: count(campaign, 'blocked'),
    pendingEntries: count(campaign, 'pending'),
    activeEntries: count(campaign, 'ringing', 'up'),
    bridgedEntries: 0,
    redialEntries: count(campaign, 'redial'),
    doneEntries: count(campaign, 'done'),
    failedEntries: failed,
    totalEntries: campaign.entries.length,
    totalDialed: campaign.entries.filter((entry) => entry.startedAt !== null && !entry.sms).length,
    totalSuccessful: campaign.entries.filter((entry) => entry.answeredAt !== null).length,
    totalBridged: 0,
    totalFailed: failed,
    totalIncoming: 0,
    totalIncomingBridged: 0,
    maxActiveChannels: settings.maxActiveChannels,
    maxBridgedChannels: settings.maxBridgedChannels,
    maxDialAttempts: settings.maxDialAttempts,
    redialWait: settings.redialWait,
    redialPolicy: settings.redialPolicy,
    vmDetect: settings.vmDetect,
    filterEnabled: settings.filterEnabled,
    playPrivateMsg: settings.playPrivateMsg,
    runTime: seconds(campaign.startedAt, campaign.endedAt, now),
    currentPrice: campaign.billed + campaign.unbilled,
    paused: campaign.campaignStatus === 'PAUSED',
  };
}

/** `range` = `min:max` (1-based, inclusive; either side may be empty; `:` = all). */
function rangeOf(text: string | undefined): [number, number] {
  if (text === undefined) return [1, DEFAULT_RANGE_SIZE];
  const match = /^\s*(\d*)\s*:\s*(\d*)\s*$/.exec(text);
  if (!match) return fail(`range must be min:max, like 1:100 (: for all); got ${text}`);
  const [min, max] = [match[1] ? Number(match[1]) : 1, match[2] ? Number(match[2]) : Infinity];
  if (min < 1 || max < min) fail(`range must be min:max with 1 <= min <= max; got ${text}`);
  return [min, max];
}

/** The campaign object; with `entries` (a status or `all`), the rows of that status within `range`. */
export function campaignStatus(campaign: TemplateCampaign, now: number, filter?: EntryStatus | 'all', range?: string) {
  const view = campaignView(campaign, now);
  if (filter === undefined) return view;
  const [min, max] = rangeOf(range);
  const rows = campaign.entries.filter((entry) => filter === 'all' || entry.entryStatus === filter);
  return { ...view, entries: rows.slice(min - 1, max).map((entry) => entryView(entry, now)) };
}

const csvCell = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const REPORT_COLUMNS = ['phone', 'name', 'moreinfo', 'entryStatus', 'startTime', 'duration', 'currentPrice'] as const;

/** DownloadCampaignReport: one CSV row per entry (the format is undocumented; the sandbox writes CSV). */
export function campaignReport(campaign: TemplateCampaign, now: number): string {
  const rows = campaign.entries.map((entry) => {
    const view = entryView(entry, now);
    return REPORT_COLUMNS.map((column) => csvCell(view[column])).join(',');
  });
  return `${[REPORT_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}
