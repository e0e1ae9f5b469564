import { fail } from './handler.js';
import { formatDateTime } from './params.js';
import { CALLER_IP } from './sessions.js';
import type { AccountState, UnitAccount } from './state.js';

/** The unit balance and the SMS-unit balance: every spend takes from one and writes its ledger line. */

/** The refusal when a balance cannot pay (documented for SendSms; the sandbox uses it for every spend it refuses whole). */
const LOW_BALANCE = 'Low unit balance';

/** Units as the API counts them: at most 2 decimals (0.1 × 3 is 0.3, not 0.30000000000000004). */
export const roundUnits = (units: number) => Math.round(units * 100) / 100;

export const canPay = (state: AccountState, cost: number) => cost <= state.units;

export interface LedgerLine {
  amount: number;
  description: string;
  /** An IP (website or API), a phone number, ADMIN, TRANSFER or expire, as the docs list them. */
  who: string;
  campaignId?: string | null;
  /** Simulated epoch ms. */
  at: number;
}

/** Moves a balance by `amount` (negative: taken) and writes its GetTransactions line. */
export function writeLedger(account: UnitAccount, { amount, description, who, campaignId = null, at }: LedgerLine): void {
  const last = account.transactions.at(-1);
  account.units = roundUnits(account.units + amount);
  account.transactions.push({
    id: (last?.id ?? 0) + 1,
    transactionTime: formatDateTime(new Date(at)),
    amount,
    description,
    who,
    newBalance: account.units,
    expireDate: last?.expireDate ?? null,
    campaignId,
  });
}

/** Takes units and writes the GetTransactions line at simulated time `at`; refuses with LOW_BALANCE when the balance cannot pay. */
export function chargeUnits(state: AccountState, cost: number, description: string, campaignId: string | null, at: number): void {
  if (!canPay(state, cost)) fail(LOW_BALANCE);
  writeLedger(state, { amount: -cost, description, who: CALLER_IP, campaignId, at });
}

/** Takes SMS units and writes the GetCustomerSmsTransactions line; refuses with LOW_BALANCE when they cannot pay. */
export function chargeSmsUnits(state: AccountState, cost: number, description: string, at: number): void {
  if (cost > state.smsBalance) fail(LOW_BALANCE);
  state.smsBalance = roundUnits(state.smsBalance - cost);
  const expireDate = state.smsTransactions.at(-1)?.expireDate ?? '';
  state.smsTransactions.push({ transactionTime: formatDateTime(new Date(at)), amount: -cost, description, newBalance: state.smsBalance, expireDate, who: 'API' });
}
