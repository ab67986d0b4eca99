import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { setSimKnobs, startSimWorld, type SimWorld } from '../../src/sim';
import { describeDemoService, PRIMARY, registerRevision, sdkClients } from './helpers';
import { openedAfterEach } from '../teardown';

const SERVICE = { cluster: 'demo-cluster', service: 'demo-backend' };

describe('Simulator: service deployments (ListServiceDeployments, DescribeServiceDeployments, StopServiceDeployment)', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;
  const opened = openedAfterEach();

  async function start(scenario = 'healthy') {
    world = opened(await startSimWorld({ manual: true, scenario }), (w) => w.close());
    aws = opened(sdkClients(world, 1), (a) => a.destroy());
  }
  async function deploy(imageIndex = 1): Promise<{ taskDefinition: string; deploymentId: string }> {
    const taskDefinition = await registerRevision(aws.ecs, world.images[imageIndex].digest);
    const out = await aws.ecs.send(new UpdateServiceCommand({ ...SERVICE, taskDefinition }));
    return { taskDefinition, deploymentId: PRIMARY(out.service!)!.id! };
  }
  async function newest(): Promise<ServiceDeployment> {
    const list = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    const arn = list.serviceDeployments![0].serviceDeploymentArn!;
    const out = await aws.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
    return out.serviceDeployments![0];
  }
  async function stepUntilRecord(done: (d: ServiceDeployment) => boolean, max = 80): Promise<ServiceDeployment> {
    for (let i = 0; i < max; i += 1) {
      const record = await newest();
      if (done(record)) return record;
      world.step();
    }
    throw new Error('record condition not reached');
  }

  it('records each update: PENDING, IN_PROGRESS, SUCCESSFUL, newest first, with source and target revisions', async () => {
    await start();
    const before = await describeDemoService(aws.ecs);
    const seeded = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    expect(seeded.serviceDeployments!.map((d) => d.status)).toEqual(['SUCCESSFUL']);
    const { taskDefinition } = await deploy();
    const list = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    expect(list.serviceDeployments!.map((d) => d.status)).toEqual(['PENDING', 'SUCCESSFUL']);
    const brief = list.serviceDeployments![0];
    expect(brief.serviceDeploymentArn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-deployment\/demo-cluster\/demo-backend\/[\w-]+$/,
    );
    expect(brief.targetServiceRevisionArn).toMatch(
      /^arn:aws:ecs:us-east-1:123456789012:service-revision\/demo-cluster\/demo-backend\/\d+$/,
    );
    expect(brief.createdAt).toBeInstanceOf(Date);
    world.step();
    expect((await newest()).status).toBe('IN_PROGRESS');
    const done = await stepUntilRecord((d) => d.status === 'SUCCESSFUL');
    expect(done).toMatchObject({
      serviceArn: before.serviceArn,
      clusterArn: before.clusterArn,
      statusReason: expect.any(String),
      deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
      alarms: { status: 'MONITORING_COMPLETE', alarmNames: ['backend-5xx'], triggeredAlarmNames: [] },
      deploymentConfiguration: { strategy: 'ROLLING', deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.startedAt).toBeInstanceOf(Date);
    expect(done.rollback).toBeUndefined();
    const revisions = await aws.ecs.send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [done.targetServiceRevision!.arn!, done.sourceServiceRevisions![0].arn!],
      }),
    );
    expect(revisions.serviceRevisions!.map((r) => r.taskDefinition)).toEqual([taskDefinition, before.taskDefinition]);
    const onlyDone = await aws.ecs.send(new ListServiceDeploymentsCommand({ ...SERVICE, status: ['IN_PROGRESS'] }));
    expect(onlyDone.serviceDeployments).toEqual([]);
    const recent = await aws.ecs.send(
      new ListServiceDeploymentsCommand({ ...SERVICE, createdAt: { after: new Date(Date.now() - 60_000) } }),
    );
    expect(recent.serviceDeployments!.map((d) => d.serviceDeploymentArn)).toEqual([done.serviceDeploymentArn]);
  });

  it('circuit-breaker: the record ends ROLLBACK_SUCCESSFUL with the failed-task count and the revision returned to', async () => {
    await start('circuit-breaker');
    const before = await describeDemoService(aws.ecs);
    await deploy();
    const done = await stepUntilRecord((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED', threshold: 3 });
    expect(done.deploymentCircuitBreaker!.failureCount).toBeGreaterThanOrEqual(3);
    expect(done.rollback).toMatchObject({
      reason: expect.stringContaining('circuit breaker'),
      serviceRevisionArn: done.sourceServiceRevisions![0].arn,
    });
    expect(PRIMARY(await describeDemoService(aws.ecs))!.taskDefinition).toBe(before.taskDefinition);
  });

  it('StopServiceDeployment ROLLBACK mid-rollout: ROLLBACK_REQUESTED at once, the deployments array returns to the old revision, then ROLLBACK_SUCCESSFUL', async () => {
    await start();
    const before = await describeDemoService(aws.ecs);
    const { deploymentId } = await deploy();
    world.step(3);
    const arn = (await newest()).serviceDeploymentArn!;
    world.clearCalls();
    const out = await aws.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }),
    );
    expect(out.serviceDeploymentArn).toBe(arn);
    expect((await newest()).status).toBe('ROLLBACK_REQUESTED');
    const legacy = await describeDemoService(aws.ecs);
    expect(PRIMARY(legacy)).toMatchObject({ taskDefinition: before.taskDefinition, rolloutState: 'IN_PROGRESS' });
    expect(legacy.deployments!.find((d) => d.id === deploymentId)).toMatchObject({
      status: 'ACTIVE',
      rolloutState: 'FAILED',
    });
    const done = await stepUntilRecord((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.rollback!.reason).toContain('StopServiceDeployment');
    const end = await describeDemoService(aws.ecs);
    expect(end).toMatchObject({ taskDefinition: before.taskDefinition, runningCount: 2 });
    expect(
      world
        .calls()
        .filter((c) => c.operation === 'StopServiceDeployment')
        .map((c) => c.params),
    ).toEqual([{ serviceDeploymentArn: arn, stopType: 'ROLLBACK' }]);
    await expect(
      aws.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: 'ROLLBACK' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(
      aws.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: `${arn}x` })),
    ).rejects.toMatchObject({ name: 'ServiceDeploymentNotFoundException' });
  });

  it('a newer update stops the older deployment still in flight (STOP_REQUESTED, then STOPPED)', async () => {
    await start();
    await deploy(1);
    world.step(2);
    await deploy(2);
    const list = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    expect(list.serviceDeployments!.map((d) => d.status)).toEqual(['PENDING', 'STOP_REQUESTED', 'SUCCESSFUL']);
    world.step();
    const later = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    expect(later.serviceDeployments!.map((d) => d.status)).toEqual(['IN_PROGRESS', 'STOPPED', 'SUCCESSFUL']);
  });

  it('the service-deployment API can answer an HTML page with HTTP 500 (knob), as an emulator that lacks it does', async () => {
    await start();
    world.setKnobs({ serviceDeploymentsApi: 'html-500' });
    const res = await fetch(world.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListServiceDeployments',
      },
      body: JSON.stringify(SERVICE),
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toMatch(/^<!doctype html>[\s\S]*NotImplementedError/);
    await expect(aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE))).rejects.toMatchObject({
      name: 'SyntaxError',
    });
    expect((await describeDemoService(aws.ecs)).deployments).toHaveLength(1);
  });

  it('the service-deployment API can be missing or denied (knob), so clients fall back to the deployments array', async () => {
    await start();
    world.setKnobs({ serviceDeploymentsApi: 'missing' });
    await expect(aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE))).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
    await setSimKnobs(world.endpoint, { serviceDeploymentsApi: 'denied' });
    await expect(aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('ecs:ListServiceDeployments'),
    });
    await expect(aws.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: 'x' }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect((await describeDemoService(aws.ecs)).deployments).toHaveLength(1);
    await expect(setSimKnobs(world.endpoint, { serviceDeploymentsApi: 'sometimes' as never })).rejects.toThrow(/400/);
    world.setKnobs({ serviceDeploymentsApi: 'available' });
    expect((await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE))).serviceDeployments).toHaveLength(1);
  });

  it('eventual-consistency: reads show the service as it was before the update until the lag has passed', async () => {
    await start('eventual-consistency');
    const before = await describeDemoService(aws.ecs);
    const { deploymentId, taskDefinition } = await deploy();
    const stale = await describeDemoService(aws.ecs);
    expect(stale.deployments!.map((d) => d.id)).toEqual(before.deployments!.map((d) => d.id));
    expect(stale.taskDefinition).toBe(before.taskDefinition);
    world.step(3);
    expect(PRIMARY(await describeDemoService(aws.ecs))!.id).not.toBe(deploymentId);
    const staleList = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    expect(staleList.serviceDeployments!.map((d) => d.status)).toEqual(['SUCCESSFUL']);
    world.advanceClock(3000);
    const fresh = await describeDemoService(aws.ecs);
    expect(PRIMARY(fresh)).toMatchObject({ id: deploymentId, taskDefinition });
    expect((await newest()).status).toBe('IN_PROGRESS');
  });

  it('alarm-rollback: the alarm trips during the rollout and ECS rolls back by itself', async () => {
    await start('alarm-rollback');
    const before = await describeDemoService(aws.ecs);
    const { deploymentId } = await deploy();
    const done = await stepUntilRecord((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.alarms).toEqual({
      status: 'TRIGGERED',
      alarmNames: ['backend-5xx'],
      triggeredAlarmNames: ['backend-5xx'],
    });
    expect(done.rollback!.reason).toContain('backend-5xx');
    const end = await describeDemoService(aws.ecs);
    expect(PRIMARY(end)!.taskDefinition).toBe(before.taskDefinition);
    expect(end.events!.map((e) => e.message)).toContain(
      `(service demo-backend) (deployment ${deploymentId}) deployment failed: alarm detected.`,
    );
  });

  it('stuck: image pulls fail, ECS says it cannot start tasks, stopped tasks carry the reason; no circuit breaker, so it stays stuck', async () => {
    await start('stuck');
    const { taskDefinition } = await deploy();
    world.step(30);
    const service = await describeDemoService(aws.ecs);
    expect(service.deploymentConfiguration!.deploymentCircuitBreaker).toEqual({ enable: false, rollback: false });
    expect(PRIMARY(service)).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0 });
    expect(service.events!.map((e) => e.message)).toContain(
      '(service demo-backend) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    const listed = await aws.ecs.send(
      new ListTasksCommand({ ...SERVICE, serviceName: 'demo-backend', desiredStatus: 'STOPPED' }),
    );
    expect(listed.taskArns!.length).toBeGreaterThanOrEqual(3);
    const described = await aws.ecs.send(
      new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: listed.taskArns!.slice(0, 3) }),
    );
    for (const task of described.tasks!) {
      expect(task).toMatchObject({
        taskDefinitionArn: taskDefinition,
        lastStatus: 'STOPPED',
        stopCode: 'TaskFailedToStart',
      });
      expect(task.stoppedReason).toMatch(/^CannotPullContainerError: pull image manifest has been retried 5 time\(s\)/);
      expect(task.stoppedAt).toBeInstanceOf(Date);
    }
    expect(await newest()).toMatchObject({ status: 'IN_PROGRESS', deploymentCircuitBreaker: { status: 'DISABLED' } });
    const live = await aws.ecs.send(new ListTasksCommand({ cluster: 'demo-cluster', serviceName: 'demo-backend' }));
    const tasks = await aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo-cluster', tasks: live.taskArns! }));
    expect(tasks.tasks!.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.taskDefinitionArn)).toEqual([
      service.deployments![1].taskDefinition,
      service.deployments![1].taskDefinition,
    ]);
  });

  it('no-capacity: ECS reports placement failures and starts no task', async () => {
    await start('no-capacity');
    await deploy();
    world.step(12);
    const service = await describeDemoService(aws.ecs);
    expect(PRIMARY(service)).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0, pendingCount: 0 });
    expect(
      service.events!.some((e) =>
        e.message!.includes('was unable to place a task because no container instance met all of its requirements'),
      ),
    ).toBe(true);
  });

  it('ECR DescribeImages by digest returns the image tags (the short git SHA)', async () => {
    await start();
    const image = world.images[1];
    const out = await aws.ecr.send(
      new DescribeImagesCommand({ repositoryName: 'demo-backend', imageIds: [{ imageDigest: image.digest }] }),
    );
    expect(out.imageDetails!.map((d) => d.imageTags)).toEqual([[image.tag]]);
  });
});
