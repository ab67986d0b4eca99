/**
 * Every way a service deployment rolls back: the circuit breaker, a CloudWatch alarm,
 * StopServiceDeployment (ROLLBACK), a PAUSE hook answered or timed out with ROLLBACK.
 * A rolling deployment returns to the source revision with new tasks; a blue/green one
 * switches traffic back to blue, which still stands.
 */
import { switchBackToBlue } from './bluegreen';
import type { SimServiceDeployment } from './deployment-model';
import { addEvent, legacyRollback } from './legacy';
import type { SimService, SimState } from './model';
import { finishRecord, markRollback } from './service-deployments';

export type RollbackCause =
  | { kind: 'circuit-breaker' }
  | { kind: 'alarm'; alarm: string }
  | { kind: 'stop' }
  | { kind: 'hook'; timedOut: boolean };

function reasons(cause: RollbackCause, backTo: string): { record: string; failed: string; rollback: string } {
  switch (cause.kind) {
    case 'circuit-breaker':
      return {
        record: 'Service deployment rolled back because the circuit breaker threshold was exceeded.',
        failed: 'ECS deployment circuit breaker: tasks failed to start.',
        rollback: `ECS deployment circuit breaker: rolling back to deploymentId ${backTo}.`,
      };
    case 'alarm':
      return {
        record: `Service deployment rolled back because the CloudWatch alarm ${cause.alarm} is in ALARM state.`,
        failed: `ECS deployment alarm: ${cause.alarm} is in ALARM state.`,
        rollback: `ECS deployment alarms: rolling back to deploymentId ${backTo}.`,
      };
    case 'stop':
      return {
        record: 'Service deployment rolled back by StopServiceDeployment (stopType ROLLBACK).',
        failed: 'ECS deployment stopped: rollback requested.',
        rollback: `ECS deployment rollback requested: rolling back to deploymentId ${backTo}.`,
      };
    case 'hook':
      return {
        record: cause.timedOut
          ? 'Service deployment rolled back because a lifecycle hook timed out (timeout action ROLLBACK).'
          : 'Service deployment rolled back by ContinueServiceDeployment (action ROLLBACK).',
        failed: 'ECS deployment rolled back at a lifecycle hook.',
        rollback: `ECS deployment lifecycle hook: rolling back to deploymentId ${backTo}.`,
      };
  }
}

/**
 * Rolls a record back the way ECS would for `cause`.
 * @returns false when the record had already finished (nothing was changed).
 */
export function rollBack(
  state: SimState,
  service: SimService,
  record: SimServiceDeployment,
  cause: RollbackCause,
): boolean {
  const previous =
    record.source.find((r) => r.taskDefinition === service.lastCompleted?.taskDefinition) ?? record.source.at(0);
  const back = service.deployments.find(
    (d) => d.taskDefinition === previous?.taskDefinition && d.id !== record.deploymentId,
  );
  const text = reasons(cause, back?.id ?? service.lastCompleted?.id ?? 'unknown');
  if (!markRollback(state, record, text.record, previous?.arn)) return false;
  if (cause.kind === 'circuit-breaker') record.circuitBreaker.status = 'TRIGGERED';
  if (cause.kind === 'alarm') {
    record.alarms.status = 'TRIGGERED';
    record.alarms.triggeredAlarmNames = [cause.alarm];
  }
  if (record.config.strategy !== 'ROLLING') {
    switchBackToBlue(state, service, record);
    return true;
  }
  const failed = service.deployments.find((d) => d.id === record.deploymentId && d.status === 'PRIMARY');
  if (!failed || !previous) {
    finishRecord(state, record, 'ROLLBACK_FAILED', 'There is no earlier service revision to roll back to.');
    return true;
  }
  const rollback = legacyRollback(service, failed, previous.taskDefinition, text);
  record.rollbackDeploymentId = rollback.id;
  if (cause.kind !== 'circuit-breaker')
    addEvent(
      service,
      `(deployment ${failed.id}) deployment failed: ${cause.kind === 'alarm' ? 'alarm detected' : 'rollback requested'}.`,
    );
  return true;
}
