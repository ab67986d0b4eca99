import { openStore } from '../../src/store';
import type { StorePort } from '../../src/engine/ports';
import { isCodedError } from '../../src/errors';
import { ROLLED_BACK_DEPLOY, recordFor } from '../report/fixtures';
import { runningRecord } from './contract';
import { makeTempDir, type TempDir } from './temp-db';

/**
 * What the contract suite (contract.ts, run on SQLite too) does not show: a record read back
 * after the file was reopened, the SQLite error kept as the cause, the 500 cap, and ping after close.
 */
describe('Class: SqliteStore, deploy records', () => {
  let temp: TempDir;
  let store: StorePort;

  beforeEach(async () => {
    temp = makeTempDir();
    store = openStore(temp.dbPath);
  });

  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it('reads a finished record back exactly after the file was reopened', async () => {
    // Prepare
    const record = recordFor(ROLLED_BACK_DEPLOY, {
      reportPath: 'reports/deployment-20250121-150405-backend-deploy.md',
    });

    // Act
    await store.insertDeploy(record);
    await store.close();
    store = openStore(temp.dbPath);

    // Assess
    expect(await store.getDeploy(record.id)).toEqual(record);
  });

  it('turns a duplicate id into store_error with the SQLite error as cause', async () => {
    // Prepare
    await store.insertDeploy(runningRecord('dep_1', 'backend', '2025-01-21T14:30:22.000Z'));

    // Act
    let thrown: unknown;
    try {
      await store.insertDeploy(runningRecord('dep_1', 'backend', '2025-01-21T14:30:22.000Z'));
    } catch (e) {
      thrown = e;
    }

    // Assess
    expect(isCodedError(thrown) && thrown.code).toBe('store_error');
    expect((thrown as Error).cause).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
  });

  it('caps a list at 20 by default and 500 at most', async () => {
    // Prepare
    for (let i = 0; i < 510; i++) {
      const minute = String(i % 60).padStart(2, '0');
      const hour = String(Math.floor(i / 60)).padStart(2, '0');
      await store.insertDeploy(runningRecord(`dep_${i}`, 'backend', `2025-01-21T${hour}:${minute}:00.000Z`));
    }

    // Act & Assess
    const first = await store.listDeploys({});
    expect(first).toHaveLength(20);
    expect(first[0].id).toBe('dep_509');
    expect(await store.listDeploys({ limit: 10_000 })).toHaveLength(500);
  });
});

describe('Class: SqliteStore, health', () => {
  let store: StorePort;

  beforeEach(async () => {
    store = openStore(':memory:');
  });

  afterEach(async () => {
    await store.close();
  });

  it('answers ping while open, rejects it with store_error after close, and closes twice without throwing', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(expect.objectContaining({ code: 'store_error' }));
    await expect(store.close()).resolves.toBeUndefined();
  });
});
