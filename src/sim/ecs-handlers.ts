/** The simulated ECS API (JSON 1.1, target prefix `AmazonEC2ContainerServiceV20141113`). */
import { ACCOUNT_ID, primaryDeployment, type SimCluster, type SimDeployment, type SimService, type SimState } from './model';
import { applyServiceUpdate } from './rollout';
import { registerTaskDefinition, requireTaskDefinition } from './task-definitions';
import { AwsError } from './wire';

export type Handler = (state: SimState, params: Record<string, unknown>) => unknown;

const NETWORK = {
  awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'], securityGroups: ['sg-0123456789abcdef0'], assignPublicIp: 'DISABLED' },
};

function nameOf(ref: string): string {
  return ref.startsWith('arn:') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
}

function findCluster(state: SimState, ref: unknown): SimCluster | undefined {
  return state.clusters.get(nameOf(typeof ref === 'string' && ref ? ref : 'default'));
}

/** @throws AwsError `ClusterNotFoundException` */
function requireCluster(state: SimState, ref: unknown): SimCluster {
  const cluster = findCluster(state, ref);
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

function count(service: SimService, state: 'RUNNING' | 'PENDING', deploymentId?: string): number {
  return service.tasks.filter((t) => t.state === state && (deploymentId === undefined || t.deploymentId === deploymentId)).length;
}

function describeDeployment(service: SimService, d: SimDeployment): Record<string, unknown> {
  return {
    id: d.id,
    status: d.status,
    taskDefinition: d.taskDefinition,
    desiredCount: d.desiredCount,
    pendingCount: count(service, 'PENDING', d.id),
    runningCount: count(service, 'RUNNING', d.id),
    failedTasks: d.failedTasks,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    networkConfiguration: NETWORK,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
  };
}

export function describeService(service: SimService, clusterArn: string): Record<string, unknown> {
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn,
    loadBalancers: [{ targetGroupArn: service.targetGroupArn, containerName: service.container, containerPort: 3001 }],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: service.desiredCount,
    runningCount: count(service, 'RUNNING'),
    pendingCount: count(service, 'PENDING'),
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: primaryDeployment(service).taskDefinition,
    deploymentConfiguration: { deploymentCircuitBreaker: { ...service.circuitBreaker }, maximumPercent: 200, minimumHealthyPercent: 100 },
    deployments: service.deployments.map((d) => describeDeployment(service, d)),
    roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: service.events.map((e) => ({ id: e.id, createdAt: e.createdAt, message: e.message })),
    createdAt: service.createdAt,
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: NETWORK,
    healthCheckGracePeriodSeconds: 60,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: `arn:aws:iam::${ACCOUNT_ID}:role/platform-admin`,
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    enableExecuteCommand: false,
    availabilityZoneRebalancing: 'ENABLED',
  };
}

function findService(cluster: SimCluster, ref: unknown): SimService | undefined {
  return typeof ref === 'string' ? cluster.services.find((s) => s.name === nameOf(ref)) : undefined;
}

const describeServices: Handler = (state, params) => {
  const cluster = requireCluster(state, params.cluster);
  const refs = params.services;
  if (!Array.isArray(refs) || refs.length === 0) throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
  if (refs.length > 10) throw new AwsError('InvalidParameterException', 'Services cannot contain more than 10 elements.');
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const service = findService(cluster, ref);
    if (service) services.push(describeService(service, cluster.arn));
    else failures.push({ arn: String(ref).startsWith('arn:') ? ref : `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:service/${cluster.name}/${ref}`, reason: 'MISSING' });
  }
  return { services, failures };
};

const describeClusters: Handler = (state, params) => {
  const refs = Array.isArray(params.clusters) && params.clusters.length ? (params.clusters as unknown[]) : ['default'];
  const clusters: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const cluster = findCluster(state, ref);
    if (!cluster) {
      failures.push({ arn: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:cluster/${nameOf(String(ref))}`, reason: 'MISSING' });
      continue;
    }
    clusters.push({
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: cluster.services.reduce((n, s) => n + count(s, 'RUNNING'), 0),
      pendingTasksCount: cluster.services.reduce((n, s) => n + count(s, 'PENDING'), 0),
      activeServicesCount: cluster.services.length,
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [],
    });
  }
  return { clusters, failures };
};

const describeTaskDefinition: Handler = (state, params) => {
  const definition = requireTaskDefinition(state, params.taskDefinition);
  const include = Array.isArray(params.include) ? params.include : [];
  return { taskDefinition: definition.body, ...(include.includes('TAGS') ? { tags: definition.tags } : {}) };
};

const registerTaskDefinitionHandler: Handler = (state, params) => {
  const definition = registerTaskDefinition(state, params);
  return { taskDefinition: definition.body, tags: definition.tags };
};

const updateService: Handler = (state, params) => {
  const cluster = requireCluster(state, params.cluster);
  const service = findService(cluster, params.service);
  if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
  const desired = params.desiredCount;
  if (desired !== undefined && (typeof desired !== 'number' || !Number.isInteger(desired) || desired < 0)) {
    throw new AwsError('InvalidParameterException', 'desiredCount must be a non-negative integer.');
  }
  let taskDefinition: string | undefined;
  if (params.taskDefinition !== undefined) {
    try {
      taskDefinition = requireTaskDefinition(state, params.taskDefinition).arn;
    } catch {
      throw new AwsError('ClientException', 'TaskDefinition not found.');
    }
  }
  applyServiceUpdate(state, service, { taskDefinition, desiredCount: desired as number | undefined, force: params.forceNewDeployment === true });
  return { service: describeService(service, cluster.arn) };
};

export const ecsHandlers: Record<string, Handler> = {
  DescribeServices: describeServices,
  DescribeClusters: describeClusters,
  DescribeTaskDefinition: describeTaskDefinition,
  RegisterTaskDefinition: registerTaskDefinitionHandler,
  UpdateService: updateService,
};
