import type { Area } from '../handler.js';
import { optChoice, optInt } from '../params.js';

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
};
