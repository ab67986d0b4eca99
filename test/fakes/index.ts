/**
 * The engine on fake ports, for tests of the engine and of everything built on it (CLI, Slack).
 */
import { parseConfig } from '../../src/config/load';
import type { Config } from '../../src/config/schema';
import { Engine } from '../../src/engine/engine';
import type { ChangesPort } from '../../src/engine/changes';
import type { EcsPort, StorePort } from '../../src/engine/ports';
import { silentLogger } from '../../src/logger';
import { reportOnFinish } from '../../src/report';
import { openStore } from '../../src/store';
import { FakeAwsWorld } from './fake-aws';
import { FakeClock } from './fake-clock';
import { FakeHttpChecks } from './fake-http';

export { FakeAwsWorld, sha, digest, REGISTRY, serviceDeployment, type ServiceDeploymentsApi } from './fake-aws';
export { FakeClock } from './fake-clock';
export { FakeHttpChecks } from './fake-http';

export const TEST_CONFIG_YAML = `
region: us-east-1
access:
  deploy: [U0DEPLOYER, S0PLATFORM]
  rollback: [U0DEPLOYER, S0PLATFORM]
  stop: [U0DEPLOYER, U0ONCALL]
  restart: [U0DEPLOYER]
  approve: [U0LEAD, U0ONCALL]
services:
  backend:
    cluster: prod
    service: backend-svc
    container: backend
    ecrRepository: backend
    targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/backend-tg/0123456789abcdef
    logGroup: /ecs/backend-prod
    baseUrl: https://api.example.com
    repositoryUrl: https://github.com/example/backend
    timeouts: { stabilize: 15m, targetHealth: 5m, poll: 2s }
    logs: { errorPattern: ERROR }
`;

export interface TestEngine {
  engine: Engine;
  world: FakeAwsWorld;
  clock: FakeClock;
  http: FakeHttpChecks;
  store: StorePort;
  config: Config;
}

/**
 * `world`: share one AWS world (and its clock) between engines, as two processes share one account;
 * `ecs`: the ECS port this engine uses instead of the world's own (a wrapper around it).
 */
export function createTestEngine(
  o: {
    configYaml?: string;
    store?: StorePort;
    owner?: string;
    seed?: boolean;
    clock?: FakeClock;
    world?: FakeAwsWorld;
    ecs?: (world: FakeAwsWorld) => EcsPort;
    http?: (world: FakeAwsWorld) => FakeHttpChecks;
    /** Reads the commits a deploy ships (default: none, so no changes are shown). */
    changes?: ChangesPort;
  } = {},
): TestEngine {
  const world = o.world ?? new FakeAwsWorld(o.clock ?? new FakeClock());
  const clock = world.clock;
  if (o.seed !== false) world.seedService();
  const http = o.http?.(world) ?? new FakeHttpChecks(world);
  const store = o.store ?? openStore(':memory:');
  const config = parseConfig(o.configYaml ?? TEST_CONFIG_YAML);
  const engine = new Engine({
    config,
    ecr: world.ecr,
    ecs: o.ecs?.(world) ?? world.ecs,
    elb: world.elb,
    logs: world.logsPort,
    http,
    store,
    clock,
    onFinished: [reportOnFinish({ store, logger: silentLogger() })],
    owner: o.owner ?? 'test-host:1',
    changes: o.changes,
  });
  return { engine, world, clock, http, store, config };
}

export const alice = { id: 'U0DEPLOYER', name: 'alice', via: 'cli' as const };
export const bob = { id: 'U0LEAD', name: 'bob', via: 'slack' as const };
