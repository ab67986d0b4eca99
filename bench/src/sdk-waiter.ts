/**
 * The obvious alternative to our watcher: the SDK's `waitUntilServicesStable` (first check at
 * once, then every 15 s or more), on the same simulated rollout. Several services are rolled at
 * once, each watched by its own waiter, so that one run of a few dozen seconds gives several samples.
 */
import { type ECSClient, UpdateServiceCommand, waitUntilServicesStable } from '@aws-sdk/client-ecs';
import { parseConfig } from '../../src/config/load';
import { startSimWorld, type SimWorld } from '../../src/sim/index';
import { simClients } from './engine-rig';

export interface WaiterSample {
  /** COMPLETED mark → the waiter returning, ms. */
  detectionMs: number;
  describeServicesCalls: number;
  waitedMs: number;
  state: string;
}

/**
 * Forces a new deployment of `services` services and waits on each with the SDK waiter.
 * @throws Error when the world cannot start or UpdateService fails.
 */
export async function measureSdkWaiter(services: number, maxWaitSeconds: number): Promise<WaiterSample[]> {
  const world = await startSimWorld({ services, pollMs: 2000 });
  const clients = simClients(world);
  try {
    const region = 'us-east-1';
    const client = clients.ecs(region);
    const configured = Object.values(parseConfig(world.configYaml).services);
    world.clearCalls();
    return await Promise.all(configured.map((s) => waitOne(world, client, s.cluster, s.service, maxWaitSeconds)));
  } finally {
    clients.destroy();
    await world.close();
  }
}

async function waitOne(
  world: SimWorld,
  client: ECSClient,
  cluster: string,
  service: string,
  maxWaitSeconds: number,
): Promise<WaiterSample> {
  const started = Date.now();
  await client.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
  const result = await waitUntilServicesStable(
    { client, maxWaitTime: maxWaitSeconds },
    { cluster, services: [service] },
  );
  const done = Date.now();
  const mark = world.rolloutMarks().find((m) => m.service === service && m.state === 'COMPLETED' && m.at >= started);
  const describes = world
    .calls()
    .filter(
      (c) =>
        c.operation === 'DescribeServices' &&
        c.at >= started &&
        c.at <= done &&
        JSON.stringify(c.params.services ?? []).includes(`"${service}"`),
    );
  return {
    detectionMs: mark ? done - mark.at : Number.NaN,
    describeServicesCalls: describes.length,
    waitedMs: done - started,
    state: result.state,
  };
}
