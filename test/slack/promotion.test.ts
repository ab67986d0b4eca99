/**
 * Promotion in Slack, through Bolt's real receiver with signed requests and the real engine on
 * fake AWS: `/deploy backend from backend-staging` promotes staging's digest, an unverified release
 * is refused under `promotion.require: verified` saying where it was last seen, and `force` asks a
 * second person. What was approved is what is promoted, even when staging moves on meanwhile.
 */
import { createTestEngine, digest, REGISTRY, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from './helpers/harness';

const CONFIG = `${TEST_CONFIG_YAML.replace(
  '    logs: { errorPattern: ERROR }\n',
  '    logs: { errorPattern: ERROR }\n    promotesFrom: backend-staging\n    promotion: { require: verified }\n',
)}  backend-staging:
    cluster: staging
    service: backend-staging-svc
    container: backend
    ecrRepository: backend
    baseUrl: https://staging.example.com
    repositoryUrl: https://github.com/example/backend
    timeouts: { stabilize: 15m, targetHealth: 5m, poll: 2s }
`;
const STAGING = 'staging/backend-staging-svc';
const alice = { id: 'U0DEPLOYER', name: 'alice', via: 'slack' as const };

describe('Slack: promotion from staging', () => {
  let h: Harness;
  let te: TestEngine;
  let revision = 10;

  /** The configured container's image in the service's running task definition. */
  const runningImage = (key = 'prod/backend-svc') =>
    te.world.taskDefinitions.get(te.world.primary(key).taskDefinition)?.containers[0].image;

  /** Someone changes staging outside the bot: it now runs image `n`, with no deploy record. */
  const stagingRuns = (n: number) => {
    const td = te.world.addTaskDefinition('backend-staging', revision++, `${REGISTRY}/backend@${digest(n)}`);
    te.world.primary(STAGING).taskDefinition = td.arn;
  };

  /** Waits for the newest change of `service` to finish. */
  const finished = (service = 'backend') =>
    waitFor(
      async () => (await te.engine.history({ service, limit: 1 })).find((r) => r.outcome !== 'running'),
      10_000,
      `the ${service} change`,
    );

  beforeEach(async () => {
    te = createTestEngine({ configYaml: CONFIG });
    te.world.seedService({ cluster: 'staging', name: 'backend-staging-svc', family: 'backend-staging' });
    h = await startHarness({ configYaml: CONFIG, engine: () => te.engine });
    // Staging verifies release 2 (its smoke checks read production's fake app, so they are skipped here).
    const staged = await te.engine.deploy({ service: 'backend-staging', sha: sha(2), skipSmoke: true, actor: alice });
    expect(staged.outcome).toBe('succeeded');
  });

  afterEach(async () => {
    await h.close();
    await te.store.close();
  });

  it('promotes the digest staging runs and says who verified it', async () => {
    await h.command('/deploy', 'backend from backend-staging', 'U0DEPLOYER');
    const record = await finished();

    expect(record.outcome).toBe('succeeded');
    expect(runningImage()).toBe(runningImage(STAGING));
    expect(runningImage()).toBe(`${REGISTRY}/backend@${digest(2)}`);
    const parent = await waitFor(
      () => h.slack.of('chat.update').find((u) => messageText(u.body).includes('verified on backend-staging')),
      5000,
      'the parent with the promotion note',
    );
    expect(messageText(parent.body)).toContain(
      `promoting ${sha(2).slice(0, 7)} (digest ${digest(2).slice(7, 19)}), verified on backend-staging`,
    );
    expect(messageText(parent.body)).toMatch(/verified on backend-staging .+ ago by <@U0DEPLOYER>/);
  });

  it('refuses an unverified release, saying where it was last seen; nothing changes', async () => {
    stagingRuns(3);

    await h.command('/deploy', 'backend from backend-staging', 'U0DEPLOYER');
    const refusal = await waitFor(
      () => h.slack.responses().find((r) => String(r.body.text).startsWith(':no_entry:')),
      10_000,
      'the refusal',
    );

    const text = String(refusal.body.text);
    expect(text).toContain(
      `${sha(3).slice(0, 7)} (digest ${digest(3).slice(7, 19)}) has no verified deploy on backend-staging`,
    );
    expect(text).toContain('never deployed by ecs-chatops');
    expect(text).toContain('An override needs `force`: `/deploy backend from &lt;source&gt; force`');
    expect(runningImage()).toBe(`${REGISTRY}/backend@${digest(1)}`);
    expect((await te.engine.history({ service: 'backend', limit: 1 }))[0].outcome).toBe('refused');
  });

  it('force with a second person promotes what was approved, even when staging moved on meanwhile', async () => {
    // Arrange: staging runs an unverified release 3; the override is asked for it.
    stagingRuns(3);
    await h.command('/deploy', 'backend from backend-staging force', 'U0DEPLOYER');
    const request = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    expect(messageText(request.body)).toContain('OVERRIDE: not verified on backend-staging');
    // Staging moves on to release 4 while the request waits.
    stagingRuns(4);

    // Act: a second person approves.
    const approve = buttonsOf(request.body).find((b) => b.action_id === 'approve')!;
    await h.click({
      actionId: 'approve',
      value: approve.value,
      userId: 'U0LEAD',
      messageTs: request.ts,
      blockId: approve.block_id,
    });
    const record = await finished();

    // Assess: release 3, as approved; never release 4.
    expect(record.outcome).toBe('succeeded');
    expect(record.digest).toBe(digest(3));
    expect(runningImage()).toBe(`${REGISTRY}/backend@${digest(3)}`);
    expect(te.world.calls.filter((c) => c.op === 'registerRevision').map((c) => JSON.stringify(c.args))).not.toContain(
      digest(4),
    );
    const audit = await te.store.listAudit({ service: 'backend', limit: 50 });
    expect(audit.find((a) => a.action === 'promotion.override')?.details).toMatchObject({ digest: digest(3) });
    const note = await waitFor(
      () => h.slack.of('chat.update').find((u) => messageText(u.body).includes('has moved on to')),
      5000,
      'the parent saying staging moved on',
    );
    expect(messageText(note.body)).toContain(`moved on to ${sha(4).slice(0, 7)}`);
  });

  it('the one who asked for an override cannot approve it: nothing is promoted', async () => {
    stagingRuns(3);
    await h.command('/deploy', 'backend from backend-staging force', 'U0DEPLOYER');
    const request = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    const approve = buttonsOf(request.body).find((b) => b.action_id === 'approve')!;
    await h.click({
      actionId: 'approve',
      value: approve.value,
      userId: 'U0DEPLOYER',
      messageTs: request.ts,
      blockId: approve.block_id,
    });

    await waitFor(
      () => h.slack.responses().some((r) => String(r.body.text).includes('You asked for this')),
      5000,
      'the refusal',
    );
    expect(runningImage()).toBe(`${REGISTRY}/backend@${digest(1)}`);
  });

  it('/status and the Home tab show the pipeline: each environment, who verified it, and the lag', async () => {
    // Act
    await h.command('/status', 'backend', 'U0DEPLOYER');
    const status = await waitFor(
      () => h.slack.responses().find((r) => r.body.response_type === 'in_channel'),
      5000,
      'the status',
    );
    await h.event({ type: 'app_home_opened', user: 'U0DEPLOYER', channel: 'D1', tab: 'home' });
    const home = await waitFor(() => h.slack.of('views.publish')[0], 5000, 'the Home tab');

    // Assess: staging runs release 2, verified by alice; production still release 1, never verified there.
    for (const text of [messageText(status.body), messageText(home.body.view)]) {
      expect(text).toContain('*Pipeline*');
      expect(text).toMatch(
        new RegExp(`\\*backend-staging\\* \`${sha(2).slice(0, 7)}\`.* verified <!date\\^\\d+\\^.* by <@U0DEPLOYER>`),
      );
      expect(text).toContain(`*backend* \`${sha(1).slice(0, 7)}\``);
      expect(text).toContain('backend is behind backend-staging by unknown (no repository to compare in)');
    }
  });
});
