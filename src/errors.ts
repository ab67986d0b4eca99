/**
 * An error with a stable string `code` that scripts and tests can rely on,
 * and a message a person can act on. The original error, if any, is kept as `cause`.
 */
export class CodedError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
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
  /** The change finished, but its outcome could not be written to the store (a full disk). */
  outcomeUnrecorded: 'outcome_unrecorded',
} as const;

export function isCodedError(e: unknown): e is CodedError {
  return e instanceof CodedError;
}

/** A short, single-line description of any thrown value, safe to show a user. */
export function describeError(e: unknown, max = 300): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
