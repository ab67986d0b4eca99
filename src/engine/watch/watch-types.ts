/** What a watch is given, and the verdict it ends with. */
import type { Clock } from '../ports';
import type { ServiceDeployment } from '../service-deployment';
import type { ServiceEvent, ServiceState } from '../types';
import type { OurDeployment } from './our-deployment';
import type { StoppedTaskFacts, StuckFinding } from './stuck-rollout';

export type VerdictSource = 'service deployment' | 'deployments array';

/** ECS's service-deployment calls, bound to one service. */
export interface ServiceDeploymentReader {
  /**
   * Our service deployment: by `arn` once known, else the newest one to `taskDefinition` created at
   * or after `sinceMs`. Null while ECS shows none.
   * @throws CodedError `api_unavailable` where the API is missing or denied.
   */
  read(taskDefinition: string, sinceMs: number, arn: string | null): Promise<ServiceDeployment | null>;
}

export type WatchVerdict = {
  state: ServiceState | null;
  source: VerdictSource;
  serviceDeploymentArn: string | null;
  /** Blue/green: the target group the release this verdict leaves in place serves from. */
  targetGroupArn?: string | null;
  /** The rollback was asked of ECS by us (a check failed, or a person answered a pause with ROLLBACK). */
  requestedRollback?: boolean;
  /** A stuck rollout: ECS's signal, and whether it could heal by waiting. */
  stuck?: StuckFinding;
} & (
  | { status: 'completed'; state: ServiceState }
  /** Ours failed and nobody returned the service: we must. `inFlight`: stop it through ECS. */
  | { status: 'failed' | 'stuck' | 'timeout' | 'cancelled' | 'error'; reason: string; inFlight: boolean }
  /** ECS rolled back (or is rolling back) by itself: verify, never update again. */
  | { status: 'ecs_rolled_back'; reason: string; to: string | null }
  | { status: 'ecs_rollback_failed'; reason: string }
  /** ECS never showed our deployment: no verdict on it, no rollback. */
  | { status: 'unseen'; reason: string }
);

export interface WatchDeploymentOptions {
  ours: OurDeployment;
  /**
   * Watching ECS return the service to `ours.taskDefinition` (its own rollback, or one we asked
   * for with StopServiceDeployment): success once the record says ROLLBACK_SUCCESSFUL (where the
   * API answers) and the service runs it, settled; nothing else is a verdict before the timeout.
   */
  ecsRollback?: boolean;
  /** Reads the service (shared polling: each call waits for the next round). */
  poll: () => Promise<ServiceState>;
  /** Null where no such calls are wired (the deployments array judges alone). */
  serviceDeployments: ServiceDeploymentReader | null;
  /** Recently stopped tasks of the service (their stoppedReason); absent where not wired. */
  stoppedTasks?: () => Promise<StoppedTaskFacts[]>;
  clock: Clock;
  pollMs: number;
  timeoutMs: number;
  /** How long ECS may take to show our deployment at all (default 60 s). */
  unseenMs?: number;
  /**
   * How long after ECS says it cannot start tasks, without progress, before failing (default two
   * polls). Only for failures that may heal: one that cannot (an image that cannot be pulled) fails at once.
   */
  noProgressMs?: number;
  signal?: AbortSignal;
  seenEvents: Set<string>;
  onEvent: (event: ServiceEvent) => void;
  onProgress: (state: ServiceState) => void;
}
