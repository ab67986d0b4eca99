import { DescribeServicesCommand, DescribeTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { setSimKnobs, startSimWorld, type SimWorld } from '../../src/sim';
import { describeDemoService, eventually, PRIMARY, registerRevision, sdkClients } from './helpers';
import { openedAfterEach } from '../teardown';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-backend-tg/2e160133847d640f';

/** DescribeServices as it goes over the wire, so the error's JSON shape can be read as sent. */
async function rawDescribeServices(world: SimWorld): Promise<{ status: number; body: unknown }> {
  const res = await fetch(world.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeServices',
    },
    body: JSON.stringify({ cluster: 'demo-cluster', services: ['demo-backend'] }),
  });
  return { status: res.status, body: await res.json() };
}

describe('Simulator: the outage scenario', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;
  const opened = openedAfterEach();

  async function start(options: Parameters<typeof startSimWorld>[0]) {
    world = opened(await startSimWorld({ manual: true, ...options }), (w) => w.close());
    // One attempt per call: every 500 the simulator answers reaches the test.
    aws = opened(sdkClients(world, 1), (a) => a.destroy());
  }
  async function update(imageIndex = 1): Promise<string> {
    const arn = await registerRevision(aws.ecs, world.images[imageIndex].digest);
    await aws.ecs.send(
      new UpdateServiceCommand({ cluster: 'demo-cluster', service: 'demo-backend', taskDefinition: arn }),
    );
    return arn;
  }
  const statusOf = async (call: Promise<unknown>): Promise<number> =>
    call.then(
      () => 200,
      (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? -1,
    );
  const describeStatus = () =>
    statusOf(aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] })));

  it("after UpdateService the watch reads answer 500 in their services' shapes while the rollout goes on, then recover", async () => {
    // Prepare
    await start({ scenario: 'outage' });
    expect(await describeStatus()).toBe(200);

    // Act
    const arn = await update();

    // Assess: down, in the ECS JSON and ELBv2 Query shapes.
    expect(await rawDescribeServices(world)).toEqual({
      status: 500,
      body: { __type: 'ServerException', message: 'We encountered an internal error. Please try again.' },
    });
    await expect(
      aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] })),
    ).rejects.toMatchObject({
      name: 'ServerException',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    await expect(aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }))).rejects.toMatchObject({
      name: 'InternalFailure',
      $metadata: { httpStatusCode: 500 },
    });
    // Other calls answer: only the reads a rollout is watched by are down.
    expect(await statusOf(aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })))).toBe(200);
    // The rollout itself goes on unseen.
    world.step(40);
    expect(world.rolloutMarks()).toEqual([expect.objectContaining({ taskDefinition: arn, state: 'COMPLETED' })]);
    expect(await describeStatus()).toBe(500);

    // Act: 30 s of simulated time go by.
    world.advanceClock(30_000);

    // Assess
    const service = await describeDemoService(aws.ecs);
    expect(PRIMARY(service)).toMatchObject({ taskDefinition: arn, rolloutState: 'COMPLETED', runningCount: 2 });
    const out = await aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
    expect(out.TargetHealthDescriptions!.map((t) => t.TargetHealth!.State)).toEqual(['healthy', 'healthy']);
    const describes = world.calls().filter((c) => c.operation === 'DescribeServices');
    expect(describes.map((c) => c.status)).toEqual([200, 500, 500, 500, 200]);
  });

  it('lasts the outageMs knob (set over HTTP) on the simulated clock, and each UpdateService starts it again', async () => {
    // Prepare
    await start({ scenario: 'outage' });
    expect(await setSimKnobs(world.endpoint, { outageMs: 60_000 })).toMatchObject({ outageMs: 60_000 });

    // Act
    await update(1);
    const during = await describeStatus();
    // Whole seconds of slack either side, so real time passing meanwhile cannot matter.
    world.advanceClock(50_000);
    const almost = await describeStatus();
    world.advanceClock(11_000);
    const after = await describeStatus();
    await update(2);
    const again = await describeStatus();

    // Assess
    expect([during, almost, after, again]).toEqual([500, 500, 200, 500]);
  });

  it('ends when the scenario is switched away, and a bad outageMs is refused', async () => {
    // Prepare
    await start({ scenario: 'outage', outageMs: 60_000 });
    expect(world.knobs().outageMs).toBe(60_000);
    await update();
    expect(await describeStatus()).toBe(500);

    // Act
    world.setScenario('healthy');

    // Assess
    expect(await describeStatus()).toBe(200);
    expect(() => world.setKnobs({ outageMs: -1 })).toThrow(/outageMs must be a non-negative number/);
    await expect(setSimKnobs(world.endpoint, { outageMs: 'long' as never })).rejects.toThrow(/400/);
    expect(world.knobs().outageMs).toBe(60_000);
  });

  it('is real time when nobody moves the clock: a short spell ends by itself', async () => {
    // Prepare
    await start({ scenario: 'outage', outageMs: 300 });

    // Act
    await update();
    const during = await describeStatus();

    // Assess
    expect(during).toBe(500);
    await eventually(async () => ((await describeStatus()) === 200 ? true : undefined), 10_000);
  });

  it('no other scenario has it: reads answer right after UpdateService', async () => {
    await start({ scenario: 'healthy', outageMs: 60_000 });
    await update();
    expect(await describeStatus()).toBe(200);
  });
});
