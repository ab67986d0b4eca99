/** One end-to-end path with the real Engine on fake AWS ports: the Slack side sees what the engine does. */
import { createTestEngine, sha, TEST_CONFIG_YAML, type TestEngine } from '../fakes';
import { buttonsOf, messageText, startHarness, waitFor, type Harness } from './helpers/harness';

describe('Slack bot with the real engine', () => {
  let h: Harness;
  let te: TestEngine;

  beforeEach(async () => {
    te = createTestEngine();
    h = await startHarness({ configYaml: TEST_CONFIG_YAML, engine: () => te.engine });
  });

  afterEach(async () => {
    await h.close();
    await te.store.close();
  });

  it('/deploy runs the real flow: digest-pinned revision, thread, broadcast outcome, thread recorded', async () => {
    const short = sha(2).slice(0, 7);
    await h.command('/deploy', `backend ${short}`, 'U0DEPLOYER');
    const record = await waitFor(
      async () => (await te.engine.history({ service: 'backend', limit: 1 })).find((r) => r.outcome !== 'running'),
      10_000,
      'the deploy',
    );
    expect(record.outcome).toBe('succeeded');
    expect(te.world.calls.some((c) => c.op === 'registerRevision')).toBe(true);
    const parent = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the parent');
    const broadcast = await waitFor(
      () => h.slack.replies(parent.ts!).find((c) => c.body.reply_broadcast === true),
      5000,
      'the broadcast',
    );
    expect(messageText(broadcast.body)).toContain('succeeded');
    await waitFor(async () => (await te.engine.getChange(record.id))?.slack, 5000, 'the recorded thread');
    expect((await te.engine.getChange(record.id))?.slack).toEqual({ channel: 'CDEPLOYS', ts: parent.ts });
  });

  it("/emergency-stop then a second person's approval sets desired to 0", async () => {
    await h.command('/emergency-stop', 'backend leaking customer data', 'U0ONCALL');
    const request = await waitFor(() => h.slack.of('chat.postMessage')[0], 5000, 'the approval request');
    expect(messageText(request.body)).toContain('desired 2 → 0');
    const approve = buttonsOf(request.body).find((b) => b.action_id === 'approve')!;
    await h.click({
      actionId: 'approve',
      value: approve.value,
      userId: 'U0ONCALL',
      messageTs: request.ts,
      blockId: approve.block_id,
    });
    await waitFor(
      () => h.slack.responses().some((r) => /You asked for this/.test(r.body.text)),
      5000,
      'the self-approval refusal',
    );
    await h.click({
      actionId: 'approve',
      value: approve.value,
      userId: 'U0LEAD',
      messageTs: request.ts,
      blockId: approve.block_id,
    });
    await waitFor(() => te.world.services.get('prod/backend-svc')?.desired === 0, 10_000, 'the stop');
    const done = await waitFor(
      () =>
        h.slack
          .of('chat.update')
          .find(
            (u) =>
              u.body.ts === request.ts &&
              messageText(u.body).includes('Approved by <@U0LEAD>') &&
              !messageText(u.body).includes('Running'),
          ),
      10_000,
      'the outcome',
    );
    expect(buttonsOf(done.body).map((b) => b.action_id)).toContain('restart');
  });

  it('resumes a deploy left running by a stopped bot, in the Slack thread it started in', async () => {
    // Prepare: a first bot registered and rolled revision 2, posted its thread, then died.
    await h.close();
    te = createTestEngine({ owner: 'host:2' });
    const from = te.world.primary().taskDefinition;
    const td = await te.world.ecs.registerRevision(
      'us-east-1',
      te.world.taskDefinitions.get(from)!,
      'backend',
      `x@sha256:${'2'.repeat(64)}`,
    );
    await te.world.ecs.updateService('us-east-1', { cluster: 'prod', service: 'backend-svc', taskDefinition: td.arn });
    const actor = { id: 'U0DEPLOYER', name: 'alice', via: 'slack' as const };
    await te.store.insertDeploy({
      id: 'd-crashed',
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
      owner: 'host:1',
      slack: { channel: 'CDEPLOYS', ts: '1700.000100' },
      reportPath: null,
    });
    await te.store.acquireLock(
      {
        service: 'backend',
        action: 'deploy',
        changeId: 'd-crashed',
        actor,
        owner: 'host:1',
        acquiredAt: '2026-11-25T09:59:00.000Z',
        leaseExpiresAt: '2026-11-25T09:59:30.000Z',
      },
      new Date(te.clock.now()),
    );

    // Act
    h = await startHarness({ configYaml: TEST_CONFIG_YAML, engine: () => te.engine, bot: { recover: true } });

    // Assess
    await waitFor(
      async () => (await te.engine.getChange('d-crashed'))?.outcome === 'succeeded',
      10_000,
      'the resumed deploy',
    );
    const replies = await waitFor(
      () =>
        h.slack.replies('1700.000100').some((c) => c.body.reply_broadcast === true)
          ? h.slack.replies('1700.000100')
          : undefined,
      5000,
      'the outcome in the old thread',
    );
    expect(messageText(replies[0].body)).toContain('Resumed');
    expect(messageText(replies.find((c) => c.body.reply_broadcast === true)!.body)).toContain('succeeded');
    await waitFor(
      () =>
        h.slack.of('chat.update').find((u) => u.body.ts === '1700.000100' && messageText(u.body).includes('succeeded')),
      5000,
      'the parent updated in place',
    );
    expect(h.slack.of('chat.postMessage').filter((c) => !c.body.thread_ts)).toEqual([]); // no new parent message
    expect(await te.store.getLock('backend')).toBeUndefined();
  });
});
