/**
 * The engine's ports: the only ways it reaches AWS, HTTP, storage and time.
 * Adapters in src/aws, src/smoke and src/store implement them; tests use fakes.
 */
import type { NamedService } from '../config/schema';
import type {
  HookAction,
  ServiceDeployment,
  ServiceDeploymentStatus,
  ServiceDeploymentSummary,
  StoppedTask,
  StopType,
} from './service-deployment';
import type {
  ImageRef,
  LiveTailOpening,
  LiveTailQuery,
  LogQuery,
  LogQueryResult,
  ServiceState,
  SmokeRun,
  TargetHealth,
  TaskDefinition,
  UpdateServiceInput,
  VersionInfo,
} from './types';

/** Every method may throw CodedError (`image_not_found`, `access_denied`, `aws_error`, …). */
export interface EcrPort {
  /** @throws CodedError `image_not_found` naming repository and tag. */
  resolveImage(region: string, repository: string, tag: string): Promise<ImageRef>;
  /**
   * The tags of the image with `digest` (`sha256:…`), as ECR lists them; empty when ECR no longer has the image.
   * @throws CodedError `image_not_found` when the repository does not exist.
   */
  tagsOfDigest(region: string, repository: string, digest: string): Promise<string[]>;
}

export interface EcsPort {
  /**
   * Describes up to 10 services of one cluster in one call.
   * @throws CodedError `service_not_found` when one is missing or INACTIVE.
   */
  describeServices(region: string, cluster: string, services: string[]): Promise<ServiceState[]>;
  /** With tags. @throws CodedError `task_definition_not_found`. */
  describeTaskDefinition(region: string, taskDefinition: string): Promise<TaskDefinition>;
  /**
   * Registers a new revision cloned from `from`, with only `container`'s image replaced by `image`.
   * Tags are kept; every other container is untouched.
   * @throws CodedError `container_not_found` when the container is not in the definition.
   */
  registerRevision(region: string, from: TaskDefinition, container: string, image: string): Promise<TaskDefinition>;
  /** The answer's PRIMARY deployment is the one this update started: its `id` is the deployment to watch. */
  updateService(region: string, input: UpdateServiceInput): Promise<ServiceState>;

  // Service deployments (ECS's record of each deployment and its fate) and stopped tasks.
  // Each may throw CodedError `api_unavailable` (see ServiceDeploymentErrorCodes) when the API is
  // missing or denied: the caller then judges from the deployments array. Transient failures keep
  // their codes (`throttled`, `aws_error` with `details.transient`).
  /**
   * The service's deployments, newest first (bounded to a few pages).
   * @throws CodedError `service_not_found` when the service or cluster is gone.
   */
  listServiceDeployments(
    region: string,
    cluster: string,
    service: string,
    opts?: { createdAfter?: Date; status?: ServiceDeploymentStatus[] },
  ): Promise<ServiceDeploymentSummary[]>;
  /** Describes deployments by ARN, target task definitions resolved where possible; ARNs ECS does not know (yet) are left out. */
  describeServiceDeployments(region: string, arns: string[]): Promise<ServiceDeployment[]>;
  /**
   * Stops an in-flight deployment; `ROLLBACK` returns the service to the previous revision.
   * @throws CodedError `service_deployment_not_found`, `service_deployment_conflict` (not stoppable in its state).
   */
  stopServiceDeployment(region: string, arn: string, stopType: StopType): Promise<void>;
  /**
   * Answers a paused lifecycle hook (ContinueServiceDeployment). Without `hookId`, the hook awaiting action is looked up.
   * @throws CodedError `no_paused_hook` when none waits; `service_deployment_not_found`.
   */
  continueServiceDeployment(region: string, arn: string, hookId: string | undefined, action: HookAction): Promise<void>;
  /** The service's tasks stopped at or after `since`, newest first, at most `limit` (default 20). */
  listStoppedTasks(
    region: string,
    cluster: string,
    service: string,
    since: Date,
    limit?: number,
  ): Promise<StoppedTask[]>;
}

export interface ElbPort {
  describeTargetHealth(region: string, targetGroupArn: string): Promise<TargetHealth[]>;
}

export interface LogsPort {
  /** Pages until no nextToken, within the query's bounds. */
  filterLogEvents(region: string, query: LogQuery): Promise<LogQueryResult>;
  /**
   * Starts a live tail (CloudWatch `StartLiveTail`) that ends when `signal` aborts. A stream that
   * breaks off later throws from its iterator.
   * @throws CodedError `log_group_not_found`.
   */
  openLiveTail(region: string, query: LiveTailQuery, signal: AbortSignal): Promise<LiveTailOpening>;
}

export interface HttpChecksPort {
  /**
   * Runs the service's smoke checks; `expectSha` enables the version comparison. `traffic: 'test'`
   * sends them to the blue/green test listener (`smoke.testBaseUrl`, or `baseUrl` with `smoke.testHeader`).
   * Never throws for HTTP failures.
   */
  runSmoke(
    service: NamedService,
    options: { expectSha?: string; signal?: AbortSignal; traffic?: 'production' | 'test' },
  ): Promise<SmokeRun>;
  /** Reads the version endpoint. Never throws: failures come back in `error`. */
  fetchVersion(service: NamedService): Promise<VersionInfo>;
}

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` every `ms` until the returned function is called; never keeps the process alive. */
  every(ms: number, fn: () => void): () => void;
}

export { CLOCK_SKEW_MS, LEASE_RENEW_MS, LEASE_TTL_MS } from './store-port';
export type { ApprovalDecision, DeployFilter, FenceGuard, LockResult, PromoteDecision, StorePort } from './store-port';
