/**
 * ECS blue/green, linear and canary deployments: green scales up beside blue in the other target
 * group, takes test traffic, then production traffic (at once, in steps or after a canary), bakes,
 * and blue is cleaned up. PAUSE hooks stop the walk; a rollback switches traffic back to blue.
 */
import type { LifecycleStage, SimServiceDeployment } from './deployment-model';
import { hookId } from './ids';
import { addEvent, completeDeployment, registerTarget, runTask, STEADY, startTask, stopTask } from './legacy';
import { simNow, tasksOf, type SimDeployment, type SimService, type SimState } from './model';
import { finishRecord, IN_FLIGHT } from './service-deployments';

/** The blue/green-family record the service is walking now (rolling back included). */
export function activeBlueGreen(service: SimService): SimServiceDeployment | undefined {
  const record = service.serviceDeployments.at(0);
  return record && record.config.strategy !== 'ROLLING' && IN_FLIGHT.has(record.status) && record.status !== 'PENDING'
    ? record
    : undefined;
}

export function greenOf(service: SimService, record: SimServiceDeployment): SimDeployment | undefined {
  return service.deployments.find((d) => d.id === record.deploymentId);
}

export function blueOf(service: SimService, record: SimServiceDeployment): SimDeployment | undefined {
  const others = service.deployments.filter((d) => d.id !== record.deploymentId);
  return others.find((d) => d.taskDefinition === record.source[0]?.taskDefinition) ?? others[0];
}

/** The target group green registers in: whichever one production does not forward to. */
export function greenTargetGroup(service: SimService): string {
  const { productionTargetGroupArn, alternateTargetGroupArn } = service.blueGreen;
  return productionTargetGroupArn === alternateTargetGroupArn ? service.targetGroupArn : alternateTargetGroupArn;
}

function minutes(state: SimState, count: number): number {
  return count * state.knobs.minuteMs;
}

function enter(state: SimState, record: SimServiceDeployment, stage: LifecycleStage): void {
  record.lifecycleStage = stage;
  record.stageSteps = 0;
  record.stageSince = simNow(state);
  record.updatedAt = new Date(record.stageSince);
  const traffic = record.traffic ?? (record.traffic = { production: 0, test: 0 });
  if (stage === 'TEST_TRAFFIC_SHIFT') traffic.test = 100;
  if (stage === 'PRODUCTION_TRAFFIC_SHIFT') traffic.production = productionShare(state, record, 0);
}

/**
 * A PAUSE hook at the current stage: created AWAITING_ACTION on arrival; timed out when past its expiry.
 * @returns true while the walk must wait at this stage.
 */
function pausedAtHook(
  state: SimState,
  service: SimService,
  record: SimServiceDeployment,
  onTimeout: (r: SimServiceDeployment) => void,
): boolean {
  const stage = record.lifecycleStage;
  if (!stage) return false;
  for (const hook of record.config.lifecycleHooks.filter((h) => h.lifecycleStages.includes(stage))) {
    let detail = record.hooks.find((d) => d.stage === stage && d.targetType === hook.targetType);
    if (!detail) {
      const { timeoutInMinutes, action } = hook.timeoutConfiguration;
      const pause = hook.targetType === 'PAUSE';
      detail = {
        hookId: hookId(),
        targetType: hook.targetType,
        targetArn: pause ? undefined : hook.hookTargetArn,
        stage,
        status: pause ? 'AWAITING_ACTION' : 'SUCCEEDED',
        expiresAt: new Date(simNow(state) + minutes(state, timeoutInMinutes)),
        timeoutAction: action,
      };
      record.hooks.push(detail);
      if (pause)
        addEvent(
          service,
          `(service-deployment ${record.id}) is waiting at the ${stage} lifecycle hook ${detail.hookId}.`,
        );
    }
    if (detail.status !== 'AWAITING_ACTION') continue;
    if (simNow(state) < detail.expiresAt.getTime()) return true;
    detail.status = 'TIMED_OUT';
    if (detail.timeoutAction === 'ROLLBACK') {
      onTimeout(record);
      return true;
    }
  }
  return false;
}

function startGreenTask(state: SimState, service: SimService, green: SimDeployment): boolean {
  const pending = tasksOf(service, green.id, 'PENDING').find((t) => t.age >= 1);
  if (pending) {
    runTask(state, service, pending);
    registerTarget(service, pending, greenTargetGroup(service), true);
    return true;
  }
  if (tasksOf(service, green.id).length >= green.desiredCount) return false;
  startTask(service, green);
  return true;
}

function greenReady(service: SimService, green: SimDeployment): boolean {
  const running = tasksOf(service, green.id, 'RUNNING');
  if (running.length < green.desiredCount) return false;
  return running.every((t) => service.targets.some((g) => g.taskId === t.id && g.state === 'healthy'));
}

/** Stops one task of `deployment` (its target drains); false when none is left. */
function stopOneTask(service: SimService, deployment: SimDeployment): boolean {
  const task = service.tasks.find((t) => t.deploymentId === deployment.id);
  if (!task) return false;
  stopTask(service, task, { announceDraining: false });
  return true;
}

/** Production traffic on green for the strategy, `elapsed` ms into PRODUCTION_TRAFFIC_SHIFT; undefined when the shift is done. */
function productionShare(state: SimState, record: SimServiceDeployment, elapsed: number): number {
  const { linearConfiguration: linear, canaryConfiguration: canary } = record.config;
  if (record.config.strategy === 'LINEAR' && linear) {
    const steps = Math.floor(elapsed / Math.max(1, minutes(state, linear.stepBakeTimeInMinutes))) + 1;
    return Math.min(100, steps * linear.stepPercent);
  }
  if (record.config.strategy === 'CANARY' && canary) {
    return elapsed < minutes(state, canary.canaryBakeTimeInMinutes) ? canary.canaryPercent : 100;
  }
  return 100;
}

function complete(state: SimState, service: SimService, record: SimServiceDeployment, green: SimDeployment): void {
  service.blueGreen.productionTargetGroupArn = greenTargetGroup(service);
  completeDeployment(service, green);
  finishRecord(state, record, 'SUCCESSFUL', 'Service deployment completed successfully.');
  addEvent(service, STEADY);
  service.steadyAnnounced = true;
}

/** The walk back after a rollback: traffic is already on blue; green's tasks stop, then the record ends. */
function stepRollback(state: SimState, service: SimService, record: SimServiceDeployment): void {
  const green = greenOf(service, record);
  if (green && stopOneTask(service, green)) return;
  const blue = blueOf(service, record);
  service.deployments = blue ? [blue] : service.deployments.filter((d) => d !== green);
  finishRecord(
    state,
    record,
    'ROLLBACK_SUCCESSFUL',
    `Production traffic returned to ${record.source[0]?.arn ?? 'the previous revision'}.`,
  );
  addEvent(service, STEADY);
  service.steadyAnnounced = true;
}

const NEXT: Partial<Record<LifecycleStage, LifecycleStage>> = {
  RECONCILE_SERVICE: 'PRE_SCALE_UP',
  PRE_SCALE_UP: 'SCALE_UP',
  SCALE_UP: 'POST_SCALE_UP',
  POST_SCALE_UP: 'TEST_TRAFFIC_SHIFT',
  TEST_TRAFFIC_SHIFT: 'POST_TEST_TRAFFIC_SHIFT',
  POST_TEST_TRAFFIC_SHIFT: 'PRODUCTION_TRAFFIC_SHIFT',
  PRODUCTION_TRAFFIC_SHIFT: 'POST_PRODUCTION_TRAFFIC_SHIFT',
  POST_PRODUCTION_TRAFFIC_SHIFT: 'BAKE_TIME',
  BAKE_TIME: 'CLEAN_UP',
};

/**
 * One step of a blue/green-family deployment. `rollBack` is how a timed-out ROLLBACK hook or a
 * bad bake returns to blue (rollbacks.ts, passed in to keep the modules acyclic).
 */
export function stepBlueGreen(
  state: SimState,
  service: SimService,
  record: SimServiceDeployment,
  rollBack: (record: SimServiceDeployment, cause: 'hook-timeout' | 'alarm') => void,
): void {
  if (record.status === 'ROLLBACK_REQUESTED' || record.status === 'ROLLBACK_IN_PROGRESS') {
    stepRollback(state, service, record);
    return;
  }
  if (record.status !== 'IN_PROGRESS') return;
  const green = greenOf(service, record);
  const traffic = record.traffic ?? (record.traffic = { production: 0, test: 0 });
  const stage = record.lifecycleStage ?? 'RECONCILE_SERVICE';
  if (!green) return;
  if (green.behaviour === 'bad-on-test') green.sick = true;
  record.stageSteps += 1;
  if (pausedAtHook(state, service, record, (r) => rollBack(r, 'hook-timeout'))) return;
  const elapsed = simNow(state) - record.stageSince;
  switch (stage) {
    case 'SCALE_UP':
      if (startGreenTask(state, service, green) || !greenReady(service, green)) return;
      record.stageSteps = Math.max(record.stageSteps, 2);
      break;
    case 'PRODUCTION_TRAFFIC_SHIFT':
      traffic.production = productionShare(state, record, elapsed);
      record.updatedAt = new Date(simNow(state));
      if (traffic.production < 100) return;
      break;
    case 'BAKE_TIME':
      if (green.behaviour === 'bad-in-bake') {
        green.sick = true;
        if (elapsed >= minutes(state, record.config.bakeTimeInMinutes) / 2) {
          rollBack(record, 'alarm');
          return;
        }
      }
      if (elapsed < minutes(state, record.config.bakeTimeInMinutes)) return;
      break;
    case 'CLEAN_UP': {
      const blue = blueOf(service, record);
      if (blue && stopOneTask(service, blue)) return;
      complete(state, service, record, green);
      return;
    }
    case 'RECONCILE_SERVICE':
    case 'PRE_SCALE_UP':
    case 'POST_SCALE_UP':
    case 'TEST_TRAFFIC_SHIFT':
    case 'POST_TEST_TRAFFIC_SHIFT':
    case 'POST_PRODUCTION_TRAFFIC_SHIFT':
      // Nothing to do in them but wait: the stage moves on after two steps.
      break;
  }
  const next = NEXT[stage];
  if (next && record.stageSteps >= 2) enter(state, record, next);
}

/**
 * A rollback of a blue/green-family deployment: production and test traffic go back to blue at once
 * (blue still stands); green becomes the failed deployment and blue PRIMARY again.
 */
export function switchBackToBlue(state: SimState, service: SimService, record: SimServiceDeployment): void {
  record.traffic = { production: 0, test: 0 };
  const green = greenOf(service, record);
  const blue = blueOf(service, record);
  if (green) {
    green.status = 'ACTIVE';
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = record.statusReason ?? 'ECS deployment rolled back.';
    green.updatedAt = new Date();
    addEvent(service, `(deployment ${green.id}) deployment failed: ${record.statusReason ?? 'rolled back'}`);
  }
  if (blue) {
    blue.status = 'PRIMARY';
    blue.updatedAt = new Date();
    service.deployments = [blue, ...service.deployments.filter((d) => d !== blue)];
  }
  record.updatedAt = new Date(simNow(state));
}
