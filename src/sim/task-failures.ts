/**
 * How new tasks go wrong: an app that crashes on start (the circuit breaker counts it), an image
 * that cannot be pulled, no capacity to place a task, a release that trips a CloudWatch alarm.
 */
import { addEvent, failureThreshold, keepStopped } from './legacy';
import { tasksOf, type SimDeployment, type SimService, type SimState, type SimTask } from './model';
import { rollBack } from './rollbacks';
import { cannotStart } from './scenarios';
import { recordOfDeployment } from './service-deployments';
import { logTaskCrashed } from './task-logs';

export const UNABLE_TO_START =
  'is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const PLACEMENT_FAILURE =
  'was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const SECRET_ERROR =
  "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: ResourceNotFoundException: Secrets Manager can't find the specified secret.";
const PULL_ERROR = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref';

/** Steps a running task stays up before the alarm of an `alarm` release trips. */
const ALARM_AFTER_STEPS = 3;

export function alarmNameOf(service: SimService): string {
  return `${service.key}-5xx`;
}

function tripCircuitBreaker(state: SimState, service: SimService, failed: SimDeployment): void {
  addEvent(service, `(deployment ${failed.id}) deployment failed: tasks failed to start.`);
  const record = recordOfDeployment(service, failed.id);
  if (service.circuitBreaker.rollback && record && rollBack(state, service, record, { kind: 'circuit-breaker' }))
    return;
  failed.rolloutState = 'FAILED';
  failed.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  failed.updatedAt = new Date();
  if (record) record.circuitBreaker.status = 'TRIGGERED';
}

/** A PENDING task of the PRIMARY deployment that cannot start: it stops with ECS's reason. */
export function failPendingTask(state: SimState, service: SimService, primary: SimDeployment, task: SimTask): void {
  service.tasks = service.tasks.filter((t) => t !== task);
  primary.failedTasks += 1;
  primary.updatedAt = new Date();
  if (cannotStart(primary.behaviour)) {
    const reason =
      primary.behaviour === 'missing-secret' ? SECRET_ERROR : `${PULL_ERROR} ${service.container} image: not found`;
    keepStopped(service, task, { stopCode: 'TaskFailedToStart', stoppedReason: reason, containerReason: reason });
    if (primary.failedTasks === 3 || primary.failedTasks % 10 === 0) addEvent(service, UNABLE_TO_START);
  } else {
    logTaskCrashed(state, service, task);
    keepStopped(service, task, {
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      exitCode: 1,
    });
    addEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
  }
  const enabled = service.circuitBreaker.enable && primary.rolloutState === 'IN_PROGRESS';
  if (enabled && primary.failedTasks >= failureThreshold(primary.desiredCount))
    tripCircuitBreaker(state, service, primary);
}

/** `no-placement`: no task is created; ECS says why now and then. */
export function placementFails(service: SimService, primary: SimDeployment): boolean {
  if (primary.behaviour !== 'no-placement') return false;
  if (service.ticks % 5 === 1) addEvent(service, PLACEMENT_FAILURE);
  return true;
}

/** `alarm`: once a new task has run a few steps, the service's alarm goes to ALARM and ECS rolls back. */
export function checkAlarm(state: SimState, service: SimService, primary: SimDeployment): void {
  if (primary.behaviour !== 'alarm' || primary.rolloutState !== 'IN_PROGRESS') return;
  if (!tasksOf(service, primary.id, 'RUNNING').some((t) => t.age >= ALARM_AFTER_STEPS)) return;
  const record = recordOfDeployment(service, primary.id);
  if (record) rollBack(state, service, record, { kind: 'alarm', alarm: alarmNameOf(service) });
}
