import 'aws-sdk-client-mock-jest';
import {
  AccessDeniedException,
  ConflictException,
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ECSServiceException,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  ServerException,
  ServiceDeploymentNotFoundException,
  ServiceNotFoundException,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedPerRegion } from '../../src/aws/client-factory';
import { EcsAdapter } from '../../src/aws/ecs-adapter';
import { isApiUnavailable, isPaused, pausedHook, rollbackCause } from '../../src/engine/service-deployment';
import {
  DEPLOYMENT_ARN_NEW,
  DEPLOYMENT_ARN_OLD,
  GREEN_TARGET_GROUP_ARN,
  HOOK_ID,
  REVISION_ARN_41,
  REVISION_ARN_42,
  TASK_ARN,
  TEST_RULE_ARN,
  blueGreenService,
  describedDeployments,
  describedRevisions,
  listedDeployments,
  pausedBlueGreen,
  rolledBackByAlarm,
  stoppedTasks,
} from './deployment-fixtures';
import {
  CLUSTER,
  REGION,
  SERVICE,
  TARGET_GROUP_ARN,
  TASK_DEF_ARN_41,
  TASK_DEF_ARN_42,
  describedServices,
  rollingService,
} from './fixtures';
import { caught } from './helpers';

const ecsMock = mockClient(ECSClient);

function newAdapter(): EcsAdapter {
  return new EcsAdapter(cachedPerRegion((region) => new ECSClient({ region })));
}

/** An SDK service error as the ECS client would throw it for an answer it has no class for. */
function ecsError(name: string, message: string, httpStatusCode = 400): ECSServiceException {
  return new ECSServiceException({ name, message, $fault: 'client', $metadata: { httpStatusCode } });
}

const denied = () =>
  new AccessDeniedException({
    message:
      'User: arn:aws:sts::123456789012:assumed-role/deployer/s is not authorized to perform: ecs:ListServiceDeployments',
    $metadata: { httpStatusCode: 400 },
  });

describe('Class: EcsAdapter (service deployments)', () => {
  beforeEach(() => {
    ecsMock.reset();
  });

  describe('Method: listServiceDeployments', () => {
    it('asks for the service’s deployments since a time and returns them newest first', async () => {
      // Prepare
      ecsMock.on(ListServiceDeploymentsCommand).resolves(listedDeployments());
      const since = new Date('2025-05-02T00:00:00Z');

      // Act
      const list = await newAdapter().listServiceDeployments(REGION, CLUSTER, SERVICE, {
        createdAfter: since,
        status: ['IN_PROGRESS', 'SUCCESSFUL'],
      });

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(ListServiceDeploymentsCommand, {
        cluster: CLUSTER,
        service: SERVICE,
        createdAt: { after: since },
        status: ['IN_PROGRESS', 'SUCCESSFUL'],
      });
      expect(list.map((d) => [d.arn, d.status, d.targetServiceRevisionArn])).toEqual([
        [DEPLOYMENT_ARN_NEW, 'IN_PROGRESS', REVISION_ARN_42],
        [DEPLOYMENT_ARN_OLD, 'SUCCESSFUL', REVISION_ARN_41],
      ]);
      expect(list[1]).toMatchObject({ finishedAt: new Date('2025-05-02T14:09:00Z'), statusReason: null });
    });

    it('follows nextToken, and stops after three pages', async () => {
      // Prepare
      ecsMock.on(ListServiceDeploymentsCommand).resolves(listedDeployments('more'));

      // Act
      const list = await newAdapter().listServiceDeployments(REGION, CLUSTER, SERVICE);

      // Assess
      expect(ecsMock).toHaveReceivedCommandTimes(ListServiceDeploymentsCommand, 3);
      expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)[1].args[0].input).toMatchObject({ nextToken: 'more' });
      expect(list).toHaveLength(6);
    });

    it('answers api_unavailable, naming the call and the fallback, when IAM denies it', async () => {
      // Prepare
      ecsMock.on(ListServiceDeploymentsCommand).rejects(denied());

      // Act
      const err = await caught(newAdapter().listServiceDeployments(REGION, CLUSTER, SERVICE));

      // Assess
      expect(err.code).toBe('api_unavailable');
      expect(isApiUnavailable(err)).toBe(true);
      expect(err.message).toContain('ECS ListServiceDeployments was denied (IAM action ecs:ListServiceDeployments)');
      expect(err.message).toContain('judges the rollout from the service’s deployments array instead');
      expect(err.cause).toBeInstanceOf(AccessDeniedException);
    });

    it.each([
      [
        'an emulator without the operation',
        ecsError('UnknownOperationException', 'Unknown operation ListServiceDeployments'),
      ],
      [
        'a region without the feature',
        new ECSServiceException({
          name: 'UnsupportedFeatureException',
          message: 'not supported',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      ],
      [
        'an emulator that calls the client unknown',
        ecsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
      ],
      [
        'a 400 naming an unknown target',
        ecsError('SerializationException', 'Unknown target AmazonEC2ContainerServiceV20141113.ListServiceDeployments'),
      ],
      ['a 501', ecsError('InternalFailure', 'not implemented', 501)],
    ])('answers api_unavailable for %s', async (_case, sdkError) => {
      // Prepare
      ecsMock.on(ListServiceDeploymentsCommand).rejects(sdkError);

      // Act
      const err = await caught(newAdapter().listServiceDeployments(REGION, CLUSTER, SERVICE));

      // Assess
      expect(err.code).toBe('api_unavailable');
      expect(err.message).toContain('ECS ListServiceDeployments is not available at this endpoint');
    });

    it('keeps throttling and server errors of an API that answered before transient, never api_unavailable', async () => {
      // Prepare
      ecsMock
        .on(ListServiceDeploymentsCommand)
        .resolvesOnce(listedDeployments())
        .rejectsOnce(ecsError('ThrottlingException', 'Rate exceeded'))
        .rejectsOnce(new ServerException({ message: 'internal error', $metadata: { httpStatusCode: 500 } }));
      const adapter = newAdapter();
      await adapter.listServiceDeployments(REGION, CLUSTER, SERVICE);

      // Act
      const throttled = await caught(adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));
      const server = await caught(adapter.listServiceDeployments(REGION, CLUSTER, SERVICE));

      // Assess
      expect(throttled.code).toBe('throttled');
      expect(server.code).toBe('aws_error');
      expect(server.details).toMatchObject({ transient: true });
    });

    it('answers service_not_found when the service is gone', async () => {
      // Prepare
      ecsMock
        .on(ListServiceDeploymentsCommand)
        .rejects(new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }));

      // Act
      const err = await caught(newAdapter().listServiceDeployments(REGION, CLUSTER, SERVICE));

      // Assess
      expect(err.code).toBe('service_not_found');
      expect(err.message).toContain(`ECS service ${SERVICE} not found`);
    });
  });

  describe('Method: describeServiceDeployments', () => {
    it('maps ECS’s verdict, rollback and alarms, with task definitions resolved from the service revisions', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments(rolledBackByAlarm()));
      ecsMock.on(DescribeServiceRevisionsCommand).resolves(describedRevisions());

      // Act
      const [d] = await newAdapter().describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]);

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(DescribeServiceDeploymentsCommand, {
        serviceDeploymentArns: [DEPLOYMENT_ARN_NEW],
      });
      expect(ecsMock).toHaveReceivedCommandWith(DescribeServiceRevisionsCommand, {
        serviceRevisionArns: [REVISION_ARN_42, REVISION_ARN_41],
      });
      expect(d).toMatchObject({
        arn: DEPLOYMENT_ARN_NEW,
        status: 'ROLLBACK_SUCCESSFUL',
        strategy: 'ROLLING',
        targetServiceRevisionArn: REVISION_ARN_42,
        targetTaskDefinition: TASK_DEF_ARN_42,
        sourceTaskDefinitions: [TASK_DEF_ARN_41],
        rollback: {
          serviceRevisionArn: REVISION_ARN_41,
          toTaskDefinition: TASK_DEF_ARN_41,
          startedAt: new Date('2025-05-03T09:05:00Z'),
        },
        circuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
        alarms: {
          status: 'TRIGGERED',
          alarmNames: ['backend-5xx', 'backend-latency'],
          triggeredAlarmNames: ['backend-5xx'],
        },
        hooks: [],
      });
      expect(rollbackCause(d)).toBe('CloudWatch alarm backend-5xx in ALARM');
    });

    it('maps a paused blue/green deployment: stage, traffic weights and the hook awaiting action', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments(pausedBlueGreen()));
      ecsMock.on(DescribeServiceRevisionsCommand).resolves(describedRevisions());

      // Act
      const [d] = await newAdapter().describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]);

      // Assess
      expect(d).toMatchObject({
        strategy: 'BLUE_GREEN',
        bakeTimeInMinutes: 10,
        lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
      });
      expect(d.targetRevision).toMatchObject({
        taskDefinition: TASK_DEF_ARN_42,
        productionTrafficWeight: 0,
        testTrafficWeight: 100,
      });
      expect(d.sourceRevisions[0]).toMatchObject({ taskDefinition: TASK_DEF_ARN_41, productionTrafficWeight: 100 });
      expect(isPaused(d)).toBe(true);
      expect(pausedHook(d)).toEqual({
        hookId: HOOK_ID,
        targetType: 'PAUSE',
        targetArn: null,
        status: 'AWAITING_ACTION',
        expiresAt: new Date('2025-05-03T10:00:06Z'),
        timeoutAction: 'ROLLBACK',
      });
    });

    it('leaves out ARNs ECS does not know yet and keeps the order asked', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves({
        serviceDeployments: [rolledBackByAlarm()],
        failures: [{ arn: DEPLOYMENT_ARN_OLD, reason: 'MISSING' }],
      });
      ecsMock.on(DescribeServiceRevisionsCommand).resolves(describedRevisions());

      // Act
      const found = await newAdapter().describeServiceDeployments(REGION, [DEPLOYMENT_ARN_OLD, DEPLOYMENT_ARN_NEW]);

      // Assess
      expect(found.map((d) => d.arn)).toEqual([DEPLOYMENT_ARN_NEW]);
    });

    it('asks for at most 20 ARNs a call', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments());
      const arns = Array.from({ length: 25 }, (_, i) => `${DEPLOYMENT_ARN_NEW}-${i}`);

      // Act
      await newAdapter().describeServiceDeployments(REGION, arns);

      // Assess
      const sent = ecsMock
        .commandCalls(DescribeServiceDeploymentsCommand)
        .map((c) => c.args[0].input.serviceDeploymentArns?.length);
      expect(sent).toEqual([20, 5]);
    });

    it('reads each service revision once: revisions never change', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments(rolledBackByAlarm()));
      ecsMock.on(DescribeServiceRevisionsCommand).resolves(describedRevisions());
      const adapter = newAdapter();

      // Act
      await adapter.describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]);
      const [again] = await adapter.describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]);

      // Assess
      expect(ecsMock).toHaveReceivedCommandTimes(DescribeServiceRevisionsCommand, 1);
      expect(again.targetTaskDefinition).toBe(TASK_DEF_ARN_42);
    });

    it('still returns the deployment, without task definitions, when DescribeServiceRevisions is denied, and does not ask again', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments(rolledBackByAlarm()));
      ecsMock.on(DescribeServiceRevisionsCommand).rejects(denied());
      const adapter = newAdapter();

      // Act
      const [d] = await adapter.describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]);
      await adapter.describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]);

      // Assess
      expect(d).toMatchObject({ status: 'ROLLBACK_SUCCESSFUL', targetTaskDefinition: null, sourceTaskDefinitions: [] });
      expect(d.rollback).toMatchObject({ serviceRevisionArn: REVISION_ARN_41, toTaskDefinition: null });
      expect(ecsMock).toHaveReceivedCommandTimes(DescribeServiceRevisionsCommand, 1);
    });

    it('answers api_unavailable when DescribeServiceDeployments is denied', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).rejects(denied());

      // Act
      const err = await caught(newAdapter().describeServiceDeployments(REGION, [DEPLOYMENT_ARN_NEW]));

      // Assess
      expect(err.code).toBe('api_unavailable');
      expect(err.message).toContain('ECS DescribeServiceDeployments was denied');
    });
  });

  describe('Method: stopServiceDeployment', () => {
    it('asks ECS to roll the deployment back', async () => {
      // Prepare
      ecsMock.on(StopServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN_NEW });

      // Act
      await newAdapter().stopServiceDeployment(REGION, DEPLOYMENT_ARN_NEW, 'ROLLBACK');

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(StopServiceDeploymentCommand, {
        serviceDeploymentArn: DEPLOYMENT_ARN_NEW,
        stopType: 'ROLLBACK',
      });
    });

    it.each([
      [
        new ConflictException({ message: 'The service deployment is not in a stoppable state', $metadata: {} }),
        'service_deployment_conflict',
      ],
      [new ServiceDeploymentNotFoundException({ message: 'not found', $metadata: {} }), 'service_deployment_not_found'],
    ])('maps %p to %s', async (sdkError, code) => {
      // Prepare
      ecsMock.on(StopServiceDeploymentCommand).rejects(sdkError);

      // Act
      const err = await caught(newAdapter().stopServiceDeployment(REGION, DEPLOYMENT_ARN_NEW, 'ROLLBACK'));

      // Assess
      expect(err.code).toBe(code);
      expect(err.message).toContain(DEPLOYMENT_ARN_NEW);
    });

    it('answers api_unavailable saying the tool rolls back with UpdateService instead', async () => {
      // Prepare
      ecsMock.on(StopServiceDeploymentCommand).rejects(ecsError('UnknownOperationException', ''));

      // Act
      const err = await caught(newAdapter().stopServiceDeployment(REGION, DEPLOYMENT_ARN_NEW, 'ROLLBACK'));

      // Assess
      expect(err.code).toBe('api_unavailable');
      expect(err.message).toContain('rolls back with UpdateService');
    });
  });

  describe('Method: continueServiceDeployment', () => {
    it('answers the named hook with the action', async () => {
      // Prepare
      ecsMock.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: DEPLOYMENT_ARN_NEW });

      // Act
      await newAdapter().continueServiceDeployment(REGION, DEPLOYMENT_ARN_NEW, HOOK_ID, 'ROLLBACK');

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, {
        serviceDeploymentArn: DEPLOYMENT_ARN_NEW,
        hookId: HOOK_ID,
        action: 'ROLLBACK',
      });
      expect(ecsMock).not.toHaveReceivedCommand(DescribeServiceDeploymentsCommand);
    });

    it('finds the hook awaiting action when none is named', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments(pausedBlueGreen()));
      ecsMock.on(DescribeServiceRevisionsCommand).resolves(describedRevisions());
      ecsMock.on(ContinueServiceDeploymentCommand).resolves({});

      // Act
      await newAdapter().continueServiceDeployment(REGION, DEPLOYMENT_ARN_NEW, undefined, 'CONTINUE');

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, {
        hookId: HOOK_ID,
        action: 'CONTINUE',
      });
    });

    it('answers no_paused_hook, and sends nothing, when the deployment waits at no hook', async () => {
      // Prepare
      ecsMock.on(DescribeServiceDeploymentsCommand).resolves(describedDeployments(rolledBackByAlarm()));
      ecsMock.on(DescribeServiceRevisionsCommand).resolves(describedRevisions());

      // Act
      const err = await caught(
        newAdapter().continueServiceDeployment(REGION, DEPLOYMENT_ARN_NEW, undefined, 'CONTINUE'),
      );

      // Assess
      expect(err.code).toBe('no_paused_hook');
      expect(err.message).toContain('is ROLLBACK_SUCCESSFUL and waits at no lifecycle hook');
      expect(ecsMock).not.toHaveReceivedCommand(ContinueServiceDeploymentCommand);
    });
  });

  describe('Method: listStoppedTasks', () => {
    it('lists the service’s stopped tasks and describes them, newest first, since the time asked', async () => {
      // Prepare
      const tasks = stoppedTasks();
      ecsMock.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => t.taskArn!) });
      ecsMock.on(DescribeTasksCommand).resolves({ tasks, failures: [] });

      // Act
      const stopped = await newAdapter().listStoppedTasks(REGION, CLUSTER, SERVICE, new Date('2025-05-03T09:00:00Z'));

      // Assess
      expect(ecsMock).toHaveReceivedCommandWith(ListTasksCommand, {
        cluster: CLUSTER,
        serviceName: SERVICE,
        desiredStatus: 'STOPPED',
      });
      expect(ecsMock).toHaveReceivedCommandWith(DescribeTasksCommand, {
        cluster: CLUSTER,
        tasks: tasks.map((t) => t.taskArn!),
      });
      expect(stopped.map((t) => t.taskArn)).toEqual([TASK_ARN('bbbb2222'), TASK_ARN('aaaa1111')]);
      expect(stopped[0]).toEqual({
        taskArn: TASK_ARN('bbbb2222'),
        taskDefinition: TASK_DEF_ARN_42,
        stoppedReason: expect.stringMatching(/^CannotPullContainerError/),
        stoppedAt: new Date('2025-05-03T09:02:00Z'),
        stopCode: 'TaskFailedToStart',
      });
    });

    it('returns at most the limit asked', async () => {
      // Prepare
      const tasks = stoppedTasks();
      ecsMock.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => t.taskArn!) });
      ecsMock.on(DescribeTasksCommand).resolves({ tasks });

      // Act
      const stopped = await newAdapter().listStoppedTasks(REGION, CLUSTER, SERVICE, new Date(0), 1);

      // Assess
      expect(stopped.map((t) => t.taskArn)).toEqual([TASK_ARN('bbbb2222')]);
    });

    it('does not call DescribeTasks when no task stopped', async () => {
      // Prepare
      ecsMock.on(ListTasksCommand).resolves({ taskArns: [] });

      // Act
      const stopped = await newAdapter().listStoppedTasks(REGION, CLUSTER, SERVICE, new Date(0));

      // Assess
      expect(stopped).toEqual([]);
      expect(ecsMock).not.toHaveReceivedCommand(DescribeTasksCommand);
    });

    it('answers api_unavailable when ListTasks is denied, saying stuck rollouts are judged from events', async () => {
      // Prepare
      ecsMock.on(ListTasksCommand).rejects(denied());

      // Act
      const err = await caught(newAdapter().listStoppedTasks(REGION, CLUSTER, SERVICE, new Date(0)));

      // Assess
      expect(err.code).toBe('api_unavailable');
      expect(err.message).toContain('from service events only');
    });
  });

  describe('Method: describeServices (deployment strategy)', () => {
    it('reads a blue/green service: strategy, bake time, PAUSE hook, alternate target group and test listener rule', async () => {
      // Prepare
      ecsMock.on(DescribeServicesCommand).resolves(describedServices(blueGreenService()));

      // Act
      const [state] = await newAdapter().describeServices(REGION, CLUSTER, [SERVICE]);

      // Assess
      expect(state.deploymentStrategy).toEqual({
        controller: 'ECS',
        kind: 'BLUE_GREEN',
        bakeTimeInMinutes: 10,
        linear: null,
        canary: null,
        lifecycleHooks: [
          {
            targetType: 'PAUSE',
            hookTargetArn: null,
            stages: ['POST_TEST_TRAFFIC_SHIFT'],
            timeoutInMinutes: 60,
            timeoutAction: 'ROLLBACK',
          },
        ],
        loadBalancers: [
          {
            targetGroupArn: TARGET_GROUP_ARN,
            containerName: SERVICE,
            containerPort: 3001,
            alternateTargetGroupArn: GREEN_TARGET_GROUP_ARN,
            productionListenerRule: expect.stringContaining(':listener-rule/'),
            testListenerRule: TEST_RULE_ARN,
          },
        ],
        alarms: { enable: true, rollback: true, alarmNames: ['backend-5xx'] },
      });
    });

    it('reads a service without a strategy as rolling', async () => {
      // Prepare
      ecsMock.on(DescribeServicesCommand).resolves(describedServices(rollingService()));

      // Act
      const [state] = await newAdapter().describeServices(REGION, CLUSTER, [SERVICE]);

      // Assess
      expect(state.deploymentStrategy).toMatchObject({
        kind: 'ROLLING',
        lifecycleHooks: [],
        loadBalancers: [],
        alarms: null,
      });
    });
  });

  describe('Method: updateService (the deployment to watch)', () => {
    it('returns the new PRIMARY deployment with its id, from UpdateService’s own answer', async () => {
      // Prepare
      ecsMock.on(UpdateServiceCommand).resolves({ service: rollingService() });

      // Act
      const state = await newAdapter().updateService(REGION, {
        cluster: CLUSTER,
        service: SERVICE,
        taskDefinition: TASK_DEF_ARN_42,
      });

      // Assess
      const primary = state.deployments.find((d) => d.status === 'PRIMARY');
      expect(primary).toMatchObject({
        id: 'ecs-svc/1111111111111111111',
        taskDefinition: TASK_DEF_ARN_42,
        rolloutState: 'IN_PROGRESS',
      });
    });
  });
});
