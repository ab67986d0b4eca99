import { measureLockLatency } from '../../bench/src/store-latency';
import { DynamoStore } from '../../src/store/dynamo-store';
import { startLocalDynamo } from './local-dynamo';

describe('Function: measureLockLatency', () => {
  it('takes and releases a lock on the DynamoDB store for each round and gives median and p99', async () => {
    // Prepare
    const local = await startLocalDynamo();
    await local.createTable('latency');
    const client = local.client();
    const store = new DynamoStore({ table: 'latency', client });

    // Act
    let latency: Awaited<ReturnType<typeof measureLockLatency>>;
    try {
      latency = await measureLockLatency(store, 20);
    } finally {
      await store.close();
      client.destroy();
      await local.close();
    }

    // Assess: figures only (no timing is asserted)
    expect(latency.rounds).toBe(20);
    expect(latency.p99Ms).toBeGreaterThanOrEqual(latency.medianMs);
    expect(latency.medianMs).toBeGreaterThan(0);
  });
});
