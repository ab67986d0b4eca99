/**
 * Processes sharing one DynamoDB table (a local DynamoDB-compatible server), the way bot replicas
 * and CI do: a deploy whose process is SIGKILLed mid-rollout is resumed after its lease ran out,
 * by exactly one of two processes that look for it at the same moment.
 */
import type { DynamoStore } from '../../src/store/dynamo-store';
import { shareTable as shareFreshTable } from './shared-table';
import { startLocalDynamo, type LocalDynamo } from '../store/local-dynamo';
import { waitFor } from '../slack/helpers/harness';
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf, waitForCall, type E2eWorld } from './helpers';

jest.setTimeout(90_000);

const td = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:${revision}`;

describe('e2e: one DynamoDB table shared by several processes', () => {
  let local: LocalDynamo;
  let tables = 0;

  beforeAll(async () => {
    local = await startLocalDynamo();
  });

  afterAll(async () => {
    await closeOpenWorlds();
    await local.close();
  });

  /** Points the world's processes at a fresh table, with a 2-second lease. */
  const shareTable = (e: E2eWorld): Promise<DynamoStore> => shareFreshTable(local, e, `shared-${++tables}`);

  it('resumes a SIGKILLed deploy after its lease, exactly once, though two processes look for it at once', async () => {
    await inE2eWorld({ manual: true }, async (e) => {
      // Prepare: the deploying process dies once it has updated the service.
      const store = await shareTable(e);
      const killed = e.start(['deploy', 'backend', e.world.images[1].tag]);
      await waitForCall(e.world, (c) => c.operation === 'UpdateService');
      killed.child.kill('SIGKILL');
      expect((await killed.done).signal).toBe('SIGKILL');
      const [running] = await store.runningDeploys();
      expect(running).toMatchObject({ service: 'backend', outcome: 'running' });
      // Nobody renews the lease any more: wait until it has run out.
      await waitFor(
        async () => {
          const lock = await store.getLock('backend');
          return lock?.leaseExpiresAt !== undefined && Date.parse(lock.leaseExpiresAt) < Date.now();
        },
        10_000,
        'the lease to run out',
      );
      e.world.clearCalls();

      // Act: two processes (two replicas) look for it at the same moment while ECS goes on rolling out.
      const ticker = setInterval(() => e.world.step(), 20);
      const [first, second] = await Promise.all([e.cli(['recover', '--json']), e.cli(['recover', '--json'])]).finally(
        () => clearInterval(ticker),
      );

      // Assess: one resumed and verified it without a second update; the other left it alone
      expect([first.code, second.code]).toEqual([0, 0]);
      const resumed = [first, second].flatMap(
        (run) => jsonOf(run).resumed as { deployId: string; outcome: string; finalTaskDefinition: string }[],
      );
      expect(resumed).toEqual([
        expect.objectContaining({ deployId: running.id, outcome: 'succeeded', finalTaskDefinition: td(2) }),
      ]);
      expect(callsOf(e.world.calls(), 'UpdateService')).toEqual([]);
      expect(await store.getDeploy(running.id)).toMatchObject({ outcome: 'succeeded' });
      expect(await store.getLock('backend')).toBeUndefined();
      const audit = await store.listAudit({ service: 'backend' });
      expect(audit.filter((a) => a.action === 'deploy.resumed')).toHaveLength(1);
      await store.close();
    });
  });
});
