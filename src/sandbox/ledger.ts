import { fail } from './handler.js';
import { formatDateTime } from './params.js';
import type { AccountState } from './state.js';

/** The unit balance and the SMS-unit balance: every spend takes from one and writes its ledger line. */

/** The refusal when a balance cannot pay (documented for SendSms; the sandbox uses it for every spend it refuses whole). */
const LOW_BALANCE = 'Low unit balance';

/** Who the ledger names for API spends (the vendor writes the caller's IP). */
const API_CALLER = '127.0.0.1';

/** Units as the API counts them: at most 2 decimals (0.1 × 3 is 0.3, not 0.30000000000000004). */
export const roundUnits = (units: number) => Math.round(units * 100) / 100;

export const canPay = (state: AccountState, cost: number) => cost <= state.units;

/** Takes units and writes the GetTransactions line (at `at`, default now); refuses with LOW_BALANCE when the balance cannot pay. */
export function chargeUnits(state: AccountState, cost: number, description: string, campaignId: string | null = null, at = new Date()): void {
  if (!canPay(state, cost)) fail(LOW_BALANCE);
  const last = state.transactions.at(-1);
  state.units = roundUnits(state.units - cost);
  state.transactions.push({
    id: (last?.id ?? 0) + 1,
    transactionTime: formatDateTime(at),
    amount: -cost,
    description,
    who: API_CALLER,
    newBalance: state.units,
    expireDate: last?.expireDate ?? null,
    campaignId,
  });
}

/** Takes SMS units and writes the GetCustomerSmsTransactions line; refuses with LOW_BALANCE when they cannot pay. */
export function chargeSmsUnits(state: AccountState, cost: number, description: string): void {
  if (cost > state.smsBalance) fail(LOW_BALANCE);
  state.smsBalance = roundUnits(state.smsBalance - cost);
  const expireDate = state.smsTransactions.at(-1)?.expireDate ?? '';
  state.smsTransactions.push({ transactionTime: formatDateTime(), amount: -cost, description, newBalance: state.smsBalance, expireDate, who: 'API' });
}
