/**
 * Which errors end a watch and which are waited out. Only a definite answer (denied, not found,
 * bad input) counts against a rollout; throttling, 5xx, resets and timeouts are retried.
 */
import { ErrorCodes, isCodedError } from '../../errors';
import { isApiUnavailable } from '../service-deployment';

export function isTransientError(error: unknown): boolean {
  if (!isCodedError(error)) return true; // a reset or timeout below the adapters
  if (error.details?.transient === true) return true;
  return error.code === ErrorCodes.throttled || error.code === ErrorCodes.timeout || error.code === ErrorCodes.httpError;
}

/** The service-deployment API does not answer here: fall back to the deployments array. */
export const isUnavailableError = isApiUnavailable;
