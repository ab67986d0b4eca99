/**
 * Ownership of a change is a lease on its service's lock: the holder renews it while it works,
 * and it is alive exactly while the lease is fresh. No hostnames or PIDs in the rule.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context';
import type { LockInfo } from '../model';
import { LEASE_TTL_MS } from '../store-port';

/** A new owner id per process: random, with the hostname for people to read. */
export function newOwnerId(): string {
  return `${hostname()}:${randomUUID().slice(0, 8)}`;
}

/** True while the holder's lease has not run out (a lock without a lease is never fresh). */
export function leaseFresh(lock: Pick<LockInfo, 'leaseExpiresAt'>, now: number): boolean {
  return lock.leaseExpiresAt !== undefined && Date.parse(lock.leaseExpiresAt) > now;
}

/** The lock of a change, held by `owner` under a lease of `ttlMs` from `now`. */
export function leasedLock(
  change: Pick<LockInfo, 'service' | 'action' | 'changeId' | 'actor' | 'fence'>,
  lease: { owner: string; leaseTtlMs: number },
  now: number,
): LockInfo & { leaseExpiresAt: string } {
  return {
    ...change,
    owner: lease.owner,
    acquiredAt: new Date(now).toISOString(),
    leaseExpiresAt: leaseEnd(now, lease.leaseTtlMs),
  };
}

/**
 * The time a process takes leases over by: its clock less the clock skew allowed between
 * processes, so a lease is taken over only once it ran out `clockSkewMs` ago, whatever the
 * holder's clock says.
 */
export function takeoverTime(ctx: Pick<EngineContext, 'clock' | 'clockSkewMs'>): Date {
  return new Date(ctx.clock.now() - ctx.clockSkewMs);
}

/** When a lease of `ttlMs` taken or renewed at `now` runs out. */
export function leaseEnd(now: number, ttlMs: number = LEASE_TTL_MS): string {
  return new Date(now + ttlMs).toISOString();
}
