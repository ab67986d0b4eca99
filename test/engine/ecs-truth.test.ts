import { deploymentInProgress, judgeServiceDeployment } from '../../src/engine/watch/ecs-verdict';
import type { ServiceDeploymentStatus } from '../../src/engine/service-deployment';
import { serviceDeployment as sd } from '../fakes';
import { DeploymentsArrayJudge, type OurDeployment } from '../../src/engine/watch/our-deployment';
import { findStuckSignal, NoProgressRule } from '../../src/engine/watch/stuck-rollout';
import type { Deployment, ServiceState } from '../../src/engine/types';

const TD1 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:1';
const TD2 = 'arn:aws:ecs:us-east-1:123456789012:task-definition/backend-prod:2';
const T0 = Date.parse('2026-11-25T10:00:00Z');

function dep(o: Partial<Deployment> & Pick<Deployment, 'id' | 'taskDefinition'>): Deployment {
  return {
    status: 'PRIMARY',
    desiredCount: 2,
    runningCount: 0,
    pendingCount: 0,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    ...o,
  };
}

function state(...deployments: Deployment[]): ServiceState {
  return {
    cluster: 'prod',
    serviceName: 'backend-svc',
    status: 'ACTIVE',
    taskDefinition: deployments[0].taskDefinition,
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    deployments,
    events: [],
  };
}

const OLD = dep({ id: 'ecs-svc/old', taskDefinition: TD1, runningCount: 2, rolloutState: 'COMPLETED' });
const ours: OurDeployment = { id: 'ecs-svc/new', taskDefinition: TD2, updatedAt: T0, serviceDeploymentArn: null };

describe('DeploymentsArrayJudge', () => {
  it('calls a read without our deployment stale, however often, until it shows ours', () => {
    // Prepare
    const judge = new DeploymentsArrayJudge(ours);

    // Act
    const verdicts = [1, 2, 3, 4, 5].map(() => judge.observe(state(OLD)).kind);

    // Assess
    expect(verdicts).toEqual(['stale', 'stale', 'stale', 'stale', 'stale']);
    expect(judge.sawOurs).toBe(false);
  });

  it('completes only when our deployment is PRIMARY, COMPLETED and alone with tasks', () => {
    const judge = new DeploymentsArrayJudge(ours);
    expect(
      judge.observe(
        state(dep({ id: 'ecs-svc/new', taskDefinition: TD2, runningCount: 1 }), {
          ...OLD,
          status: 'ACTIVE',
          runningCount: 1,
        }),
      ).kind,
    ).toBe('progress');
    const done = judge.observe(
      state(dep({ id: 'ecs-svc/new', taskDefinition: TD2, runningCount: 2, rolloutState: 'COMPLETED' })),
    );
    expect(done.kind).toBe('completed');
  });

  it('believes an ECS rollback only after two consecutive reads, after ours was seen, show it gone', () => {
    const judge = new DeploymentsArrayJudge(ours);
    expect(
      judge.observe(state(dep({ id: 'ecs-svc/new', taskDefinition: TD2 }), { ...OLD, status: 'ACTIVE' })).kind,
    ).toBe('progress');
    expect(judge.observe(state(OLD)).kind).toBe('stale');
    const second = judge.observe(state(OLD));
    expect(second).toMatchObject({ kind: 'ecs_rolled_back', to: TD1 });
  });

  it('takes a service event naming our deployment as proof the read is fresh, when ECS rolled back inside the read lag', () => {
    // Prepare: ours never appeared in the array; the reads after the lag show the old PRIMARY back and ECS's event about ours
    const judge = new DeploymentsArrayJudge(ours);
    const afterRollback: ServiceState = {
      ...state({ ...OLD, id: 'ecs-svc/rollback' }),
      events: [
        {
          id: 'e1',
          createdAt: new Date(T0 + 2000),
          message: '(service backend-svc) (deployment ecs-svc/new) deployment failed: tasks failed to start.',
        },
      ],
    };
    const unrelated: ServiceState = {
      ...state(OLD),
      events: [
        {
          id: 'e0',
          createdAt: new Date(T0 - 60_000),
          message: '(service backend-svc) (deployment ecs-svc/old) deployment completed.',
        },
      ],
    };

    // Act
    const beforeLag = [judge.observe(unrelated).kind, judge.observe(unrelated).kind];
    const afterLag = [judge.observe(afterRollback), judge.observe(afterRollback)];

    // Assess: events about other deployments prove nothing; ours, twice, is ECS's rollback
    expect(beforeLag).toEqual(['stale', 'stale']);
    expect(afterLag[0].kind).toBe('stale');
    expect(afterLag[1]).toMatchObject({
      kind: 'ecs_rolled_back',
      to: TD1,
      reason: expect.stringContaining('deployment failed: tasks failed to start'),
    });
  });

  it('forgets one odd read when the next shows ours again', () => {
    const judge = new DeploymentsArrayJudge(ours);
    judge.observe(state(dep({ id: 'ecs-svc/new', taskDefinition: TD2 }), { ...OLD, status: 'ACTIVE' }));
    judge.observe(state(OLD));
    expect(
      judge.observe(state(dep({ id: 'ecs-svc/new', taskDefinition: TD2 }), { ...OLD, status: 'ACTIVE' })).kind,
    ).toBe('progress');
    expect(judge.observe(state(OLD)).kind).toBe('stale');
  });

  it('reports a FAILED PRIMARY of ours as failed after two reads, or once ECS had time for its own rollback', () => {
    const failed = dep({
      id: 'ecs-svc/new',
      taskDefinition: TD2,
      rolloutState: 'FAILED',
      rolloutStateReason: 'tasks failed to start',
    });
    const plain = new DeploymentsArrayJudge(ours);
    expect(plain.observe(state(failed, { ...OLD, status: 'ACTIVE' }), T0).kind).toBe('progress');
    expect(plain.observe(state(failed, { ...OLD, status: 'ACTIVE' }), T0 + 2000)).toMatchObject({
      kind: 'failed',
      reason: 'deployment failed: tasks failed to start',
    });

    const breaker = new DeploymentsArrayJudge(ours);
    const withRollback = {
      ...state(failed, { ...OLD, status: 'ACTIVE' }),
      circuitBreaker: { enable: true, rollback: true },
    };
    expect(breaker.observe(withRollback, T0).kind).toBe('progress');
    expect(breaker.observe(withRollback, T0 + 2000).kind).toBe('progress');
    expect(breaker.observe(withRollback, T0 + 30_000).kind).toBe('failed');
  });

  it('without a deployment id, takes our task definition created at or after the update only', () => {
    const judge = new DeploymentsArrayJudge({ ...ours, id: null, taskDefinition: TD1 });
    expect(judge.observe(state({ ...OLD, createdAt: new Date(T0 - 3_600_000) })).kind).toBe('stale');
    expect(judge.observe(state(dep({ id: 'x', taskDefinition: TD1, createdAt: new Date(T0 + 500) }))).kind).toBe(
      'progress',
    );
  });
});

describe('judgeServiceDeployment', () => {
  it.each([
    ['PENDING', 'in_flight'],
    ['IN_PROGRESS', 'in_flight'],
    ['STOP_REQUESTED', 'in_flight'],
    ['SUCCESSFUL', 'succeeded'],
    ['ROLLBACK_REQUESTED', 'ecs_rolling_back'],
    ['ROLLBACK_IN_PROGRESS', 'ecs_rolling_back'],
    ['ROLLBACK_SUCCESSFUL', 'ecs_rolling_back'],
    ['ROLLBACK_FAILED', 'rollback_failed'],
    ['STOPPED', 'stopped'],
  ])('maps %s to %s', (status, kind) => {
    expect(judgeServiceDeployment(sd({ status: status as ServiceDeploymentStatus })).kind).toBe(kind);
  });

  it('names the alarm in ALARM that made ECS roll back', () => {
    const v = judgeServiceDeployment(
      sd({
        status: 'ROLLBACK_SUCCESSFUL',
        alarms: { status: 'TRIGGERED', alarmNames: ['5xx', 'latency'], triggeredAlarmNames: ['5xx'] },
      }),
    );
    expect(v).toMatchObject({ kind: 'ecs_rolling_back', done: true });
    expect((v as { reason: string }).reason).toContain('alarm 5xx in ALARM');
  });

  it('names the circuit breaker with its failed-task count', () => {
    const v = judgeServiceDeployment(
      sd({ status: 'ROLLBACK_IN_PROGRESS', circuitBreaker: { status: 'TRIGGERED', failureCount: 3, threshold: 3 } }),
    );
    expect((v as { reason: string }).reason).toContain('circuit breaker: 3 failed tasks (threshold 3)');
  });
});

describe('deploymentInProgress', () => {
  it('refuses over a single PRIMARY still IN_PROGRESS, naming it', () => {
    expect(deploymentInProgress(state(dep({ id: 'ecs-svc/7', taskDefinition: TD2, runningCount: 1 })), null)).toContain(
      'ecs-svc/7',
    );
  });

  it('refuses over a service deployment PENDING or ROLLBACK_*, and not over a settled service', () => {
    expect(deploymentInProgress(state(OLD), [sd({ arn: 'arn:sd/1', status: 'ROLLBACK_IN_PROGRESS' })])).toContain(
      'arn:sd/1 is ROLLBACK_IN_PROGRESS',
    );
    expect(deploymentInProgress(state(OLD), [sd({ arn: 'arn:sd/1', status: 'SUCCESSFUL' })])).toBeNull();
  });
});

describe('stuck rollouts', () => {
  const event = (at: number, message: string) => ({ id: `e${at}`, createdAt: new Date(at), message });

  it('finds ECS saying it cannot start tasks, or a stopped task of our revision with a reason', () => {
    const signal = findStuckSignal(
      [event(T0 + 4000, '(service backend-svc) is unable to consistently start tasks successfully.')],
      [],
      TD2,
      T0,
    );
    expect(signal?.reason).toContain('unable to consistently start tasks');
    const pulled = findStuckSignal(
      [],
      [
        {
          taskArn: 'arn:task/prod/abc',
          taskDefinition: TD2,
          stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
          stoppedAt: new Date(T0 + 1000),
        },
      ],
      TD2,
      T0,
    );
    expect(pulled?.reason).toContain('CannotPullContainerError');
    expect(findStuckSignal([event(T0 - 1000, 'was unable to place a task')], [], TD2, T0)).toBeNull();
  });

  it('fails two polls after a signal that may heal when no task started, not when one did', () => {
    const rule = new NoProgressRule(4000, T0);
    const signal = {
      reason: 'unable to consistently start tasks successfully',
      at: T0 + 1000,
      kind: 'may_heal' as const,
    };
    expect(rule.observe(T0 + 2000, signal, 0)).toBeNull();
    expect(rule.observe(T0 + 4000, signal, 0)).toBeNull();
    expect(rule.observe(T0 + 6000, signal, 0)).toMatchObject({
      kind: 'may_heal',
      reason: expect.stringContaining('ECS cannot start the new tasks (may heal, but no task started within 4s)'),
    });

    const healing = new NoProgressRule(4000, T0);
    healing.observe(T0 + 2000, signal, 0);
    expect(healing.observe(T0 + 4000, signal, 1)).toBeNull();
    expect(healing.observe(T0 + 8000, signal, 1)).toBeNull();
  });

  it.each([
    ['an image that cannot be pulled', 'CannotPullContainerError: pull image manifest has been retried 5 time(s)'],
    [
      'a missing secret',
      'ResourceInitializationError: unable to pull secrets or registry auth: retrieve secret from ssm: ResourceNotFoundException',
    ],
    [
      'a missing log group',
      'ResourceInitializationError: failed to validate logger args: The specified log group does not exist.',
    ],
    ['a container ECS refuses', 'CannotCreateContainerError: Error response from daemon: invalid mount config'],
  ])('fails at the first sight of %s: it cannot heal', (_case, stoppedReason) => {
    const rule = new NoProgressRule(60_000, T0);
    const signal = findStuckSignal(
      [],
      [{ taskArn: 'arn:task/prod/abc', taskDefinition: TD2, stoppedReason, stoppedAt: new Date(T0 + 1000) }],
      TD2,
      T0,
    );
    expect(signal?.kind).toBe('cannot_heal');
    expect(rule.observe(T0 + 2000, signal, 0)).toMatchObject({
      kind: 'cannot_heal',
      signal: expect.stringContaining(stoppedReason.slice(0, 30)),
      reason: expect.stringContaining('(cannot heal)'),
    });
  });

  it.each([
    ['a registry timeout', 'CannotPullContainerError: failed to do request: Head "https://…": dial tcp: i/o timeout'],
    ['a registry rate limit', 'CannotPullContainerError: toomanyrequests: You have reached your pull rate limit.'],
  ])('keeps the guard for a pull failure that may pass: %s', (_case, stoppedReason) => {
    const signal = findStuckSignal(
      [],
      [{ taskArn: 'arn:task/prod/abc', taskDefinition: TD2, stoppedReason, stoppedAt: new Date(T0 + 1000) }],
      TD2,
      T0,
    );
    expect(signal?.kind).toBe('may_heal');
    expect(new NoProgressRule(60_000, T0).observe(T0 + 2000, signal, 0)).toBeNull();
  });

  it('keeps the guard for placement and capacity, and acts at once when a failure that cannot heal follows', () => {
    const rule = new NoProgressRule(60_000, T0);
    const placement = findStuckSignal(
      [
        event(
          T0 + 1000,
          '(service backend-svc) was unable to place a task because no container instance met all of its requirements.',
        ),
      ],
      [],
      TD2,
      T0,
    );
    expect(placement?.kind).toBe('may_heal');
    expect(rule.observe(T0 + 2000, placement, 0)).toBeNull();
    expect(rule.observe(T0 + 30_000, placement, 0)).toBeNull();
    const pulled = findStuckSignal(
      [event(T0 + 1000, '(service backend-svc) was unable to place a task')],
      [
        {
          taskArn: 'arn:task/prod/abc',
          taskDefinition: TD2,
          stoppedReason: 'CannotPullContainerError: not found',
          stoppedAt: new Date(T0 + 31_000),
        },
      ],
      TD2,
      T0,
    );
    expect(pulled?.kind).toBe('cannot_heal');
    expect(rule.observe(T0 + 32_000, pulled, 0)).toMatchObject({ kind: 'cannot_heal' });
  });
});
