import { chargeUnits, roundUnits } from './ledger.js';
import type { AccountState, CampaignEntry, TemplateCampaign } from './state.js';

/**
 * How a template campaign moves over simulated time: each pending entry takes a free channel and rings;
 * answered calls are up for the message's length, then done and billed `unitsPerMessage`. Who answers is
 * decided by the number's last digit, so tests can choose: 0 no answer (rings originateTimeout), 8 busy,
 * 9 failed, anything else answers after RING_MS.
 */

const RING_MS = 3_000;
const REJECT_MS = 1_000;

type Outcome = 'answered' | 'no_answer' | 'busy' | 'failed';

function outcomeOf(phone: string): Outcome {
  const last = phone.at(-1);
  return last === '0' ? 'no_answer' : last === '8' ? 'busy' : last === '9' ? 'failed' : 'answered';
}

const isActive = (entry: CampaignEntry) => entry.entryStatus === 'ringing' || entry.entryStatus === 'up';
export const isLive = (campaign: TemplateCampaign) => campaign.campaignStatus !== 'FINISHED' && campaign.campaignStatus !== 'STOPPED';

/** The balance minus what running campaigns already owe: finished calls not yet billed and calls in progress. */
export function availableUnits(state: AccountState): number {
  const owed = state.templateCampaigns.reduce((sum, campaign) => sum + campaign.unbilled + campaign.entries.filter(isActive).length * campaign.unitsPerMessage, 0);
  return roundUnits(state.units - owed);
}

function ringTime(campaign: TemplateCampaign, phone: string): number {
  const outcome = outcomeOf(phone);
  if (outcome === 'answered') return RING_MS;
  return outcome === 'no_answer' ? campaign.settings.originateTimeout * 1000 : REJECT_MS;
}

/** Ends the campaign once nothing is waiting or in progress. */
function settle(campaign: TemplateCampaign, t: number): void {
  if (campaign.entries.some(isActive)) return;
  if (campaign.campaignStatus === 'STOPPING') campaign.campaignStatus = 'STOPPED';
  else if (campaign.campaignStatus === 'RUNNING' && !campaign.entries.some((entry) => entry.entryStatus === 'pending')) campaign.campaignStatus = 'FINISHED';
  else return;
  campaign.endedAt = t;
}

/** Pending entries are cancelled; calls in progress end on their own (STOPPING), then STOPPED. */
export function stopCampaign(campaign: TemplateCampaign, t: number): void {
  for (const entry of campaign.entries) if (entry.entryStatus === 'pending') entry.entryStatus = 'canceled';
  campaign.campaignStatus = 'STOPPING';
  settle(campaign, t);
}

/** Dials pending entries while channels are free (RUNNING only); stops the campaign when the units cannot pay another call. */
export function fillChannels(state: AccountState, campaign: TemplateCampaign, t: number): void {
  if (campaign.campaignStatus === 'RUNNING') {
    let active = campaign.entries.filter(isActive).length;
    for (const entry of campaign.entries) {
      if (active >= campaign.settings.maxActiveChannels) break;
      if (entry.entryStatus !== 'pending') continue;
      if (availableUnits(state) < campaign.unitsPerMessage) {
        stopCampaign(campaign, t);
        return;
      }
      Object.assign(entry, { entryStatus: 'ringing', startedAt: t, phaseEndsAt: t + ringTime(campaign, entry.phone) });
      active += 1;
    }
  }
  settle(campaign, t);
}

/** Ends a call now: an answered call is done and billed, a ringing one cancelled. */
export function endCall(campaign: TemplateCampaign, entry: CampaignEntry, t: number): void {
  if (entry.entryStatus === 'up') {
    Object.assign(entry, { entryStatus: 'done', endedAt: t, phaseEndsAt: null, price: campaign.unitsPerMessage });
    campaign.unbilled = roundUnits(campaign.unbilled + campaign.unitsPerMessage);
  } else Object.assign(entry, { entryStatus: 'canceled', endedAt: t, phaseEndsAt: null });
}

/** Moves every call whose phase ends by t to its next phase. */
function advanceCalls(campaign: TemplateCampaign, t: number): void {
  for (const entry of campaign.entries) {
    if (!isActive(entry) || entry.phaseEndsAt === null || entry.phaseEndsAt > t) continue;
    const at = entry.phaseEndsAt;
    if (entry.entryStatus === 'up') {
      endCall(campaign, entry, at);
      continue;
    }
    const outcome = outcomeOf(entry.phone);
    if (outcome === 'answered') Object.assign(entry, { entryStatus: 'up', answeredAt: at, phaseEndsAt: at + campaign.messageSeconds * 1000 });
    else Object.assign(entry, { entryStatus: outcome, endedAt: at, phaseEndsAt: null });
  }
}

/** The next moment a call of this campaign changes phase. */
export function nextCallEvent(campaign: TemplateCampaign): number | undefined {
  const times = campaign.entries.flatMap((entry) => (isActive(entry) && entry.phaseEndsAt !== null ? [entry.phaseEndsAt] : []));
  return times.length ? Math.min(...times) : undefined;
}

export function progressCampaign(state: AccountState, campaign: TemplateCampaign, t: number): void {
  advanceCalls(campaign, t);
  fillChannels(state, campaign, t);
}

/** Writes what finished calls cost to the ledger: one `Start-RunCampaign` line per campaign per catch-up. */
export function billCampaign(state: AccountState, campaign: TemplateCampaign, now: number): void {
  if (campaign.unbilled <= 0) return;
  // Units reserved at dialling; another spend may have used them since, and a call already made is billed all the same up to the balance.
  const cost = roundUnits(Math.min(campaign.unbilled, state.units));
  if (cost > 0) chargeUnits(state, cost, 'Start-RunCampaign', campaign.campaignId, now);
  campaign.billed = roundUnits(campaign.billed + campaign.unbilled);
  campaign.unbilled = 0;
}
