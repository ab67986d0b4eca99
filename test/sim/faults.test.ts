import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSimWorld, type SimWorld } from '../../src/sim';
import { sdkClients } from './helpers';
import { openedAfterEach } from '../teardown';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/demo-backend-tg/2e160133847d640f';

describe('Simulator: AWS-level faults the SDK must ride out', () => {
  let world: SimWorld;
  let aws: ReturnType<typeof sdkClients>;
  const opened = openedAfterEach();
  const describe3 = () =>
    aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] }));

  it('throttling: every 3rd DescribeServices is throttled, the SDK retries and the call succeeds', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'throttling' }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
    const results = [await describe3(), await describe3(), await describe3()];
    expect(results.map((r) => r.services![0].serviceName)).toEqual(['demo-backend', 'demo-backend', 'demo-backend']);
    expect(results[2].$metadata.attempts).toBe(2);
    const calls = world.calls().filter((c) => c.operation === 'DescribeServices');
    expect(calls.map((c) => c.status)).toEqual([200, 200, 400, 200]);
  });

  it('throttling: ELBv2 throttles with the Query-protocol code, which the SDK retries too', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'throttling' }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
    for (let i = 0; i < 4; i += 1) {
      const out = await aws.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
      expect(out.TargetHealthDescriptions).toHaveLength(2);
    }
    expect(world.calls().map((c) => c.status)).toEqual([200, 200, 200, 400, 200]);
  });

  it('server-errors: a burst of 500 then 503 is retried and the call succeeds', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'server-errors' }), (w) => w.close());
    aws = opened(sdkClients(world, 5), (a) => a.destroy());
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await describe3());
    expect(results[3].$metadata.attempts).toBe(3);
    expect(world.calls().map((c) => c.status)).toEqual([200, 200, 200, 500, 503, 200]);
  });

  it('healthy again after switching the scenario back', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'throttling' }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
    world.setScenario('healthy');
    for (let i = 0; i < 4; i += 1) await describe3();
    expect(world.calls().every((c) => c.status === 200)).toBe(true);
  });

  it('slow: AWS answers after the configured delay', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'slow', slowMs: 200 }), (w) => w.close());
    aws = opened(sdkClients(world), (a) => a.destroy());
    const started = Date.now();
    await describe3();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('close() ends a call that is still waiting instead of leaving it hanging', async () => {
    world = opened(await startSimWorld({ manual: true, scenario: 'slow', slowMs: 60_000 }), (w) => w.close());
    aws = opened(sdkClients(world, 1), (a) => a.destroy());
    const call = describe3();
    while (world.calls().length === 0) await new Promise((r) => setTimeout(r, 5));
    await world.close();
    await expect(call).rejects.toThrow();
  });
});
