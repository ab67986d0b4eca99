/**
 * Service deployment records as ECS keeps them: one per deployment UpdateService starts, moving
 * PENDING → IN_PROGRESS → SUCCESSFUL, or into ROLLBACK_* or STOP_* states.
 */
import type { SimRevision, SimServiceDeployment, ServiceDeploymentStatus } from './deployment-model';
import { deploymentArns, serviceDeploymentId, serviceRevisionId } from './ids';
import { failureThreshold } from './legacy';
import { allServices, simNow, type SimDeployment, type SimService, type SimState } from './model';

const MAX_RECORDS = 100;

export const IN_FLIGHT: ReadonlySet<ServiceDeploymentStatus> = new Set([
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
]);

/** The service revision of a task definition (created the first time the service is given it). */
export function revisionFor(service: SimService, taskDefinition: string, at: Date): SimRevision {
  const known = service.revisions.find((r) => r.taskDefinition === taskDefinition);
  if (known) return known;
  const revision = {
    arn: deploymentArns.serviceRevision(service.cluster, service.name, serviceRevisionId()),
    taskDefinition,
    createdAt: at,
  };
  service.revisions.push(revision);
  return revision;
}

/** The record whose target (or rollback) runs as the legacy deployment `deploymentId`. */
export function recordOfDeployment(service: SimService, deploymentId: string): SimServiceDeployment | undefined {
  return service.serviceDeployments.find(
    (r) => r.deploymentId === deploymentId || r.rollbackDeploymentId === deploymentId,
  );
}

export function findRecord(
  state: SimState,
  arn: string,
): { service: SimService; record: SimServiceDeployment } | undefined {
  for (const service of allServices(state)) {
    const record = service.serviceDeployments.find((r) => r.arn === arn);
    if (record) return { service, record };
  }
  return undefined;
}

function touch(state: SimState, record: SimServiceDeployment, status?: ServiceDeploymentStatus, reason?: string): void {
  const now = new Date(simNow(state));
  if (status) record.status = status;
  if (reason !== undefined) record.statusReason = reason;
  record.updatedAt = now;
}

/** Ends a record: finishedAt (and stoppedAt for a stop), monitors complete unless they triggered. */
export function finishRecord(
  state: SimState,
  record: SimServiceDeployment,
  status: ServiceDeploymentStatus,
  reason: string,
): void {
  touch(state, record, status, reason);
  record.finishedAt = record.updatedAt;
  if (status === 'STOPPED') record.stoppedAt = record.updatedAt;
  if (record.circuitBreaker.status === 'MONITORING') record.circuitBreaker.status = 'MONITORING_COMPLETE';
  if (record.alarms.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
  for (const hook of record.hooks)
    if (hook.status === 'AWAITING_ACTION' || hook.status === 'IN_PROGRESS') hook.status = 'FAILED';
}

/**
 * Creates the record of a deployment UpdateService just started; an older one still in flight is stopped.
 * `at` is when the deployment was created (seeding passes a past time).
 */
export function startRecord(
  state: SimState,
  service: SimService,
  deployment: SimDeployment,
  sources: string[],
  at = new Date(simNow(state)),
): SimServiceDeployment {
  for (const older of service.serviceDeployments) {
    if (older.status === 'PENDING' || older.status === 'IN_PROGRESS')
      touch(state, older, 'STOP_REQUESTED', 'A newer service deployment was started.');
  }
  const id = serviceDeploymentId();
  const record: SimServiceDeployment = {
    id,
    arn: deploymentArns.serviceDeployment(service.cluster, service.name, id),
    createdAt: at,
    updatedAt: at,
    source: sources.filter((t) => t !== deployment.taskDefinition).map((t) => revisionFor(service, t, at)),
    target: revisionFor(service, deployment.taskDefinition, at),
    status: 'PENDING',
    deploymentId: deployment.id,
    circuitBreaker: {
      status: service.circuitBreaker.enable ? 'MONITORING' : 'DISABLED',
      failureCount: 0,
      threshold: failureThreshold(deployment.desiredCount),
    },
    alarms: {
      status: service.alarmNames.length ? 'MONITORING' : 'DISABLED',
      alarmNames: [...service.alarmNames],
      triggeredAlarmNames: [],
    },
    config: { ...structuredClone(service.strategy), circuitBreaker: { ...service.circuitBreaker } },
    stageSince: at.getTime(),
    stageSteps: 0,
    hooks: [],
    traffic: service.strategy.strategy === 'ROLLING' ? undefined : { production: 0, test: 0 },
  };
  service.serviceDeployments.unshift(record);
  if (service.serviceDeployments.length > MAX_RECORDS) service.serviceDeployments.length = MAX_RECORDS;
  return record;
}

/** One step of the records' own progress (the rollout itself moves in rollout.ts and bluegreen.ts). */
export function stepRecords(state: SimState, service: SimService): void {
  for (const record of service.serviceDeployments) {
    if (!IN_FLIGHT.has(record.status)) continue;
    const legacy = service.deployments.find((d) => d.id === record.deploymentId);
    if (legacy) record.circuitBreaker.failureCount = legacy.failedTasks;
    if (record.status === 'PENDING') {
      touch(state, record, 'IN_PROGRESS', undefined);
      record.startedAt = record.updatedAt;
      record.stageSince = record.updatedAt.getTime();
      if (record.config.strategy !== 'ROLLING') record.lifecycleStage = 'RECONCILE_SERVICE';
    } else if (record.status === 'STOP_REQUESTED') {
      finishRecord(state, record, 'STOPPED', record.statusReason ?? 'The service deployment was stopped.');
    } else if (record.status === 'ROLLBACK_REQUESTED') {
      touch(state, record, 'ROLLBACK_IN_PROGRESS', record.statusReason);
    }
  }
}

/** A legacy deployment reached COMPLETED: the rolling record it belongs to succeeded, or its rollback did. */
export function onDeploymentCompleted(state: SimState, service: SimService, deployment: SimDeployment): void {
  const record = recordOfDeployment(service, deployment.id);
  if (!record || !IN_FLIGHT.has(record.status)) return;
  if (record.rollbackDeploymentId === deployment.id) {
    finishRecord(
      state,
      record,
      'ROLLBACK_SUCCESSFUL',
      `Rolled back to ${record.source[0]?.arn ?? 'the previous revision'}.`,
    );
  } else if (record.config.strategy === 'ROLLING' && record.status === 'IN_PROGRESS') {
    finishRecord(state, record, 'SUCCESSFUL', 'Service deployment completed successfully.');
  }
}

/**
 * Marks a record as rolling back (what a rollback does to the tasks is the caller's).
 * @returns false when the record is already done (nothing to roll back).
 */
export function markRollback(
  state: SimState,
  record: SimServiceDeployment,
  reason: string,
  revisionArn?: string,
): boolean {
  if (!IN_FLIGHT.has(record.status)) return false;
  if (record.status === 'ROLLBACK_REQUESTED' || record.status === 'ROLLBACK_IN_PROGRESS') return true;
  touch(state, record, 'ROLLBACK_REQUESTED', reason);
  record.rollback = {
    reason,
    startedAt: record.updatedAt,
    serviceRevisionArn: revisionArn ?? record.source.at(0)?.arn ?? record.target.arn,
  };
  return true;
}
