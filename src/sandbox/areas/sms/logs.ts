import { fail, type Area, type Params } from '../../handler.js';
import { optInt, optString } from '../../params.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function optDateTime(params: Params, name: string): string | undefined {
  const value = optString(params, name)?.trim();
  if (value !== undefined && !DATE_TIME.test(value)) fail(`${name} must look like YYYY-MM-DD HH:mm:ss`);
  return value;
}

const newestFirst = <T>(rows: T[], time: (row: T) => string) => [...rows].sort((a, b) => time(b).localeCompare(time(a)));

export const sms: Area = {
  GetIncomingSms: {
    rules: { limit: { min: 1, max: 3000 } },
    handle({ params, state }) {
      const limit = optInt(params, 'limit') ?? 100;
      const startDate = optDateTime(params, 'startDate');
      const endDate = optDateTime(params, 'endDate');
      const inWindow = state.incomingSms.filter((row) => (!startDate || row.receive_date >= startDate) && (!endDate || row.receive_date <= endDate));
      return { rows: newestFirst(inWindow, (row) => row.receive_date).slice(0, limit).map((row) => ({ ...row })) };
    },
  },
  GetSmsOutLog: {
    // Default: every message (documented); state rows are kept oldest first.
    rules: { limit: { min: 1 } },
    handle({ params, state }) {
      const limit = optInt(params, 'limit') ?? state.outgoingSms.length;
      return { rows: [...state.outgoingSms].reverse().slice(0, limit).map((row) => ({ ...row })) };
    },
  },
  GetCustomerSmsTransactions: {
    handle: ({ state }) => ({ rows: newestFirst(state.smsTransactions, (row) => row.transactionTime).slice(0, 2000).map((row) => ({ ...row })) }),
  },
};
