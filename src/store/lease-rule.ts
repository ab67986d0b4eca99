/**
 * When a service's lock may be taken by another change, for the SQLite store and for a CLI
 * waiting on the lock (DynamoDB states it in its write condition, dynamo-locks.ts). A lock
 * without a lease (written before leases existed) never runs out.
 */
import type { LockInfo } from '../engine/model';

/** True once the holder's lease has ended at or before `now`; never for a lock without a lease. */
export function leaseRanOut(lock: Pick<LockInfo, 'leaseExpiresAt'>, now: number): boolean {
  return lock.leaseExpiresAt !== undefined && Date.parse(lock.leaseExpiresAt) <= now;
}

/** Whether `a` and `b` are the same holder: the same change in the same process. */
export function sameHolder(a: Pick<LockInfo, 'changeId' | 'owner'>, b: Pick<LockInfo, 'changeId' | 'owner'>): boolean {
  return a.changeId === b.changeId && a.owner === b.owner;
}
