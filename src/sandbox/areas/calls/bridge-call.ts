import { uniqueBy } from '../../dials.js';
import { NO_SIP_ANSWER } from '../../dispatch.js';
import { ApiFail, fail, type Area, type CommandContext } from '../../handler.js';
import { canPay } from '../../ledger.js';
import { campaignId, optFlag, optString, requireInt, requireString } from '../../params.js';
import { assertApprovedCaller, LOCAL_PHONE } from '../../phones.js';
import { startCampaign } from '../campaigns/send-tts.js';

/** The vendor bills bridge calls per call at a rate it does not publish; this is the sandbox's. */
const BRIDGE_UNITS_PER_CALL = 1;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const phoneList = (text: string) =>
  uniqueBy(
    text.split(':').map((phone) => phone.trim()).filter((phone) => phone !== ''),
    (phone) => phone,
  );

/** DialSip=1: the first leg rings a SIP account (by AccountNumber, or by SipExtension with DialSipExtension=1) instead of Phones. */
function sipLeg({ params, state, sip }: CommandContext): string {
  if (!sip) throw new ApiFail({ ...NO_SIP_ANSWER });
  if (optFlag(params, 'DialSipExtension') === 1) {
    const extension = requireInt(params, 'SipExtension');
    const account = state.sipAccounts.find((candidate) => candidate.extension === extension) ?? fail(`SipExtension ${extension} not found`);
    return `sip:${account.accountNumber}`;
  }
  const number = requireInt(params, 'AccountNumber');
  if (!state.sipAccounts.some((candidate) => candidate.accountNumber === number)) fail(`AccountNumber ${number} not found`);
  return `sip:${number}`;
}

export const bridgeCall: Area = {
  CreateBridgeCall: {
    handle(ctx) {
      const { params, state } = ctx;
      const Phones = phoneList(requireString(params, 'Phones'));
      const bridgePhones = phoneList(requireString(params, 'BridgePhones'));
      const badBridge = bridgePhones.find((phone) => !LOCAL_PHONE.test(phone));
      if (badBridge !== undefined) fail(`BridgePhones: ${badBridge} is not a valid number (a local number is expected, like 0501234567)`);
      if (bridgePhones.length === 0) fail('BridgePhones is required');
      const CallerId = optString(params, 'callerId')?.trim() || state.mainDid;
      assertApprovedCaller(state, CallerId);
      const RecordCall = optFlag(params, 'RecordCall') === 1;
      const SendMailInCall = optFlag(params, 'SendMailInCall') === 1;
      const SendMailInCallTo = optString(params, 'SendMailInCallTo')?.trim() ?? null;
      if (SendMailInCallTo !== null && !EMAIL.test(SendMailInCallTo)) fail('SendMailInCallTo must be an e-mail address');
      const sipFirst = optFlag(params, 'DialSip') === 1;
      const legs = sipFirst ? [sipLeg(ctx)] : Phones.filter((phone) => LOCAL_PHONE.test(phone));
      const ErrorCalls: Record<string, string> = sipFirst ? {} : Object.fromEntries(Phones.filter((phone) => !LOCAL_PHONE.test(phone)).map((phone) => [phone, 'not valid']));
      const CampaignId = campaignId(4, state.mainDid);
      const cost = legs.length * BRIDGE_UNITS_PER_CALL;
      let OKCalls = legs.length;
      if (!canPay(state, cost)) {
        for (const leg of legs) ErrorCalls[leg] = 'NO_CREDIT';
        OKCalls = 0;
      } else if (legs.length) startCampaign(state, { command: 'CreateBridgeCall', campaignId: CampaignId, numbers: legs, callerId: CallerId, bridgePhones, units: cost }, ctx.now);
      const Billing = OKCalls * BRIDGE_UNITS_PER_CALL;
      return { CampaignId, OKCalls, ErrorCalls, Billing, SendMailInCall, RecordCall, CustomerUnit: state.units, CallerId, Phones, SendMailInCallTo };
    },
  },
};
