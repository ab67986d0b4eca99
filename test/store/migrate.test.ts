import { startLocalDynamo, type LocalDynamo } from './local-dynamo';
import { openStore } from '../../src/store';
import { DynamoStore } from '../../src/store/dynamo-store';
import { migrateSqliteToDynamo } from '../../src/store/migrate';
import { ALICE, CLI_CAROL, ROLLED_BACK_DEPLOY, SUCCEEDED_DEPLOY, recordFor } from '../report/fixtures';
import { run } from '../cli/helpers';
import { stopRequest } from './contract';
import { makeTempDir, type TempDir } from './temp-db';

const NOW = new Date('2025-01-21T14:35:00.000Z');
const ENTRIES = ['deploy.succeeded', 'stop', 'approval.requested'].map((action, i) => ({
  at: i < 2 ? '2025-01-21T15:00:00.000Z' : '2025-01-21T15:01:00.000Z',
  actor: CLI_CAROL,
  action,
  service: i === 1 ? null : 'backend',
  details: { n: i },
}));

/** A SQLite store as a host would have it after a few days: history, a report, audit, a stop, an approval. */
async function fillSqlite(path: string): Promise<void> {
  const sqlite = openStore(path);
  await sqlite.insertDeploy(recordFor(SUCCEEDED_DEPLOY));
  await sqlite.insertDeploy(recordFor(ROLLED_BACK_DEPLOY));
  await sqlite.saveReport(SUCCEEDED_DEPLOY.deployId!, `# backend abc1234\n${'| check | pass |\n'.repeat(30_000)}`);
  for (const entry of ENTRIES) await sqlite.appendAudit(entry);
  await sqlite.setKeptCount('backend', 2);
  await sqlite.insertApproval(stopRequest('apr_live'));
  await sqlite.insertApproval({ ...stopRequest('apr_old'), expiresAt: '2025-01-21T14:31:00.000Z' });
  await sqlite.insertApproval({
    ...stopRequest('apr_done'),
    status: 'denied',
    decidedBy: ALICE,
    decidedAt: '2025-01-21T14:30:30.000Z',
  });
  await sqlite.close();
}

describe('Function: migrateSqliteToDynamo', () => {
  let local: LocalDynamo;
  let temp: TempDir;
  let tables = 0;
  let table: string;

  beforeAll(async () => {
    local = await startLocalDynamo();
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(async () => {
    temp = makeTempDir();
    await fillSqlite(temp.dbPath);
    table = `migrate-${++tables}`;
    await local.createTable(table);
  });

  afterEach(() => {
    temp.remove();
  });

  async function withDynamo<T>(use: (store: DynamoStore) => Promise<T>): Promise<T> {
    const client = local.client();
    const store = new DynamoStore({ table, client });
    try {
      return await use(store);
    } finally {
      await store.close();
      client.destroy();
    }
  }

  it('copies records, reports, audit (with its times), kept counts and live approvals, then nothing the second time', async () => {
    // Act
    const client = local.client();
    const first = await migrateSqliteToDynamo({ from: temp.dbPath, to: { table, client }, now: NOW });
    const second = await migrateSqliteToDynamo({ from: temp.dbPath, to: { table, client }, now: NOW });
    client.destroy();

    // Assess
    expect(first).toEqual({
      deploys: { copied: 2, skipped: 0 },
      reports: { copied: 1, skipped: 0 },
      audit: { copied: 3, skipped: 0 },
      keptCounts: { copied: 1, skipped: 0 },
      approvals: { copied: 1, skipped: 0 },
    });
    expect(second).toEqual({
      deploys: { copied: 0, skipped: 2 },
      reports: { copied: 0, skipped: 1 },
      audit: { copied: 0, skipped: 3 },
      keptCounts: { copied: 0, skipped: 1 },
      approvals: { copied: 0, skipped: 1 },
    });
    await withDynamo(async (store) => {
      expect(await store.getDeploy(SUCCEEDED_DEPLOY.deployId!)).toEqual(recordFor(SUCCEEDED_DEPLOY));
      expect((await store.listDeploys({ service: 'backend' })).map((d) => d.id)).toEqual([
        ROLLED_BACK_DEPLOY.deployId,
        SUCCEEDED_DEPLOY.deployId,
      ]);
      expect(await store.getReport(SUCCEEDED_DEPLOY.deployId!)).toMatch(/^# backend abc1234\n/);
      expect(await store.listAudit({})).toEqual([...ENTRIES].reverse());
      expect(await store.getKeptCount('backend')).toBe(2);
      expect((await store.listApprovals({})).map((a) => a.id)).toEqual(['apr_live']);
    });
  });

  it('refuses while the SQLite store holds a lock, naming it', async () => {
    // Prepare
    const sqlite = openStore(temp.dbPath);
    const lease = new Date(NOW.getTime() + 30_000).toISOString();
    await sqlite.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'dep_live',
        actor: ALICE,
        owner: 'bot',
        acquiredAt: NOW.toISOString(),
        leaseExpiresAt: lease,
      },
      NOW,
    );
    await sqlite.close();
    const client = local.client();

    // Act
    const attempt = migrateSqliteToDynamo({ from: temp.dbPath, to: { table, client }, now: NOW });

    // Assess
    await expect(attempt).rejects.toMatchObject({
      code: 'store_error',
      message: expect.stringContaining('holds locks on backend (deploy dep_live)'),
    });
    client.destroy();
    await withDynamo(async (store) => expect(await store.listDeploys({})).toEqual([]));
  });

  it('runs as `ecs-chatops store migrate` and prints what it copied', async () => {
    // Prepare: the SDK takes credentials and the endpoint from the environment.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
      AWS_REGION: 'us-east-1',
    });

    // Act
    let out: Awaited<ReturnType<typeof run>>;
    try {
      out = await run(
        ['store', 'migrate', '--from', `sqlite:${temp.dbPath}`, '--to', `dynamodb://${table}`, '--json'],
        { env: process.env },
      );
    } finally {
      process.env = saved;
    }

    // Assess
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout) as { ok: boolean; to: string; copied: { deploys: { copied: number } } };
    expect(json).toMatchObject({ ok: true, to: `dynamodb:${table}`, copied: { deploys: { copied: 2 } } });
  });

  it('refuses a --to that is not a DynamoDB table with exit 2', async () => {
    const out = await run(['store', 'migrate', '--from', `sqlite:${temp.dbPath}`, '--to', 'sqlite:other.db']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--to: sqlite:other.db is not a DynamoDB table');
  });
});
