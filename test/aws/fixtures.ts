/**
 * Named AWS responses, shaped as the SDK returns them for the guide's backend service.
 */
import type { DescribeServicesCommandOutput, DescribeTaskDefinitionCommandOutput, Service } from '@aws-sdk/client-ecs';
import type { NamedService } from '../../src/config/schema';
import { serviceSchema } from '../../src/config/schema';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const CLUSTER = 'mentalspace-ehr-prod';
export const SERVICE = 'mentalspace-backend';
export const APP_CONTAINER = 'mentalspace-backend';
export const SIDECAR_CONTAINER = 'datadog-agent';
export const REPOSITORY = 'mentalspace-backend';
export const TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/mentalspace-tg/0f2a9c1e7b3d4a56`;
export const LOG_GROUP = '/ecs/mentalspace-backend-prod';

export const SHA = 'abc1234';
export const DIGEST = 'sha256:4f9d3c2b1a0e8d7c6b5a4938271605948372615f4e3d2c1b0a99887766554433';
export const OLD_DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
export const IMAGE_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${REPOSITORY}@${DIGEST}`;
export const OLD_IMAGE_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${REPOSITORY}@${OLD_DIGEST}`;

export const TASK_DEF_ARN_41 = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/mentalspace-backend-prod:41`;
export const TASK_DEF_ARN_42 = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/mentalspace-backend-prod:42`;

/** The app container as ECS describes it (with the empty lists ECS always sends). */
export const APP_CONTAINER_DEF = {
  name: APP_CONTAINER,
  image: OLD_IMAGE_URI,
  cpu: 0,
  portMappings: [{ containerPort: 3001, hostPort: 3001, protocol: 'tcp' as const }],
  essential: true,
  environment: [
    { name: 'NODE_ENV', value: 'production' },
    { name: 'PORT', value: '3001' },
  ],
  mountPoints: [],
  volumesFrom: [],
  secrets: [
    { name: 'DATABASE_URL', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:mentalspace/db-AbCdEf` },
  ],
  logConfiguration: {
    logDriver: 'awslogs' as const,
    options: { 'awslogs-group': LOG_GROUP, 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
  },
  healthCheck: {
    command: ['CMD-SHELL', 'curl -f http://localhost:3001/api/v1/health/live || exit 1'],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod: 60,
  },
  systemControls: [],
};

/** The Datadog sidecar: must come back byte-for-byte the same. */
export const SIDECAR_CONTAINER_DEF = {
  name: SIDECAR_CONTAINER,
  image: 'public.ecr.aws/datadog/agent:7.52.0',
  cpu: 64,
  memoryReservation: 256,
  portMappings: [{ containerPort: 8126, hostPort: 8126, protocol: 'tcp' as const }],
  essential: false,
  environment: [
    { name: 'ECS_FARGATE', value: 'true' },
    { name: 'DD_APM_ENABLED', value: 'true' },
  ],
  mountPoints: [],
  volumesFrom: [],
  secrets: [{ name: 'DD_API_KEY', valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/datadog/api-key` }],
  systemControls: [],
};

export const TAGS = [
  { key: 'app', value: 'mentalspace-ehr' },
  { key: 'env', value: 'prod' },
  { key: 'owner', value: 'platform' },
];

/** DescribeTaskDefinition({include: ['TAGS']}) for revision 41: read-only fields included. */
export function describedTaskDefinition41(): DescribeTaskDefinitionCommandOutput {
  return {
    $metadata: { httpStatusCode: 200 },
    taskDefinition: {
      taskDefinitionArn: TASK_DEF_ARN_41,
      containerDefinitions: [structuredClone(APP_CONTAINER_DEF), structuredClone(SIDECAR_CONTAINER_DEF)],
      family: 'mentalspace-backend-prod',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/mentalspace-backend-task`,
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
      networkMode: 'awsvpc',
      revision: 41,
      volumes: [],
      status: 'ACTIVE',
      requiresAttributes: [
        { name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' },
        { name: 'ecs.capability.secrets.asm.environment-variables' },
      ],
      placementConstraints: [],
      compatibilities: ['EC2', 'FARGATE'],
      requiresCompatibilities: ['FARGATE'],
      cpu: '1024',
      memory: '2048',
      runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
      registeredAt: new Date('2025-05-02T14:03:11Z'),
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/github-actions-deploy/session`,
    },
    tags: structuredClone(TAGS),
  };
}

/** What RegisterTaskDefinition should receive when revision 41's app image becomes IMAGE_URI. */
export function expectedRegisterInput() {
  return {
    containerDefinitions: [
      {
        name: APP_CONTAINER,
        image: IMAGE_URI,
        cpu: 0,
        portMappings: APP_CONTAINER_DEF.portMappings,
        essential: true,
        environment: APP_CONTAINER_DEF.environment,
        secrets: APP_CONTAINER_DEF.secrets,
        logConfiguration: APP_CONTAINER_DEF.logConfiguration,
        healthCheck: APP_CONTAINER_DEF.healthCheck,
      },
      {
        name: SIDECAR_CONTAINER,
        image: 'public.ecr.aws/datadog/agent:7.52.0',
        cpu: 64,
        memoryReservation: 256,
        portMappings: SIDECAR_CONTAINER_DEF.portMappings,
        essential: false,
        environment: SIDECAR_CONTAINER_DEF.environment,
        secrets: SIDECAR_CONTAINER_DEF.secrets,
      },
    ],
    family: 'mentalspace-backend-prod',
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/mentalspace-backend-task`,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '2048',
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    tags: TAGS,
  };
}

/** RegisterTaskDefinition's answer: revision 42 with the new image. */
export function registeredTaskDefinition42() {
  const described = describedTaskDefinition41();
  const td = described.taskDefinition!;
  td.taskDefinitionArn = TASK_DEF_ARN_42;
  td.revision = 42;
  td.containerDefinitions![0].image = IMAGE_URI;
  td.registeredAt = new Date('2025-05-03T09:00:00Z');
  return { $metadata: {}, taskDefinition: td, tags: structuredClone(TAGS) };
}

/** A service mid-rollout: revision 42 PRIMARY, 41 ACTIVE, circuit breaker with rollback. */
export function rollingService(): Service {
  return {
    serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`,
    serviceName: SERVICE,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: 3,
    pendingCount: 1,
    launchType: 'FARGATE',
    taskDefinition: TASK_DEF_ARN_42,
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    deployments: [
      {
        id: 'ecs-svc/1111111111111111111',
        status: 'PRIMARY',
        taskDefinition: TASK_DEF_ARN_42,
        desiredCount: 2,
        pendingCount: 1,
        runningCount: 1,
        failedTasks: 0,
        createdAt: new Date('2025-05-03T09:00:05Z'),
        updatedAt: new Date('2025-05-03T09:01:10Z'),
        launchType: 'FARGATE',
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment ecs-svc/1111111111111111111 in progress.',
      },
      {
        id: 'ecs-svc/2222222222222222222',
        status: 'ACTIVE',
        taskDefinition: TASK_DEF_ARN_41,
        desiredCount: 2,
        pendingCount: 0,
        runningCount: 2,
        failedTasks: 0,
        createdAt: new Date('2025-05-02T14:05:00Z'),
        updatedAt: new Date('2025-05-02T14:09:00Z'),
        launchType: 'FARGATE',
        rolloutState: 'COMPLETED',
        rolloutStateReason: 'ECS deployment ecs-svc/2222222222222222222 completed.',
      },
    ],
    events: [
      {
        id: 'ev-3',
        createdAt: new Date('2025-05-03T09:01:10Z'),
        message: `(service ${SERVICE}) registered 1 targets in (target-group ${TARGET_GROUP_ARN})`,
      },
      {
        id: 'ev-2',
        createdAt: new Date('2025-05-03T09:00:20Z'),
        message: `(service ${SERVICE}) has started 1 tasks: (task 9f8e7d6c5b4a39281706f5e4d3c2b1a0).`,
      },
      {
        id: 'ev-1',
        createdAt: new Date('2025-05-02T14:09:00Z'),
        message: `(service ${SERVICE}) has reached a steady state.`,
      },
    ],
  };
}

export function describedServices(...services: Service[]): DescribeServicesCommandOutput {
  return { $metadata: { httpStatusCode: 200 }, services, failures: [] };
}

/** The configured backend service, as getService() would return it. */
export function backendService(overrides: Record<string, unknown> = {}): NamedService {
  const parsed = serviceSchema.parse({
    cluster: CLUSTER,
    service: SERVICE,
    container: APP_CONTAINER,
    ecrRepository: REPOSITORY,
    targetGroupArn: TARGET_GROUP_ARN,
    logGroup: LOG_GROUP,
    baseUrl: 'https://api.mentalspaceehr.com',
    ...overrides,
  });
  return { ...parsed, name: 'backend', region: REGION };
}
