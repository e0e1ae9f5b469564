import { uniqueBy } from '../../dials.js';
import { fail, type Area } from '../../handler.js';
import { chargeSmsUnits } from '../../ledger.js';
import { formatDateTime, optFlag, optString, requireString } from '../../params.js';
import { isApprovedSmsSender, LOCAL_PHONE } from '../../phones.js';

/** Plain ASCII travels in the 7-bit alphabet; anything else (Hebrew, emoji) as UCS-2, fewer characters a part. */
const SEVEN_BIT = /^[\n\r\x20-\x7E]*$/;

/**
 * SMS units one message draws: one per part. The vendor documents no rate, so the sandbox bills as
 * SMS networks split messages (160/153 characters a part in 7-bit, 70/67 in UCS-2).
 */
export function smsParts(message: string): number {
  const [single, multi] = SEVEN_BIT.test(message) ? [160, 153] : [70, 67];
  return message.length <= single ? 1 : Math.ceil(message.length / multi);
}

export const smsSending: Area = {
  SendSms: {
    handle({ params, state, now }) {
      const message = requireString(params, 'message');
      const phones = requireString(params, 'phones');
      optFlag(params, 'sendFlashMessage');
      const from = optString(params, 'from')?.trim() || state.smsId || state.mainDid;
      if (!isApprovedSmsSender(state, from)) {
        fail(`from ${from} is not an approved SMS sender: use the sender lock or an approved number (a text name only when GetApprovedCallerIDs sms.allowText is true)`);
      }
      const numbers = uniqueBy(
        phones.split(':').map((phone) => phone.trim()).filter((phone) => phone !== ''),
        (phone) => phone,
      );
      if (numbers.length === 0) fail('phones is required');
      const oks = numbers.filter((phone) => LOCAL_PHONE.test(phone));
      const errors = Object.fromEntries(numbers.filter((phone) => !LOCAL_PHONE.test(phone)).map((phone) => [phone, 'not valid']));
      const parts = smsParts(message);
      const Billing = parts * oks.length;
      if (oks.length) {
        chargeSmsUnits(state, Billing, 'SendSms', now);
        const Time = formatDateTime(new Date(now));
        // ESME_ROK: the SMS centre accepted the message; the sandbox never receives a later delivery report.
        for (const To of oks) state.outgoingSms.push({ CallerId: from, To, Message: message, Billing: parts, RunBy: 'API', Time, DeliveryReport: 'ESME_ROK' });
      }
      return { message, from, sendCount: oks.length, Billing, oks, errors };
    },
  },
};
