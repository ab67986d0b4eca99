import { CodedError, ErrorCodes, describeError, isCodedError, type ErrorInfo } from '../errors';
import { ExitCode } from '../engine/model';
import { classifyErrorCode } from '../engine/change/results';

export type ErrorOutcome = 'invalid' | 'refused' | 'failed';

/** How a thrown error ends a command: its outcome and exit code. */
export function classifyError(error: unknown, changing: boolean): { outcome: ErrorOutcome; exitCode: number } {
  const kind = isCodedError(error) ? classifyErrorCode(error.code) : null;
  if (kind === 'invalid') return { outcome: 'invalid', exitCode: ExitCode.invalid };
  if (kind === 'refused') return { outcome: 'refused', exitCode: ExitCode.refused };
  // A read that failed changed nothing (1); a change that failed unexpectedly needs a person (3).
  return { outcome: 'failed', exitCode: changing ? ExitCode.rollbackFailed : ExitCode.rolledBack };
}

/** `{ code, message }` of any thrown value, safe to print. */
export function errorBody(error: unknown): ErrorInfo & { issues?: string[] } {
  if (isCodedError(error)) {
    const issues = Array.isArray(error.details?.issues) ? (error.details.issues as string[]) : undefined;
    return issues ? { code: error.code, message: error.message, issues } : { code: error.code, message: error.message };
  }
  return { code: ErrorCodes.unexpected, message: describeError(error) };
}

/** Shorthand for a bad-input error. */
export function invalidInput(message: string, details?: Record<string, unknown>): CodedError {
  return new CodedError(ErrorCodes.invalidInput, message, { details });
}
