/**
 * Deploys judged by the deployment ECS made: stale reads, ECS's service-deployment verdict,
 * rollbacks through StopServiceDeployment, rollbacks verified against the old release's SHA.
 */
import { CodedError, ErrorCodes } from '../../src/errors';
import type { ServiceDeploymentStatus } from '../../src/engine/service-deployment';
import type { ServiceState } from '../../src/engine/types';
import { alice, createTestEngine, serviceDeployment, sha, type TestEngine } from '../fakes';

const SHORT2 = sha(2).slice(0, 7);
const SD_ARN = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/backend-svc/sd-ours';

/** DescribeServices answers with the service as it was before the update for the next `reads` reads. */
function staleAfterUpdate(t: TestEngine, reads: number): void {
  const ecs = t.world.ecs;
  const { describeServices, updateService } = ecs;
  let before: ServiceState[] | null = null;
  let left = 0;
  ecs.updateService = async (region, input) => {
    if (input.taskDefinition && !before) {
      before = await describeServices(region, input.cluster, [input.service]);
      left = reads;
    }
    return updateService(region, input);
  };
  ecs.describeServices = async (region, cluster, names) => {
    if (left > 0 && before) {
      left -= 1;
      return structuredClone(before);
    }
    return describeServices(region, cluster, names);
  };
}

/** ECS keeps a service-deployment record of our update, with `status`. */
function recordOurDeployment(
  t: TestEngine,
  status: ServiceDeploymentStatus,
  extra: Parameters<typeof serviceDeployment>[0] = {},
): void {
  const ecs = t.world.ecs;
  const { updateService } = ecs;
  ecs.updateService = async (region, input) => {
    const answer = await updateService(region, input);
    if (input.taskDefinition?.endsWith(':2')) {
      t.world.serviceDeploymentRecords.push(
        serviceDeployment({
          arn: SD_ARN,
          status,
          createdAt: new Date(t.clock.now()),
          targetTaskDefinition: input.taskDefinition,
          ...extra,
        }),
      );
    }
    return answer;
  };
}

/**
 * After the update, the next `count` DescribeServices answer a 500 with `code` (transient, as the
 * adapter marks it). `updatedAt()` is the fake clock's time of the update.
 */
function serverErrorsAfterUpdate(t: TestEngine, count: number, code: string): { updatedAt: () => number } {
  const errors = Array.from(
    { length: count },
    () =>
      new CodedError(ErrorCodes.awsError, `ECS DescribeServices failed: ${code} (500)`, {
        details: { transient: true },
      }),
  );
  const { updateService } = t.world.ecs;
  let updatedAt = 0;
  t.world.ecs.updateService = async (region, input) => {
    const answer = await updateService(region, input);
    updatedAt = t.clock.now();
    t.world.failNext.set('describeServices', errors);
    return answer;
  };
  return { updatedAt: () => updatedAt };
}

const rollbackCalls = (t: TestEngine) =>
  t.world.calls.filter(
    (c) =>
      c.op === 'stopServiceDeployment' ||
      (c.op === 'updateService' && String((c.args[1] as { taskDefinition?: string }).taskDefinition).endsWith(':1')),
  );

describe('Engine: deploys judged by the deployment ECS made', () => {
  it.each([1, 2, 5])(
    'succeeds without a rollback call when the first %i reads after UpdateService are stale',
    async (reads) => {
      // Prepare
      const t = createTestEngine();
      staleAfterUpdate(t, reads);

      // Act
      const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });

      // Assess
      expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
      expect(result.finalTaskDefinition).toMatch(/backend-prod:2$/);
      expect(rollbackCalls(t)).toEqual([]);
    },
  );

  it('never rolls back a deployment ECS never showed, and says what the service runs', async () => {
    const t = createTestEngine();
    staleAfterUpdate(t, 1000);
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result.exitCode).toBe(3);
    expect(result.outcome).not.toBe('rolled_back');
    expect(result.failure!.reason).toContain('ECS did not show our deployment');
    expect(result.summary).toContain('Nothing was rolled back; the service runs backend-prod:1');
    expect(rollbackCalls(t)).toEqual([]);
  });

  it.each([
    ['SUCCESSFUL', 'healthy', 'succeeded', 0],
    ['ROLLBACK_SUCCESSFUL', 'circuit-breaker', 'rolled_back', 1],
    ['ROLLBACK_FAILED', 'circuit-breaker', 'rollback_failed', 3],
    ['STOPPED', 'stuck', 'rolled_back', 1],
  ] as const)('service deployment %s (world %s) ends %s with exit %i', async (status, world, outcome, exitCode) => {
    const t = createTestEngine();
    t.world.next = world;
    recordOurDeployment(t, status, {
      alarms: {
        status: 'TRIGGERED',
        alarmNames: ['backend-5xx'],
        triggeredAlarmNames: status.startsWith('ROLLBACK') ? ['backend-5xx'] : [],
      },
    });
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome, exitCode });
    if (status.startsWith('ROLLBACK')) expect(result.failure!.reason).toContain('backend-5xx in ALARM');
    if (status === 'ROLLBACK_SUCCESSFUL')
      expect(t.world.writes().filter((c) => c.op === 'updateService')).toHaveLength(1);
    expect(result.phases.find((p) => p.name === 'rollout')!.detail).toContain(
      status === 'SUCCESSFUL' ? 'judged by the service deployment' : '',
    );
  });

  it('rolls back a stuck in-flight deployment through StopServiceDeployment, naming ECS reason', async () => {
    // Prepare
    const t = createTestEngine();
    t.world.next = 'stuck';
    recordOurDeployment(t, 'IN_PROGRESS');
    const ecs = t.world.ecs;
    const { stopServiceDeployment, describeServices } = ecs;
    let signalled = false;
    ecs.describeServices = async (region, cluster, names) => {
      if (!signalled && t.world.primary().taskDefinition.endsWith(':2')) {
        signalled = true;
        t.world.service().events.unshift({
          id: 'stuck-1',
          createdAt: new Date(t.clock.now()),
          message: '(service backend-svc) is unable to consistently start tasks successfully.',
        });
      }
      return describeServices(region, cluster, names);
    };
    ecs.stopServiceDeployment = async (region, arn, stopType) => {
      await stopServiceDeployment(region, arn, stopType);
      // ECS returns the service to the previous revision and records it.
      const s = t.world.service();
      s.deployments = s.deployments
        .filter((d) => d.taskDefinition.endsWith(':1'))
        .map((d) => ({ ...d, status: 'PRIMARY', rolloutState: 'COMPLETED', runningCount: 2, desiredCount: 2 }));
      t.world.serviceDeploymentRecords[0].status = 'ROLLBACK_SUCCESSFUL';
    };
    const started = t.clock.now();

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });

    // Assess
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
    expect(result.failure!.reason).toContain('unable to consistently start tasks successfully');
    expect(t.world.calls.filter((c) => c.op === 'stopServiceDeployment').map((c) => c.args.slice(1))).toEqual([
      [SD_ARN, 'ROLLBACK'],
    ]);
    expect(t.world.writes().filter((c) => c.op === 'updateService')).toHaveLength(1);
    expect(result.phases.find((p) => p.name === 'rollback')!.detail).toContain(
      'ECS stopped our deployment with a rollback',
    );
    expect(t.clock.now() - started).toBeLessThan(60_000); // fake time: well before the 15-minute stabilize timeout
  });

  it('fails the rollback (exit 3) when the version endpoint still reports the failed release', async () => {
    const t = createTestEngine();
    t.world.targetState.set('arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:2', 'unhealthy');
    t.http.reportedSha = sha(2);
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'rollback_failed', exitCode: 3 });
    // No history: the old release's SHA came from the ECR tags of the digest it runs.
    expect(t.world.calls.some((c) => c.op === 'tagsOfDigest')).toBe(true);
    expect(t.http.runs.at(-1)).toEqual({ service: 'backend', expectSha: sha(1).slice(0, 7) });
  });

  it('refuses (exit 4) to deploy over a single PRIMARY still IN_PROGRESS, naming it', async () => {
    const t = createTestEngine();
    Object.assign(t.world.primary(), { rolloutState: 'IN_PROGRESS', runningCount: 1 });
    t.world.service().scenario = 'stuck';
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'refused', exitCode: 4, error: { code: 'deployment_in_progress' } });
    expect(result.error!.message).toContain('ecs-svc/0');
    expect(t.world.writes()).toEqual([]);
  });

  it('does nothing when the digest already runs, and rolls it again with force', async () => {
    const t = createTestEngine();
    const same = await t.engine.deploy({ service: 'backend', sha: sha(1).slice(0, 7), actor: alice });
    expect(same).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(same.summary).toContain('already running');
    expect(t.world.writes()).toEqual([]);

    const forced = await t.engine.deploy({ service: 'backend', sha: sha(1).slice(0, 7), actor: alice, force: true });
    expect(forced).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(t.world.writes().map((c) => c.op)).toEqual(['registerRevision', 'updateService']);
    expect(t.world.writes()[1].args[1]).toMatchObject({ forceNewDeployment: true });
  });

  it('waits out 30 s of DescribeServices server errors during a healthy rollout and succeeds', async () => {
    const t = createTestEngine();
    serverErrorsAfterUpdate(t, 6, 'InternalServerError');
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(rollbackCalls(t)).toEqual([]);
  });

  it('says it could not read the service, and claims nothing of ECS, when no read answers from UpdateService to the timeout', async () => {
    // Prepare: every DescribeServices after the update fails with a server error, through the 15 min stabilize timeout.
    const t = createTestEngine();
    serverErrorsAfterUpdate(t, 1000, 'ServerException');

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });

    // Assess
    expect(result).toMatchObject({ outcome: 'failed', exitCode: 3, finalTaskDefinition: null });
    expect(result.failure!.reason).toMatch(
      /^could not read the service for \d+s: ECS DescribeServices failed: ServerException \(500\); the rollout of backend-prod:2 \(\S+\) could not be verified within 900s/,
    );
    expect(result.failure!.reason).not.toContain('ECS did not show');
    expect(result.summary).toContain('Nothing was rolled back; the service could not be read: a person must look');
    expect(result.summary).not.toContain('runs -');
    expect(rollbackCalls(t)).toEqual([]);
  });

  it('gives up on failing reads at the stabilize timeout, not a backoff after it', async () => {
    // Prepare
    const t = createTestEngine();
    const { updatedAt } = serverErrorsAfterUpdate(t, 1000, 'ServerException');

    // Act
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });

    // Assess: 15 min, and at most one more poll interval (2 s) for the read that was under way.
    const rollout = result.phases.find((p) => p.name === 'rollout')!;
    const watchedMs = Date.parse(rollout.finishedAt) - updatedAt();
    expect(watchedMs).toBeGreaterThanOrEqual(15 * 60_000);
    expect(watchedMs).toBeLessThanOrEqual(15 * 60_000 + 2_000);
  });

  it('judges from the deployments array, and says so, where the service-deployment API is denied', async () => {
    const t = createTestEngine();
    t.world.serviceDeployments = 'denied';
    t.world.next = 'circuit-breaker';
    const result = await t.engine.deploy({ service: 'backend', sha: SHORT2, actor: alice });
    expect(result).toMatchObject({ outcome: 'rolled_back', exitCode: 1 });
    expect(result.failure!.reason).toContain('ECS rolled back');
    expect(t.world.writes().filter((c) => c.op === 'updateService')).toHaveLength(1);
  });
});
