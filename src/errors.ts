/**
 * An error with a stable string `code` that scripts and tests can rely on,
 * and a message a person can act on. The original error, if any, is kept as `cause`.
 */
export class CodedError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CodedError';
    this.code = code;
    this.details = options.details;
  }
}

/** Stable error codes used across the project. */
export const ErrorCodes = {
  invalidInput: 'invalid_input',
  invalidConfig: 'invalid_config',
  unknownService: 'unknown_service',
  imageNotFound: 'image_not_found',
  serviceNotFound: 'service_not_found',
  taskDefinitionNotFound: 'task_definition_not_found',
  containerNotFound: 'container_not_found',
  releaseNotFound: 'release_not_found',
  accessDenied: 'access_denied',
  throttled: 'throttled',
  awsError: 'aws_error',
  lockHeld: 'lock_held',
  forbidden: 'forbidden',
  approvalRequired: 'approval_required',
  approvalInvalid: 'approval_invalid',
  /** A change freeze holds the service: deploys are refused (rollbacks, stops and restarts go through). */
  frozen: 'frozen',
  nothingToRestore: 'nothing_to_restore',
  timeout: 'timeout',
  cancelled: 'cancelled',
  leaseLost: 'lease_lost',
  /** A write for a change by a process whose fencing token is no longer the change's (another process took it over). */
  staleFence: 'stale_fence',
  httpError: 'http_error',
  storeError: 'store_error',
  /** The process is draining for a restart: no new change starts. */
  shuttingDown: 'shutting_down',
  /** ECS already runs a deployment of the service that is not ours. */
  deploymentInProgress: 'deployment_in_progress',
  /** ECS never showed our deployment: nothing to judge, nothing rolled back. */
  deploymentNotSeen: 'deployment_not_seen',
  /** The rollback (ours or ECS's) did not restore a healthy service. */
  rollbackFailed: 'rollback_failed',
  /** Anything thrown that is not a CodedError. */
  unexpected: 'unexpected',
  notFound: 'not_found',
  targetGroupNotFound: 'target_group_not_found',
  logGroupNotFound: 'log_group_not_found',
  /** ECS's service-deployment API is missing or denied: the deployments array judges instead. */
  apiUnavailable: 'api_unavailable',
  serviceDeploymentNotFound: 'service_deployment_not_found',
  serviceDeploymentConflict: 'service_deployment_conflict',
  noPausedHook: 'no_paused_hook',
  slackRespondError: 'slack_respond_error',
  // A change failed at this phase (after it started) and was rolled back: `<phase>_failed`.
  validateFailed: 'validate_failed',
  resolveImageFailed: 'resolve_image_failed',
  readServiceFailed: 'read_service_failed',
  approvalFailed: 'approval_failed',
  registerFailed: 'register_failed',
  rolloutFailed: 'rollout_failed',
  targetsFailed: 'targets_failed',
  smokeFailed: 'smoke_failed',
  logsFailed: 'logs_failed',
  recordFailed: 'record_failed',
  /** The change finished, but its outcome could not be written to the store (a full disk). */
  outcomeUnrecorded: 'outcome_unrecorded',
  /** A deploy of a release its `promotesFrom` service never verified, under `promotion.require: verified`. */
  promotionUnverified: 'promotion_unverified',
} as const;

/** Every code a CodedError (or a result's `error`) may carry: the compiler refuses any other. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** A code and a message, as results and JSON output carry them. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** A short, single-line description of any thrown value, safe to show a user. */
export function describeError(e: unknown, max = 300): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
