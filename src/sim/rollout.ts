/**
 * ECS over time: each tick moves a service one task closer to what it should run,
 * writing service events the way ECS does (newest first).
 */
import { activeBlueGreen, stepBlueGreen } from './bluegreen';
import {
  addEvent,
  completeDeployment,
  newDeployment,
  registerTarget,
  runTask,
  startTask,
  STEADY,
  stopTask,
} from './legacy';
import {
  allServices,
  primaryDeployment,
  tasksOf,
  type SimDeployment,
  type SimService,
  type SimState,
  type SimTask,
} from './model';
import { onDeploymentCompleted, startRecord, stepRecords } from './service-deployments';
import { rollBack } from './rollbacks';
import { cannotStart } from './scenarios';
import { alarmNameOf, checkAlarm, failPendingTask, placementFails } from './task-failures';
import { logTaskTick } from './task-logs';

export { addEvent, createTask, failureThreshold, newDeployment } from './legacy';

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
    const deployment = deploymentOf(service, task);
    const behaviour = deployment?.behaviour;
    logTaskTick(state, service, task, behaviour === 'error-logs' || behaviour === 'alarm' || deployment?.sick === true);
  }
}

/** Moves one PENDING task of the PRIMARY deployment on: it runs, or (failing) it stops. */
function progressPendingTask(state: SimState, service: SimService, primary: SimDeployment): boolean {
  const task = tasksOf(service, primary.id, 'PENDING').find((t) => t.age >= (cannotStart(primary.behaviour) ? 2 : 1));
  if (!task) return false;
  if (task.failing || cannotStart(primary.behaviour)) {
    failPendingTask(state, service, primary, task);
    return true;
  }
  runTask(state, service, task);
  if (service.targetGroupArn)
    registerTarget(
      service,
      task,
      service.blueGreen.productionTargetGroupArn,
      primary.behaviour !== 'unhealthy-targets',
    );
  return true;
}

function startPrimaryTask(service: SimService, primary: SimDeployment): boolean {
  if (primary.rolloutState === 'FAILED') return false;
  const live = service.tasks.filter((t) => t.deploymentId === primary.id).length;
  if (live >= primary.desiredCount) return false;
  if (placementFails(service, primary)) return false;
  startTask(service, primary);
  return true;
}

/** The new tasks are up and through their first health checks, so old ones may go (minimum healthy 100%). */
function primaryReady(service: SimService, primary: SimDeployment): boolean {
  const running = tasksOf(service, primary.id, 'RUNNING');
  if (running.length < primary.desiredCount) return false;
  return !service.targets.some((t) => t.state === 'initial' && running.some((r) => r.id === t.taskId));
}

function stopSurplusTask(service: SimService, primary: SimDeployment): boolean {
  const victim = surplusTask(service, primary);
  if (!victim) return false;
  stopTask(service, victim, { announceDraining: true });
  // An older deployment shrinks to the tasks it has left.
  const deployment = deploymentOf(service, victim);
  if (deployment && deployment.status !== 'PRIMARY') {
    deployment.desiredCount = service.tasks.filter((t) => t.deploymentId === deployment.id).length;
  }
  return true;
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

function settle(state: SimState, service: SimService, primary: SimDeployment): void {
  const othersBusy = service.tasks.some((t) => t.deploymentId !== primary.id);
  if (othersBusy || !primaryReady(service, primary) || tasksOf(service, primary.id).length !== primary.desiredCount)
    return;
  if (primary.rolloutState === 'IN_PROGRESS') {
    completeDeployment(service, primary);
    onDeploymentCompleted(state, service, primary);
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
  stepRecords(state, service);
  const before = new Map(service.deployments.map((d) => [d.id, d.rolloutState]));
  const blueGreen = activeBlueGreen(service);
  if (blueGreen) {
    stepBlueGreen(state, service, blueGreen, (record, cause) =>
      rollBack(
        state,
        service,
        record,
        cause === 'alarm' ? { kind: 'alarm', alarm: alarmNameOf(service) } : { kind: 'hook', timedOut: true },
      ),
    );
  } else {
    const primary = primaryDeployment(service);
    const acted =
      progressPendingTask(state, service, primary) ||
      startPrimaryTask(service, primary) ||
      stopSurplusTask(service, primary);
    if (!acted) settle(state, service, primaryDeployment(service));
    checkAlarm(state, service, primaryDeployment(service));
  }
  markRolloutEnds(state, service, before);
}

const MAX_MARKS = 10_000;

/** Records the moment a rollout turned COMPLETED or FAILED (benchmarks measure detection from it). */
function markRolloutEnds(
  state: SimState,
  service: SimService,
  before: Map<string, SimDeployment['rolloutState']>,
): void {
  for (const d of service.deployments) {
    if (d.rolloutState === 'IN_PROGRESS' || before.get(d.id) === d.rolloutState) continue;
    const marks = (state.marks ??= []);
    marks.push({
      at: Date.now(),
      cluster: service.cluster,
      service: service.name,
      deploymentId: d.id,
      taskDefinition: d.taskDefinition,
      state: d.rolloutState,
    });
    if (marks.length > MAX_MARKS) marks.splice(0, marks.length - MAX_MARKS);
  }
}

export function stepWorld(state: SimState): void {
  for (const service of allServices(state)) stepService(state, service);
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
  const sources = [
    primary.taskDefinition,
    ...service.deployments.filter((d) => d !== primary).map((d) => d.taskDefinition),
  ];
  primary.status = 'ACTIVE';
  const scenario = service.completedTaskDefinitions.has(target) ? 'healthy' : state.scenario;
  const deployment = newDeployment(target, service.desiredCount, scenario);
  service.deployments.unshift(deployment);
  service.steadyAnnounced = false;
  startRecord(state, service, deployment, [...new Set(sources)]);
}
