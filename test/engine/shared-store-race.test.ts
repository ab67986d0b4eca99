/**
 * Two engines (two bot replicas, or a replica and a CI deploy) on one DynamoDB table, through the
 * real SDK and a local DynamoDB-compatible server: whenever both deploy the same service at once,
 * exactly one runs and the other is refused, round after round.
 */
import { DynamoStore } from '../../src/store/dynamo-store';
import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { FakeClock, alice, bob, createTestEngine, sha } from '../fakes';

const ROUNDS = 20;

describe('Engine: two replicas on one DynamoDB table', () => {
  let local: LocalDynamo;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    local = await startLocalDynamo();
    await local.createTable('race');
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await local.close();
  });

  const replica = (owner: string, clock: FakeClock) => {
    const client = local.client();
    clients.push(client);
    return createTestEngine({ store: new DynamoStore({ table: 'race', client }), owner, clock });
  };

  it(`lets exactly one of two simultaneous deploys of a service run, in each of ${ROUNDS} rounds`, async () => {
    // Prepare: one time for both (leases compare times), each replica with its own client.
    const clock = new FakeClock();
    const a = replica('replica-a', clock);
    const b = replica('replica-b', clock);

    // Act
    const rounds: string[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const tag = sha(2 + (round % 2)).slice(0, 7);
      const results = await Promise.all([
        a.engine.deploy({ service: 'backend', sha: tag, actor: alice }),
        b.engine.deploy({ service: 'backend', sha: tag, actor: bob }),
      ]);
      rounds.push(results.map((r) => (r.outcome === 'refused' ? `refused:${r.error?.code ?? ''}` : r.outcome)).sort());
    }

    // Assess: one succeeded and one refused for the lock, every round; nothing left locked
    expect(rounds).toEqual(Array(ROUNDS).fill(['refused:lock_held', 'succeeded']));
    expect(await a.store.getLock('backend')).toBeUndefined();
    const history = await b.store.listDeploys({ service: 'backend', limit: 100 });
    expect(history).toHaveLength(ROUNDS);
    expect(history.every((d) => d.outcome === 'succeeded')).toBe(true);
  }, 120_000);
});
