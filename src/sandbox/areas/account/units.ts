import { fail, type Area, type Params } from '../../handler.js';
import { writeLedger } from '../../ledger.js';
import { formatDateTime, optChoice, optInt, optString } from '../../params.js';

/** Positive, at most 2 decimals: units as the API counts them. */
const AMOUNT = /^\d+(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function amountOf(params: Params): number | undefined {
  const raw = typeof params.amount === 'number' ? String(params.amount) : typeof params.amount === 'string' ? params.amount.trim() : '';
  const amount = AMOUNT.test(raw) ? Number(raw) : 0;
  return amount > 0 ? amount : undefined;
}

/** A yyyy-MM-dd that names a real day. */
function optDate(params: Params, name: string): string | undefined {
  const value = optString(params, name)?.trim();
  if (value === undefined) return undefined;
  const real = DATE.test(value) && formatDateTime(new Date(`${value}T12:00:00`)).startsWith(value);
  return real ? value : fail(`${name} must be a date yyyy-MM-dd, got ${value.slice(0, 40)}`);
}

/** The unit ledger, transfers to other systems, incoming minutes. */
export const units: Area = {
  GetTransactions: {
    rules: { from: { min: 0 }, limit: { min: 1 } },
    handle({ params, state }) {
      const filter = optChoice(params, 'filter', ['campaigns'] as const);
      const rows = [...state.transactions].reverse().filter((row) => filter !== 'campaigns' || row.campaignId !== null);
      // "From which transaction to show" (documented, no more): the sandbox reads it as an offset into the newest-first list.
      const from = optInt(params, 'from') ?? 0;
      const limit = optInt(params, 'limit') ?? rows.length;
      return { transactions: rows.slice(from, from + limit).map((row) => ({ ...row })), totalCount: rows.length };
    },
  },
  TransferUnits: {
    handle({ params, state, now }) {
      const destination = optString(params, 'destination')?.trim() ?? '';
      const target = destination === state.mainDid ? undefined : state.otherSystems[destination];
      if (!target) fail('Bad destination', { messageCode: 111 });
      const amount = amountOf(params) ?? fail('Bad amount', { messageCode: 112 });
      if (amount > state.units) fail('Not enough balance', { messageCode: 113 });
      writeLedger(state, { amount: -amount, description: `transfer to ${destination}`, who: 'TRANSFER', at: now });
      writeLedger(target, { amount, description: `transfer from ${state.mainDid}`, who: 'TRANSFER', at: now });
      return { destination, amount, newBalance: state.units };
    },
  },
  GetIncomingSum: {
    handle({ params, state, now }) {
      const today = formatDateTime(new Date(now)).slice(0, 10);
      // Both are optional and the docs give no default: the sandbox sums the current month up to today.
      const toDate = optDate(params, 'to') ?? today;
      const fromDate = optDate(params, 'from') ?? `${toDate.slice(0, 7)}-01`;
      if (fromDate > toDate) fail(`from (${fromDate}) must not be after to (${toDate})`);
      const days = state.incomingMinutes.filter((day) => day.date >= fromDate && day.date <= toDate);
      const sum = (key: 'direct' | 'transferIn' | 'transferOut') => days.reduce((total, day) => total + day[key], 0);
      return { fromDate, toDate, direct: sum('direct'), transferIn: sum('transferIn'), transferOut: sum('transferOut') };
    },
  },
};
