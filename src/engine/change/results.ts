import type { ChangeResult, Outcome } from '../model';
import { exitCodeFor } from '../model';
import type { Actor } from '../types';
import { CodedError, describeError, ErrorCodes, isCodedError } from '../../errors';

/**
 * A result for a change that never started or never reached the engine (bad input, refusal, a
 * failure around the call): every field present, nulls where nothing applies.
 */
export function earlyResult(
  fields: {
    kind: ChangeResult['kind'];
    service: string;
    sha: string | null;
    actor: Actor | null;
    at: string;
    finishedAt?: string;
    summary?: string;
  },
  outcome: Outcome,
  error: { code: string; message: string },
): ChangeResult {
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
    summary: fields.summary ?? `${outcome === 'refused' ? 'refused' : 'not started'}: ${error.message}`,
    actor: fields.actor,
    startedAt: fields.at,
    finishedAt: fields.finishedAt ?? fields.at,
    error,
    reportPath: null,
    dryRun: null,
    changes: null,
  };
}

export function errorInfo(e: unknown): { code: string; message: string } {
  if (isCodedError(e)) return { code: e.code, message: describeError(e, 500) };
  return { code: 'unexpected', message: describeError(e, 500) };
}

export function invalidInput(message: string): CodedError {
  return new CodedError(ErrorCodes.invalidInput, message);
}

/**
 * How an error that stopped a command before it changed anything ends it, for the engine and the
 * terminal alike: `invalid` (exit 2: input, configuration, credentials or a missing AWS resource),
 * `refused` (exit 4: another change, a missing approval), or null when it is neither.
 */
export function classifyErrorCode(code: string): 'invalid' | 'refused' | null {
  if (INVALID_CODES.has(code)) return 'invalid';
  if (REFUSED_CODES.has(code)) return 'refused';
  return null;
}

const INVALID_CODES = new Set<string>([
  ErrorCodes.invalidInput,
  ErrorCodes.invalidConfig,
  ErrorCodes.unknownService,
  ErrorCodes.imageNotFound,
  ErrorCodes.containerNotFound,
  ErrorCodes.releaseNotFound,
  ErrorCodes.taskDefinitionNotFound,
  ErrorCodes.serviceNotFound,
  // The configured log group or target group does not exist: a configuration problem like the others.
  'log_group_not_found',
  'target_group_not_found',
  ErrorCodes.nothingToRestore,
  // AWS said no to these credentials: a configuration (IAM) problem.
  ErrorCodes.accessDenied,
  // The person at the terminal answered no to the confirmation.
  ErrorCodes.cancelled,
  // The store could not be read or written (missing table, access, throttling): nothing was changed.
  ErrorCodes.storeError,
]);

const REFUSED_CODES = new Set<string>([
  ErrorCodes.lockHeld,
  ErrorCodes.forbidden,
  ErrorCodes.approvalRequired,
  ErrorCodes.approvalInvalid,
  ErrorCodes.promotionUnverified,
  'deployment_in_progress',
  'shutting_down',
]);
