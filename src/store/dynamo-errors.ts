/**
 * What DynamoDB's errors mean for a person running ecs-chatops: every failure becomes
 * CodedError `store_error` naming the table, the region and what to do.
 */
import { CodedError, ErrorCodes, describeError } from '../errors';

export interface TableRef {
  table: string;
  region: string;
}

const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);
const DENIED = new Set(['AccessDeniedException', 'UnrecognizedClientException', 'InvalidSignatureException']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

function nameOf(e: unknown): string {
  if (typeof e !== 'object' || e === null) return '';
  const { name, code } = e as { name?: unknown; code?: unknown };
  return typeof code === 'string' && UNREACHABLE.has(code) ? code : typeof name === 'string' ? name : '';
}

/** True for the refusal of a conditional write: an expected answer, never an error. */
export function isConditionFailed(e: unknown): boolean {
  return nameOf(e) === 'ConditionalCheckFailedException';
}

/**
 * Turns anything the SDK threw while doing `what` with `action` (the IAM action, e.g.
 * `dynamodb:PutItem`) into `store_error`, keeping the original as cause.
 */
export function dynamoError(ref: TableRef, what: string, action: string, e: unknown): CodedError {
  if (e instanceof CodedError) return e;
  const name = nameOf(e);
  const where = `DynamoDB table ${ref.table} in ${ref.region}`;
  let message: string;
  if (name === 'ResourceNotFoundException') {
    message = `store: DynamoDB table ${ref.table} not found in ${ref.region}: create it with deploy/dynamodb-table.yml`;
  } else if (DENIED.has(name)) {
    message = `store: ${what} was refused: these credentials may not ${action} on ${where} (add the DynamoDB statements of deploy/iam-policy.json to the role): ${describeError(e)}`;
  } else if (THROTTLED.has(name)) {
    message = `store: ${what} was throttled by ${where} even after retries: try again shortly, or raise the table's capacity`;
  } else if (UNREACHABLE.has(name)) {
    message = `store: ${what} could not reach DynamoDB in ${ref.region} (${name}): check the network and AWS_ENDPOINT_URL`;
  } else {
    message = `store: ${what} failed on ${where}: ${describeError(e)}`;
  }
  return new CodedError(ErrorCodes.storeError, message, {
    cause: e,
    details: { table: ref.table, region: ref.region, action, awsError: name || null },
  });
}
