import { phoneItems, type PhoneItem } from './campaign-phones.js';
import { availableUnits, fillChannels } from './campaign-progress.js';
import { fail } from './handler.js';
import { chargeSmsUnits, roundUnits } from './ledger.js';
import { formatDateTime } from './params.js';
import { isApprovedCaller, LOCAL_PHONE } from './phones.js';
import { smsParts } from './areas/sms/send.js';
import type { AccountState, CampaignEntry, Template, TemplateCampaign } from './state.js';
import { callSeconds, messageFile, smsTextFile, unitsPerMessage } from './templates.js';
import { fileText, own } from './vfs.js';

/** RunCampaign's checks and start, shared with a ScheduleCampaign that fires (AF post/481). */

/** The documented messageCodes of RunCampaign (105, a general error, has no cause the sandbox simulates). */
export const CAMPAIGN_CODES = { invalidTemplate: 100, notSetUp: 101, noValidPhones: 102, notEnoughUnits: 103, kodesh: 104, callerId: 120 } as const;

const refuse = (messageCode: number, message: string): never => fail(message, { messageCode });

/** Kosher mobile prefixes (voice only): with withSMS they get the call, other mobiles the SMS. */
const KOSHER_MOBILE = /^05(041|276|331|484|567|832)/;
const REGULAR_MOBILE = /^05\d{8}$/;

export interface CampaignRequest {
  templateId?: string;
  callerId?: string;
  phones?: unknown;
  ttsMode: boolean;
  withSMS: boolean;
}

export interface CampaignPlan {
  templateId: string;
  callerId: string;
  entries: CampaignEntry[];
  estimatedPrice: number;
  unitsPerMessage: number;
  messageSeconds: number;
  smsText: string;
  smsCount: number;
  smsPrice: number;
  request: CampaignRequest;
}

export const campaignEntry = (item: PhoneItem, sms: boolean): CampaignEntry => ({
  phone: item.phone,
  name: item.name,
  moreinfo: item.moreinfo,
  text: item.text,
  entryStatus: item.blocked ? 'blocked' : sms ? 'done' : 'pending',
  sms: sms && !item.blocked,
  startedAt: null,
  answeredAt: null,
  endedAt: null,
  phaseEndsAt: null,
  price: 0,
});

function templateOf(state: AccountState, templateId: string | undefined): [string, Template] {
  const id = templateId?.trim() || state.defaultTemplateId;
  const template = /^\d+$/.test(id) ? own(state.templates, id) : undefined;
  return template ? [id, template] : refuse(CAMPAIGN_CODES.invalidTemplate, `templateId ${id} is invalid: no such template`);
}

/**
 * Everything RunCampaign checks, in order, and what it would start; no effect on the account. For a run
 * scheduled later (spendNow false) the Shabbat block and the balance are checked when it fires, not now.
 */
export function planCampaign(state: AccountState, request: CampaignRequest, spendNow = true): CampaignPlan {
  const [id, template] = templateOf(state, request.templateId);
  if (spendNow && state.kodesh) refuse(CAMPAIGN_CODES.kodesh, 'isKodesh is true');
  const callerId = request.callerId?.trim() || template.settings.callerId;
  if (!isApprovedCaller(state, callerId)) refuse(CAMPAIGN_CODES.callerId, `callerId ${callerId} is not authorised for this system`);
  const fromTemplate = request.phones === undefined;
  // With ttsMode the personal text is the entry's moreinfo when phones is not given (AF post/481).
  const items = fromTemplate ? template.entries.map((entry) => ({ ...entry, text: request.ttsMode ? entry.moreinfo : '' })) : phoneItems(request.phones, 'phones');
  if (fromTemplate && items.length === 0) refuse(CAMPAIGN_CODES.notSetUp, `template ${id} is not set up: its phone list is empty`);
  if (!messageFile(state, id)) refuse(CAMPAIGN_CODES.notSetUp, `template ${id} is not set up: no message (upload it to tpl:${id})`);
  const seen = new Set<string>();
  const valid = items.filter((item) => LOCAL_PHONE.test(item.phone) && !seen.has(item.phone) && seen.add(item.phone));
  const bySms = (item: PhoneItem) => request.withSMS && REGULAR_MOBILE.test(item.phone) && !KOSHER_MOBILE.test(item.phone);
  const entries = valid.map((item) => campaignEntry(item, bySms(item)));
  const pending = entries.filter((entry) => entry.entryStatus === 'pending').length;
  const smsCount = entries.filter((entry) => entry.sms).length;
  if (pending + smsCount === 0) refuse(CAMPAIGN_CODES.noValidPhones, 'no valid phones to call: every number is invalid or blocked');
  const smsFile = smsTextFile(state, id);
  if (smsCount > 0 && !smsFile) refuse(CAMPAIGN_CODES.notSetUp, `template ${id} is not set up for withSMS: no SMS text (upload it to tpl:${id}:tts)`);
  const smsText = smsFile ? fileText(smsFile).trim() : '';
  const perMessage = unitsPerMessage(state, id);
  const estimatedPrice = roundUnits(pending * perMessage);
  const smsPrice = smsCount * (smsText ? smsParts(smsText) : 0);
  if (spendNow && estimatedPrice > availableUnits(state)) refuse(CAMPAIGN_CODES.notEnoughUnits, `not enough units: the campaign needs about ${estimatedPrice}, the balance is ${availableUnits(state)}`);
  if (spendNow && smsPrice > state.smsBalance) refuse(CAMPAIGN_CODES.notEnoughUnits, `not enough SMS units: the campaign needs ${smsPrice}, the SMS balance is ${state.smsBalance}`);
  return { templateId: id, callerId, entries, estimatedPrice, unitsPerMessage: perMessage, messageSeconds: callSeconds(state, id), smsText, smsCount, smsPrice, request };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Like 0772222770-1117319-2025-01-21-15-11-18-347-API (documented example): system, template, start time. */
export function templateCampaignId(mainDid: string, templateId: string, ms: number): string {
  const at = new Date(ms);
  return `${mainDid}-${templateId}-${formatDateTime(at).replace(/[ :]/g, '-')}-${pad(at.getMilliseconds(), 3)}-API`;
}

/** A campaign id not used yet (two runs in the same millisecond get the next one). */
function newCampaignId(state: AccountState, templateId: string, now: number): string {
  const taken = new Set(state.templateCampaigns.map((campaign) => campaign.campaignId));
  let ms = now;
  while (taken.has(templateCampaignId(state.mainDid, templateId, ms))) ms += 1;
  return templateCampaignId(state.mainDid, templateId, ms);
}

/** Sends the SMS part (SMS units, GetSmsOutLog rows), records the campaign and dials its first entries. */
export function launchCampaign(state: AccountState, plan: CampaignPlan, now: number, who: string): TemplateCampaign {
  const template = state.templates[plan.templateId];
  const campaignId = newCampaignId(state, plan.templateId, now);
  if (plan.smsCount > 0) {
    chargeSmsUnits(state, plan.smsPrice, `Start-RunCampaign ${campaignId}`, now);
    const parts = smsParts(plan.smsText);
    for (const entry of plan.entries.filter((candidate) => candidate.sms)) {
      Object.assign(entry, { startedAt: now, endedAt: now });
      state.outgoingSms.push({ CallerId: plan.callerId, To: entry.phone, Message: plan.smsText, Billing: parts, RunBy: 'Campaign', Time: formatDateTime(new Date(now)), DeliveryReport: 'ESME_ROK' });
    }
  }
  const campaign: TemplateCampaign = {
    campaignId,
    templateId: Number(plan.templateId),
    who,
    callerId: plan.callerId,
    campaignStatus: 'RUNNING',
    startedAt: now,
    endedAt: null,
    ttsMode: plan.request.ttsMode,
    withSMS: plan.request.withSMS,
    unitsPerMessage: plan.unitsPerMessage,
    messageSeconds: plan.messageSeconds,
    settings: { ...template.settings },
    smsCount: plan.smsCount,
    smsPrice: plan.smsPrice,
    billed: 0,
    unbilled: 0,
    entries: plan.entries,
  };
  state.templateCampaigns.push(campaign);
  fillChannels(state, campaign, now);
  return campaign;
}

/** RunCampaign's and ScheduleCampaign's counts. */
export function planCounts(plan: CampaignPlan) {
  return {
    entriesCount: plan.entries.length,
    pending: plan.entries.filter((entry) => entry.entryStatus === 'pending').length,
    blocked: plan.entries.filter((entry) => entry.entryStatus === 'blocked').length,
    estimatedPrice: plan.estimatedPrice,
  };
}
