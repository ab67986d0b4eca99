import type { CodedError } from '../../src/errors';

/** The CodedError a call rejects with; fails the test when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<CodedError> {
  try {
    await promise;
  } catch (err) {
    return err as CodedError;
  }
  throw new Error('expected a rejection');
}
