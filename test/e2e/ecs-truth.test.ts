/**
 * `ecs-chatops deploy` against the simulator where ECS is eventually consistent, rolls back on
 * an alarm by itself, cannot start the new tasks, or does not let us read its service deployments.
 */
import { callsOf, closeOpenWorlds, inE2eWorld, jsonOf } from './helpers';
import type { JsonDoc } from '../json';

const REV1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:1';
const REV2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/demo-backend:2';

afterAll(closeOpenWorlds);

const rolloutDetail = (result: JsonDoc): string =>
  result.phases.find((p: { name: string }) => p.name === 'rollout').detail;

describe('deploy judged by the deployment ECS made', () => {
  it.concurrent(
    'eventual-consistency: stale reads after UpdateService are waited out; success, and no rollback call',
    async () => {
      await inE2eWorld({ scenario: 'eventual-consistency' }, async (e) => {
        // Act
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);

        // Assess
        const result = jsonOf(run);
        expect(run.code).toBe(0);
        expect(result).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: REV2 });
        const calls = e.world.calls();
        expect(callsOf(calls, 'UpdateService')).toHaveLength(1);
        expect(callsOf(calls, 'StopServiceDeployment')).toHaveLength(0);
      });
    },
  );

  it.concurrent(
    'alarm-rollback: ECS rolls back by itself on the alarm; exit 1 naming it, verified without a second update',
    async () => {
      await inE2eWorld({ scenario: 'alarm-rollback' }, async (e) => {
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const result = jsonOf(run);
        expect(run.code).toBe(1);
        expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
        expect(result.failure.reason).toContain('backend-5xx');
        expect(rolloutDetail(result)).toContain('judged by the service deployment');
        expect(callsOf(e.world.calls(), 'UpdateService')).toHaveLength(1);
      });
    },
  );

  it.concurrent(
    'stuck: rolled back through StopServiceDeployment on ECS failure signal, long before the stabilize timeout',
    async () => {
      await inE2eWorld(
        { scenario: 'stuck', edit: (s) => (s.timeouts = { ...(s.timeouts as object), stabilize: '60s' }) },
        async (e) => {
          const startedAt = Date.now();
          const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
          const result = jsonOf(run);
          expect(run.code).toBe(1);
          expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
          expect(result.failure.reason).toContain('(cannot heal)');
          expect(result.failure.reason).toContain('CannotPullContainerError');
          expect(result.failure.reason).not.toContain('did not finish within');
          const calls = e.world.calls();
          expect(callsOf(calls, 'StopServiceDeployment')).toHaveLength(1);
          expect(callsOf(calls, 'StopServiceDeployment')[0].params).toMatchObject({ stopType: 'ROLLBACK' });
          expect(callsOf(calls, 'UpdateService')).toHaveLength(1);
          process.stderr.write(
            `stuck rollout: CLI finished in ${Date.now() - startedAt} ms (stabilize timeout 60 s)\n`,
          );
        },
      );
    },
  );

  it.concurrent(
    'missing-secret: a ResourceInitializationError cannot heal, so the rollout is stopped at once, whatever noProgress says',
    async () => {
      const edit = (s: JsonDoc) => (s.timeouts = { ...s.timeouts, stabilize: '60s', noProgress: '1h' });
      await inE2eWorld({ scenario: 'missing-secret', edit }, async (e) => {
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const result = jsonOf(run);
        expect(run.code).toBe(1);
        expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
        expect(result.failure.reason).toContain('(cannot heal)');
        expect(result.failure.reason).toContain('ResourceInitializationError');
        expect(callsOf(e.world.calls(), 'StopServiceDeployment')).toHaveLength(1);
      });
    },
  );

  it.concurrent(
    'service-deployment API denied: judged from the deployments array, and the report says so',
    async () => {
      await inE2eWorld({ scenario: 'circuit-breaker', serviceDeploymentsApi: 'denied' }, async (e) => {
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const result = jsonOf(run);
        expect(run.code).toBe(1);
        expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
        expect(rolloutDetail(result)).toContain('judged by the deployments array');
        // Our own way back (when the stuck rule beats the circuit breaker) can only be to the old revision.
        const updates = callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition);
        expect(updates[0]).toBe(REV2);
        expect(updates.slice(1).every((td) => td === REV1)).toBe(true);
        expect(callsOf(e.world.calls(), 'StopServiceDeployment')).toHaveLength(0);
      });
    },
  );

  it.concurrent(
    'eventual consistency without the service-deployment API (an emulator): success, no rollback call, no false "rolled back"',
    async () => {
      await inE2eWorld({ scenario: 'eventual-consistency', serviceDeploymentsApi: 'missing' }, async (e) => {
        const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
        const result = jsonOf(run);
        expect(run.code).toBe(0);
        expect(result).toMatchObject({ outcome: 'succeeded', finalTaskDefinition: REV2 });
        expect(rolloutDetail(result)).toContain('judged by the deployments array');
        expect(callsOf(e.world.calls(), 'UpdateService').map((c) => c.params.taskDefinition)).toEqual([REV2]);
      });
    },
  );

  it.concurrent(
    'eventual consistency and a crashing release without the API: the rollback is real and the service ends on the old revision',
    async () => {
      await inE2eWorld(
        { scenario: 'circuit-breaker', serviceDeploymentsApi: 'missing', staleReadsEverywhere: true },
        async (e) => {
          const run = await e.cli(['deploy', 'backend', e.world.images[1].tag, '--json']);
          const result = jsonOf(run);
          // Truth: "rolled back" only when the service runs the old revision in the end.
          expect(run.code).toBe(1);
          expect(result).toMatchObject({ outcome: 'rolled_back', finalTaskDefinition: REV1 });
          const status = jsonOf(await e.cli(['status', 'backend', '--json']));
          expect(status.state.taskDefinition).toBe(REV1);
          expect(status.state.deployments.find((d: { status: string }) => d.status === 'PRIMARY').taskDefinition).toBe(
            REV1,
          );
        },
      );
    },
  );
});
