import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { GOOD_CONFIG, RecordingAws, run, tempDir } from './helpers';

/** A local DynamoDB-compatible server for the store; every other AWS call goes to an endpoint that refuses it. */
function localAws() {
  const env = { saved: { ...process.env } };
  const world = { local: undefined as unknown as LocalDynamo, aws: new RecordingAws() };
  beforeAll(async () => {
    world.local = await startLocalDynamo();
    await world.local.createTable('ecs-chatops');
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: await world.aws.start(),
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_MAX_ATTEMPTS: '1',
    });
  });
  afterAll(async () => {
    process.env = env.saved;
    await world.aws.stop();
    await world.local.close();
  });
  return world;
}

describe('CLI: config check with a DynamoDB store', () => {
  const tmp = tempDir();
  const world = localAws();
  afterAll(() => tmp.cleanup());

  const env = (table: string) => ({
    ECS_CHATOPS_STORE: `dynamodb://${table}`,
    AWS_ENDPOINT_URL_DYNAMODB: world.local.endpoint,
  });

  it('names the store the environment selects, without --aws', async () => {
    const out = await run(['config', 'check', '--config', tmp.file('plain.yml', GOOD_CONFIG)], {
      env: env('ecs-chatops'),
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/store\s+dynamodb:ecs-chatops \(us-east-1\)/);
  });

  it('with --aws verifies the table and its key schema', async () => {
    const config = tmp.file('store.yml', GOOD_CONFIG);
    const out = await run(['config', 'check', '--aws', '--config', config], { env: env('ecs-chatops') });
    expect(out.stdout).toMatch(
      /✓ DynamoDB table ecs-chatops {2}ACTIVE in us-east-1, key schema and indexes as the store needs/,
    );
    expect(out.stderr).not.toMatch(/store: DynamoDB table/);
  });

  it('with --aws exits 2 naming a missing table and where it was looked for', async () => {
    const config = tmp.file('missing.yml', GOOD_CONFIG);
    const out = await run(['config', 'check', '--aws', '--json', '--config', config], { env: env('no-such-table') });
    expect(out.code).toBe(2);
    const json = JSON.parse(out.stdout);
    expect(json.store).toBe('dynamodb:no-such-table');
    expect(json.storeChecks).toEqual([
      expect.objectContaining({
        resource: 'DynamoDB table',
        name: 'no-such-table',
        ok: false,
        detail: expect.stringMatching(/no-such-table.*(not found|does not exist)/i),
      }),
    ]);
    expect(json.error.issues).toContainEqual(expect.stringMatching(/^store: DynamoDB table no-such-table: /));
  });
});

describe('CLI: a deploy whose store cannot be used', () => {
  const tmp = tempDir();
  const world = localAws();
  afterAll(() => tmp.cleanup());

  it('exits 2 saying the table is missing and how to create it, having called no AWS service', async () => {
    // Prepare
    const config = tmp.file(
      'deploy.yml',
      GOOD_CONFIG.replace('region: us-east-1\n', `region: us-east-1\nreportsDir: ${tmp.dir}/reports\n`),
    );
    const env = { ECS_CHATOPS_STORE: 'dynamodb://gone', AWS_ENDPOINT_URL_DYNAMODB: world.local.endpoint };

    // Act
    const out = await run(['deploy', 'backend', 'abc1234', '--json', '--config', config], { env });

    // Assess
    expect(out.code).toBe(2);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ ok: false, outcome: 'invalid', exitCode: 2, error: { code: 'store_error' } });
    expect(json.error.message).toMatch(
      /DynamoDB table gone not found in us-east-1: create it with deploy\/dynamodb-table\.yml/,
    );
    expect(world.aws.requests).toEqual([]);
  });
});
