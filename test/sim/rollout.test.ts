import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { UpdateServiceCommand, type Service } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { describeDemoService, eventually, PRIMARY, registerRevision, sdkClients, stepUntil } from './helpers';
import { openedAfterEach } from '../teardown';

const TG = (s: Service) => s.loadBalancers![0].targetGroupArn!;
const messages = (s: Service) => s.events!.map((e) => e.message!);

describe('Simulator: ECS deployments over time', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;
  const opened = openedAfterEach();

  async function start(scenario: string) {
    world = opened(await startSimWorld({ manual: true, scenario }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
  }
  async function deploy(imageIndex = 1): Promise<{ arn: string; deploymentId: string }> {
    const arn = await registerRevision(aws.ecs, world.images[imageIndex].digest);
    const out = await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: arn }),
    );
    return { arn, deploymentId: PRIMARY(out.service!)!.id! };
  }
  async function targetStates(service: Service): Promise<string[]> {
    const out = await aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG(service) }));
    return out.TargetHealthDescriptions!.map((t) => t.TargetHealth!.State!);
  }

  it('rolls a new revision out task by task to COMPLETED, writing events newest first', async () => {
    await start('healthy');
    const { arn, deploymentId } = await deploy();
    const started = await describeDemoService(aws.ecs);
    expect(started.deployments!.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    const seen = new Set<string>();
    const done = await stepUntil(world, aws.ecs, (s) => {
      seen.add(String(PRIMARY(s)!.runningCount));
      return PRIMARY(s)!.rolloutState === 'COMPLETED';
    });
    expect(seen).toEqual(new Set(['0', '1', '2']));
    expect(done.deployments).toHaveLength(1);
    expect(PRIMARY(done)).toMatchObject({ id: deploymentId, taskDefinition: arn, runningCount: 2, desiredCount: 2 });
    expect(done.taskDefinition).toBe(arn);
    const log = messages(done);
    expect(log[0]).toBe('(service demo-backend) has reached a steady state.');
    expect(log[1]).toBe(`(service demo-backend) (deployment ${deploymentId}) deployment completed.`);
    expect(log).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\(service demo-backend\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/),
        expect.stringMatching(
          /^\(service demo-backend\) registered 1 targets in \(target-group arn:aws:elasticloadbalancing:/,
        ),
        expect.stringMatching(/^\(service demo-backend\) has stopped 1 running tasks: \(task [0-9a-f]{32}\)\.$/),
      ]),
    );
    const times = done.events!.map((e) => e.createdAt!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('moves target health with the tasks: new targets initial then healthy, old ones draining then gone', async () => {
    await start('healthy');
    await deploy();
    const states = new Set<string>();
    expect(await targetStates(await describeDemoService(aws.ecs))).toEqual(['healthy', 'healthy']);
    for (let i = 0; i < 30; i += 1) {
      for (const state of await targetStates(await describeDemoService(aws.ecs))) states.add(state);
      world.step();
    }
    expect(states).toEqual(new Set(['initial', 'healthy', 'draining']));
    expect(await targetStates(await describeDemoService(aws.ecs))).toEqual(['healthy', 'healthy']);
  });

  it('circuit-breaker: the new deployment FAILS and ECS rolls back to the old revision, PRIMARY and COMPLETED', async () => {
    await start('circuit-breaker');
    const before = await describeDemoService(aws.ecs);
    const { deploymentId } = await deploy();
    let failedSeen = false;
    const end = await stepUntil(world, aws.ecs, (s) => {
      const ours = s.deployments!.find((d) => d.id === deploymentId);
      if (ours?.rolloutState === 'FAILED') {
        failedSeen = true;
        expect(ours.failedTasks).toBeGreaterThanOrEqual(3);
        expect(ours.rolloutStateReason).toMatch(/circuit breaker/);
      }
      return failedSeen && s.deployments!.length === 1 && PRIMARY(s)!.rolloutState === 'COMPLETED';
    });
    expect(failedSeen).toBe(true);
    expect(PRIMARY(end)!.taskDefinition).toBe(before.taskDefinition);
    expect(PRIMARY(end)!.id).not.toBe(deploymentId);
    expect(end).toMatchObject({ runningCount: 2, desiredCount: 2, taskDefinition: before.taskDefinition });
    expect(messages(end)).toContain(
      `(service demo-backend) (deployment ${deploymentId}) deployment failed: tasks failed to start.`,
    );
  });

  it('stuck: the new deployment never runs a task and stays IN_PROGRESS; rolling back still works', async () => {
    await start('stuck');
    const before = await describeDemoService(aws.ecs);
    await deploy();
    world.step(30);
    const stuck = await describeDemoService(aws.ecs);
    expect(PRIMARY(stuck)).toMatchObject({ rolloutState: 'IN_PROGRESS', runningCount: 0 });
    expect(stuck.runningCount).toBe(2);
    await aws.ecs.send(
      new UpdateServiceCommand({
        cluster: 'demo-cluster',
        service: 'demo-backend',
        taskDefinition: before.taskDefinition,
      }),
    );
    const back = await stepUntil(
      world,
      aws.ecs,
      (s) => s.deployments!.length === 1 && PRIMARY(s)!.rolloutState === 'COMPLETED',
    );
    expect(back).toMatchObject({ taskDefinition: before.taskDefinition, runningCount: 2, pendingCount: 0 });
  });

  it('unhealthy-targets: the rollout completes but the new targets turn unhealthy with Target.ResponseCodeMismatch', async () => {
    await start('unhealthy-targets');
    await deploy();
    const done = await stepUntil(world, aws.ecs, (s) => PRIMARY(s)!.rolloutState === 'COMPLETED');
    world.step(3);
    const out = await aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG(done) }));
    const live = out.TargetHealthDescriptions!.filter((t) => t.TargetHealth!.State !== 'draining');
    expect(live.map((t) => [t.TargetHealth!.State, t.TargetHealth!.Reason])).toEqual([
      ['unhealthy', 'Target.ResponseCodeMismatch'],
      ['unhealthy', 'Target.ResponseCodeMismatch'],
    ]);
  });

  it('error-logs: the new tasks log ERROR lines that FilterLogEvents finds', async () => {
    await start('error-logs');
    const since = Date.now();
    await deploy();
    await stepUntil(world, aws.ecs, (s) => PRIMARY(s)!.rolloutState === 'COMPLETED');
    const errors: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const out = await aws.logs.send(
        new FilterLogEventsCommand({
          logGroupName: '/ecs/demo-backend',
          startTime: since,
          filterPattern: 'ERROR',
          nextToken,
        }),
      );
      errors.push(...out.events!.map((e) => e.message!));
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    expect(errors.length).toBeGreaterThan(10);
    expect(errors.every((m) => m.includes('ERROR'))).toBe(true);
  });

  it('a rollback to the previous revision behaves healthily whatever the scenario', async () => {
    await start('healthy');
    const before = await describeDemoService(aws.ecs);
    await deploy();
    await stepUntil(world, aws.ecs, (s) => PRIMARY(s)!.rolloutState === 'COMPLETED' && s.deployments!.length === 1);
    world.setScenario('circuit-breaker');
    await aws.ecs.send(
      new UpdateServiceCommand({
        cluster: 'demo-cluster',
        service: 'demo-backend',
        taskDefinition: before.taskDefinition,
      }),
    );
    const back = await stepUntil(
      world,
      aws.ecs,
      (s) => PRIMARY(s)!.rolloutState === 'COMPLETED' && s.deployments!.length === 1,
    );
    expect(PRIMARY(back)).toMatchObject({ taskDefinition: before.taskDefinition, failedTasks: 0, runningCount: 2 });
  });

  it('desiredCount 0 drains the service to 0; a later desiredCount starts tasks again', async () => {
    await start('healthy');
    const stopped = await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', desiredCount: 0 }),
    );
    expect(stopped.service!.deployments).toHaveLength(1);
    const empty = await stepUntil(
      world,
      aws.ecs,
      (s) => s.runningCount === 0 && messages(s)[0]?.endsWith('steady state.'),
    );
    expect(empty.desiredCount).toBe(0);
    await aws.ecs.send(new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', desiredCount: 3 }));
    const up = await stepUntil(
      world,
      aws.ecs,
      (s) => s.runningCount === 3 && messages(s)[0]?.endsWith('steady state.'),
    );
    expect(up).toMatchObject({ desiredCount: 3, pendingCount: 0 });
  });

  it('moves by itself on real timers at the given pace', async () => {
    world = opened(await startSimWorld({ paceMs: 5 }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
    const { deploymentId } = await deploy();
    const done = await eventually(async () => {
      const s = await describeDemoService(aws.ecs);
      return PRIMARY(s)!.rolloutState === 'COMPLETED' && s.deployments!.length === 1 ? s : undefined;
    });
    expect(PRIMARY(done)!.id).toBe(deploymentId);
  });
});
