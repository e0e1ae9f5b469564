import { expect } from 'vitest';
import { YemotError } from '../src/client/errors.js';

/** The YemotError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function caught(promise: Promise<unknown>): Promise<YemotError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(YemotError);
    return error as YemotError;
  }
  throw new Error('expected a YemotError');
}
