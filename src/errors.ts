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
  nothingToRestore: 'nothing_to_restore',
  timeout: 'timeout',
  cancelled: 'cancelled',
  leaseLost: 'lease_lost',
  httpError: 'http_error',
  storeError: 'store_error',
  /** A deploy of a release its `promotesFrom` service never verified, under `promotion.require: verified`. */
  promotionUnverified: 'promotion_unverified',
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
