/**
 * ECS over time: each tick moves a service one task closer to what it should run,
 * writing service events the way ECS does (newest first).
 */
import { deploymentId, eventId, taskId } from './ids';
import { imageOfTaskDefinition } from './images';
import {
  allServices,
  primaryDeployment,
  tasksOf,
  type SimDeployment,
  type SimService,
  type SimState,
  type SimTask,
} from './model';
import { behaviourFor } from './scenarios';
import { logTaskCrashed, logTaskStarted, logTaskTick } from './task-logs';

const MAX_EVENTS = 100;
const STEADY = 'has reached a steady state.';

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
    state,
    ip: privateIp(),
    startedAt: new Date(),
    age: 0,
    failing: deployment.behaviour === 'fail-to-start',
  };
  service.tasks.push(task);
  return task;
}

function deploymentOf(service: SimService, task: SimTask): SimDeployment | undefined {
  return service.deployments.find((d) => d.id === task.deploymentId);
}

function ageTasksAndTargets(service: SimService): void {
  for (const task of service.tasks) task.age += 1;
  for (const target of service.targets) {
    target.age += 1;
    if (target.state === 'initial' && target.age >= 2) {
      target.state = target.healthy ? 'healthy' : 'unhealthy';
      target.age = 0;
    }
  }
  service.targets = service.targets.filter((t) => !(t.state === 'draining' && t.age >= 2));
}

function writeTaskLogs(state: SimState, service: SimService): void {
  for (const task of service.tasks) {
    if (task.state !== 'RUNNING') continue;
    logTaskTick(state, service, task, deploymentOf(service, task)?.behaviour === 'error-logs');
  }
}

function tripCircuitBreaker(service: SimService, failed: SimDeployment): void {
  failed.rolloutState = 'FAILED';
  failed.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
  failed.updatedAt = new Date();
  addEvent(service, `(deployment ${failed.id}) deployment failed: tasks failed to start.`);
  const back = service.lastCompleted;
  if (!service.circuitBreaker.rollback || !back) return;
  failed.status = 'ACTIVE';
  const rollback = newDeployment(back.taskDefinition, failed.desiredCount, 'healthy');
  rollback.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${back.id}.`;
  service.deployments.unshift(rollback);
}

/** Moves one PENDING task of the PRIMARY deployment on: it runs, or (failing) it stops. */
function progressPendingTask(state: SimState, service: SimService, primary: SimDeployment): boolean {
  if (primary.behaviour === 'stuck') return false;
  const task = tasksOf(service, primary.id, 'PENDING').find((t) => t.age >= 1);
  if (!task) return false;
  if (task.failing) {
    service.tasks = service.tasks.filter((t) => t !== task);
    primary.failedTasks += 1;
    primary.updatedAt = new Date();
    logTaskCrashed(state, service, task);
    addEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
    const enabled = service.circuitBreaker.enable && primary.rolloutState === 'IN_PROGRESS';
    if (enabled && primary.failedTasks >= failureThreshold(primary.desiredCount)) tripCircuitBreaker(service, primary);
    return true;
  }
  task.state = 'RUNNING';
  task.age = 0;
  logTaskStarted(state, service, task, imageOfTaskDefinition(state, service, primary.taskDefinition)?.sha);
  if (service.targetGroupArn) {
    service.targets.push({ id: task.ip, port: 3001, taskId: task.id, state: 'initial', age: 0, healthy: primary.behaviour !== 'unhealthy-targets' });
    addEvent(service, `registered 1 targets in (target-group ${service.targetGroupArn})`);
  }
  return true;
}

function startTask(service: SimService, primary: SimDeployment): boolean {
  if (primary.rolloutState === 'FAILED') return false;
  const live = service.tasks.filter((t) => t.deploymentId === primary.id).length;
  if (live >= primary.desiredCount) return false;
  const task = createTask(service, primary, 'PENDING');
  addEvent(service, `has started 1 tasks: (task ${task.id}).`);
  return true;
}

function stopTask(service: SimService, task: SimTask): void {
  service.tasks = service.tasks.filter((t) => t !== task);
  const target = service.targets.find((t) => t.taskId === task.id);
  if (task.state === 'RUNNING' && target) {
    target.state = 'draining';
    target.age = 0;
    addEvent(service, 'has begun draining connections on 1 tasks.');
    addEvent(service, `deregistered 1 targets in (target-group ${service.targetGroupArn})`);
  }
  addEvent(service, `has stopped 1 running tasks: (task ${task.id}).`);
  const deployment = deploymentOf(service, task);
  if (deployment && deployment.status !== 'PRIMARY') {
    deployment.desiredCount = service.tasks.filter((t) => t.deploymentId === deployment.id).length;
  }
}

/** The new tasks are up and through their first health checks, so old ones may go (minimum healthy 100%). */
function primaryReady(service: SimService, primary: SimDeployment): boolean {
  const running = tasksOf(service, primary.id, 'RUNNING');
  if (running.length < primary.desiredCount) return false;
  return !service.targets.some((t) => t.state === 'initial' && running.some((r) => r.id === t.taskId));
}

function stopSurplusTask(service: SimService, primary: SimDeployment): boolean {
  const victim = surplusTask(service, primary);
  if (victim) stopTask(service, victim);
  return victim !== undefined;
}

/** The next task to stop: pending leftovers first, then the PRIMARY's extras, then old tasks once the new ones are up. */
function surplusTask(service: SimService, primary: SimDeployment): SimTask | undefined {
  const others = service.tasks.filter((t) => t.deploymentId !== primary.id);
  const pendingOther = others.find((t) => t.state === 'PENDING');
  if (pendingOther) return pendingOther;
  const own = service.tasks.filter((t) => t.deploymentId === primary.id);
  if (own.length > primary.desiredCount) return own.find((t) => t.state === 'PENDING') ?? own[0];
  const keepOld = primary.rolloutState === 'FAILED' || !primaryReady(service, primary);
  return keepOld ? undefined : others[0];
}

function settle(service: SimService, primary: SimDeployment): void {
  const othersBusy = service.tasks.some((t) => t.deploymentId !== primary.id);
  if (othersBusy || !primaryReady(service, primary) || tasksOf(service, primary.id).length !== primary.desiredCount) return;
  if (primary.rolloutState === 'IN_PROGRESS') {
    service.deployments = [primary];
    primary.rolloutState = 'COMPLETED';
    primary.rolloutStateReason = `ECS deployment ${primary.id} completed.`;
    primary.updatedAt = new Date();
    service.lastCompleted = { id: primary.id, taskDefinition: primary.taskDefinition };
    service.completedTaskDefinitions.add(primary.taskDefinition);
    addEvent(service, `(deployment ${primary.id}) deployment completed.`);
  }
  if (primary.rolloutState === 'COMPLETED' && !service.steadyAnnounced) {
    addEvent(service, STEADY);
    service.steadyAnnounced = true;
  }
}

/** One step of one service: at most one task starts, runs, fails or stops. */
export function stepService(state: SimState, service: SimService): void {
  service.ticks += 1;
  ageTasksAndTargets(service);
  writeTaskLogs(state, service);
  const before = new Map(service.deployments.map((d) => [d.id, d.rolloutState]));
  const primary = primaryDeployment(service);
  const acted = progressPendingTask(state, service, primary) || startTask(service, primary) || stopSurplusTask(service, primary);
  if (!acted) settle(service, primaryDeployment(service));
  markRolloutEnds(state, service, before);
}

const MAX_MARKS = 10_000;

/** Records the moment a rollout turned COMPLETED or FAILED (benchmarks measure detection from it). */
function markRolloutEnds(state: SimState, service: SimService, before: Map<string, SimDeployment['rolloutState']>): void {
  for (const d of service.deployments) {
    if (d.rolloutState === 'IN_PROGRESS' || before.get(d.id) === d.rolloutState) continue;
    const marks = (state.marks ??= []);
    marks.push({ at: Date.now(), cluster: service.cluster, service: service.name, deploymentId: d.id, taskDefinition: d.taskDefinition, state: d.rolloutState });
    if (marks.length > MAX_MARKS) marks.splice(0, marks.length - MAX_MARKS);
  }
}

export function stepWorld(state: SimState): void {
  for (const service of allServices(state)) stepService(state, service);
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

/**
 * What UpdateService changes: a new task definition (or a forced deployment) starts a new PRIMARY
 * deployment and turns the old one ACTIVE; a desired count alone resizes the PRIMARY one.
 * A task definition this service already ran to COMPLETED (a rollback) always behaves healthily.
 */
export function applyServiceUpdate(
  state: SimState,
  service: SimService,
  change: { taskDefinition?: string; desiredCount?: number; force?: boolean },
): void {
  if (change.desiredCount !== undefined) service.desiredCount = change.desiredCount;
  const primary = primaryDeployment(service);
  const target = change.taskDefinition ?? primary.taskDefinition;
  if (target === primary.taskDefinition && !change.force) {
    primary.desiredCount = service.desiredCount;
    primary.updatedAt = new Date();
    service.steadyAnnounced = false;
    return;
  }
  primary.status = 'ACTIVE';
  const scenario = service.completedTaskDefinitions.has(target) ? 'healthy' : state.scenario;
  service.deployments.unshift(newDeployment(target, service.desiredCount, scenario));
  service.steadyAnnounced = false;
}
