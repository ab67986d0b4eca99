/**
 * The engine's ports: the only ways it reaches AWS, HTTP, storage and time.
 * Adapters in src/aws, src/smoke and src/store implement them; tests use fakes.
 */
import type { NamedService } from '../config/schema';
import type {
  ImageRef,
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
  updateService(region: string, input: UpdateServiceInput): Promise<ServiceState>;
}

export interface ElbPort {
  describeTargetHealth(region: string, targetGroupArn: string): Promise<TargetHealth[]>;
}

export interface LogsPort {
  /** Pages until no nextToken, within the query's bounds. */
  filterLogEvents(region: string, query: LogQuery): Promise<LogQueryResult>;
}

export interface HttpChecksPort {
  /** Runs the service's smoke checks; `expectSha` enables the version comparison. Never throws for HTTP failures. */
  runSmoke(service: NamedService, options: { expectSha?: string; signal?: AbortSignal }): Promise<SmokeRun>;
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

export { LEASE_RENEW_MS, LEASE_TTL_MS } from './store-port';
export type { ApprovalDecision, DeployFilter, LockResult, StorePort } from './store-port';
