/**
 * Two replicas (two engines, each with its own store client) on one store: a freeze set on one
 * refuses the very next deploy on the other, on a DynamoDB table and on one SQLite file alike.
 */
import type { StorePort } from '../../src/engine/store-port';
import { DynamoStore } from '../../src/store/dynamo-store';
import { SqliteStore } from '../../src/store/sqlite-store';
import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { makeTempDir, type TempDir } from '../store/temp-db';
import { FakeClock, alice, bob, createTestEngine, sha } from '../fakes';

describe('Engine: an ad-hoc freeze seen by two replicas at once', () => {
  let local: LocalDynamo;
  let temp: TempDir;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    local = await startLocalDynamo();
    await local.createTable('freeze-replicas');
    temp = makeTempDir('freeze-replicas-');
  });

  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    await local.close();
    temp.remove();
  });

  const dynamo = (): StorePort => {
    const client = local.client();
    const store = new DynamoStore({ table: 'freeze-replicas', client });
    cleanups.push(
      () => store.close(),
      () => client.destroy(),
    );
    return store;
  };
  const sqlite = (): StorePort => {
    const store = new SqliteStore(temp.dbPath);
    cleanups.push(() => store.close());
    return store;
  };

  it.each([
    ['one DynamoDB table', dynamo],
    ['one SQLite file', sqlite],
  ])('refuses a deploy on replica B right after replica A froze the service, on %s', async (_where, open) => {
    // Prepare: one clock for both, as two processes share the time
    const clock = new FakeClock();
    const a = createTestEngine({ store: open(), owner: 'replica-a', clock });
    const b = createTestEngine({ store: open(), owner: 'replica-b', world: a.world, seed: false });

    // Act
    await a.engine.setFreeze({ scope: 'all', durationMs: 2 * 3_600_000, reason: 'incident INC-42', actor: bob });
    const refused = await b.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });
    const seenByB = await b.engine.activeFreezes('backend');
    await b.engine.clearFreeze('all', bob);
    const afterClear = await a.engine.deploy({ service: 'backend', sha: sha(2).slice(0, 7), actor: alice });

    // Assess
    expect(refused).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'frozen' } });
    expect(seenByB).toMatchObject([{ kind: 'ad-hoc', reason: 'incident INC-42', setBy: bob }]);
    expect(afterClear.outcome).toBe('succeeded');
  });
});
