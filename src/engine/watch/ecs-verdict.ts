/**
 * ECS's own verdict on a deployment, from its service-deployment record: status, rollback
 * details, the circuit breaker's failed-task count and the alarms in ALARM.
 */
import { isInFlight, rollbackCause, type ServiceDeployment } from '../service-deployment';
import type { Deployment, ServiceState } from '../types';
import { shortTaskDefinition } from '../validate';
import { isPrimary } from './rollout';

/** The fields of a service deployment the engine judges by. */
export type ServiceDeploymentFacts = Pick<
  ServiceDeployment,
  'arn' | 'status' | 'statusReason' | 'targetTaskDefinition' | 'rollback' | 'circuitBreaker' | 'alarms'
>;

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
    case 'PENDING':
    case 'IN_PROGRESS':
    case 'STOP_REQUESTED':
      return { kind: 'in_flight' };
  }
}

/** Why ECS gave up on a deployment: the alarm, or the circuit breaker with its failed-task count, else its own words. */
export function ecsFailureReason(sd: ServiceDeploymentFacts): string {
  const cause = rollbackCause(sd);
  const why = sd.rollback?.reason ?? sd.statusReason;
  if (cause && why && why !== cause) return `${cause} (${why})`;
  return cause ?? why ?? `service deployment ${sd.status}`;
}

/**
 * A deployment still in progress that a new deploy must not start over: a service deployment
 * PENDING / IN_PROGRESS / ROLLBACK_*, or a PRIMARY deployment whose rollout is IN_PROGRESS.
 * Null when the service is settled.
 */
export function deploymentInProgress(
  state: ServiceState,
  serviceDeployments: ServiceDeploymentFacts[] | null,
): string | null {
  const sd = serviceDeployments?.find(isInFlight);
  if (sd)
    return `service deployment ${sd.arn} is ${sd.status}${sd.targetTaskDefinition ? ` (${shortTaskDefinition(sd.targetTaskDefinition)})` : ''}`;
  const primary: Deployment | undefined = state.deployments.find(
    (d) => isPrimary(d) && d.rolloutState === 'IN_PROGRESS',
  );
  if (!primary) return null;
  return `deployment ${primary.id} (${shortTaskDefinition(primary.taskDefinition)}) is IN_PROGRESS, ${primary.runningCount}/${primary.desiredCount} running`;
}
