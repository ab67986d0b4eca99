/**
 * ECS's own verdict on a deployment, from its service-deployment record: status, rollback
 * details, the circuit breaker's failed-task count and the alarms in ALARM.
 */
import type { Deployment, ServiceState } from './types';
import { shortTaskDefinition } from './validate';

/** The fields of a service deployment the engine judges by. */
export interface ServiceDeploymentFacts {
  arn: string;
  status: string;
  statusReason?: string;
  /** Task definition of the revision it deploys, when known. */
  targetTaskDefinition?: string;
  createdAt?: Date;
  rollback?: { reason?: string; startedAt?: Date; serviceRevisionArn?: string };
  circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
  alarms?: { status?: string; alarmNames?: string[]; triggeredAlarmNames?: string[] };
}

/** Statuses of a deployment that is still moving: another deploy must not start over it. */
export const IN_FLIGHT_STATUSES = new Set(['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS']);

export type EcsVerdict =
  | { kind: 'in_flight' }
  | { kind: 'succeeded' }
  /** ECS is rolling back, or has (`done`): watch and verify, never update again. */
  | { kind: 'ecs_rolling_back'; done: boolean; reason: string }
  /** ECS's rollback itself failed: a person must look. */
  | { kind: 'rollback_failed'; reason: string }
  /** Stopped without a rollback: the service must be returned by us. */
  | { kind: 'stopped'; reason: string };

/** Maps a service deployment's status to what it means for our change. */
export function judgeServiceDeployment(sd: ServiceDeploymentFacts): EcsVerdict {
  switch (sd.status) {
    case 'PENDING':
    case 'IN_PROGRESS':
    case 'STOP_REQUESTED':
      return { kind: 'in_flight' };
    case 'SUCCESSFUL':
      return { kind: 'succeeded' };
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return { kind: 'ecs_rolling_back', done: false, reason: ecsFailureReason(sd) };
    case 'ROLLBACK_SUCCESSFUL':
      return { kind: 'ecs_rolling_back', done: true, reason: ecsFailureReason(sd) };
    case 'ROLLBACK_FAILED':
      return { kind: 'rollback_failed', reason: `ECS's rollback failed: ${ecsFailureReason(sd)}` };
    case 'STOPPED':
      return { kind: 'stopped', reason: `ECS stopped the deployment: ${ecsFailureReason(sd)}` };
    default:
      return { kind: 'in_flight' };
  }
}

/** Why ECS gave up on a deployment, naming the alarm or the circuit breaker when they decided. */
export function ecsFailureReason(sd: ServiceDeploymentFacts): string {
  const parts: string[] = [];
  const alarms = sd.alarms?.triggeredAlarmNames?.filter(Boolean) ?? [];
  if (alarms.length) parts.push(`alarm ${alarms.join(', ')} in ALARM`);
  const cb = sd.circuitBreaker;
  if (cb && (cb.status === 'TRIGGERED' || (cb.failureCount ?? 0) > 0 && alarms.length === 0)) {
    parts.push(`circuit breaker${cb.status === 'TRIGGERED' ? ' triggered' : ''} after ${cb.failureCount ?? 0} failed task(s)${cb.threshold ? ` (threshold ${cb.threshold})` : ''}`);
  }
  const why = sd.rollback?.reason ?? sd.statusReason;
  if (why && !parts.some((p) => why.includes(p))) parts.push(why);
  return parts.length ? parts.join('; ') : `service deployment ${sd.status}`;
}

/**
 * A deployment still in progress that a new deploy must not start over: a service deployment
 * PENDING / IN_PROGRESS / ROLLBACK_*, or a PRIMARY deployment whose rollout is IN_PROGRESS.
 * Null when the service is settled.
 */
export function deploymentInProgress(state: ServiceState, serviceDeployments: ServiceDeploymentFacts[] | null): string | null {
  const sd = serviceDeployments?.find((d) => IN_FLIGHT_STATUSES.has(d.status));
  if (sd) return `service deployment ${sd.arn} is ${sd.status}${sd.targetTaskDefinition ? ` (${shortTaskDefinition(sd.targetTaskDefinition)})` : ''}`;
  const primary: Deployment | undefined = state.deployments.find((d) => d.status === 'PRIMARY' && d.rolloutState === 'IN_PROGRESS');
  if (!primary) return null;
  return `deployment ${primary.id} (${shortTaskDefinition(primary.taskDefinition)}) is IN_PROGRESS, ${primary.runningCount}/${primary.desiredCount} running`;
}
