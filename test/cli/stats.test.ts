/** `ecs-chatops stats` on a seeded SQLite store: the JSON fields of DESIGN.md, the terminal chart, and bad input. AWS is never asked. */
import { join } from 'node:path';
import { seededHistory, seedStore, type HistoryEntry } from '../../src/sim/history-seed';
import { SqliteStore } from '../../src/store';
import { GOOD_CONFIG, RecordingAws, run, tempDir } from './helpers';

const SDK_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_MAX_ATTEMPTS: '1',
};
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const CONFIG = `${GOOD_CONFIG}  worker:
    cluster: prod
    service: worker-svc
    container: worker
    ecrRepository: worker
`;

/** Backend: three deploys in three weeks, one rolled back; a good one 3 h after the failure. */
function backendHistory(now: number): HistoryEntry[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    {
      id: 'b-1',
      kind: 'deploy',
      service: 'backend',
      outcome: 'succeeded',
      startedAt: iso(now - 20 * DAY),
      finishedAt: iso(now - 20 * DAY + 600_000),
      oldestCommitAt: iso(now - 21 * DAY),
    },
    {
      id: 'b-2',
      kind: 'deploy',
      service: 'backend',
      outcome: 'rollback_failed',
      startedAt: iso(now - 10 * DAY),
      finishedAt: iso(now - 10 * DAY + HOUR),
    },
    {
      id: 'b-3',
      kind: 'deploy',
      service: 'backend',
      outcome: 'succeeded',
      startedAt: iso(now - 10 * DAY + 2 * HOUR),
      finishedAt: iso(now - 10 * DAY + 3 * HOUR),
    },
  ];
}

describe('CLI: stats', () => {
  const aws = new RecordingAws();
  const tmp = tempDir();
  const saved = { ...process.env };
  let env: NodeJS.ProcessEnv;
  let config: string;

  beforeAll(async () => {
    const endpoint = await aws.start();
    Object.assign(process.env, SDK_ENV, { AWS_ENDPOINT_URL: endpoint });
    config = tmp.file('ecs-chatops.yml', CONFIG);
    const db = join(tmp.dir, 'stats.db');
    env = { ...SDK_ENV, AWS_ENDPOINT_URL: endpoint, ECS_CHATOPS_DB: db };
    const store = new SqliteStore(db);
    const now = Date.now();
    await seedStore(store, [
      ...backendHistory(now),
      ...seededHistory({ services: ['worker'], weeks: 8, now, seed: 7 }),
    ]);
    await store.close();
  });

  afterAll(async () => {
    process.env = saved;
    await aws.stop();
    tmp.cleanup();
  });

  it('--json gives the four measures, their bands and the weeks', async () => {
    const out = await run(['--config', config, 'stats', 'backend', '--weeks', '4', '--json'], { env });
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({
      ok: true,
      service: 'backend',
      weeks: 4,
      deploys: 3,
      failed: 1,
      deploysPerWeek: 0.5,
      changeFailureRate: 0.3333,
      // From the failed deploy's start to the next good deploy's verification.
      timeToRestoreSeconds: 3 * 3600,
      // One known lead time (1 day + 10 minutes); the other deploy's changes are unknown.
      leadTimeSeconds: 86_400 + 600,
      leadTime: { known: 1, unknown: 1 },
      bands: {
        deploysPerWeek: 'medium',
        changeFailureRate: 'low',
        timeToRestoreSeconds: 'high',
        leadTimeSeconds: 'high',
      },
    });
    expect(json.series).toHaveLength(4);
    expect(json.series.map((w: { deploys: number }) => w.deploys)).toEqual([0, 1, 2, 0]);
    expect(aws.requests).toEqual([]);
  });

  it('prints the measures and a compact bar chart of the weeks for all services', async () => {
    const out = await run(['--config', config, 'stats'], { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Delivery metrics: 2 services, last 8 weeks');
    expect(out.stdout).toMatch(/Deployment frequency +\d+(\.\d)? \/ week +(elite|high|medium|low)/);
    expect(out.stdout).toMatch(
      /Change failure rate +\d+(\.\d)?% +\w+ +\d+ of \d+ deploys failed or rolled back within 24 h/,
    );
    expect(
      out.stdout.split('\n').filter((l) => /^[A-Z][a-z]{2} \d{1,2} +[█░ ]+ +\d+ ok +\d+ failed/.test(l)),
    ).toHaveLength(8);
  });

  it('refuses weeks outside 1–52 and an unknown service with exit 2, reading nothing', async () => {
    for (const argv of [
      ['stats', '--weeks', '53'],
      ['stats', '--weeks', '0'],
      ['stats', 'nosuch'],
    ]) {
      const out = await run(['--config', config, ...argv, '--json'], { env });
      expect(out.code).toBe(2);
      expect(JSON.parse(out.stdout).ok).toBe(false);
    }
  });
});
