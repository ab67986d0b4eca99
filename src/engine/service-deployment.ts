/**
 * ECS service deployments (the records ECS keeps of each deployment and its fate), the stopped
 * tasks that explain a stuck rollout, and a service's deployment strategy, as domain values.
 * Types and small pure predicates only; adapters fill them, the engine judges with them.
 */
import { ErrorCodes } from '../errors';

export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOPPED'
  | 'STOP_REQUESTED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

export type LifecycleStage =
  | 'RECONCILE_SERVICE'
  | 'PRE_SCALE_UP'
  | 'SCALE_UP'
  | 'POST_SCALE_UP'
  | 'TEST_TRAFFIC_SHIFT'
  | 'POST_TEST_TRAFFIC_SHIFT'
  | 'PRODUCTION_TRAFFIC_SHIFT'
  | 'POST_PRODUCTION_TRAFFIC_SHIFT'
  | 'BAKE_TIME'
  | 'CLEAN_UP';

export type DeploymentStrategyKind = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
/** What a paused hook is answered with, and what ECS does by itself when it times out. */
export type HookAction = 'CONTINUE' | 'ROLLBACK';
export type HookStatus = 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
export type HookTargetType = 'PAUSE' | 'AWS_LAMBDA';
/** How a rollback monitor (circuit breaker, alarms) stands during a deployment. */
export type MonitorStatus = 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';
export type StopType = 'ROLLBACK' | 'ABORT';

/** Stable codes of the errors the service-deployment calls add (see EcsPort). */
export const ServiceDeploymentErrorCodes = {
  /**
   * The API is missing (older ECS, emulators, proxies), denied, or never answered in this process
   * (an HTML 500 after a few tries): judge from the deployments array instead.
   */
  apiUnavailable: ErrorCodes.apiUnavailable,
  serviceDeploymentNotFound: ErrorCodes.serviceDeploymentNotFound,
  /** ECS refused because of the deployment's state (already finished, not stoppable, …). */
  serviceDeploymentConflict: ErrorCodes.serviceDeploymentConflict,
  /** A continue without a hook id on a deployment that waits at no hook. */
  noPausedHook: ErrorCodes.noPausedHook,
} as const;

/** Whether an error says the service-deployment API cannot be used here, so the caller should fall back. */
export function isApiUnavailable(e: unknown): boolean {
  return (
    typeof e === 'object' && e !== null && (e as { code?: unknown }).code === ServiceDeploymentErrorCodes.apiUnavailable
  );
}

/** One entry of ListServiceDeployments: enough to find ours, not to judge it. */
export interface ServiceDeploymentSummary {
  arn: string;
  serviceArn: string;
  clusterArn: string;
  status: ServiceDeploymentStatus;
  statusReason: string | null;
  targetServiceRevisionArn: string | null;
  createdAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A service revision a deployment moves from or to, with its task counts and traffic share. */
export interface ServiceRevisionRef {
  arn: string;
  /** Task-definition ARN; null when the revision could not be read (DescribeServiceRevisions missing or denied). */
  taskDefinition: string | null;
  requestedTaskCount: number;
  runningTaskCount: number;
  pendingTaskCount: number;
  /** Percent of production traffic asked of this revision (blue/green, linear, canary); null when ECS does not say. */
  productionTrafficWeight: number | null;
  testTrafficWeight: number | null;
}

export interface DeploymentRollback {
  reason: string | null;
  startedAt: Date | null;
  /** The service revision ECS returns to, and its task definition where it could be read. */
  serviceRevisionArn: string | null;
  toTaskDefinition: string | null;
}

export interface CircuitBreakerState {
  status: MonitorStatus;
  failureCount: number;
  threshold: number;
}

export interface AlarmsState {
  status: MonitorStatus;
  alarmNames: string[];
  triggeredAlarmNames: string[];
}

/** A lifecycle hook of this deployment as ECS reports it (`lifecycleHookDetails[]`). */
export interface LifecycleHookState {
  hookId: string;
  targetType: HookTargetType | null;
  /** The Lambda function of an AWS_LAMBDA hook. */
  targetArn: string | null;
  status: HookStatus | null;
  /** When a PAUSE hook stops waiting and ECS applies `timeoutAction`. */
  expiresAt: Date | null;
  timeoutAction: HookAction | null;
}

/** DescribeServiceDeployments: one deployment with ECS's own verdict. */
export interface ServiceDeployment extends ServiceDeploymentSummary {
  stoppedAt: Date | null;
  updatedAt: Date | null;
  targetRevision: ServiceRevisionRef | null;
  sourceRevisions: ServiceRevisionRef[];
  /** The target revision's task definition, when it could be resolved. */
  targetTaskDefinition: string | null;
  sourceTaskDefinitions: string[];
  rollback: DeploymentRollback | null;
  circuitBreaker: CircuitBreakerState | null;
  alarms: AlarmsState | null;
  lifecycleStage: LifecycleStage | null;
  /** The strategy this deployment runs with (ROLLING when ECS does not say). */
  strategy: DeploymentStrategyKind;
  bakeTimeInMinutes: number | null;
  hooks: LifecycleHookState[];
}

/** A task of the service that stopped: its reason explains a rollout that cannot start tasks. */
export interface StoppedTask {
  taskArn: string;
  taskDefinition: string;
  /** For example `CannotPullContainerError: …` or `Essential container in task exited`. */
  stoppedReason: string;
  stoppedAt: Date | null;
  /** ECS's category: `TaskFailedToStart`, `EssentialContainerExited`, `ServiceSchedulerInitiated`, … */
  stopCode: string | null;
}

export interface LifecycleHookConfig {
  /** `PAUSE`, `AWS_LAMBDA` ({@link HookTargetType}), or whatever ECS adds next. */
  targetType: string;
  hookTargetArn: string | null;
  stages: LifecycleStage[];
  timeoutInMinutes: number | null;
  timeoutAction: HookAction | null;
}

/** A load balancer of the service, with the blue/green routing ECS shifts traffic with. */
export interface TrafficRouting {
  targetGroupArn: string | null;
  containerName: string | null;
  containerPort: number | null;
  alternateTargetGroupArn: string | null;
  productionListenerRule: string | null;
  testListenerRule: string | null;
}

/** How the service deploys, as DescribeServices reports it. */
export interface DeploymentStrategyInfo {
  /** `ECS`, `CODE_DEPLOY` or `EXTERNAL`; strategies apply to `ECS`. */
  controller: string;
  kind: DeploymentStrategyKind;
  bakeTimeInMinutes: number | null;
  linear: { stepPercent: number | null; stepBakeTimeInMinutes: number | null } | null;
  canary: { canaryPercent: number | null; canaryBakeTimeInMinutes: number | null } | null;
  lifecycleHooks: LifecycleHookConfig[];
  loadBalancers: TrafficRouting[];
  /** CloudWatch alarms ECS watches during a deployment. */
  alarms: { enable: boolean; rollback: boolean; alarmNames: string[] } | null;
}

const TERMINAL = new Set<ServiceDeploymentStatus>(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** ECS has finished with it: nothing about it will change any more. */
export const isTerminal = (d: Pick<ServiceDeploymentSummary, 'status'>): boolean => TERMINAL.has(d.status);

/** Still moving (including stop and rollback requests not yet done): another deploy must wait. */
export const isInFlight = (d: Pick<ServiceDeploymentSummary, 'status'>): boolean => !isTerminal(d);

/** The hook the deployment waits at for someone's CONTINUE or ROLLBACK, if any. */
export function pausedHook(d: Pick<ServiceDeployment, 'hooks'>): LifecycleHookState | undefined {
  return d.hooks.find((h) => h.status === 'AWAITING_ACTION');
}

export const isPaused = (d: Pick<ServiceDeployment, 'hooks' | 'status'>): boolean =>
  d.status === 'IN_PROGRESS' && pausedHook(d) !== undefined;

/** True for the strategies that shift traffic between two target groups. */
export const shiftsTraffic = (kind: DeploymentStrategyKind): boolean => kind !== 'ROLLING';

/** What made ECS roll back, in words for the outcome: the alarms in ALARM, or the circuit breaker with its count. */
export function rollbackCause(d: Pick<ServiceDeployment, 'alarms' | 'circuitBreaker' | 'rollback'>): string | null {
  if (d.alarms?.status === 'TRIGGERED') {
    const names = d.alarms.triggeredAlarmNames.length > 0 ? d.alarms.triggeredAlarmNames : d.alarms.alarmNames;
    return `CloudWatch alarm${names.length === 1 ? '' : 's'} ${names.join(', ') || '(unnamed)'} in ALARM`;
  }
  if (d.circuitBreaker?.status === 'TRIGGERED') {
    const { failureCount, threshold } = d.circuitBreaker;
    return `deployment circuit breaker: ${failureCount} failed task${failureCount === 1 ? '' : 's'} (threshold ${threshold})`;
  }
  return d.rollback?.reason ?? null;
}
