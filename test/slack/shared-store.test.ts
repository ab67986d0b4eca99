/**
 * The bot on a DynamoDB table it shares with CI and another replica (a local DynamoDB-compatible
 * server, real SDK clients, the real engine on fake AWS ports): CI's deploys show in `/deploys`,
 * and a change whose replica died while the bot was already running is resumed in its thread.
 */
import { DynamoStore } from '../../src/store/dynamo-store';
import { createTestEngine, sha, TEST_CONFIG_YAML } from '../fakes';
import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { messageText, startHarness, waitFor, type Harness } from './helpers/harness';

describe('Slack bot on a shared DynamoDB store', () => {
  let local: LocalDynamo;
  let h: Harness | null = null;
  let tables = 0;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    local = await startLocalDynamo();
  });

  afterEach(async () => {
    await h?.close();
    h = null;
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await local.close();
  });

  /** A store on the shared table, with its own client (as another process would have). */
  const storeOn = (table: string) => {
    const client = local.client();
    clients.push(client);
    return new DynamoStore({ table, client });
  };
  const freshTable = async () => {
    const table = `bot-${++tables}`;
    await local.createTable(table);
    return table;
  };

  it('shows a deploy made by CI through the same table in /deploys', async () => {
    // Prepare: CI deploys from its own process; the bot runs elsewhere on the same table.
    const table = await freshTable();
    const ci = createTestEngine({ store: storeOn(table), owner: 'ci-runner' });
    const deployed = await ci.engine.deploy({
      service: 'backend',
      sha: sha(2).slice(0, 7),
      actor: { id: 'cli:runner', name: 'github-actions', via: 'cli' },
    });
    expect(deployed.outcome).toBe('succeeded');
    const bot = createTestEngine({ store: storeOn(table), owner: 'replica-a' });
    h = await startHarness({ configYaml: TEST_CONFIG_YAML, engine: () => bot.engine });

    // Act
    await h.command('/deploys', 'backend', 'U0DEPLOYER');

    // Assess
    const answer = await waitFor(() => h!.slack.responses()[0], 5000, 'the answer');
    const text = messageText(answer.body);
    expect(text).toContain(sha(2).slice(0, 7));
    expect(text).toContain('github-actions');
  });

  it('resumes, while already running, a deploy whose replica died, in the thread it started in', async () => {
    // Prepare: this replica runs and looks for expired leases every 50 ms.
    const table = await freshTable();
    const te = createTestEngine({ store: storeOn(table), owner: 'replica-b' });
    h = await startHarness({
      configYaml: TEST_CONFIG_YAML,
      engine: () => te.engine,
      bot: { recover: true, recoverEveryMs: 50 },
    });
    // The other replica registered and rolled revision 2, posted its thread, then died (its lease ran out).
    const from = te.world.primary().taskDefinition;
    const td = await te.world.ecs.registerRevision(
      'us-east-1',
      te.world.taskDefinitions.get(from)!,
      'backend',
      `x@sha256:${'2'.repeat(64)}`,
    );
    await te.world.ecs.updateService('us-east-1', { cluster: 'prod', service: 'backend-svc', taskDefinition: td.arn });
    const actor = { id: 'U0DEPLOYER', name: 'alice', via: 'slack' as const };
    const other = storeOn(table);
    await other.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'd-other',
        actor,
        owner: 'replica-a',
        acquiredAt: '2026-11-25T09:59:00.000Z',
        leaseExpiresAt: '2026-11-25T09:59:30.000Z',
      },
      new Date('2026-11-25T09:59:00.000Z'),
    );
    await other.insertDeploy({
      id: 'd-other',
      kind: 'deploy',
      service: 'backend',
      sha: sha(2).slice(0, 7),
      digest: `sha256:${'2'.repeat(64)}`,
      image: null,
      fromTaskDefinition: from,
      toTaskDefinition: td.arn,
      finalTaskDefinition: null,
      outcome: 'running',
      actor,
      startedAt: '2026-11-25T09:59:00.000Z',
      finishedAt: null,
      phases: [
        {
          name: 'register',
          status: 'ok',
          startedAt: '2026-11-25T09:59:01.000Z',
          finishedAt: '2026-11-25T09:59:01.000Z',
          detail: 'registered',
        },
      ],
      result: null,
      owner: 'replica-a',
      slack: { channel: 'CDEPLOYS', ts: '1700.000100' },
      reportPath: null,
    });

    // Act: nothing but time passing.
    await waitFor(
      async () => (await te.engine.getChange('d-other'))?.outcome === 'succeeded',
      15_000,
      'the resumed deploy',
    );

    // Assess: reported in the old thread, resumed once, the lock given back
    const replies = await waitFor(
      () =>
        h!.slack.replies('1700.000100').some((c) => c.body.reply_broadcast === true)
          ? h!.slack.replies('1700.000100')
          : undefined,
      5000,
      'the outcome in the old thread',
    );
    expect(messageText(replies[0].body)).toContain('Resumed');
    expect((await other.listAudit({ service: 'backend' })).filter((a) => a.action === 'deploy.resumed')).toHaveLength(
      1,
    );
    expect(await other.getLock('backend')).toBeUndefined();
  });
});
