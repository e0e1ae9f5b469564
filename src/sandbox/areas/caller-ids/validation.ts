import { randomInt } from 'node:crypto';
import { fail, type Area } from '../../handler.js';
import { chargeSmsUnits, chargeUnits } from '../../ledger.js';
import { SANDBOX_NOTE } from '../../mfa.js';
import { formatDateTime, requireChoice, requireInt, requireString } from '../../params.js';
import { LOCAL_PHONE } from '../../phones.js';

/**
 * "Sending the code costs units at the normal rate" (documented, rate not given). The sandbox's: an
 * SMS draws one SMS unit, a call one unit.
 */
const VALIDATION_COST = { SMS: 1, CALL: 1 } as const;
/** Wrong codes a request takes before it is dropped (the vendor's limit is not documented). */
const VALIDATION_TRIES = 5;

/** A year on: approved caller IDs are valid for a year from verification (documented). */
function yearFromNow(): string {
  const date = new Date();
  date.setFullYear(date.getFullYear() + 1);
  return formatDateTime(date);
}

export const callerIdValidation: Area = {
  ValidationCallerId: {
    rules: { reId: { min: 1 } },
    handle({ params, state, codesInAnswers, now }) {
      const action = requireChoice(params, 'action', ['send', 'valid'] as const);
      if (action === 'send') {
        const callerId = requireString(params, 'callerId').trim();
        if (!LOCAL_PHONE.test(callerId)) fail(`callerId ${callerId} is invalid: a local number is expected, like 0501234567`);
        const validType = requireChoice(params, 'validType', ['SMS', 'CALL'] as const);
        if (validType === 'SMS') chargeSmsUnits(state, VALIDATION_COST.SMS, `ValidationCallerId ${callerId}`, now);
        else chargeUnits(state, VALIDATION_COST.CALL, `ValidationCallerId ${callerId}`, null, now);
        const reqId = state.nextValidationId++;
        const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
        state.callerIdValidations.push({ reqId, callerId, validType, code, failures: 0 });
        return { reqId, ...(codesInAnswers && { sandboxCode: code, sandboxNote: SANDBOX_NOTE }) };
      }
      const reId = requireInt(params, 'reId');
      const code = requireString(params, 'code').trim();
      const request = state.callerIdValidations.find((candidate) => candidate.reqId === reId) ?? fail(`reId ${reId} not found: send a new code`);
      if (code !== request.code) {
        request.failures += 1;
        const left = VALIDATION_TRIES - request.failures;
        if (left === 0) state.callerIdValidations = state.callerIdValidations.filter((candidate) => candidate !== request);
        return fail(left === 0 ? 'code is incorrect; no tries left: send a new code' : `code is incorrect; ${left} tries left`);
      }
      state.callerIdValidations = state.callerIdValidations.filter((candidate) => candidate !== request);
      const expiryDate = yearFromNow();
      // Re-verifying a number already approved extends it by a year (documented).
      const approved = state.approvedCallerIds.find((candidate) => candidate.callerId === request.callerId);
      if (approved) approved.expiryDate = expiryDate;
      else state.approvedCallerIds.push({ callerId: request.callerId, expiryDate });
      return {};
    },
  },
};
