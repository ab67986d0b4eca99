/** The simulated ECS API (JSON 1.1, target prefix `AmazonEC2ContainerServiceV20141113`). */
import { freezeBeforeWrite, frozenService } from './consistency';
import { count, describeService } from './describe-service';
import { findCluster, findService, nameOf, requireCluster, requireService } from './ecs-lookup';
import { ACCOUNT_ID, type SimState } from './model';
import { startOutageAfterWrite } from './outage';
import { applyServiceUpdate } from './rollout';
import { registerTaskDefinition, requireTaskDefinition } from './task-definitions';
import { AwsError } from './wire';

export type Handler = (state: SimState, params: Record<string, unknown>) => unknown;

const describeServices: Handler = (state, params) => {
  const cluster = requireCluster(state, params.cluster);
  const refs: unknown = params.services;
  if (!Array.isArray(refs) || refs.length === 0)
    throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
  if (refs.length > 10)
    throw new AwsError('InvalidParameterException', 'Services cannot contain more than 10 elements.');
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs as unknown[]) {
    const service = findService(cluster, ref);
    if (service) services.push(frozenService(state, service) ?? describeService(service, cluster.arn));
    else
      failures.push({
        arn: String(ref).startsWith('arn:')
          ? ref
          : `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:service/${cluster.name}/${String(ref)}`,
        reason: 'MISSING',
      });
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
  const service = requireService(cluster, params.service);
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
  freezeBeforeWrite(state, service);
  applyServiceUpdate(state, service, {
    taskDefinition,
    desiredCount: desired,
    force: params.forceNewDeployment === true,
  });
  startOutageAfterWrite(state);
  return { service: describeService(service, cluster.arn) };
};

export const ecsHandlers: Record<string, Handler> = {
  DescribeServices: describeServices,
  DescribeClusters: describeClusters,
  DescribeTaskDefinition: describeTaskDefinition,
  RegisterTaskDefinition: registerTaskDefinitionHandler,
  UpdateService: updateService,
};
