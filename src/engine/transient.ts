/**
 * Which errors end a watch and which are waited out. Only a definite answer (denied, not found,
 * bad input) counts against a rollout; throttling, 5xx, resets and timeouts are retried.
 */
import { ErrorCodes, isCodedError } from '../errors';
import { classifyErrorCode } from './results';

/** Thrown by the ECS adapter where the service-deployment calls are missing or denied. */
export const SERVICE_DEPLOYMENTS_UNAVAILABLE = 'service_deployments_unavailable';

export function isTransientError(error: unknown): boolean {
  if (!isCodedError(error)) return true; // a reset or timeout below the adapters
  if (error.details?.transient === true || error.code === ErrorCodes.throttled || error.code === ErrorCodes.timeout) return true;
  if (error.code === SERVICE_DEPLOYMENTS_UNAVAILABLE || classifyErrorCode(error.code) !== null) return false;
  return error.code === ErrorCodes.awsError || error.code === ErrorCodes.httpError;
}

/** The service-deployment API does not answer here: fall back to the deployments array. */
export function isUnavailableError(error: unknown): boolean {
  return isCodedError(error) && (error.code === SERVICE_DEPLOYMENTS_UNAVAILABLE || error.code === ErrorCodes.accessDenied);
}
