import { ServiceDeploymentErrorCodes } from '../engine/service-deployment';
import { CodedError, ErrorCodes, type ErrorCode } from '../errors';

/** Codes only the AWS adapters produce (kept here so the shared list stays small). */
export const AwsErrorCodes = {
  targetGroupNotFound: ErrorCodes.targetGroupNotFound,
  logGroupNotFound: ErrorCodes.logGroupNotFound,
  apiUnavailable: ServiceDeploymentErrorCodes.apiUnavailable,
} as const;

/** What a failed call was doing, so the error can say it. */
export interface AwsCallContext {
  /** `ECS`, `ECR`, `ELBv2` or `Logs`. */
  api: AwsApi;
  /** The SDK operation, e.g. `UpdateService`. */
  operation: string;
  /** SDK error names that mean "the thing asked for is not there", mapped to our code and message. */
  notFound?: NotFoundRule | NotFoundRule[];
  /**
   * For calls the tool can do without: what it does instead (`judges from the deployments array`).
   * A missing or denied API then becomes `api_unavailable` rather than `access_denied` / `aws_error`.
   */
  fallback?: string;
}

export interface NotFoundRule {
  names: readonly string[];
  code: ErrorCode;
  message: string;
}

export type AwsApi = 'ECS' | 'ECR' | 'ELBv2' | 'Logs';

const IAM_PREFIX: Record<AwsApi, string> = {
  ECS: 'ecs',
  ECR: 'ecr',
  ELBv2: 'elasticloadbalancing',
  Logs: 'logs',
};

const THROTTLING = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** Problems with the credentials themselves: every call would fail, so falling back would hide them. */
const CREDENTIALS = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
  'TokenProviderError',
]);

const DENIED = new Set([
  'UnauthorizedOperation',
  'UnauthorizedException',
  'UnrecognizedClient',
  'UnrecognizedClientException',
  ...CREDENTIALS,
]);

/** Answers of an endpoint that does not know the operation: older regions, emulators, proxies. */
const UNKNOWN_OPERATION = new Set([
  'UnknownOperationException',
  'UnknownOperation',
  'InvalidAction',
  'UnsupportedFeatureException',
  'UnsupportedOperation',
  'UnsupportedOperationException',
  'NotImplemented',
  'NotImplementedException',
  // Some emulators answer an operation they lack as if the client were unknown.
  'UnrecognizedClientException',
]);
const UNKNOWN_OPERATION_MESSAGE =
  /unknown (target|operation|action)|not (yet )?implemented|does not implement|unsupported (operation|action)|no such (operation|action)/i;

/** Timeouts and broken connections: worth another try. */
const NETWORK = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'NetworkingError',
]);

/** The error's name as the SDK reports it (`name`, or `Code`/`code` on raw query errors). */
export function awsErrorName(err: unknown): string {
  if (typeof err !== 'object' || err === null) return '';
  const e = err as { name?: unknown; Code?: unknown; code?: unknown };
  for (const value of [e.name, e.Code, e.code]) {
    if (typeof value === 'string' && value !== 'Error' && value !== '') return value;
  }
  return '';
}

function httpStatus(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof meta?.httpStatusCode === 'number' ? meta.httpStatusCode : undefined;
}

function attempts(err: unknown): number | undefined {
  const meta = (err as { $metadata?: { attempts?: unknown } } | null)?.$metadata;
  return typeof meta?.attempts === 'number' ? meta.attempts : undefined;
}

/** One line, bounded, with anything that looks like a key id or secret blanked. */
export function safeAwsMessage(err: unknown, max = 240): string {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const line = raw
    .replace(/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[key id]')
    .replace(/\b(secret|token|signature|credential)(s?)(\s*[=:]\s*)\S+/gi, '$1$2$3[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  if (line === '') return awsErrorName(err) || 'unknown error';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function isThrottling(err: unknown): boolean {
  return THROTTLING.has(awsErrorName(err)) || httpStatus(err) === 429;
}

export function isAccessDenied(err: unknown): boolean {
  const name = awsErrorName(err);
  return name.startsWith('AccessDenied') || DENIED.has(name) || (httpStatus(err) === 403 && !isThrottling(err));
}

/** Whether trying again later may succeed: 5xx answers (but 501), timeouts and broken connections (throttling has its own code). */
function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  if (status !== undefined && status >= 500 && status !== 501) return true;
  const e = err as { $retryable?: unknown; $fault?: unknown } | null;
  if (e && typeof e === 'object' && e.$retryable) return true;
  if (e && typeof e === 'object' && e.$fault === 'server' && status !== 501) return true;
  return (
    NETWORK.has(awsErrorName(err)) ||
    /socket hang up|ECONNRESET|ETIMEDOUT/i.test(err instanceof Error ? err.message : '')
  );
}

/** Whether the endpoint says it does not know the operation (an older endpoint, an emulator, a proxy); never a denial. */
export function isUnknownOperation(err: unknown): boolean {
  const name = awsErrorName(err);
  if (name === 'UnrecognizedClientException' || CREDENTIALS.has(name) || isThrottling(err)) return false;
  if (UNKNOWN_OPERATION.has(name)) return true;
  const status = httpStatus(err);
  if (status === 404 || status === 501) return true;
  const message = err instanceof Error ? err.message : '';
  return (status === undefined || status === 400) && UNKNOWN_OPERATION_MESSAGE.test(message);
}

/**
 * Whether the endpoint lacks the operation or the caller may not use it (not a credentials problem):
 * denied, unknown operation or target, unsupported feature, not implemented, 404 or 501.
 */
export function isUnavailableApiError(err: unknown): boolean {
  const name = awsErrorName(err);
  if (CREDENTIALS.has(name) || isThrottling(err)) return false;
  if (UNKNOWN_OPERATION.has(name) || isAccessDenied(err)) return true;
  const status = httpStatus(err);
  if (status === 404 || status === 501) return true;
  const message = err instanceof Error ? err.message : '';
  return (status === undefined || status === 400) && UNKNOWN_OPERATION_MESSAGE.test(message);
}

/**
 * Turns anything an SDK call threw into a CodedError that keeps the original as `cause`:
 * `throttled`, `access_denied` (with a credentials/IAM hint), the context's not-found code,
 * or `aws_error` naming the operation. A CodedError passes through unchanged.
 */
export function toCodedError(err: unknown, context: AwsCallContext): CodedError {
  if (err instanceof CodedError) return err;
  const call = `${context.api} ${context.operation}`;
  const name = awsErrorName(err);
  const detail = safeAwsMessage(err);
  const details = { api: context.api, operation: context.operation, awsError: name || undefined };
  const rule = (context.notFound ? [context.notFound].flat() : []).find((r) => r.names.includes(name));
  if (rule) return new CodedError(rule.code, rule.message, { cause: err, details });
  if (context.fallback !== undefined && isUnavailableApiError(err)) {
    const why =
      isAccessDenied(err) && !UNKNOWN_OPERATION.has(name)
        ? `was denied (IAM action ${IAM_PREFIX[context.api]}:${context.operation})`
        : 'is not available at this endpoint';
    return new CodedError(
      AwsErrorCodes.apiUnavailable,
      `${call} ${why}: ${detail.replace(/\.$/, '')}; the tool ${context.fallback} instead`,
      {
        cause: err,
        details,
      },
    );
  }
  if (isThrottling(err)) {
    const tries = attempts(err);
    const after = tries ? ` after ${tries} attempts` : '';
    return new CodedError(ErrorCodes.throttled, `${call} was throttled by AWS${after}; try again in a minute`, {
      cause: err,
      details,
    });
  }
  if (isAccessDenied(err)) {
    const action = `${IAM_PREFIX[context.api]}:${context.operation}`;
    const hint = name.endsWith('ProviderError')
      ? 'no usable AWS credentials were found (set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with a role)'
      : `check the AWS credentials in use and that their IAM policy allows ${action}`;
    return new CodedError(ErrorCodes.accessDenied, `${call} was denied: ${detail} (${hint})`, { cause: err, details });
  }
  return new CodedError(
    ErrorCodes.awsError,
    `${call} failed: ${name && !detail.includes(name) ? `${name}: ` : ''}${detail}`,
    {
      cause: err,
      details: isTransient(err) ? { ...details, transient: true } : details,
    },
  );
}

/**
 * Runs one SDK call and rethrows whatever it throws as a CodedError (see `toCodedError`).
 * @throws CodedError always, when `run` rejects.
 */
export async function callAws<T>(context: AwsCallContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toCodedError(err, context);
  }
}
