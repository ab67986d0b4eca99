/**
 * Lock acquire + release latency of a store: what the store adds to each change (the
 * benchmark runs it against a local DynamoDB-compatible server and against SQLite).
 */
import { LEASE_TTL_MS, type StorePort } from '../../src/engine/store-port';
import { median, percentile, round } from './stats';

export interface LockLatency {
  rounds: number;
  /** One acquireLock then releaseLock, in milliseconds. */
  medianMs: number;
  p99Ms: number;
}

const ACTOR = { id: 'UBENCH', name: 'bench', via: 'slack' as const };

/**
 * Takes and releases one service's lock `rounds` times in a row, after ten warm-up rounds.
 * @throws Error when a round does not take and release the lock (the store is not empty, or broken).
 */
export async function measureLockLatency(store: StorePort, rounds = 200): Promise<LockLatency> {
  const once = async (i: number) => {
    const now = new Date();
    const lock = {
      service: 'bench-service',
      action: 'deploy' as const,
      changeId: `bench_${i}`,
      actor: ACTOR,
      owner: 'bench',
      acquiredAt: now.toISOString(),
      leaseExpiresAt: new Date(now.getTime() + LEASE_TTL_MS).toISOString(),
    };
    const start = performance.now();
    const taken = await store.acquireLock(lock, now);
    const released = await store.releaseLock(lock.service, lock.changeId);
    if (!taken.ok || !released) throw new Error(`bench round ${i}: the lock was not taken and released`);
    return performance.now() - start;
  };
  for (let i = 0; i < 10; i++) await once(-1 - i);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) times.push(await once(i));
  return { rounds, medianMs: round(median(times)), p99Ms: round(percentile(times, 99)) };
}
