/**
 * Two bot replicas (`ecs-chatops serve`, HTTP mode, each its own process) and CI's CLI on one
 * DynamoDB table (a local DynamoDB-compatible server), a simulated AWS world and a fake Slack:
 * one change per service at a time whoever asks, every change in `/deploys` on either replica,
 * a button works on the replica that did not start the change, and a replica's death leaves its
 * deploy to the other, which finishes it in the same thread.
 */
import type { DynamoStore } from '../../src/store/dynamo-store';
import { FakeSlack } from '../slack/helpers/fake-slack';
import { buttonsOf, messageText, waitFor } from '../slack/helpers/harness';
import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { answersTo, startReplica, type BotReplica } from './bot-replica';
import { shareTable } from './shared-table';
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf, waitForCall, type CliRun, type E2eWorld } from './helpers';
import type { JsonDoc } from '../json';

jest.setTimeout(120_000);

/** The Slack user allowed to deploy and roll back (the bot reads its name from the command). */
const DEPLOYER = 'UALICE';
const ACCESS = { access: { deploy: [DEPLOYER], rollback: [DEPLOYER] } };

/** How long anything a replica or the CLI does may take on a loaded machine. */
const SLOW_MS = 30_000;

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:${revision}`;

interface Replicas {
  e: E2eWorld;
  slack: FakeSlack;
  a: BotReplica;
  b: BotReplica;
  /** The shared table, read as a third process would. */
  store: DynamoStore;
}

describe('e2e: two bot replicas and CI on one DynamoDB table', () => {
  let local: LocalDynamo;
  let tables = 0;

  beforeAll(async () => {
    local = await startLocalDynamo();
  });

  afterAll(async () => {
    await closeOpenWorlds();
    await local.close();
  });

  /** A world that moves only when stepped, a fresh table with a 2-second lease, a fake Slack and replicas A and B serving. */
  const withReplicas = (body: (r: Replicas) => Promise<void>) =>
    inE2eWorld({ manual: true, configKeys: ACCESS }, async (e) => {
      const store = await shareTable(local, e, `replicas-${++tables}`);
      const slack = await FakeSlack.start();
      try {
        const [a, b] = await Promise.all([startReplica(e, slack, 'a'), startReplica(e, slack, 'b')]);
        await body({ e, slack, a, b, store });
      } finally {
        await store.close();
        await slack.close();
      }
    });

  /** Moves the world on every 20 ms until `stop` is called. */
  const moving = (e: E2eWorld) => {
    const ticker = setInterval(() => e.world.step(), 20);
    return () => clearInterval(ticker);
  };

  /** The one line a replica answered to a command (its response_url), once it did. */
  const answerOf = (slack: FakeSlack, responseId: string) =>
    waitFor(
      () => answersTo(slack, responseId)[0]?.body.text as string | undefined,
      SLOW_MS,
      `the answer to ${responseId}`,
    );

  /** Resolves once the service's lock is free and nothing runs on it. */
  const settled = (store: DynamoStore) =>
    waitFor(
      async () => !(await store.getLock('backend')) && !(await store.runningDeploys()).length,
      SLOW_MS,
      'the change to finish',
    );

  /** The newest message (posted or updated) of the thread `parentTs` carrying a button `actionId`. */
  const buttonIn = (slack: FakeSlack, parentTs: string, actionId: string) =>
    waitFor(
      () => {
        const bodies = [
          ...slack.of('chat.postMessage').filter((c) => c.ts === parentTs),
          ...slack.of('chat.update').filter((c) => c.body.ts === parentTs),
        ].map((c) => c.body);
        return bodies
          .reverse()
          .flatMap(buttonsOf)
          .find((b) => b.action_id === actionId);
      },
      SLOW_MS,
      `a ${actionId} button in the thread`,
    );

  /** The thread a Slack deploy posted (its parent message), once the record names it. */
  const threadOf = (store: DynamoStore, changeId: string) =>
    waitFor(async () => (await store.getDeploy(changeId))?.slack, SLOW_MS, 'the thread of the change');

  it.concurrent(
    'one change per service at a time: of two replicas and CI asking at once one runs, the others are told who holds it',
    async () => {
      await withReplicas(async ({ e, slack, a, b, store }) => {
        const [, first, second] = e.world.images;

        // Act: the same /deploy to both replicas and a CI deploy of another commit, at the same moment, while ECS stands still.
        const ci = e.start(['deploy', 'backend', second.tag, '--json']);
        const [toA, toB] = await Promise.all([
          a.command('/deploy', `backend ${first.tag}`, DEPLOYER),
          b.command('/deploy', `backend ${first.tag}`, DEPLOYER),
        ]);
        // Set when the CLI's run ends (an object, so that the checks below see the callback's write).
        const ci$: { run: CliRun | null } = { run: null };
        void ci.done.then((run) => (ci$.run = run));
        // The winner updates the service and waits on ECS, holding the lock until time moves; the two others answer at once.
        await waitForCall(e.world, (c) => c.operation === 'UpdateService', SLOW_MS);
        await waitFor(
          () =>
            [answersTo(slack, toA).length > 0, answersTo(slack, toB).length > 0, ci$.run !== null].filter(Boolean)
              .length === 2,
          SLOW_MS,
          'two refusals',
        );

        // Assess: exactly one change registered and updated the service; the others were refused, naming the holder.
        const running = await store.runningDeploys();
        expect(running).toHaveLength(1);
        const [holder] = running;
        expect(callsOf(e.world.calls(), 'RegisterTaskDefinition')).toHaveLength(1);
        expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([td(2)]);
        for (const id of [toA, toB].filter((r) => answersTo(slack, r).length > 0))
          expect(answersTo(slack, id)[0].body.text).toMatch(busyWith(holder.id));
        if (ci$.run) expectCliRefused(ci$.run, holder.id);
        // Only the winner's thread is in the channel.
        expect(slack.of('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(
          holder.actor.via === 'slack' ? 1 : 0,
        );

        // Act: time moves; the winner finishes.
        const stop = moving(e);
        await settled(store).finally(stop);

        // Assess
        expect((await store.getDeploy(holder.id))?.outcome).toBe('succeeded');
        expect((await ci.done).code).toBe(holder.actor.via === 'cli' ? 0 : 4);
      });
    },
  );

  it.concurrent(
    'CI and the replicas take turns, every change shows in /deploys on both replicas, and Cancel clicked on B stops the deploy A runs',
    async () => {
      await withReplicas(async ({ e, slack, a, b, store }) => {
        const [, first, second] = e.world.images;

        // Act: CI deploys; while ECS stands still, someone asks replica B for another deploy.
        const ci = e.start(['deploy', 'backend', first.tag, '--json']);
        await waitForCall(e.world, (c) => c.operation === 'UpdateService', SLOW_MS);
        const [ciChange] = await store.runningDeploys();
        const busy = await answerOf(slack, await b.command('/deploy', `backend ${second.tag}`, DEPLOYER));

        // Assess: B says the service is busy with CI's deploy.
        expect(busy).toMatch(busyWith(ciChange.id));
        expect(ciChange.actor.via).toBe('cli');
        let stop = moving(e);
        const ciRun = await ci.done.finally(stop);
        expect(ciRun.code).toBe(0);
        expect(jsonOf(ciRun)).toMatchObject({ outcome: 'succeeded', deployId: ciChange.id });

        // Act: replica A deploys; while ECS stands still, CI tries to deploy.
        await a.command('/deploy', `backend ${second.tag}`, DEPLOYER);
        await waitForCall(
          e.world,
          (c) => c.operation === 'UpdateService' && c.params.taskDefinition === td(3),
          SLOW_MS,
        );
        const [fromA] = await store.runningDeploys();
        const refused = await e.cli(['deploy', 'backend', first.tag, '--json']);

        // Assess: CI is refused (exit 4), naming the deploy A runs.
        expectCliRefused(refused, fromA.id);
        expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([td(2), td(3)]);

        // Act: /deploys on replica B, and on A, while A's deploy runs
        const [onB, onA] = await Promise.all([
          b.command('/deploys', 'backend', DEPLOYER),
          a.command('/deploys', 'backend', DEPLOYER),
        ]);
        const [history, historyOnA] = await Promise.all(
          [onB, onA].map((id) => waitFor(() => answersTo(slack, id)[0], SLOW_MS, 'the history')),
        );

        // Assess: both deploys, each with who asked and how it went, for the whole channel, the same on both replicas
        expect(history.body.response_type).toBe('in_channel');
        const rows = rowsOf(history.body);
        expect(rows).toHaveLength(2);
        expect(rows[0]).toMatch(new RegExp(`….*deploy \`${second.tag}\` by <@${DEPLOYER}>`));
        expect(rows[1]).toMatch(new RegExp(`✓.*deploy \`${first.tag}\` by ${ciChange.actor.name}`));
        expect(rowsOf(historyOnA.body)).toEqual(rows);

        // Act: Cancel, clicked on replica B in the thread replica A posted
        const thread = await threadOf(store, fromA.id);
        const cancel = await buttonIn(slack, thread.ts, 'cancel_deploy');
        const cancelled = await answerOf(slack, await b.click(DEPLOYER, cancel, thread.ts));
        // A reads the request at its next lease renewal and asks ECS to stop its deployment with a rollback.
        await waitForCall(e.world, (c) => c.operation === 'StopServiceDeployment', SLOW_MS);
        stop = moving(e);
        await settled(store).finally(stop);

        // Assess: B passed the cancel on; A stopped its deploy, rolled back to CI's release and said so in its thread.
        expect(cancelled).toMatch(/Cancel requested by <@UALICE>; the replica running it stops it/);
        expect(await store.getDeploy(fromA.id)).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: td(2) });
        expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([td(2), td(3)]);
        expect(callsOf(e.world.calls(), 'StopServiceDeployment')).toHaveLength(1);
        const outcome = await waitFor(
          () => slack.replies(thread.ts).find((c) => c.body.reply_broadcast === true),
          SLOW_MS,
          'the outcome in the thread',
        );
        expect(messageText(outcome.body)).toMatch(/rolled back/i);
      });
    },
  );

  it.concurrent(
    'a replica killed mid-deploy: the other resumes it exactly once, in the same thread, and frees the lock',
    async () => {
      await withReplicas(async ({ e, slack, a, b, store }) => {
        // Prepare: replica A deploys, posts its thread and updates the service, then dies.
        await a.command('/deploy', `backend ${e.world.images[1].tag}`, DEPLOYER);
        await waitForCall(e.world, (c) => c.operation === 'UpdateService', SLOW_MS);
        const [change] = await store.runningDeploys();
        const thread = await threadOf(store, change.id);
        await a.kill();
        const repliesBefore = slack.replies(thread.ts).length;

        // Act: nothing but time passing: A's lease runs out while ECS goes on rolling out, and B's periodic look finds it.
        const stop = moving(e);
        await waitFor(
          async () => (await store.getDeploy(change.id))?.outcome !== 'running',
          SLOW_MS,
          'the change to end',
        ).finally(stop);

        // Assess: B resumed it once, without a second update; it succeeded; the lock is free.
        await waitFor(
          () =>
            b.process
              .stderr()
              .split('\n')
              .some((line) => line.includes('resumed change') && line.includes(change.id)),
          SLOW_MS,
          'replica B to say it resumed the change',
        );
        expect(await store.getDeploy(change.id)).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: td(2) });
        expect(callsOf(e.world.calls(), 'UpdateService')).toHaveLength(1);
        const audit = await store.listAudit({ service: 'backend' });
        expect(audit.filter((entry) => entry.action === 'deploy.resumed')).toHaveLength(1);
        await waitFor(async () => !(await store.getLock('backend')), SLOW_MS, 'the lock to be freed');
        // B said so in A's thread: resumed, then the outcome for the channel.
        const replies = await waitFor(
          () => {
            const after = slack.replies(thread.ts).slice(repliesBefore);
            return after.some((c) => c.body.reply_broadcast === true) ? after : undefined;
          },
          SLOW_MS,
          'the outcome in the thread',
        );
        expect(messageText(replies[0].body)).toMatch(/Resumed by .* after the process running it stopped/);
        expect(replies.filter((c) => messageText(c.body).includes('Resumed by'))).toHaveLength(1);
        expect(replies.filter((c) => c.body.reply_broadcast === true)).toHaveLength(1);
        expect(messageText(replies.find((c) => c.body.reply_broadcast === true)!.body)).toContain('succeeded');
        await waitFor(
          () =>
            slack.of('chat.update').find((c) => c.body.ts === thread.ts && messageText(c.body).includes('succeeded')),
          SLOW_MS,
          'the parent message updated in place',
        );
        expect(slack.of('chat.postMessage').filter((c) => !c.body.thread_ts)).toHaveLength(1);
      });
    },
  );

  it.concurrent(
    'a replica paused past its lease: the other takes the deploy over, and the paused one, running again, leaves it alone',
    async () => {
      await withReplicas(async ({ e, slack, a, store }) => {
        // Prepare: replica A deploys and updates the service, then stalls (a frozen VM, a long pause) while ECS stands still.
        await a.command('/deploy', `backend ${e.world.images[1].tag}`, DEPLOYER);
        await waitForCall(e.world, (c) => c.operation === 'UpdateService', SLOW_MS);
        const [change] = await store.runningDeploys();
        const thread = await threadOf(store, change.id);
        a.process.child.kill('SIGSTOP');
        await waitFor(
          async () =>
            (await store.listAudit({ service: 'backend' })).some((entry) => entry.action === 'deploy.resumed'),
          SLOW_MS,
          'replica B to take the deploy over',
        );

        // Act: A runs again and finds its lease gone; then ECS moves on.
        a.process.child.kill('SIGCONT');
        await waitFor(
          () => a.process.stderr().includes('another process took this change over'),
          SLOW_MS,
          'replica A to notice',
        );
        const stop = moving(e);
        await waitFor(
          async () => (await store.getDeploy(change.id))?.outcome !== 'running' && !(await store.getLock('backend')),
          SLOW_MS,
          'the change to end',
        ).finally(stop);

        // Assess: finished once, by B: no rollback by A, one outcome recorded and said once in the thread; A still serves.
        expect(await store.getDeploy(change.id)).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: td(2) });
        expect(callsOf(e.world.calls(), 'UpdateService')).toHaveLength(1);
        expect(callsOf(e.world.calls(), 'StopServiceDeployment')).toEqual([]);
        const outcomes = (await store.listAudit({ service: 'backend' })).filter((entry) =>
          /^deploy\.(succeeded|rolled_back|rollback_failed|failed|interrupted)$/.test(entry.action),
        );
        expect(outcomes.map((entry) => entry.action)).toEqual(['deploy.succeeded']);
        await waitFor(
          () => slack.replies(thread.ts).some((c) => c.body.reply_broadcast === true),
          SLOW_MS,
          'the outcome in the thread',
        );
        expect(slack.replies(thread.ts).filter((c) => c.body.reply_broadcast === true)).toHaveLength(1);
        // A, fenced out, posted no false smoke result and never set the parent back to running; it said so in one line.
        expect(
          slack.replies(thread.ts).filter((c) => messageText(c.body).includes('Smoke tests')).length,
        ).toBeLessThanOrEqual(1);
        const parentUpdates = slack.of('chat.update').filter((c) => c.body.ts === thread.ts);
        expect(messageText(parentUpdates.at(-1)!.body)).toContain('succeeded');
        expect(
          a.process
            .stderr()
            .split('\n')
            .filter((line) => line.includes('another process took this change over')),
        ).toHaveLength(1);
        expect((await fetch(`http://127.0.0.1:${a.port}/healthz`)).status).toBe(200);
      });
    },
  );
});

/** The lines of a `/deploys` answer that list a change. */
function rowsOf(body: JsonDoc): string[] {
  const sections = (body.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section');
  return sections.flatMap((b) => b.text!.text.split('\n')).filter((line) => line.startsWith('•'));
}

/** A Slack answer that the service is busy with `changeId`. */
function busyWith(changeId: string): RegExp {
  return new RegExp(`backend is busy.*${changeId}.*Nothing was done`, 's');
}

/** A CLI deploy refused with exit 4 because `changeId` holds the lock. */
function expectCliRefused(run: CliRun, changeId: string): void {
  expect(run.code).toBe(4);
  expect(jsonOf(run)).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'lock_held' } });
  expect(run.stderr).toContain(`locked by deploy ${changeId}`);
}
