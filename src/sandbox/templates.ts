import { fail, type Params } from './handler.js';
import { roundUnits } from './ledger.js';
import { requireInt } from './params.js';
import type { AccountState, Template, TemplateSettings } from './state.js';
import { audioSeconds, own } from './vfs.js';

/** Campaign templates: lookup, their message files (§4.4) and GetTemplates' object. */

/** The sandbox's cap on a template's phone list (the API documents none; GetCampaignStatus lists 10,000 by default). */
export const MAX_TEMPLATE_ENTRIES = 10_000;

/** Seconds of a campaign call when the template has no recorded message to measure. */
const DEFAULT_MESSAGE_SECONDS = 10;

export function defaultSettings(callerId: string): TemplateSettings {
  return {
    callerId,
    incomingPolicy: 'OPEN',
    maxActiveChannels: 10,
    maxBridgedChannels: 0,
    originateTimeout: 30,
    vmDetect: false,
    filterEnabled: false,
    maxDialAttempts: 1,
    redialWait: 60,
    redialPolicy: 'NONE',
    yemotContext: 'MESSAGE',
    bridgeTo: '',
    playPrivateMsg: false,
    removeRequest: 'SILENT',
  };
}

export function newTemplate(description: string | null, settings: TemplateSettings): Template {
  return { description, entries: [], settings: { ...settings }, nextRowId: 1 };
}

/** The template a `templateId` parameter names; refused naming the id when there is none. */
export function templateParam(state: AccountState, params: Params): [string, Template] {
  const id = String(requireInt(params, 'templateId', { min: 1 }));
  return [id, own(state.templates, id) ?? fail(`templateId ${id} does not exist`)];
}

/** The voice message (tpl:ID), the SMS/TTS text (tpl:ID:tts) and the pre-bridge message (tpl:ID:MoreInfo). */
export const messageFile = (state: AccountState, id: string) => own(state.campaignFiles.files, `${id}.wav`);
export const smsTextFile = (state: AccountState, id: string) => own(state.campaignFiles.files, `${id}.tts`);
const moreInfoFile = (state: AccountState, id: string) => own(state.campaignFiles.files, `${id}-MoreInfo.wav`);

const secondsOf = (file: ReturnType<typeof messageFile>) => (file ? Math.round((audioSeconds(file) ?? 0) * 100) / 100 : 0);

/** How long an answered call of this template lasts, in whole seconds. */
export function callSeconds(state: AccountState, id: string): number {
  const seconds = secondsOf(messageFile(state, id)) + secondsOf(moreInfoFile(state, id));
  return Math.max(1, Math.ceil(seconds || DEFAULT_MESSAGE_SECONDS));
}

/** Like SendTTS: a unit for the first minute, then by the minute's share. */
export const unitsPerMessage = (state: AccountState, id: string) => roundUnits(Math.max(1, callSeconds(state, id) / 60));

/** GetTemplates' object for one template. */
export function templateInfo(state: AccountState, id: string, template: Template) {
  const message = messageFile(state, id);
  const moreinfo = moreInfoFile(state, id);
  return {
    templateId: Number(id),
    description: template.description,
    ...template.settings,
    entriesCount: template.entries.length,
    blockedEntriesCount: template.entries.filter((entry) => entry.blocked).length,
    customerDefault: id === state.defaultTemplateId,
    messageExists: message !== undefined,
    messageDuration: secondsOf(message),
    unitsPerMessage: unitsPerMessage(state, id),
    moreinfoExists: moreinfo !== undefined,
    moreinfoDuration: secondsOf(moreinfo),
  };
}
