import { openStore } from '../../src/store';
import type { DeployRecord } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/ports';
import { isCodedError } from '../../src/errors';
import { ROLLED_BACK_DEPLOY, SUCCEEDED_DEPLOY, recordFor } from '../report/fixtures';
import { makeTempDir, type TempDir } from './temp-db';

/** A deploy that has only begun: no result, no phases yet. */
function runningRecord(id: string, service: string, startedAt: string): DeployRecord {
  return {
    ...recordFor(SUCCEEDED_DEPLOY),
    id,
    service,
    startedAt,
    outcome: 'running',
    finishedAt: null,
    finalTaskDefinition: null,
    phases: [],
    result: null,
    slack: null,
  };
}

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

  it('round-trips a finished record with its phases, result and Slack thread exactly', async () => {
    // Prepare
    const record = recordFor(ROLLED_BACK_DEPLOY, { reportPath: 'reports/deployment-20250121-150405-backend-deploy.md' });

    // Act
    await store.insertDeploy(record);
    await store.close();
    store = openStore(temp.dbPath);

    // Assess
    expect(await store.getDeploy(record.id)).toEqual(record);
  });

  it('applies a partial update and leaves the other fields alone', async () => {
    // Prepare
    await store.insertDeploy(runningRecord('dep_1', 'backend', '2025-01-21T14:30:22.000Z'));

    // Act
    await store.updateDeploy('dep_1', {
      outcome: 'succeeded',
      finishedAt: SUCCEEDED_DEPLOY.finishedAt,
      phases: SUCCEEDED_DEPLOY.phases,
      result: SUCCEEDED_DEPLOY,
      slack: { channel: 'C0DEPLOYS', ts: '1737471022.000100' },
    });

    // Assess
    const stored = await store.getDeploy('dep_1');
    expect(stored).toMatchObject({
      outcome: 'succeeded',
      sha: 'abc1234',
      phases: SUCCEEDED_DEPLOY.phases,
      result: SUCCEEDED_DEPLOY,
      slack: { channel: 'C0DEPLOYS', ts: '1737471022.000100' },
      finalTaskDefinition: null,
    });
  });

  it('refuses to update a deploy that does not exist with store_error', async () => {
    await expect(store.updateDeploy('dep_missing', { outcome: 'interrupted' })).rejects.toThrow(
      expect.objectContaining({ code: 'store_error' }),
    );
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

  it('lists newest first, filtered by service, kind and outcome, within the limit', async () => {
    // Prepare
    await store.insertDeploy(runningRecord('dep_a', 'backend', '2025-01-21T10:00:00.000Z'));
    await store.insertDeploy({ ...runningRecord('dep_b', 'backend', '2025-01-21T12:00:00.000Z'), outcome: 'succeeded' });
    await store.insertDeploy({ ...runningRecord('dep_c', 'frontend', '2025-01-21T11:00:00.000Z'), outcome: 'succeeded' });
    await store.insertDeploy({
      ...runningRecord('dep_d', 'backend', '2025-01-21T13:00:00.000Z'),
      kind: 'rollback',
      outcome: 'succeeded',
    });

    // Act & Assess
    expect((await store.listDeploys({})).map((d) => d.id)).toEqual(['dep_d', 'dep_b', 'dep_c', 'dep_a']);
    expect((await store.listDeploys({ service: 'backend', limit: 2 })).map((d) => d.id)).toEqual(['dep_d', 'dep_b']);
    expect((await store.listDeploys({ service: 'backend', kind: 'deploy', outcome: 'succeeded' })).map((d) => d.id)).toEqual([
      'dep_b',
    ]);
    expect(await store.listDeploys({ limit: 0 })).toHaveLength(1);
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

  it('reports the records still running, so a restart can pick them up', async () => {
    // Prepare
    await store.insertDeploy(runningRecord('dep_1', 'backend', '2025-01-21T10:00:00.000Z'));
    await store.insertDeploy(runningRecord('dep_2', 'frontend', '2025-01-21T10:05:00.000Z'));
    await store.updateDeploy('dep_1', { outcome: 'interrupted', finishedAt: '2025-01-21T10:20:00.000Z' });

    // Act
    const running = await store.runningDeploys();

    // Assess
    expect(running.map((d) => d.id)).toEqual(['dep_2']);
  });
});

describe('Class: SqliteStore, kept counts, reports and health', () => {
  let store: StorePort;

  beforeEach(async () => {
    store = openStore(':memory:');
  });

  afterEach(async () => {
    await store.close();
  });

  it('keeps, replaces and clears the desired count of a stopped service', async () => {
    await store.setKeptCount('backend', 2);
    await store.setKeptCount('backend', 4);
    expect(await store.getKeptCount('backend')).toBe(4);
    await store.clearKeptCount('backend');
    expect(await store.getKeptCount('backend')).toBeUndefined();
  });

  it('saves a report per deploy, replacing an earlier one', async () => {
    await store.saveReport('dep_1', '# draft');
    await store.saveReport('dep_1', '# final');
    expect(await store.getReport('dep_1')).toBe('# final');
    expect(await store.getReport('dep_2')).toBeUndefined();
  });

  it('answers ping with true while open and false after close, without throwing', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow(expect.objectContaining({ code: 'store_error' }));
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('throws store_error from any method once closed', async () => {
    await store.close();
    await expect(store.getDeploy('dep_1')).rejects.toThrow(expect.objectContaining({ code: 'store_error' }));
  });
});
