/**
 * Domain values shared by the engine, its ports and its reporters.
 * Adapters turn AWS SDK shapes into these; nothing here knows the SDK or Slack.
 */
import type { DeploymentStrategyInfo } from './service-deployment';

/** Who asked for something: a Slack user, a terminal user, or CI. */
export interface Actor {
  /** Slack user ID (`U…`), or `cli:<os user>` / `ci:<name>` outside Slack. */
  id: string;
  /** A readable name for messages and reports. */
  name: string;
  via: 'slack' | 'cli' | 'ci';
}

// ---------- ECR ----------

export interface ImageRef {
  repository: string;
  tag: string;
  /** `sha256:<64 hex>` */
  digest: string;
  /** Registry URI pinned by digest: `123.dkr.ecr.us-east-1.amazonaws.com/repo@sha256:…` */
  imageUri: string;
  pushedAt?: Date;
}

// ---------- ECS ----------

/** ECS's words: `PRIMARY`, `ACTIVE`, `INACTIVE`; kept open, as ECS may add more. */
export type DeploymentStatus = string;
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface Deployment {
  id: string;
  status: DeploymentStatus;
  /** Task-definition ARN. */
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  rolloutState?: RolloutState;
  rolloutStateReason?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface ServiceEvent {
  id: string;
  createdAt: Date;
  message: string;
}

export interface ServiceState {
  cluster: string;
  serviceName: string;
  serviceArn?: string;
  status: string;
  /** Task-definition ARN of the service (the PRIMARY deployment's). */
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: Deployment[];
  /** Newest first, as ECS returns them (at most 100). */
  events: ServiceEvent[];
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** How the service deploys (rolling, blue/green, linear, canary), when the adapter read it. */
  deploymentStrategy?: DeploymentStrategyInfo;
}

export interface ContainerSummary {
  name: string;
  image: string;
  essential?: boolean;
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  containers: ContainerSummary[];
  tags: { key: string; value: string }[];
  /**
   * The registrable definition (read-only fields already stripped), kept so that a new
   * revision can be cloned from it and a dry run can show a diff. Opaque to the engine.
   */
  registrable: Record<string, unknown>;
}

export interface UpdateServiceInput {
  cluster: string;
  service: string;
  taskDefinition?: string;
  desiredCount?: number;
  forceNewDeployment?: boolean;
}

// ---------- ELBv2 ----------

/** ELB's words: `initial`, `healthy`, `unhealthy`, `unhealthy.draining`, `unused`, `draining`, `unavailable`; kept open. */
export type TargetState = string;

export interface TargetHealth {
  id: string;
  port?: number;
  state: TargetState;
  reason?: string;
  description?: string;
}

// ---------- Logs ----------

export interface LogEvent {
  timestamp: Date;
  message: string;
  logStream?: string;
  /** CloudWatch's event id (FilterLogEvents gives one; a live tail does not). */
  eventId?: string;
}

export interface LiveTailQuery {
  logGroup: string;
  /** CloudWatch filter pattern; empty or absent: every line. */
  pattern?: string;
}

/**
 * A live tail as the endpoint answered it: a stream of batches, or why it cannot tail live
 * (denied, an unknown operation, an endpoint that answers HTML or 5xx) so that the caller polls.
 */
export type LiveTailOpening = { ok: true; batches: AsyncIterable<LogEvent[]> } | { ok: false; reason: string };

export interface LogQuery {
  logGroup: string;
  /** epoch ms */
  since: number;
  /** epoch ms */
  until?: number;
  /** CloudWatch filter pattern, e.g. `ERROR` or `?ERROR ?Exception`. */
  pattern?: string;
  /** Stop after this many events (default 1000). */
  maxEvents?: number;
  /** Stop after this many pages (default 20), even if a nextToken remains. */
  maxPages?: number;
}

export interface LogQueryResult {
  events: LogEvent[];
  /** True when a bound (events or pages) stopped the paging before the end. */
  truncated: boolean;
  pages: number;
}

// ---------- Smoke checks ----------

export type CheckSeverity = 'fail' | 'warn';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skipped';

export interface SmokeResult {
  /** Stable check name, one of SMOKE_CHECK_NAMES (`version`, `liveness`, …). */
  name: string;
  /** A short human title (`Version endpoint`). */
  title: string;
  severity: CheckSeverity;
  status: CheckStatus;
  ms: number;
  /** Short, sanitised reason (never a raw body). */
  reason: string;
}

export interface SmokeRun {
  results: SmokeResult[];
  /** True when no `fail`-severity check failed or errored. */
  passed: boolean;
  ms: number;
}

export interface VersionInfo {
  url: string;
  gitSha?: string;
  buildTime?: string;
  version?: string;
  nodeEnv?: string;
  service?: string;
  /** The HTTP status, or undefined when the request failed. */
  status?: number;
  error?: string;
}
