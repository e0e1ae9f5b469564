import { ApiFail, fail, type Area } from '../../handler.js';
import { NO_SIP_ANSWER } from '../../dispatch.js';
import { optChoice, requireChoice, requireInt, requireString } from '../../params.js';
import { approvedForCalls, isApprovedSmsSender, LOCAL_PHONE, toE164 } from '../../phones.js';

const SIP_USAGE = /^sip:\d+$/;
const GOTO_USAGE = /^goto:\/[A-Za-z0-9א-ת/]*$/;
const isUsage = (usage: string) => SIP_USAGE.test(usage) || GOTO_USAGE.test(usage);

/** Caller IDs, secondary numbers and the Pirsum Phone listing. */
export const account: Area = {
  GetApprovedCallerIDs: {
    handle: ({ state }) => ({
      call: { mainDid: toE164(state.mainDid), secondaryDids: state.secondaryDids.map((did) => toE164(did.did)), callerIds: state.approvedCallerIds.map((approved) => toE164(approved.callerId)) },
      sms: { smsId: state.smsId ? toE164(state.smsId) : '', allowText: state.smsAllowText },
    }),
  },
  IsCallerIDApproved: {
    handle({ params, state }) {
      const callerId = requireString(params, 'callerId').trim();
      const serviceType = optChoice(params, 'serviceType', ['call', 'sms'] as const) ?? 'call';
      if (!LOCAL_PHONE.test(callerId)) {
        const textSender = serviceType === 'sms' && isApprovedSmsSender(state, callerId);
        return textSender ? { parsedCallerId: callerId, isApproved: true, reason: 'INCLUDE' } : { parsedCallerId: '', isApproved: false, reason: 'INVALID_CALLER' };
      }
      const parsedCallerId = toE164(callerId);
      if (serviceType === 'sms') return { parsedCallerId, isApproved: isApprovedSmsSender(state, callerId), reason: state.smsId ? 'SMS_ID' : 'INCLUDE' };
      return { parsedCallerId, isApproved: approvedForCalls(state).has(callerId), reason: 'INCLUDE' };
    },
  },
  SetSecondaryDidUsageDescription: {
    rules: { secondaryDidId: { min: 1 } },
    handle({ params, state, sip }) {
      const id = requireInt(params, 'secondaryDidId');
      const did = state.secondaryDids.find((candidate) => candidate.id === id) ?? fail(`secondaryDidId ${id} not found`);
      const newUsage = requireString(params, 'newUsage').trim();
      if (!isUsage(newUsage)) fail('newUsage must be sip:<number> or goto:/<path>');
      if (!isUsage(did.usage)) fail('the current usage of this number cannot be changed');
      if (SIP_USAGE.test(newUsage) && !sip) throw new ApiFail({ ...NO_SIP_ANSWER });
      did.usage = newUsage;
      return { status: true };
    },
  },
  PirsumPhoneManagement: {
    handle({ params, state }) {
      const action = requireChoice(params, 'action', ['GetRegistrationStatus', 'Registration', 'UnRegistration'] as const);
      if (action === 'GetRegistrationStatus') return { registrationStatus: state.pirsumPhoneRegistered };
      state.pirsumPhoneRegistered = action === 'Registration';
      return { results: 'OK' };
    },
  },
};
