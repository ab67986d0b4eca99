import type { DeployResult, Outcome } from './model';
import { exitCodeFor } from './model';
import type { Actor } from './types';
import { CodedError, describeError, ErrorCodes, isCodedError } from '../errors';

/** A result for a change that never started (bad input, refusal): nothing was changed. */
export function earlyResult(
  fields: { kind: DeployResult['kind']; service: string; sha: string | null; actor: Actor; at: string },
  outcome: Extract<Outcome, 'invalid' | 'refused'>,
  error: { code: string; message: string },
): DeployResult {
  return {
    ok: false,
    kind: fields.kind,
    outcome,
    exitCode: exitCodeFor(outcome),
    deployId: null,
    service: fields.service,
    sha: fields.sha,
    digest: null,
    fromTaskDefinition: null,
    toTaskDefinition: null,
    finalTaskDefinition: null,
    phases: [],
    smoke: [],
    targets: [],
    logs: null,
    failure: null,
    summary: `${outcome === 'invalid' ? 'not started' : 'refused'}: ${error.message}`,
    actor: fields.actor,
    startedAt: fields.at,
    finishedAt: fields.at,
    error,
    reportPath: null,
    dryRun: null,
  };
}

export function errorInfo(e: unknown): { code: string; message: string } {
  if (isCodedError(e)) return { code: e.code, message: describeError(e, 500) };
  return { code: 'unexpected', message: describeError(e, 500) };
}

export function invalidInput(message: string): CodedError {
  return new CodedError(ErrorCodes.invalidInput, message);
}

/** Codes that mean "nothing was changed because the request cannot be carried out as asked" (exit 2). */
export const INVALID_CODES = new Set<string>([
  ErrorCodes.invalidInput,
  ErrorCodes.unknownService,
  ErrorCodes.imageNotFound,
  ErrorCodes.containerNotFound,
  ErrorCodes.releaseNotFound,
  ErrorCodes.taskDefinitionNotFound,
  ErrorCodes.serviceNotFound,
  ErrorCodes.nothingToRestore,
]);
