import { phoneItems, type PhoneItem } from '../../campaign-phones.js';
import { availableUnits, billCampaign, endCall, fillChannels, isLive, stopCampaign } from '../../campaign-progress.js';
import { CAMPAIGN_CODES, campaignEntry, launchCampaign, planCampaign, planCounts } from '../../campaign-start.js';
import { campaignStatus, campaignView, findCampaign } from '../../campaign-view.js';
import { fail, type Area, type Params } from '../../handler.js';
import { roundUnits } from '../../ledger.js';
import { isPresent, optChoice, optFlag, optString, requireChoice, requireInt, requireString } from '../../params.js';
import { LOCAL_PHONE } from '../../phones.js';
import { ENTRY_STATUSES, type TemplateCampaign } from '../../state.js';

/** Running template campaigns and acting on them (API-CATALOG §5: RunCampaign, GetCampaignStatus, CampaignAction…). */

const ACTIONS = ['add', 'block', 'hangup', 'stop', 'setPaused', 'setMaxActiveChannels', 'setMaxBridgedChannels'] as const;
type Action = (typeof ACTIONS)[number];

/** The reply echoes the action in upper snake case (setPaused => SET_PAUSED). */
const upperSnake = (action: Action) => action.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();

type Row = { phone: string; action: 'add' | 'addblocked' | 'block' | 'unblock' | 'hangup' | 'failed' };

/** add/block: new numbers join the campaign (blocked ones as addblocked); pending and blocked ones change state. */
function addOrBlock(campaign: TemplateCampaign, items: PhoneItem[], block: boolean, available: number): Row[] {
  const fresh = items.filter((item) => LOCAL_PHONE.test(item.phone) && !campaign.entries.some((entry) => entry.phone === item.phone) && !block && !item.blocked);
  const cost = roundUnits(new Set(fresh.map((item) => item.phone)).size * campaign.unitsPerMessage);
  if (cost > available) fail(`not enough units to add ${fresh.length} numbers: about ${cost} needed, ${available} available`, { messageCode: CAMPAIGN_CODES.notEnoughUnits });
  return items.map(({ phone, ...item }): Row => {
    const blocked = block || item.blocked;
    const existing = campaign.entries.find((entry) => entry.phone === phone);
    if (!LOCAL_PHONE.test(phone)) return { phone, action: 'failed' };
    if (!existing) {
      campaign.entries.push(campaignEntry({ phone, ...item, blocked }, false));
      return { phone, action: blocked ? 'addblocked' : 'add' };
    }
    if (existing.entryStatus === 'pending' && blocked) return (existing.entryStatus = 'blocked'), { phone, action: 'block' };
    if (existing.entryStatus === 'blocked' && !blocked) return (existing.entryStatus = 'pending'), { phone, action: 'unblock' };
    return { phone, action: 'failed' };
  });
}

function hangup(campaign: TemplateCampaign, items: PhoneItem[], now: number): Row[] {
  return items.map(({ phone }): Row => {
    const entry = campaign.entries.find((candidate) => candidate.phone === phone && (candidate.entryStatus === 'ringing' || candidate.entryStatus === 'up'));
    if (!entry) return { phone, action: 'failed' };
    endCall(campaign, entry, now);
    return { phone, action: 'hangup' };
  });
}

function act(campaign: TemplateCampaign, action: Action, params: Params, available: number, now: number): { value: unknown; data: Row[] } {
  if (action === 'stop') {
    stopCampaign(campaign, now);
    return { value: null, data: [] };
  }
  if (action === 'setPaused') {
    const paused = requireInt(params, 'value', { min: 0, max: 1 }) === 1;
    if (campaign.campaignStatus === 'STOPPING') fail(`campaign ${campaign.campaignId} is stopping and cannot be paused or resumed`);
    campaign.campaignStatus = paused ? 'PAUSED' : 'RUNNING';
    return { value: paused ? 1 : 0, data: [] };
  }
  if (action === 'setMaxActiveChannels') return { value: (campaign.settings.maxActiveChannels = requireInt(params, 'value', { min: 1, max: 1000 })), data: [] };
  if (action === 'setMaxBridgedChannels') return { value: (campaign.settings.maxBridgedChannels = requireInt(params, 'value', { min: 0 })), data: [] };
  if (!isPresent(params, 'value')) fail(`value is required for ${action}: numbers joined with : or an object keyed by phone`);
  const items = phoneItems(params.value, 'value');
  if (action === 'hangup') return { value: params.value, data: hangup(campaign, items, now) };
  if (campaign.campaignStatus === 'STOPPING') fail(`campaign ${campaign.campaignId} is stopping: numbers cannot be added or blocked`);
  return { value: params.value, data: addOrBlock(campaign, items, action === 'block', available) };
}

export const templateCampaigns: Area = {
  RunCampaign: {
    handle({ params, state, now }) {
      const plan = planCampaign(state, {
        templateId: optString(params, 'templateId'),
        callerId: optString(params, 'callerId'),
        phones: isPresent(params, 'phones') ? params.phones : undefined,
        ttsMode: optFlag(params, 'ttsMode') === 1,
        withSMS: optFlag(params, 'withSMS') === 1,
      });
      // Counted before the first calls start.
      const { estimatedPrice, ...counts } = planCounts(plan);
      const campaign = launchCampaign(state, plan, now, 'API');
      return { templateId: campaign.templateId, campaignId: campaign.campaignId, ...counts, estimatedPrice, customerUnits: state.units, smsCount: plan.smsCount, smsPrice: plan.smsPrice };
    },
  },
  GetCampaignStatus: {
    handle({ params, state, now }) {
      const campaign = findCampaign(state, requireString(params, 'campaignId'));
      const filter = optChoice(params, 'entries', ['all', ...ENTRY_STATUSES] as const);
      return { campaign: campaignStatus(campaign, now, filter, optString(params, 'range')) };
    },
  },
  GetActiveCampaigns: {
    handle: ({ state, now }) => ({ campaigns: state.templateCampaigns.filter(isLive).map((campaign) => campaignView(campaign, now)) }),
  },
  CampaignAction: {
    handle({ params, state, now }) {
      const campaign = findCampaign(state, requireString(params, 'campaignId'));
      const action = requireChoice(params, 'action', ACTIONS);
      if (!isLive(campaign)) fail(`campaign ${campaign.campaignId} is ${campaign.campaignStatus}: actions apply to a running or paused campaign`);
      const { value, data } = act(campaign, action, params, availableUnits(state), now);
      fillChannels(state, campaign, now);
      billCampaign(state, campaign, now);
      return { campaign: campaignView(campaign, now), action: upperSnake(action), value, data };
    },
  },
};
