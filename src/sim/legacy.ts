/**
 * The legacy side of ECS deployments: the `deployments[]` array's entries, their tasks, and the
 * service events ECS writes (newest first).
 */
import { deploymentId, eventId, taskId } from './ids';
import { imageOfTaskDefinition } from './images';
import type { SimDeployment, SimService, SimState, SimStoppedTask, SimTask } from './model';
import { behaviourFor } from './scenarios';
import { logTaskStarted } from './task-logs';

const MAX_EVENTS = 100;
export const STEADY = 'has reached a steady state.';
const MAX_STOPPED = 100;

export function addEvent(service: SimService, message: string, at = new Date()): void {
  service.events.unshift({ id: eventId(), createdAt: at, message: `(service ${service.name}) ${message}` });
  if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
  if (message !== STEADY) service.steadyAnnounced = false;
}

/** ECS's circuit-breaker failure threshold: half the desired count, at least 3, at most 200. */
export function failureThreshold(desired: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desired * 0.5)));
}

let nextIp = 10;
function privateIp(): string {
  nextIp += 1;
  return `10.0.${Math.floor(nextIp / 250) % 250}.${(nextIp % 250) + 2}`;
}

/** Creates a RUNNING or PENDING task (seeding uses RUNNING). */
export function createTask(service: SimService, deployment: SimDeployment, state: SimTask['state']): SimTask {
  const task: SimTask = {
    id: taskId(),
    deploymentId: deployment.id,
    taskDefinition: deployment.taskDefinition,
    state,
    ip: privateIp(),
    startedAt: new Date(),
    age: 0,
    failing: deployment.behaviour === 'fail-to-start',
  };
  service.tasks.push(task);
  return task;
}

/** The scheduler starts a task of `deployment`: PENDING, with ECS's event. */
export function startTask(service: SimService, deployment: SimDeployment): SimTask {
  const task = createTask(service, deployment, 'PENDING');
  addEvent(service, `has started 1 tasks: (task ${task.id}).`);
  return task;
}

/** A PENDING task comes up: RUNNING, its start logged with the git SHA of its image. */
export function runTask(state: SimState, service: SimService, task: SimTask): void {
  task.state = 'RUNNING';
  task.age = 0;
  logTaskStarted(state, service, task, imageOfTaskDefinition(state, service, task.taskDefinition)?.sha);
}

/** Registers a task that came up in `targetGroupArn`; `healthy` is what its health checks will say. */
export function registerTarget(service: SimService, task: SimTask, targetGroupArn: string, healthy: boolean): void {
  service.targets.push({ id: task.ip, port: 3001, taskId: task.id, state: 'initial', age: 0, healthy, targetGroupArn });
  addEvent(service, `registered 1 targets in (target-group ${targetGroupArn})`);
}

/**
 * The scheduler stops a task: its target drains, and the stop is kept for ListTasks/DescribeTasks.
 * `announceDraining` writes ECS's "has begun draining" event first (rolling deployments do).
 */
export function stopTask(service: SimService, task: SimTask, options: { announceDraining: boolean }): void {
  service.tasks = service.tasks.filter((t) => t !== task);
  const target = service.targets.find((t) => t.taskId === task.id);
  if (task.state === 'RUNNING' && target) {
    target.state = 'draining';
    target.age = 0;
    if (options.announceDraining) addEvent(service, 'has begun draining connections on 1 tasks.');
    addEvent(service, `deregistered 1 targets in (target-group ${target.targetGroupArn})`);
  }
  addEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
  keepStopped(service, task, {
    stopCode: 'ServiceSchedulerInitiated',
    stoppedReason: `Scaling activity initiated by (deployment ${task.deploymentId})`,
  });
}

export function newDeployment(
  taskDefinition: string,
  desiredCount: number,
  scenario: SimDeployment['scenario'],
): SimDeployment {
  const now = new Date();
  return {
    id: deploymentId(),
    status: 'PRIMARY',
    taskDefinition,
    desiredCount,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment detected.',
    createdAt: now,
    updatedAt: now,
    behaviour: behaviourFor(scenario),
    scenario,
  };
}

/** Keeps a stopped task for ListTasks/DescribeTasks (`desiredStatus: STOPPED`), newest first. */
export function keepStopped(
  service: SimService,
  task: SimTask,
  how: Pick<SimStoppedTask, 'stopCode' | 'stoppedReason' | 'containerReason' | 'exitCode'>,
): void {
  const ran = task.state === 'RUNNING';
  service.stoppedTasks.unshift({
    id: task.id,
    deploymentId: task.deploymentId,
    taskDefinition: task.taskDefinition,
    createdAt: task.startedAt,
    startedAt: ran ? task.startedAt : undefined,
    stoppedAt: new Date(),
    ...how,
  });
  if (service.stoppedTasks.length > MAX_STOPPED) service.stoppedTasks.length = MAX_STOPPED;
}

/**
 * ECS returning to an earlier revision by itself: the failed deployment turns ACTIVE and FAILED,
 * and a new PRIMARY deployment runs `taskDefinition` again (healthily: the service ran it before).
 */
export function legacyRollback(
  service: SimService,
  failed: SimDeployment,
  taskDefinition: string,
  reasons: { failed: string; rollback: string },
): SimDeployment {
  failed.status = 'ACTIVE';
  if (failed.rolloutState === 'IN_PROGRESS') failed.rolloutState = 'FAILED';
  failed.rolloutStateReason = reasons.failed;
  failed.updatedAt = new Date();
  const rollback = newDeployment(taskDefinition, failed.desiredCount, 'healthy');
  rollback.rolloutStateReason = reasons.rollback;
  service.deployments.unshift(rollback);
  return rollback;
}

/** The deployment finished rolling out: it is the only one left, COMPLETED, and the service's rollback point. */
export function completeDeployment(service: SimService, deployment: SimDeployment): void {
  service.deployments = [deployment];
  deployment.rolloutState = 'COMPLETED';
  deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
  deployment.updatedAt = new Date();
  service.lastCompleted = { id: deployment.id, taskDefinition: deployment.taskDefinition };
  service.completedTaskDefinitions.add(deployment.taskDefinition);
  addEvent(service, `(deployment ${deployment.id}) deployment completed.`);
}
