/**
 * The world a simulator starts with: clusters, services running revision 1 of their family,
 * an ECR repository with a few images, target groups and log groups.
 */
import { digestOf, fakeGitSha } from './ids';
import { DEFAULT_KNOBS, REGISTRY, type SimCluster, type SimImage, type SimService, type SimState } from './model';
import { arn as arns, deploymentArns } from './ids';
import { addEvent, createTask, newDeployment } from './legacy';
import { finishRecord, startRecord } from './service-deployments';
import { configureServices } from './strategies';
import { alarmNameOf } from './task-failures';
import type { ScenarioName } from './scenarios';
import { registerTaskDefinition } from './task-definitions';
import { appendLog } from './task-logs';

export const DEMO_CLUSTER = 'demo-cluster';
export const DEMO_SERVICE = 'demo-backend';
export const DEMO_REPOSITORY = 'demo-backend';
export const APP_CONTAINER = 'backend';
export const SIDECAR_CONTAINER = 'log-router';
export const SIDECAR_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4';
const DAY = 86_400_000;

export interface SeedOptions {
  scenario: ScenarioName;
  /** Services in all (default 1: `demo-backend`). */
  services: number;
  /** Clusters the services are spread over (default 1: `demo-cluster`). */
  clusters: number;
  desiredCount: number;
  /** Also a staging service (`backend-staging`, ECS `demo-backend-staging` in cluster `demo-staging`) that `backend` promotes from. */
  staging?: boolean;
}

export const STAGING_CLUSTER = 'demo-staging';
export const STAGING_SERVICE = 'demo-backend-staging';
export const STAGING_KEY = 'backend-staging';

/** Three commits' images, oldest first; the first is what the services run at the start. */
function seedImages(now: number): SimImage[] {
  return [1, 2, 3].map((n) => {
    const sha = fakeGitSha(`demo-backend commit ${n}`);
    return {
      repository: DEMO_REPOSITORY,
      tag: sha.slice(0, 7),
      sha,
      digest: digestOf(`demo-backend image ${sha}`),
      pushedAt: new Date(now - (4 - n) * DAY),
      sizeBytes: 98_000_000 + n * 1_234_567,
    };
  });
}

function taskDefinitionInput(family: string, logGroup: string, image: SimImage): Record<string, unknown> {
  return {
    family,
    taskRoleArn: arns.role(`${family}-task`),
    executionRoleArn: arns.role('ecsTaskExecutionRole'),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: [
      {
        name: APP_CONTAINER,
        image: `${REGISTRY}/${image.repository}@${image.digest}`,
        essential: true,
        portMappings: [{ containerPort: 3001, hostPort: 3001, protocol: 'tcp' }],
        environment: [
          { name: 'NODE_ENV', value: 'production' },
          { name: 'PORT', value: '3001' },
        ],
        secrets: [
          {
            name: 'DATABASE_URL',
            valueFrom: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${family}/database-url`,
          },
        ],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': logGroup, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': APP_CONTAINER },
        },
        healthCheck: {
          command: ['CMD-SHELL', 'wget -qO- http://localhost:3001/api/v1/health/live || exit 1'],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 60,
        },
      },
      {
        name: SIDECAR_CONTAINER,
        image: SIDECAR_IMAGE,
        essential: false,
        memoryReservation: 50,
        firelensConfiguration: { type: 'fluentbit' },
      },
    ],
    tags: [
      { key: 'team', value: 'platform' },
      { key: 'service', value: family },
      { key: 'environment', value: 'demo' },
    ],
  };
}

function seedService(
  state: SimState,
  cluster: SimCluster,
  identity: { name: string; key: string },
  options: SeedOptions,
  image: SimImage,
  now: number,
): SimService {
  const { name, key } = identity;
  const logGroup = `/ecs/${name}`;
  state.logGroups.set(logGroup, {
    name: logGroup,
    arn: arns.logGroup(logGroup),
    createdAt: new Date(now - 90 * DAY),
    events: [],
  });
  const definition = registerTaskDefinition(state, taskDefinitionInput(name, logGroup, image), new Date(now - DAY));
  const targetGroupArn = arns.targetGroup(`${name}-tg`);
  const alternateTargetGroupArn = arns.targetGroup(`${name}-tg-green`);
  const service: SimService = {
    name,
    revisions: [],
    serviceDeployments: [],
    stoppedTasks: [],
    alarmNames: [],
    strategy: { strategy: 'ROLLING', bakeTimeInMinutes: 0, lifecycleHooks: [] },
    blueGreen: {
      alternateTargetGroupArn,
      productionListenerRule: deploymentArns.listenerRule(`${name}-production`, '7f3a9c1e5b2d4a60'),
      testListenerRule: deploymentArns.listenerRule(`${name}-test`, '2c8e6b0d4f1a3e95'),
      roleArn: arns.role('ecsInfrastructureRoleForLoadBalancers'),
      productionTargetGroupArn: targetGroupArn,
    },
    arn: arns.service(cluster.name, name),
    cluster: cluster.name,
    key,
    container: APP_CONTAINER,
    desiredCount: options.desiredCount,
    createdAt: new Date(now - 90 * DAY),
    circuitBreaker: { enable: true, rollback: true },
    targetGroupArn,
    logGroup,
    deployments: [],
    events: [],
    tasks: [],
    targets: [],
    completedTaskDefinitions: new Set([definition.arn]),
    steadyAnnounced: true,
    ticks: 0,
    requests: 0,
  };
  service.alarmNames = [alarmNameOf(service)];
  configureServices([service], options.scenario);
  state.targetGroups.set(targetGroupArn, { arn: targetGroupArn, name: `${name}-tg`, port: 3001, service });
  state.targetGroups.set(alternateTargetGroupArn, {
    arn: alternateTargetGroupArn,
    name: `${name}-tg-green`,
    port: 3001,
    service,
  });
  seedRunningDeployment(state, service, definition.arn, now);
  return service;
}

/** Revision 1 already rolled out a day ago: COMPLETED, tasks running, targets healthy, a few log lines. */
function seedRunningDeployment(state: SimState, service: SimService, taskDefinition: string, now: number): void {
  const deployment = newDeployment(taskDefinition, service.desiredCount, 'healthy');
  deployment.createdAt = new Date(now - DAY);
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = new Date(now - DAY + 180_000);
  service.deployments.push(deployment);
  service.lastCompleted = { id: deployment.id, taskDefinition };
  const record = startRecord(state, service, deployment, [], deployment.createdAt);
  record.startedAt = deployment.createdAt;
  finishRecord(state, record, 'SUCCESSFUL', 'Service deployment completed successfully.');
  record.finishedAt = record.updatedAt = deployment.updatedAt;
  if (record.config.strategy !== 'ROLLING') record.lifecycleStage = 'CLEAN_UP';
  const group = state.logGroups.get(service.logGroup);
  for (let i = 0; i < service.desiredCount; i += 1) {
    const task = createTask(service, deployment, 'RUNNING');
    task.startedAt = new Date(now - DAY + 60_000);
    service.targets.push({
      id: task.ip,
      port: 3001,
      taskId: task.id,
      state: 'healthy',
      age: 10,
      healthy: true,
      targetGroupArn: service.targetGroupArn,
    });
    addEvent(service, `has started 1 tasks: (task ${task.id}).`, new Date(now - DAY + 30_000 + i));
    if (group)
      appendLog(
        group,
        `${APP_CONTAINER}/${APP_CONTAINER}/${task.id}`,
        'INFO Server listening on port 3001',
        now - 60_000 + i,
      );
  }
  addEvent(service, `(deployment ${deployment.id}) deployment completed.`, deployment.updatedAt);
  addEvent(service, 'has reached a steady state.', new Date(now - 3_600_000));
  service.steadyAnnounced = true;
}

/** Builds the initial world. */
export function seedWorld(options: SeedOptions, now = Date.now()): SimState {
  const state: SimState = {
    clusters: new Map(),
    taskDefinitions: [],
    repositories: new Map(),
    images: new Map(),
    targetGroups: new Map(),
    logGroups: new Map(),
    scenario: options.scenario,
    clockOffsetMs: 0,
    knobs: { ...DEFAULT_KNOBS },
  };
  const images = seedImages(now);
  state.images.set(DEMO_REPOSITORY, images);
  state.repositories.set(DEMO_REPOSITORY, {
    name: DEMO_REPOSITORY,
    arn: arns.repository(DEMO_REPOSITORY),
    uri: `${REGISTRY}/${DEMO_REPOSITORY}`,
    createdAt: new Date(now - 120 * DAY),
  });
  const clusterCount = Math.max(1, Math.min(options.clusters, options.services));
  const clusters: SimCluster[] = Array.from({ length: clusterCount }, (_, i) => {
    const name = i === 0 ? DEMO_CLUSTER : `${DEMO_CLUSTER}-${i + 1}`;
    return { name, arn: arns.cluster(name), services: [] };
  });
  for (const cluster of clusters) state.clusters.set(cluster.name, cluster);
  for (let index = 1; index <= Math.max(1, options.services); index += 1) {
    const cluster = clusters[(index - 1) % clusters.length];
    const identity =
      index === 1
        ? { name: DEMO_SERVICE, key: 'backend' }
        : { name: `${DEMO_SERVICE}-${index}`, key: `backend-${index}` };
    cluster.services.push(seedService(state, cluster, identity, options, images[0], now));
  }
  if (options.staging) seedStaging(state, options, images[0], now);
  return state;
}

/** A staging environment in a cluster of its own, running the same first image; `backend` promotes from it. */
function seedStaging(state: SimState, options: SeedOptions, image: SimImage, now: number): void {
  const cluster: SimCluster = { name: STAGING_CLUSTER, arn: arns.cluster(STAGING_CLUSTER), services: [] };
  state.clusters.set(cluster.name, cluster);
  cluster.services.push(seedService(state, cluster, { name: STAGING_SERVICE, key: STAGING_KEY }, options, image, now));
  const production = state.clusters.get(DEMO_CLUSTER)?.services.find((s) => s.key === 'backend');
  if (production) production.promotesFrom = STAGING_KEY;
}
