import type { Answer } from './command.js';

export interface MfaState {
  isPass: boolean;
  isPassInThisSession: boolean;
  passReason?: string;
  isAvailable?: boolean;
}

/** Last known two-factor state, per session token. Unknown means: ask isPass before a gated call. */
export class MfaTracker {
  private readonly states = new Map<string, MfaState>();

  get(token: string): MfaState | undefined {
    return this.states.get(token);
  }

  /** From any answer shaped like isPass (isPass, try, getMFAMethods). */
  record(token: string, answer: Answer): MfaState | undefined {
    if (typeof answer.isPass !== 'boolean') return undefined;
    const state: MfaState = {
      isPass: answer.isPass,
      isPassInThisSession: answer.isPassInThisSession === true,
      passReason: typeof answer.passReason === 'string' ? answer.passReason : undefined,
      isAvailable: typeof answer.isAvailable === 'boolean' ? answer.isAvailable : undefined,
    };
    this.states.set(token, state);
    return state;
  }

  /** validMFA answered VALID: this session passed with a code, right now. */
  verified(token: string): void {
    const previous = this.states.get(token);
    this.states.set(token, { ...previous, isPass: true, isPassInThisSession: true, passReason: 'MFA_PASSED' });
  }

  forget(token: string): void {
    this.states.delete(token);
  }
}
