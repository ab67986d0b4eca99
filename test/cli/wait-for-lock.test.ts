/**
 * A CI deploy and a Slack deploy share one DynamoDB table: the CI deploy finds the service locked,
 * waits for the lock with `--wait-for-lock`, then deploys; or gives up after the bound with exit 4
 * naming who holds the lock and since when. Real CLI, real SDK clients, the simulated AWS world and
 * a local DynamoDB-compatible server.
 */
import { PassThrough } from 'node:stream';
import { main } from '../../src/main';
import type { LockInfo } from '../../src/engine/model';
import type { StorePort } from '../../src/engine/ports';
import { startSimWorld, type SimWorld } from '../../src/sim/index';
import { openStoreFromSpec } from '../../src/store/open-store';
import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { waitFor } from '../slack/helpers/harness';
import { Capture, tempDir } from './helpers';

const SLACK_DEPLOY: LockInfo = {
  service: 'backend',
  action: 'deploy',
  changeId: 'd-20250121T150000-a1b2c3',
  actor: { id: 'U0ALICE', name: 'alice', via: 'slack' },
  owner: 'replica-a',
  acquiredAt: '',
};

describe('CLI: deploy --wait-for-lock on a shared DynamoDB store', () => {
  const tmp = tempDir();
  const saved = { ...process.env };
  let world: SimWorld;
  let local: LocalDynamo;
  let store: StorePort;
  let env: NodeJS.ProcessEnv;
  let config: string;

  /** Runs the CLI in-process; `stderr` can be read while it runs. */
  const start = (argv: string[]) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const done = main(['--config', config, ...argv], { env, stdout, stderr, stdin: new PassThrough() });
    return { stdout, stderr, done };
  };

  /** The Slack replica's deploy takes the lock, with a fresh lease. */
  const holdLock = async (): Promise<LockInfo> => {
    const now = new Date();
    const lock = {
      ...SLACK_DEPLOY,
      acquiredAt: now.toISOString(),
      leaseExpiresAt: new Date(now.getTime() + 30_000).toISOString(),
    };
    expect(await store.acquireLock(lock, now)).toEqual({ ok: true });
    return lock;
  };

  beforeAll(async () => {
    world = await startSimWorld({ paceMs: 20 });
    local = await startLocalDynamo();
    await local.createTable('ecs-chatops');
    // The AWS SDK reads its credentials from the process environment.
    Object.assign(process.env, world.env);
    env = { ...world.env, ECS_CHATOPS_STORE: 'dynamodb://ecs-chatops', AWS_ENDPOINT_URL_DYNAMODB: local.endpoint };
    config = tmp.file(
      'ecs-chatops.yml',
      world.configYaml.replace(/^reportsDir: .*$/m, `reportsDir: ${JSON.stringify(tmp.dir)}`),
    );
    store = await openStoreFromSpec({
      kind: 'dynamodb',
      table: 'ecs-chatops',
      region: 'us-east-1',
      endpoint: local.endpoint,
    });
  });

  afterAll(async () => {
    await store.close();
    process.env = saved;
    await world.close();
    await local.close();
    tmp.cleanup();
  });

  it('without --wait-for-lock exits 4 at once, naming who holds the lock and since when', async () => {
    // Prepare
    const lock = await holdLock();

    // Act
    const cli = start(['deploy', 'backend', world.images[1].tag, '--json']);
    const code = await cli.done;

    // Assess
    expect(code).toBe(4);
    const result = JSON.parse(cli.stdout.text);
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'lock_held' } });
    expect(result.error.message).toContain(
      `backend is locked by deploy ${lock.changeId} (alice via slack, since ${lock.acquiredAt}`,
    );
    await store.releaseLock('backend', lock.changeId);
  });

  it('waits while a Slack deploy holds the lock, then deploys once it is released', async () => {
    // Prepare
    const lock = await holdLock();

    // Act
    const cli = start(['deploy', 'backend', world.images[1].tag, '--wait-for-lock', '10m', '--json']);
    await waitFor(() => cli.stderr.text.includes('waiting for it'), 20_000, 'the CLI to wait for the lock');
    expect(await store.releaseLock('backend', lock.changeId)).toBe(true);
    const code = await cli.done;

    // Assess
    expect(cli.stderr.text).toContain(
      `backend is locked by deploy ${lock.changeId} (alice via slack, since ${lock.acquiredAt}); waiting for it, 10m00s at most`,
    );
    expect(code).toBe(0);
    const result = JSON.parse(cli.stdout.text);
    expect(result).toMatchObject({ ok: true, outcome: 'succeeded', actor: { via: 'cli' } });
    const history = await store.listDeploys({ service: 'backend' });
    expect(history[0]).toMatchObject({ id: result.deployId, outcome: 'succeeded' });
    expect(await store.getLock('backend')).toBeUndefined();
  }, 60_000);

  it('exits 4 after the bound, saying how long it waited and who still holds the lock', async () => {
    // Prepare
    const lock = await holdLock();

    // Act
    const cli = start(['deploy', 'backend', world.images[2].tag, '--wait-for-lock', '3s', '--json']);
    const code = await cli.done;

    // Assess
    expect(code).toBe(4);
    const result = JSON.parse(cli.stdout.text);
    expect(result).toMatchObject({ ok: false, outcome: 'refused', exitCode: 4, error: { code: 'lock_held' } });
    expect(result.error.message).toMatch(
      new RegExp(
        `^still locked after waiting 3s: backend is locked by deploy ${lock.changeId} \\(alice via slack, since ${lock.acquiredAt}`,
      ),
    );
    expect(await store.getLock('backend')).toMatchObject({ changeId: lock.changeId });
    await store.releaseLock('backend', lock.changeId);
  }, 30_000);

  it('refuses a bound that is not a duration with exit 2', async () => {
    const cli = start(['deploy', 'backend', world.images[1].tag, '--wait-for-lock', 'soon', '--json']);
    expect(await cli.done).toBe(2);
    expect(JSON.parse(cli.stdout.text).error.message).toMatch(/--wait-for-lock must be a duration/);
  });
});
