import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient, type Service } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimWorld } from '../../src/sim';

/** Real SDK clients pointed at the world, with dummy credentials (as the adapters would be). */
export function sdkClients(world: SimWorld, maxAttempts = 3) {
  const config = {
    endpoint: world.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
  };
  return {
    ecs: new ECSClient(config),
    ecr: new ECRClient(config),
    elb: new ElasticLoadBalancingV2Client(config),
    logs: new CloudWatchLogsClient(config),
    destroy() {
      for (const c of [this.ecs, this.ecr, this.elb, this.logs]) c.destroy();
    },
  };
}

export async function describeDemoService(ecs: ECSClient): Promise<Service> {
  const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo-cluster', services: ['demo-backend'] }));
  const service = out.services?.[0];
  if (!service) throw new Error('demo-backend not described');
  return service;
}

/** Steps a manual world until `done` holds, failing after `max` steps. */
export async function stepUntil(
  world: SimWorld,
  ecs: ECSClient,
  done: (s: Service) => boolean,
  max = 60,
): Promise<Service> {
  for (let i = 0; i < max; i += 1) {
    const service = await describeDemoService(ecs);
    if (done(service)) return service;
    world.step();
  }
  throw new Error(`condition not reached within ${max} steps`);
}

/** Polls (real timers) until `check` returns a value, failing after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const PRIMARY = (s: Service) => s.deployments?.find((d) => d.status === 'PRIMARY');

/** Registers a revision of `demo-backend` with the `backend` container pinned to `digest`, as the adapter would. */
export async function registerRevision(ecs: ECSClient, digest: string): Promise<string> {
  const { DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const current = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-backend', include: ['TAGS'] }),
  );
  const {
    taskDefinitionArn,
    revision,
    status,
    requiresAttributes,
    compatibilities,
    registeredAt,
    registeredBy,
    deregisteredAt,
    ...rest
  } = current.taskDefinition!;
  const containerDefinitions = rest.containerDefinitions!.map((c) =>
    c.name === 'backend' ? { ...c, image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/demo-backend@${digest}` } : c,
  );
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand({ ...rest, family: rest.family!, containerDefinitions, tags: current.tags }),
  );
  return out.taskDefinition!.taskDefinitionArn!;
}
