/** Ad-hoc freezes in both stores: one per scope, replaced when set again, read back as written. */
import type { StorePort } from '../../src/engine/store-port';
import { DynamoStore } from '../../src/store/dynamo-store';
import { SqliteStore } from '../../src/store/sqlite-store';
import { startLocalDynamo, type LocalDynamo } from './local-dynamo';

const olga = { id: 'U0ONCALL', name: 'olga', via: 'slack' as const };
const freeze = (scope: string, reason: string) => ({
  scope,
  reason,
  setBy: olga,
  setAt: '2026-11-25T10:00:00.000Z',
  until: '2026-11-25T12:00:00.000Z',
});

let local: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  local = await startLocalDynamo();
});

afterAll(async () => {
  await local.close();
});

const stores: [string, () => Promise<{ store: StorePort; close: () => Promise<void> }>][] = [
  [
    'SqliteStore',
    () => {
      const store = new SqliteStore(':memory:');
      return Promise.resolve({ store, close: () => store.close() });
    },
  ],
  [
    'DynamoStore',
    async () => {
      const table = `freezes-${++tables}`;
      await local.createTable(table);
      const client = local.client();
      const store = new DynamoStore({ table, client });
      return {
        store,
        close: async () => {
          await store.close();
          client.destroy();
        },
      };
    },
  ],
];

describe.each(stores)('%s: ad-hoc freezes', (_name, open) => {
  it('keeps one freeze per scope, replaces it when set again, and removes it once', async () => {
    // Prepare
    const { store, close } = await open();
    try {
      // Act
      await store.putFreeze(freeze('backend', 'db migration'));
      await store.putFreeze(freeze('all', 'incident'));
      await store.putFreeze(freeze('backend', 'db migration, longer'));
      const read = await store.getFreezes(['backend', 'all', 'frontend']);
      const listed = await store.listFreezes();
      const removed = await store.deleteFreeze('backend');
      const removedAgain = await store.deleteFreeze('backend');

      // Assess
      expect(read.map((f) => [f.scope, f.reason]).sort()).toEqual([
        ['all', 'incident'],
        ['backend', 'db migration, longer'],
      ]);
      expect(read.find((f) => f.scope === 'all')).toEqual(freeze('all', 'incident'));
      expect(listed.map((f) => f.scope)).toEqual(['all', 'backend']);
      expect(removed).toEqual(freeze('backend', 'db migration, longer'));
      expect(removedAgain).toBeUndefined();
      expect(await store.getFreezes(['backend'])).toEqual([]);
      expect(await store.getFreezes([])).toEqual([]);
    } finally {
      await close();
    }
  });
});
