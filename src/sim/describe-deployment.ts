/** A service deployment record as DescribeServiceDeployments answers with it. */
import type { SimServiceDeployment } from './deployment-model';
import { deploymentConfiguration } from './describe-service';
import type { SimService } from './model';
import { IN_FLIGHT } from './service-deployments';

function revisionSummary(
  service: SimService,
  record: SimServiceDeployment,
  arn: string,
  taskDefinition: string,
  green: boolean,
): Record<string, unknown> {
  const tasks = service.tasks.filter((t) => t.taskDefinition === taskDefinition);
  const traffic = record.traffic;
  const production = traffic ? (green ? traffic.production : 100 - traffic.production) : undefined;
  const test = traffic ? (green ? traffic.test : 100 - traffic.test) : undefined;
  return {
    arn,
    requestedTaskCount: green || !IN_FLIGHT.has(record.status) ? service.desiredCount : tasks.length,
    runningTaskCount: tasks.filter((t) => t.state === 'RUNNING').length,
    pendingTaskCount: tasks.filter((t) => t.state === 'PENDING').length,
    ...(traffic ? { requestedProductionTrafficWeight: production, requestedTestTrafficWeight: test } : {}),
  };
}

/** A record as DescribeServiceDeployments answers it. */
export function describeRecord(
  service: SimService,
  clusterArn: string,
  record: SimServiceDeployment,
): Record<string, unknown> {
  return {
    serviceDeploymentArn: record.arn,
    serviceArn: service.arn,
    clusterArn,
    createdAt: record.createdAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    stoppedAt: record.stoppedAt,
    updatedAt: record.updatedAt,
    sourceServiceRevisions: record.source.map((r) => revisionSummary(service, record, r.arn, r.taskDefinition, false)),
    targetServiceRevision: revisionSummary(service, record, record.target.arn, record.target.taskDefinition, true),
    status: record.status,
    statusReason: record.statusReason,
    lifecycleStage: record.lifecycleStage,
    lifecycleHookDetails: record.hooks.length
      ? record.hooks.map((h) => ({
          hookId: h.hookId,
          targetType: h.targetType,
          targetArn: h.targetArn,
          status: h.status,
          expiresAt: h.expiresAt,
          timeoutAction: h.timeoutAction,
        }))
      : undefined,
    deploymentConfiguration: deploymentConfiguration(
      record.config,
      record.config.circuitBreaker,
      record.alarms.alarmNames,
    ),
    rollback: record.rollback,
    deploymentCircuitBreaker: record.circuitBreaker,
    alarms: record.alarms,
  };
}
