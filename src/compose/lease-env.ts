/**
 * `ECS_CHATOPS_LEASE_TTL` (a duration, e.g. `30s`): how long a change's lease lives unless renewed.
 * The default (30 s) suits production; tests and demos of crash recovery shorten it. The lease is
 * renewed, and replicas look for expired ones, three times per lease.
 */
import { formatDuration, parseDuration } from '../config/duration';
import { LEASE_RENEW_MS, LEASE_TTL_MS } from '../engine/ports';
import { CodedError, ErrorCodes } from '../errors';

export interface LeaseTiming {
  leaseTtlMs: number;
  leaseRenewMs: number;
}

const MIN_TTL_MS = 1_000;
const MAX_TTL_MS = 3_600_000;

/** @throws CodedError `invalid_config` when ECS_CHATOPS_LEASE_TTL is not a duration from 1s to 1h. */
export function leaseTiming(env: NodeJS.ProcessEnv): LeaseTiming {
  const text = env.ECS_CHATOPS_LEASE_TTL;
  if (text === undefined || text === '') return { leaseTtlMs: LEASE_TTL_MS, leaseRenewMs: LEASE_RENEW_MS };
  const ms = parseDuration(text);
  if (ms === undefined || ms < MIN_TTL_MS || ms > MAX_TTL_MS) {
    throw new CodedError(
      ErrorCodes.invalidConfig,
      `ECS_CHATOPS_LEASE_TTL must be a duration from ${formatDuration(MIN_TTL_MS)} to ${formatDuration(MAX_TTL_MS)} such as 30s (got ${JSON.stringify(text.slice(0, 40))})`,
    );
  }
  return { leaseTtlMs: ms, leaseRenewMs: Math.round(ms / 3) };
}
