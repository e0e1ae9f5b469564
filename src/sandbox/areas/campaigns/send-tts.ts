import { expandPhoneString, phoneDials, screenDials, uniqueBy } from '../../dials.js';
import { fail, type Area } from '../../handler.js';
import { chargeUnits, roundUnits } from '../../ledger.js';
import { campaignId, isHttpUrl, optFlag, optInt, optString, requireString, unitsString } from '../../params.js';
import { assertApprovedCaller, LOCAL_PHONE } from '../../phones.js';
import type { AccountState, CampaignRecord } from '../../state.js';
import { findFolder, folderType, pathSegments } from '../../vfs.js';

const MAX_NUMBERS = 500;

/** Takes the units and writes the ledger line (none for a free campaign), then records the campaign. */
export function startCampaign(state: AccountState, campaign: CampaignRecord, at: number): void {
  if (campaign.units > 0) chargeUnits(state, campaign.units, `Start-${campaign.command}`, campaign.campaignId, at);
  state.campaigns.push(campaign);
}

export const campaigns: Area = {
  SendTTS: {
    // The docs give repeatFile no upper bound (default 2).
    rules: { ttsRate: { min: -10, max: 10 }, repeatFile: { min: 1 } },
    handle(ctx) {
      const { params, state } = ctx;
      const phones = requireString(params, 'phones');
      const ttsMessage = requireString(params, 'ttsMessage');
      optFlag(params, 'SendMail');
      optString(params, 'ttsVoice');
      const callerId = optString(params, 'callerId') ?? state.mainDid;
      assertApprovedCaller(state, callerId);
      const numbers = uniqueBy(expandPhoneString(state, phones), (phone) => phone);
      if (numbers.length === 0) fail('phones is required');
      const callbackUrl = optString(params, 'callbackUrl');
      if (callbackUrl !== undefined) {
        if (!isHttpUrl(callbackUrl)) fail('callbackUrl is invalid');
        if (numbers.length > MAX_NUMBERS) fail(`callbackUrl is allowed only for up to ${MAX_NUMBERS} numbers`);
      }
      const ok = numbers.filter((phone) => LOCAL_PHONE.test(phone));
      const ErrorCalls: Record<string, string> = Object.fromEntries(numbers.filter((phone) => !LOCAL_PHONE.test(phone)).map((phone) => [phone, 'not valid']));
      const id = campaignId(3, state.mainDid);
      if (ok.length > state.units) {
        for (const phone of ok) ErrorCalls[phone] = 'NO_CREDIT';
        return { CampaignId: id, OKCalls: 0, ErrorCalls, billing: 0, units: unitsString(state.units) };
      }
      if (ok.length) startCampaign(state, { command: 'SendTTS', campaignId: id, numbers: ok, callerId, ttsMessage, callbackUrl, units: ok.length }, ctx.now);
      return { CampaignId: id, OKCalls: ok.length, ErrorCalls, billing: ok.length, units: unitsString(state.units) };
    },
  },
  CallExtensionBridging: {
    rules: { callsTimeOut: { min: 1, max: 35 } },
    handle(ctx) {
      const { params, state } = ctx;
      const ivrPath = requireString(params, 'ivrPath');
      if (!/^ivr2:/i.test(ivrPath.trim())) fail('ivrPath must start with ivr2:, e.g. ivr2:/1/100');
      const folder = findFolder(state.ivr, pathSegments(ivrPath, 'ivrPath')) ?? fail(`ivrPath not found: ${ivrPath}`);
      const callsTimeout = optInt(params, 'callsTimeOut') ?? 30;
      const callerId = optString(params, 'callerId') ?? state.mainDid;
      assertApprovedCaller(state, callerId);
      const dials = uniqueBy(phoneDials(ctx, callerId), (dial) => dial.phone);
      if (dials.length === 0) fail('phones is required');
      if (dials.length > MAX_NUMBERS) fail(`phones: up to ${MAX_NUMBERS} numbers per campaign`);
      const { ok, errors } = screenDials(state, dials, callerId);
      const cost = roundUnits(ok.length * 0.1);
      const id = campaignId(1, state.mainDid);
      let callsCount = ok.length;
      if (cost > state.units) {
        for (const dial of ok) errors[dial.phone] = 'NO_CREDIT';
        callsCount = 0;
      } else if (ok.length) startCampaign(state, { command: 'CallExtensionBridging', campaignId: id, numbers: ok.map((dial) => dial.phone), callerId, ivrPath, units: cost }, ctx.now);
      return { module: folderType(folder), callerId, callsCount, bilingPerCall: 1, errors, callsTimeout, campaignId: id };
    },
  },
};
