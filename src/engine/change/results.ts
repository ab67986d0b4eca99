import type { ChangeResult, Outcome } from '../model';
import { approverOf } from '../model';
import { formatDuration } from '../../config/duration';
import type { ChangeRun } from './change-run';
import { ExitCode, exitCodeFor } from '../model';
import type { Actor } from '../types';
import { CodedError, describeError, ErrorCodes, isCodedError, type ErrorCode, type ErrorInfo } from '../../errors';

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
  error: ErrorInfo | null,
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
    summary: fields.summary ?? `${outcome === 'refused' ? 'refused' : 'not started'}: ${error?.message ?? outcome}`,
    actor: fields.actor,
    startedAt: fields.at,
    finishedAt: fields.finishedAt ?? fields.at,
    error,
    reportPath: null,
    dryRun: null,
    changes: null,
  };
}

/**
 * The change ended, but the store never took its outcome (a full disk): its record still says
 * running. A success exits `unrecorded` (5), never 0; a failure keeps its own exit code. Each
 * surface words its own advice from the `unrecorded` field.
 */
export function markUnrecorded(result: ChangeResult): void {
  result.unrecorded = true;
  if (result.outcome === 'succeeded') result.exitCode = ExitCode.unrecorded;
  result.error ??= {
    code: ErrorCodes.outcomeUnrecorded,
    message: `the change ${result.outcome}, but its outcome could not be recorded: the store refused the write, and its record still says running`,
  };
}

export function errorInfo(e: unknown): ErrorInfo {
  if (isCodedError(e)) return { code: e.code, message: describeError(e, 500) };
  return { code: ErrorCodes.unexpected, message: describeError(e, 500) };
}

export function invalidInput(message: string): CodedError {
  return new CodedError(ErrorCodes.invalidInput, message);
}

/**
 * How an error that stopped a command before it changed anything ends it, for the engine and the
 * terminal alike: `invalid` (exit 2: input, configuration, credentials or a missing AWS resource),
 * `refused` (exit 4: another change, a missing approval), or null when it is neither.
 */
export function classifyErrorCode(code: ErrorCode): ErrorClass {
  return ERROR_CLASS[code];
}

export type ErrorClass = 'invalid' | 'refused' | null;

/** Every code, classified: a new code does not compile until it is placed here. */
const ERROR_CLASS: Record<ErrorCode, ErrorClass> = {
  invalid_input: 'invalid',
  invalid_config: 'invalid',
  unknown_service: 'invalid',
  image_not_found: 'invalid',
  container_not_found: 'invalid',
  release_not_found: 'invalid',
  task_definition_not_found: 'invalid',
  service_not_found: 'invalid',
  not_found: 'invalid',
  // The configured log group or target group does not exist: a configuration problem like the others.
  log_group_not_found: 'invalid',
  target_group_not_found: 'invalid',
  nothing_to_restore: 'invalid',
  // AWS said no to these credentials: a configuration (IAM) problem.
  access_denied: 'invalid',
  // The person at the terminal answered no to the confirmation.
  cancelled: 'invalid',
  // The store could not be read or written (missing table, access, throttling): nothing was changed.
  store_error: 'invalid',
  lock_held: 'refused',
  forbidden: 'refused',
  approval_required: 'refused',
  approval_invalid: 'refused',
  deployment_in_progress: 'refused',
  shutting_down: 'refused',
  frozen: 'refused',
  promotion_unverified: 'refused',
  throttled: null,
  aws_error: null,
  timeout: null,
  lease_lost: null,
  stale_fence: null,
  http_error: null,
  unexpected: null,
  deployment_not_seen: null,
  rollback_failed: null,
  api_unavailable: null,
  service_deployment_not_found: null,
  service_deployment_conflict: null,
  no_paused_hook: null,
  slack_respond_error: null,
  // The change ended; only its record is missing: its own outcome gives the exit code.
  outcome_unrecorded: null,
  validate_failed: null,
  resolve_image_failed: null,
  read_service_failed: null,
  approval_failed: null,
  register_failed: null,
  rollout_failed: null,
  targets_failed: null,
  smoke_failed: null,
  logs_failed: null,
  record_failed: null,
};

/** What a flow says when it finishes a change. */
export type FinishFields = Partial<ChangeResult> & { outcome: Outcome; summary: string };

/** The one result of a change that ran here and finishes now (the `record` phase is added by the caller). */
export function finishedResult(run: ChangeRun, fields: FinishFields): ChangeResult {
  return {
    ok: fields.outcome === 'succeeded',
    kind: run.kind,
    outcome: fields.outcome,
    exitCode: exitCodeFor(fields.outcome),
    deployId: run.id,
    service: run.service,
    sha: fields.sha ?? null,
    digest: fields.digest ?? null,
    fromTaskDefinition: fields.fromTaskDefinition ?? null,
    toTaskDefinition: fields.toTaskDefinition ?? null,
    finalTaskDefinition: fields.finalTaskDefinition ?? null,
    phases: [...run.phases],
    smoke: fields.smoke ?? [],
    targets: fields.targets ?? [],
    logs: fields.logs ?? null,
    failure: fields.failure ?? null,
    summary: `${fields.summary} (${formatDuration(run.elapsedMs())})`,
    actor: run.actor,
    approvedBy: approverOf(run.phases),
    startedAt: run.iso(run.startedAt),
    finishedAt: run.iso(),
    error: fields.error ?? null,
    reportPath: null,
    dryRun: null,
    changes: fields.changes ?? null,
    ...(fields.promotion ? { promotion: fields.promotion } : {}),
    ...('desired' in fields
      ? { previousDesired: fields.previousDesired ?? null, desired: fields.desired ?? null }
      : {}),
  };
}

/** What the caller of a change that was taken over learns; nothing is written (the record is the new owner's). */
export function handedOverResult(run: ChangeRun, fields: Partial<ChangeResult>): ChangeResult {
  const message = `another process took this change over after this one lost its lease on ${run.service}; that process finishes it and records the outcome`;
  return {
    ...earlyResult(
      {
        kind: run.kind,
        service: run.service,
        sha: fields.sha ?? null,
        actor: run.actor,
        at: run.iso(run.startedAt),
        finishedAt: run.iso(),
      },
      'interrupted',
      { code: ErrorCodes.leaseLost, message },
    ),
    deployId: run.id,
    digest: fields.digest ?? null,
    fromTaskDefinition: fields.fromTaskDefinition ?? null,
    toTaskDefinition: fields.toTaskDefinition ?? null,
    phases: [...run.phases],
    summary: `${run.service}: ${message}`,
  };
}
