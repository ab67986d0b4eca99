/**
 * Named ECS answers about service deployments, revisions, stopped tasks and blue/green services,
 * shaped as the SDK returns them for the guide's backend service.
 */
import type {
  DescribeServiceDeploymentsCommandOutput,
  DescribeServiceRevisionsCommandOutput,
  ListServiceDeploymentsCommandOutput,
  Service,
  ServiceDeployment,
  Task,
} from '@aws-sdk/client-ecs';
import {
  ACCOUNT,
  CLUSTER,
  REGION,
  SERVICE,
  TARGET_GROUP_ARN,
  TASK_DEF_ARN_41,
  TASK_DEF_ARN_42,
  rollingService,
} from './fixtures';

const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`;
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const DEPLOYMENT_ARN_NEW = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/NewDeploy42`;
export const DEPLOYMENT_ARN_OLD = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/OldDeploy41`;
export const REVISION_ARN_42 = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${CLUSTER}/${SERVICE}/4242424242`;
export const REVISION_ARN_41 = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${CLUSTER}/${SERVICE}/4141414141`;
export const GREEN_TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/mentalspace-tg-green/1a2b3c4d5e6f7a8b`;
export const PROD_RULE_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/mentalspace-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
export const TEST_RULE_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:listener-rule/app/mentalspace-alb/50dc6c495c0c9188/a1b2c3d4e5f6a7b8/1234abcd5678ef90`;
export const HOOK_ID = 'hook-0a1b2c3d';
export const TASK_ARN = (id: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${CLUSTER}/${id}`;

/** ListServiceDeployments: the new deployment in progress, the previous one successful (oldest first, as a page may come). */
export function listedDeployments(nextToken?: string): ListServiceDeploymentsCommandOutput {
  return {
    $metadata: {},
    serviceDeployments: [
      {
        serviceDeploymentArn: DEPLOYMENT_ARN_OLD,
        serviceArn: SERVICE_ARN,
        clusterArn: CLUSTER_ARN,
        createdAt: new Date('2025-05-02T14:05:00Z'),
        startedAt: new Date('2025-05-02T14:05:01Z'),
        finishedAt: new Date('2025-05-02T14:09:00Z'),
        targetServiceRevisionArn: REVISION_ARN_41,
        status: 'SUCCESSFUL',
      },
      {
        serviceDeploymentArn: DEPLOYMENT_ARN_NEW,
        serviceArn: SERVICE_ARN,
        clusterArn: CLUSTER_ARN,
        createdAt: new Date('2025-05-03T09:00:05Z'),
        startedAt: new Date('2025-05-03T09:00:06Z'),
        targetServiceRevisionArn: REVISION_ARN_42,
        status: 'IN_PROGRESS',
        statusReason: 'ECS deployment in progress.',
      },
    ],
    ...(nextToken ? { nextToken } : {}),
  };
}

/** What every described state of the new deployment shares: who it is and when it began. */
function newDeploymentStart(): ServiceDeployment {
  return {
    serviceDeploymentArn: DEPLOYMENT_ARN_NEW,
    serviceArn: SERVICE_ARN,
    clusterArn: CLUSTER_ARN,
    createdAt: new Date('2025-05-03T09:00:05Z'),
    startedAt: new Date('2025-05-03T09:00:06Z'),
  };
}

/** DescribeServiceDeployments: a rolling deployment of 42 that ECS rolled back to 41 on a CloudWatch alarm. */
export function rolledBackByAlarm(): ServiceDeployment {
  return {
    ...newDeploymentStart(),
    finishedAt: new Date('2025-05-03T09:07:30Z'),
    updatedAt: new Date('2025-05-03T09:07:30Z'),
    sourceServiceRevisions: [{ arn: REVISION_ARN_41, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 }],
    targetServiceRevision: { arn: REVISION_ARN_42, requestedTaskCount: 0, runningTaskCount: 0, pendingTaskCount: 0 },
    status: 'ROLLBACK_SUCCESSFUL',
    statusReason: 'Service deployment rolled back because CloudWatch alarm(s) triggered.',
    deploymentConfiguration: { strategy: 'ROLLING', deploymentCircuitBreaker: { enable: true, rollback: true } },
    rollback: {
      reason: 'Service deployment rolled back because CloudWatch alarm(s) triggered.',
      startedAt: new Date('2025-05-03T09:05:00Z'),
      serviceRevisionArn: REVISION_ARN_41,
    },
    deploymentCircuitBreaker: { status: 'MONITORING_COMPLETE', failureCount: 0, threshold: 3 },
    alarms: {
      status: 'TRIGGERED',
      alarmNames: ['backend-5xx', 'backend-latency'],
      triggeredAlarmNames: ['backend-5xx'],
    },
  };
}

/** DescribeServiceDeployments: a blue/green deployment paused at POST_TEST_TRAFFIC_SHIFT, waiting for a person. */
export function pausedBlueGreen(): ServiceDeployment {
  return {
    ...newDeploymentStart(),
    sourceServiceRevisions: [
      {
        arn: REVISION_ARN_41,
        requestedTaskCount: 2,
        runningTaskCount: 2,
        pendingTaskCount: 0,
        requestedProductionTrafficWeight: 100,
        requestedTestTrafficWeight: 0,
      },
    ],
    targetServiceRevision: {
      arn: REVISION_ARN_42,
      requestedTaskCount: 2,
      runningTaskCount: 2,
      pendingTaskCount: 0,
      requestedProductionTrafficWeight: 0,
      requestedTestTrafficWeight: 100,
    },
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
    lifecycleHookDetails: [
      {
        hookId: 'hook-lambda-1',
        targetType: 'AWS_LAMBDA',
        targetArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:warm-up`,
        status: 'SUCCEEDED',
      },
      {
        hookId: HOOK_ID,
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAt: new Date('2025-05-03T10:00:06Z'),
        timeoutAction: 'ROLLBACK',
      },
    ],
  };
}

export function describedDeployments(
  ...serviceDeployments: ServiceDeployment[]
): DescribeServiceDeploymentsCommandOutput {
  return { $metadata: {}, serviceDeployments, failures: [] };
}

/** DescribeServiceRevisions for revisions 41 and 42. */
export function describedRevisions(): DescribeServiceRevisionsCommandOutput {
  return {
    $metadata: {},
    serviceRevisions: [
      {
        serviceRevisionArn: REVISION_ARN_42,
        serviceArn: SERVICE_ARN,
        clusterArn: CLUSTER_ARN,
        taskDefinition: TASK_DEF_ARN_42,
      },
      {
        serviceRevisionArn: REVISION_ARN_41,
        serviceArn: SERVICE_ARN,
        clusterArn: CLUSTER_ARN,
        taskDefinition: TASK_DEF_ARN_41,
      },
    ],
    failures: [],
  };
}

/** DescribeTasks: stopped tasks of revision 42 (an image ECS could not pull), and one of 41 stopped the day before. */
export function stoppedTasks(): Task[] {
  return [
    {
      taskArn: TASK_ARN('aaaa1111'),
      taskDefinitionArn: TASK_DEF_ARN_42,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref',
      stoppedAt: new Date('2025-05-03T09:01:00Z'),
    },
    {
      taskArn: TASK_ARN('bbbb2222'),
      taskDefinitionArn: TASK_DEF_ARN_42,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref',
      stoppedAt: new Date('2025-05-03T09:02:00Z'),
    },
    {
      taskArn: TASK_ARN('cccc3333'),
      taskDefinitionArn: TASK_DEF_ARN_41,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/2222222222222222222)',
      stoppedAt: new Date('2025-05-02T14:08:00Z'),
    },
  ];
}

/** A blue/green service: alternate target group, production and test listener rules, a PAUSE hook, bake time. */
export function blueGreenService(): Service {
  return {
    ...rollingService(),
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 10,
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      alarms: { enable: true, rollback: true, alarmNames: ['backend-5xx'] },
      lifecycleHooks: [
        {
          targetType: 'PAUSE',
          lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
          timeoutConfiguration: { timeoutInMinutes: 60, action: 'ROLLBACK' },
        },
      ],
    },
    loadBalancers: [
      {
        targetGroupArn: TARGET_GROUP_ARN,
        containerName: SERVICE,
        containerPort: 3001,
        advancedConfiguration: {
          alternateTargetGroupArn: GREEN_TARGET_GROUP_ARN,
          productionListenerRule: PROD_RULE_ARN,
          testListenerRule: TEST_RULE_ARN,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/ecs-infrastructure-role`,
        },
      },
    ],
  };
}
