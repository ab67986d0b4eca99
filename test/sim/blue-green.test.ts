import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { describeDemoService, registerRevision, sdkClients } from './helpers';
import { openedAfterEach } from '../teardown';

const SERVICE = { cluster: 'demo-cluster', service: 'demo-backend' };
const MINUTE = 60_000;

describe('Simulator: blue/green, linear and canary deployments', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;
  const opened = openedAfterEach();

  async function start(scenario: string) {
    world = opened(await startSimWorld({ manual: true, scenario, minuteMs: MINUTE }), (w) => w.close());
    aws = opened(sdkClients(world, 1), (a) => a.destroy());
  }
  async function deploy(): Promise<string> {
    const taskDefinition = await registerRevision(aws.ecs, world.images[1].digest);
    await aws.ecs.send(new UpdateServiceCommand({ ...SERVICE, taskDefinition }));
    return taskDefinition;
  }
  async function record(): Promise<ServiceDeployment> {
    const list = await aws.ecs.send(new ListServiceDeploymentsCommand(SERVICE));
    const out = await aws.ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [list.serviceDeployments![0].serviceDeploymentArn!],
      }),
    );
    return out.serviceDeployments![0];
  }
  async function stepUntil(done: (d: ServiceDeployment) => boolean, max = 60): Promise<ServiceDeployment> {
    for (let i = 0; i < max; i += 1) {
      const current = await record();
      if (done(current)) return current;
      world.step();
    }
    throw new Error('condition not reached');
  }
  const paused = (d: ServiceDeployment) => d.lifecycleHookDetails?.some((h) => h.status === 'AWAITING_ACTION') === true;
  async function sha(url: string, headers: Record<string, string> = {}): Promise<string> {
    return ((await (await fetch(new URL('/api/v1/version', url), { headers })).json()) as { gitSha: string }).gitSha;
  }
  async function ready(url: string): Promise<number> {
    return (await fetch(new URL('/api/v1/health/ready', url))).status;
  }
  async function blueTaskIds(): Promise<string[]> {
    const { ListTasksCommand } = await import('@aws-sdk/client-ecs');
    return (await aws.ecs.send(new ListTasksCommand({ ...SERVICE, serviceName: 'demo-backend' }))).taskArns!.sort();
  }

  it('blue-green: stages, green in the alternate target group, test traffic first, a PAUSE hook, production at once, bake, clean-up', async () => {
    await start('blue-green');
    const service = await describeDemoService(aws.ecs);
    expect(service.deploymentConfiguration).toMatchObject({
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      lifecycleHooks: [
        {
          targetType: 'PAUSE',
          lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 30, action: 'ROLLBACK' },
        },
      ],
    });
    const advanced = service.loadBalancers![0].advancedConfiguration!;
    expect(advanced.alternateTargetGroupArn).toMatch(/targetgroup\/demo-backend-tg-green\//);
    const [oldSha, newSha] = [world.images[0].sha, world.images[1].sha];
    await deploy();
    const stages = new Set<string>();
    const waiting = await stepUntil((d) => {
      if (d.lifecycleStage) stages.add(d.lifecycleStage);
      return paused(d);
    });
    expect([...stages]).toEqual([
      'RECONCILE_SERVICE',
      'PRE_SCALE_UP',
      'SCALE_UP',
      'POST_SCALE_UP',
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
    ]);
    const hook = waiting.lifecycleHookDetails![0];
    expect(hook).toMatchObject({ targetType: 'PAUSE', status: 'AWAITING_ACTION', timeoutAction: 'ROLLBACK' });
    expect(hook.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 29 * MINUTE);
    expect(waiting.targetServiceRevision).toMatchObject({
      requestedTestTrafficWeight: 100,
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 2,
    });
    const green = await aws.elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: advanced.alternateTargetGroupArn }),
    );
    expect(green.TargetHealthDescriptions!.map((t) => t.TargetHealth!.State)).toEqual(['healthy', 'healthy']);
    expect(await sha(world.appUrl)).toBe(oldSha);
    expect(await sha(world.testUrl)).toBe(newSha);
    expect(await sha(world.appUrl, { [world.testHeader.name]: world.testHeader.value })).toBe(newSha);
    const rules = await aws.elb.send(
      new DescribeRulesCommand({ RuleArns: [advanced.testListenerRule!, advanced.productionListenerRule!] }),
    );
    const weights = rules.Rules!.map((r) => r.Actions![0].ForwardConfig!.TargetGroups!.map((g) => g.Weight));
    expect(weights).toEqual([
      [0, 100],
      [100, 0],
    ]);
    world.step(5);
    expect((await record()).lifecycleStage).toBe('POST_TEST_TRAFFIC_SHIFT');

    world.clearCalls();
    await aws.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: waiting.serviceDeploymentArn,
        hookId: hook.hookId,
        action: 'CONTINUE',
      }),
    );
    expect(world.calls().map((c) => [c.operation, c.params.action])).toEqual([
      ['ContinueServiceDeployment', 'CONTINUE'],
    ]);
    const baking = await stepUntil((d) => d.lifecycleStage === 'BAKE_TIME');
    expect(baking.targetServiceRevision!.requestedProductionTrafficWeight).toBe(100);
    expect(await sha(world.appUrl)).toBe(newSha);
    world.step(5);
    expect((await record()).lifecycleStage).toBe('BAKE_TIME');
    world.advanceClock(MINUTE);
    const done = await stepUntil((d) => d.status === 'SUCCESSFUL');
    expect(done).toMatchObject({ lifecycleStage: 'CLEAN_UP', lifecycleHookDetails: [{ status: 'SUCCEEDED' }] });
    expect(await sha(world.appUrl)).toBe(newSha);
    const end = await describeDemoService(aws.ecs);
    expect(end.deployments!.map((d) => [d.status, d.rolloutState, d.runningCount])).toEqual([
      ['PRIMARY', 'COMPLETED', 2],
    ]);
    await expect(
      aws.ecs.send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: waiting.serviceDeploymentArn,
          hookId: hook.hookId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('a ROLLBACK answer at the hook switches test traffic back to blue; blue never stopped', async () => {
    await start('blue-green');
    const blue = await blueTaskIds();
    await deploy();
    const waiting = await stepUntil(paused);
    const hookId = waiting.lifecycleHookDetails![0].hookId;
    await aws.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: waiting.serviceDeploymentArn,
        hookId,
        action: 'ROLLBACK',
      }),
    );
    expect(await sha(world.testUrl)).toBe(world.images[0].sha);
    const done = await stepUntil((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.rollback!.reason).toContain('ContinueServiceDeployment');
    expect(await blueTaskIds()).toEqual(blue);
    expect(await sha(world.appUrl)).toBe(world.images[0].sha);
  });

  it('blue-green-test-fail: green answers 500 on readiness through the test listener while production stays healthy on blue', async () => {
    await start('blue-green-test-fail');
    await deploy();
    await stepUntil(paused);
    expect(await ready(world.testUrl)).toBe(500);
    expect(await ready(world.appUrl)).toBe(200);
    const waiting = await record();
    await aws.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: waiting.serviceDeploymentArn, stopType: 'ROLLBACK' }),
    );
    await stepUntil((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(await ready(world.testUrl)).toBe(200);
  });

  it('blue-green-hook-timeout: nobody answers; past expiresAt the timeout action ROLLBACK applies', async () => {
    await start('blue-green-hook-timeout');
    const blue = await blueTaskIds();
    await deploy();
    await stepUntil(paused);
    world.advanceClock(MINUTE);
    const done = await stepUntil((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.lifecycleHookDetails![0].status).toBe('TIMED_OUT');
    expect(done.rollback!.reason).toContain('timed out');
    expect(await blueTaskIds()).toEqual(blue);
  });

  it('blue-green-bake-fail: green goes bad during the bake (errors, alarm) and ECS switches production back to blue', async () => {
    await start('blue-green-bake-fail');
    const blue = await blueTaskIds();
    const since = Date.now();
    await deploy();
    const waiting = await stepUntil(paused);
    await aws.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: waiting.serviceDeploymentArn,
        hookId: waiting.lifecycleHookDetails![0].hookId,
      }),
    );
    await stepUntil((d) => d.lifecycleStage === 'BAKE_TIME');
    world.step(3);
    expect(await ready(world.appUrl)).toBe(500);
    let errors = 0;
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
      errors += out.events!.length;
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    expect(errors).toBeGreaterThan(0);
    world.advanceClock(MINUTE / 2);
    const done = await stepUntil((d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(done.alarms).toMatchObject({ status: 'TRIGGERED', triggeredAlarmNames: ['backend-5xx'] });
    expect(await sha(world.appUrl)).toBe(world.images[0].sha);
    expect(await blueTaskIds()).toEqual(blue);
  });

  it.each([
    ['linear', [25, 50, 75, 100]],
    ['canary', [10, 100]],
  ])('%s: production traffic moves to green in steps, visible in the record', async (scenario, steps) => {
    await start(scenario);
    await deploy();
    const waiting = await stepUntil(paused);
    await aws.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: waiting.serviceDeploymentArn,
        hookId: waiting.lifecycleHookDetails![0].hookId,
      }),
    );
    const seen: number[] = [];
    for (let i = 0; i < 20 && !seen.includes(100); i += 1) {
      const current = await record();
      const weight = current.targetServiceRevision!.requestedProductionTrafficWeight!;
      if (current.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && !seen.includes(weight)) seen.push(weight);
      if (current.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT') world.advanceClock(MINUTE);
      world.step();
    }
    expect(seen.filter((w) => w < 100)).toEqual(steps.slice(0, -1));
    await stepUntil((d) => d.lifecycleStage === 'BAKE_TIME');
    world.advanceClock(MINUTE);
    const done = await stepUntil((d) => d.status === 'SUCCESSFUL');
    expect(done.targetServiceRevision!.requestedProductionTrafficWeight).toBe(100);
  });
});
