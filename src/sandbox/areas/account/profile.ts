import type { Area } from '../../handler.js';
import { formatDateTime, optString } from '../../params.js';
import { CUSTOMER_DETAILS, type AccountState } from '../../state.js';

/** The ledger's expiry of the balance: the last line's, as GetTransactions shows it. */
const unitsExpireDate = (state: AccountState) => state.transactions.at(-1)?.expireDate ?? '';

/** The account's profile: GetSession (basic), GetCustomerData (full), SetCustomerDetails. */
export const profile: Area = {
  GetSession: {
    handle: ({ state }) => ({
      ...state.profile,
      unitsExpireDate: unitsExpireDate(state),
      units: state.units,
      creditFile: state.accountInfo.creditFile,
      username: state.login.username,
    }),
  },
  GetCustomerData: {
    handle({ state, now }) {
      const expires = unitsExpireDate(state);
      return {
        mainDid: state.mainDid,
        secondary_dids: state.secondaryDids.map(({ id, did, usage }) => ({ id, did, usage })),
        callerIds: state.approvedCallerIds.map(({ callerId, expiryDate }) => ({ callerId, expiryDate })),
        ...state.profile,
        expiredUnits: expires !== '' && expires < formatDateTime(new Date(now)).slice(0, 10),
        unitsExpireDate: expires,
        smsUnitsExpireDate: state.smsTransactions.at(-1)?.expireDate ?? '',
        units: state.units,
        smsUnits: state.smsBalance,
        resellerCreditFile: state.accountInfo.creditFile,
        systemSite: state.accountInfo.systemSite,
        pirsumPhoneStatus: state.pirsumPhoneRegistered,
        ivrType: state.accountInfo.ivrType,
      };
    },
  },
  SetCustomerDetails: {
    handle({ params, state }) {
      // Documented: the command replaces the stored details, so a field left out is blanked, not kept.
      state.profile = Object.fromEntries(CUSTOMER_DETAILS.map((field) => [field, optString(params, field) ?? ''])) as AccountState['profile'];
      return {};
    },
  },
};
