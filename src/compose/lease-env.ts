/**
 * `ECS_CHATOPS_LEASE_TTL` (a duration, e.g. `30s`): how long a change's lease lives unless renewed.
 * The default (30 s) suits production; tests and demos of crash recovery shorten it. The lease is
 * renewed, and replicas look for expired ones, three times per lease.
 *
 * `ECS_CHATOPS_CLOCK_SKEW` (a duration, default `5s`): how far apart the clocks of processes
 * sharing the store may be. A lease is taken over only once it ran out that long ago.
 */
import { formatDuration, parseDuration } from '../config/duration';
import { CLOCK_SKEW_MS, LEASE_RENEW_MS, LEASE_TTL_MS } from '../engine/ports';
import { CodedError, ErrorCodes } from '../errors';

export interface LeaseTiming {
  leaseTtlMs: number;
  leaseRenewMs: number;
  clockSkewMs: number;
}

const MIN_TTL_MS = 1_000;
const MAX_TTL_MS = 3_600_000;

const MAX_SKEW_MS = 600_000;

/**
 * @throws CodedError `invalid_config` when ECS_CHATOPS_LEASE_TTL is not a duration from 1s to 1h,
 * or ECS_CHATOPS_CLOCK_SKEW not one from 0s to 10m.
 */
export function leaseTiming(env: NodeJS.ProcessEnv): LeaseTiming {
  const clockSkewMs = durationSetting(env, 'ECS_CHATOPS_CLOCK_SKEW', CLOCK_SKEW_MS, [0, MAX_SKEW_MS], '5s');
  const leaseTtlMs = durationSetting(env, 'ECS_CHATOPS_LEASE_TTL', LEASE_TTL_MS, [MIN_TTL_MS, MAX_TTL_MS], '30s');
  const leaseRenewMs = leaseTtlMs === LEASE_TTL_MS ? LEASE_RENEW_MS : Math.round(leaseTtlMs / 3);
  return { leaseTtlMs, leaseRenewMs, clockSkewMs };
}

function durationSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  [min, max]: [number, number],
  example: string,
): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const ms = parseDuration(text);
  if (ms === undefined || ms < min || ms > max) {
    throw new CodedError(
      ErrorCodes.invalidConfig,
      `${name} must be a duration from ${formatDuration(min)} to ${formatDuration(max)} such as ${example} (got ${JSON.stringify(text.slice(0, 40))})`,
    );
  }
  return ms;
}
