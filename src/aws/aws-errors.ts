import { CodedError, ErrorCodes } from '../errors';

/** Codes only the AWS adapters produce (kept here so the shared list stays small). */
export const AwsErrorCodes = {
  targetGroupNotFound: 'target_group_not_found',
  logGroupNotFound: 'log_group_not_found',
} as const;

/** What a failed call was doing, so the error can say it. */
export interface AwsCallContext {
  /** `ECS`, `ECR`, `ELBv2` or `Logs`. */
  api: AwsApi;
  /** The SDK operation, e.g. `UpdateService`. */
  operation: string;
  /** SDK error names that mean "the thing asked for is not there", mapped to our code and message. */
  notFound?: NotFoundRule | NotFoundRule[];
}

export interface NotFoundRule {
  names: readonly string[];
  code: string;
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

const DENIED = new Set([
  'UnauthorizedOperation',
  'UnauthorizedException',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClient',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
  'TokenProviderError',
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
  if (isThrottling(err)) {
    const tries = attempts(err);
    const after = tries ? ` after ${tries} attempts` : '';
    return new CodedError(ErrorCodes.throttled, `${call} was throttled by AWS${after}; try again in a minute`, { cause: err, details });
  }
  if (isAccessDenied(err)) {
    const action = `${IAM_PREFIX[context.api]}:${context.operation}`;
    const hint = name.endsWith('ProviderError')
      ? 'no usable AWS credentials were found (set AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with a role)'
      : `check the AWS credentials in use and that their IAM policy allows ${action}`;
    return new CodedError(ErrorCodes.accessDenied, `${call} was denied: ${detail} (${hint})`, { cause: err, details });
  }
  return new CodedError(ErrorCodes.awsError, `${call} failed: ${name && !detail.includes(name) ? `${name}: ` : ''}${detail}`, {
    cause: err,
    details,
  });
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
