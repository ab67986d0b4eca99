/**
 * The simulated AWS world's state: plain data that the rollout stepper mutates
 * and the API handlers read. Nothing here speaks HTTP.
 */
import type { SimBlueGreenWiring, SimRevision, SimServiceDeployment, SimStrategyConfig } from './deployment-model';
import type { DeploymentBehaviour, ScenarioName } from './scenarios';

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const REGISTRY = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com`;

/** An image in the simulated ECR: what CI would have pushed for one commit. */
export interface SimImage {
  repository: string;
  /** The 7-character short git SHA CI tags images with. */
  tag: string;
  /** The full 40-hex git SHA baked into the image. */
  sha: string;
  /** `sha256:<64 hex>` */
  digest: string;
  pushedAt: Date;
  sizeBytes: number;
}

export interface SimRepository {
  name: string;
  arn: string;
  uri: string;
  createdAt: Date;
}

/** A registered task-definition revision, stored as ECS would describe it. */
export interface SimTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  /** The full `taskDefinition` object DescribeTaskDefinition returns (read-only fields included). */
  body: Record<string, unknown>;
  tags: { key: string; value: string }[];
}

export type TaskState = 'PENDING' | 'RUNNING' | 'STOPPED';

export interface SimTask {
  id: string;
  deploymentId: string;
  /** The task definition the task runs (its deployment's). */
  taskDefinition: string;
  state: TaskState;
  ip: string;
  startedAt: Date;
  /** Ticks spent in the current state. */
  age: number;
  /** A task of a failing deployment stops instead of running. */
  failing: boolean;
}

export type TargetStateName = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface SimTarget {
  id: string;
  port: number;
  taskId: string;
  state: TargetStateName;
  /** Ticks spent in the current state. */
  age: number;
  /** Whether this target passes health checks once out of `initial`. */
  healthy: boolean;
  /** The target group it is registered in. */
  targetGroupArn: string;
}

/** A task ECS stopped, kept for ListTasks/DescribeTasks with `desiredStatus: STOPPED`. */
export interface SimStoppedTask {
  id: string;
  deploymentId: string;
  taskDefinition: string;
  createdAt: Date;
  startedAt?: Date;
  stoppedAt: Date;
  stopCode: 'TaskFailedToStart' | 'EssentialContainerExited' | 'ServiceSchedulerInitiated';
  stoppedReason: string;
  /** The app container's reason (for example the image pull error). */
  containerReason?: string;
  exitCode?: number;
}

export interface SimDeployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  failedTasks: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  createdAt: Date;
  updatedAt: Date;
  behaviour: DeploymentBehaviour;
  /** The scenario in force when the deployment started (app-level behaviour follows it). */
  scenario: ScenarioName;
  /** The release is broken now: readiness answers 500 and the tasks log errors (blue/green failure scenarios). */
  sick?: boolean;
}

export interface SimEvent {
  id: string;
  createdAt: Date;
  message: string;
}

export interface SimService {
  name: string;
  /** Service revisions, one per task definition the service was given (oldest first). */
  revisions: SimRevision[];
  /** Service deployment records, newest first. */
  serviceDeployments: SimServiceDeployment[];
  /** Tasks ECS stopped, newest first (bounded). */
  stoppedTasks: SimStoppedTask[];
  /** CloudWatch alarms the deployment watches (`deploymentConfiguration.alarms`). */
  alarmNames: string[];
  /** How ECS deploys this service: strategy, bake time, hooks, steps. */
  strategy: SimStrategyConfig;
  /** The second target group and listener rules of blue/green deployments. */
  blueGreen: SimBlueGreenWiring;
  /** A frozen view that reads answer with while writes have not propagated (eventual consistency). */
  lag?: { until: number; service: Record<string, unknown>; records: Record<string, unknown>[] };
  arn: string;
  cluster: string;
  /** The config key the service is known by in the generated config (`backend`). */
  key: string;
  /** The config key of the service this one promotes from (written as `promotesFrom`). */
  promotesFrom?: string;
  container: string;
  desiredCount: number;
  createdAt: Date;
  circuitBreaker: { enable: boolean; rollback: boolean };
  targetGroupArn: string;
  logGroup: string;
  /** Newest first. */
  deployments: SimDeployment[];
  /** Newest first, at most 100. */
  events: SimEvent[];
  tasks: SimTask[];
  targets: SimTarget[];
  /** Task definitions this service has run to COMPLETED: deploying one again behaves healthily. */
  completedTaskDefinitions: Set<string>;
  /** The deployment that last reached COMPLETED (circuit-breaker rollbacks return to it). */
  lastCompleted?: { id: string; taskDefinition: string };
  /** Whether "has reached a steady state" was written since the last change. */
  steadyAnnounced: boolean;
  ticks: number;
  /** Requests the app has answered (spreads weighted traffic between blue and green evenly). */
  requests: number;
}

export interface SimCluster {
  name: string;
  arn: string;
  services: SimService[];
}

export interface SimTargetGroup {
  arn: string;
  name: string;
  port: number;
  service: SimService;
}

export interface SimLogEvent {
  eventId: string;
  timestamp: number;
  ingestionTime: number;
  logStreamName: string;
  message: string;
}

export interface SimLogGroup {
  name: string;
  arn: string;
  createdAt: Date;
  events: SimLogEvent[];
}

/** When a deployment's rollout reached an end state (wall clock), for measuring how soon a watcher notices. */
export interface RolloutMark {
  /** Epoch ms. */
  at: number;
  cluster: string;
  /** The ECS service name. */
  service: string;
  deploymentId: string;
  taskDefinition: string;
  state: 'COMPLETED' | 'FAILED';
}

/** Everything the simulator knows. */
export interface SimState {
  clusters: Map<string, SimCluster>;
  taskDefinitions: SimTaskDefinition[];
  repositories: Map<string, SimRepository>;
  /** Images by repository name. */
  images: Map<string, SimImage[]>;
  targetGroups: Map<string, SimTargetGroup>;
  logGroups: Map<string, SimLogGroup>;
  scenario: ScenarioName;
  /** How far the simulated clock runs ahead of the wall clock (moved by `advanceClock`). */
  clockOffsetMs: number;
  knobs: SimKnobs;
  /** Rollouts that reached COMPLETED or FAILED, oldest first (kept bounded). */
  marks?: RolloutMark[];
  /** Until when (simulated clock, epoch ms) the `outage` scenario's reads answer 500. */
  outageUntil?: number;
}

/** Control knobs a test or a terminal user can turn while the world runs. */
export interface SimKnobs {
  /**
   * The service-deployment calls (List/Describe/Stop/ContinueServiceDeployment, DescribeServiceRevisions):
   * answered, missing (`UnknownOperationException`, as an older emulator answers), denied (`AccessDeniedException`),
   * or `html-500`: an HTML page with HTTP 500, as an emulator that does not implement them answers.
   */
  serviceDeploymentsApi: 'available' | 'missing' | 'denied' | 'html-500';
  /** CloudWatch Logs `StartLiveTail`: answered (an event stream), missing (`UnknownOperationException`), denied, or an HTML page with HTTP 500. */
  liveTailApi: 'available' | 'missing' | 'denied' | 'html-500';
  /** How long reads lag a write in the `eventual-consistency` scenario (default 3000 ms). */
  consistencyLagMs: number;
  /** Reads lag writes in every scenario, not only `eventual-consistency`. */
  staleReadsEverywhere: boolean;
  /** How long one ECS minute (bake time, hook timeouts, linear/canary steps) lasts in the simulator. */
  minuteMs: number;
  /** How long the reads answer 500 after an UpdateService in the `outage` scenario (simulated clock; default 30000 ms). */
  outageMs: number;
}

/** The knobs a world starts with, unless told otherwise (startSimWorld times the ECS minute by its pace). */
export const DEFAULT_KNOBS: Readonly<SimKnobs> = {
  serviceDeploymentsApi: 'available',
  liveTailApi: 'available',
  consistencyLagMs: 3000,
  staleReadsEverywhere: false,
  minuteMs: 60_000,
  outageMs: 30_000,
};

/** The simulated clock: the wall clock plus whatever `advanceClock` added. */
export function simNow(state: SimState): number {
  return Date.now() + state.clockOffsetMs;
}

/** All services of all clusters, in seeding order. */
export function allServices(state: SimState): SimService[] {
  return [...state.clusters.values()].flatMap((c) => c.services);
}

export function primaryDeployment(service: SimService): SimDeployment {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) throw new Error(`service ${service.name} has no PRIMARY deployment`);
  return primary;
}

export function tasksOf(service: SimService, deploymentId: string, state?: TaskState): SimTask[] {
  return service.tasks.filter((t) => t.deploymentId === deploymentId && (state === undefined || t.state === state));
}
