/**
 * Lock acquire + release latency of the DynamoDB store against a local DynamoDB-compatible
 * server: what the store adds to each change, without the network to AWS.
 */
import { LEASE_TTL_MS } from '../../src/engine/store-port';
import { DynamoStore } from '../../src/store/dynamo-store';
import { startLocalDynamo } from './local-dynamo';
import { median, percentile, round } from './stats';

export interface LockLatency {
  rounds: number;
  /** One acquireLock then releaseLock, in milliseconds. */
  medianMs: number;
  p99Ms: number;
}

const ACTOR = { id: 'UBENCH', name: 'bench', via: 'slack' as const };

/** Takes and releases one service's lock `rounds` times in a row (after a few warm-up rounds). */
export async function measureLockLatency(rounds = 200): Promise<LockLatency> {
  const local = await startLocalDynamo();
  const client = local.client();
  try {
    await local.createTable('bench-locks');
    const store = new DynamoStore({ table: 'bench-locks', client });
    const once = async (i: number) => {
      const now = new Date();
      const lock = {
        service: 'backend', action: 'deploy' as const, changeId: `bench_${i}`, actor: ACTOR, owner: 'bench',
        acquiredAt: now.toISOString(), leaseExpiresAt: new Date(now.getTime() + LEASE_TTL_MS).toISOString(),
      };
      const start = performance.now();
      const taken = await store.acquireLock(lock, now);
      const released = await store.releaseLock('backend', lock.changeId);
      if (!taken.ok || !released) throw new Error(`bench round ${i}: the lock was not taken and released`);
      return performance.now() - start;
    };
    for (let i = 0; i < 10; i++) await once(-1 - i);
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) times.push(await once(i));
    return { rounds, medianMs: round(median(times)), p99Ms: round(percentile(times, 99)) };
  } finally {
    client.destroy();
    await local.close();
  }
}
