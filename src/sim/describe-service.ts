/** A service as DescribeServices (and UpdateService) answer with it. */
import type { SimStrategyConfig } from './deployment-model';
import { ACCOUNT_ID, primaryDeployment, type SimDeployment, type SimService } from './model';

export const NETWORK = {
  awsvpcConfiguration: {
    subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-0f1e2d3c4b5a69788'],
    securityGroups: ['sg-0123456789abcdef0'],
    assignPublicIp: 'DISABLED',
  },
};

export function count(service: SimService, state: 'RUNNING' | 'PENDING', deploymentId?: string): number {
  return service.tasks.filter(
    (t) => t.state === state && (deploymentId === undefined || t.deploymentId === deploymentId),
  ).length;
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
    loadBalancers: [loadBalancer(service)],
    serviceRegistries: [],
    status: 'ACTIVE',
    desiredCount: service.desiredCount,
    runningCount: count(service, 'RUNNING'),
    pendingCount: count(service, 'PENDING'),
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: primaryDeployment(service).taskDefinition,
    deploymentConfiguration: deploymentConfiguration(service.strategy, service.circuitBreaker, service.alarmNames),
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

function loadBalancer(service: SimService): Record<string, unknown> {
  const { alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn } = service.blueGreen;
  const advanced =
    service.strategy.strategy === 'ROLLING'
      ? {}
      : { advancedConfiguration: { alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn } };
  return { targetGroupArn: service.targetGroupArn, containerName: service.container, containerPort: 3001, ...advanced };
}

/**
 * `deploymentConfiguration` as ECS answers it: a service's (DescribeServices) or the one a service
 * deployment was created with (DescribeServiceDeployments). Copies, so an answer never aliases the world.
 */
export function deploymentConfiguration(
  config: SimStrategyConfig,
  circuitBreaker: { enable: boolean; rollback: boolean },
  alarmNames: string[],
): Record<string, unknown> {
  const { strategy, bakeTimeInMinutes, lifecycleHooks, linearConfiguration, canaryConfiguration } = config;
  return {
    deploymentCircuitBreaker: { ...circuitBreaker },
    maximumPercent: 200,
    minimumHealthyPercent: 100,
    alarms: { alarmNames: [...alarmNames], enable: alarmNames.length > 0, rollback: true },
    strategy,
    ...(strategy === 'ROLLING' ? {} : { bakeTimeInMinutes, lifecycleHooks: structuredClone(lifecycleHooks) }),
    ...(linearConfiguration ? { linearConfiguration: { ...linearConfiguration } } : {}),
    ...(canaryConfiguration ? { canaryConfiguration: { ...canaryConfiguration } } : {}),
  };
}
