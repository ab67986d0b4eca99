/**
 * The engine's public face, used by the CLI and the Slack bot alike.
 * Flows never post to Slack or print: they return values and emit events.
 */
import type { ChangeAction, NamedService } from '../config/schema';
import type {
  ApprovalRequest,
  AuditEntry,
  ChangeResult,
  DeployRecord,
  EventListener,
  LockInfo,
  LogFindings,
  Release,
} from './model';
import type { DeliveryMetrics } from './metrics';
import type { ApprovalDecision } from './ports';
import type { FreezeListing, SetFreezeInput } from './freeze/freezes';
import type { ActiveFreeze, AdHocFreeze } from './freeze/model';
import type { PausedDeployment, PromotionResult } from './blue-green/promotions';
import type { RollbackTarget } from './release-ref';
import type { Pipeline, PromotionCandidate } from './promotion/model';
import type { PinnedRelease } from './promotion/source';
import type { Actor, LogEvent, ServiceState, SmokeRun, TargetHealth, TaskDefinition, VersionInfo } from './types';

export interface ChangeOptions {
  actor: Actor;
  onEvent?: EventListener;
  /** A granted approval (from `requestApproval` + a second person's `decideApproval`) for services that require one. */
  approvalId?: string;
  /** Called once the change has its id, before any AWS write (Slack uses it to post the parent message). */
  onStart?: (changeId: string) => void | Promise<void>;
}

export interface DeployRequest extends ChangeOptions {
  service: string;
  sha: string;
  skipSmoke?: boolean;
  dryRun?: boolean;
  /** Register a new revision and force a new deployment even when the digest already runs. */
  force?: boolean;
}

/** `deploy <service> --from <source>`: the image the source runs, by digest. */
export interface PromoteRequest extends ChangeOptions {
  service: string;
  /** The source service; it must be the target's `promotesFrom` when that is set. */
  from: string;
  /** The release fixed when the promotion was asked for (an approval keeps it); without it, what the source runs now. */
  pinned?: PinnedRelease;
  skipSmoke?: boolean;
  /** Under `promotion.require: verified`, asks to override for an unverified release (with `approvalId`). */
  force?: boolean;
}

export interface RollbackRequest extends ChangeOptions {
  service: string;
  /** The release before the running one when not given. */
  target?: RollbackTarget;
  skipSmoke?: boolean;
}

export interface StopRequest extends ChangeOptions {
  service: string;
  reason: string;
}

export interface RestartRequest extends ChangeOptions {
  service: string;
  /** Without it, the count kept by the stop is restored. */
  count?: number;
}

export interface ServiceStatus {
  service: NamedService;
  state: ServiceState;
  taskDefinition: TaskDefinition;
  /** `family:revision` */
  revision: string;
  /** The configured container's image, and its digest if pinned. */
  image: string;
  digest: string | null;
  targets: TargetHealth[] | null;
  targetCounts: Record<string, number> | null;
  lock: LockInfo | null;
  pendingApprovals: ApprovalRequest[];
  lastDeploy: DeployRecord | null;
  keptCount: number | null;
  /** Freezes holding the service now (deploys are refused while any is in force). */
  freezes: ActiveFreeze[];
  /** A service with `promotesFrom`: its pipeline (each environment's release and verification); absent otherwise. */
  pipeline?: Pipeline | null;
  /** Errors of optional parts (targets) that did not stop the answer. */
  warnings: string[];
}

export interface VersionReport {
  service: string;
  endpoint: VersionInfo;
  /** What ECS runs: the container image, its digest and the SHA of the release that put it there, if known. */
  running: { taskDefinition: string; image: string; digest: string | null; sha: string | null };
  /** `agree` when the endpoint's SHA matches the release SHA (prefix match), `disagree`, or `unknown`. */
  agreement: 'agree' | 'disagree' | 'unknown';
}

export interface LogsRequest {
  service: string;
  /** Window in ms (default 30 minutes). */
  sinceMs?: number;
  /** CloudWatch filter pattern; default the service's `logs.errorPattern`. */
  pattern?: string;
  limit?: number;
}

export interface LogsReport {
  service: string;
  logGroup: string;
  pattern: string;
  since: string;
  events: LogEvent[];
  truncated: boolean;
}

/** Delivery metrics: one service, or several (all configured when left out), over the last `weeks` weeks. */
export interface MetricsQuery {
  service?: string;
  services?: string[];
  weeks: number;
}

export interface TailRequest {
  service: string;
  /** CloudWatch filter pattern; default the service's `logs.errorPattern`. */
  pattern?: string;
  /** The tail ends when this aborts. */
  signal: AbortSignal;
}

/** What a tail yields: how it started, once that it polls (and why), then batches of new lines. */
export type TailItem =
  | { kind: 'started'; mode: 'live' | 'polling'; pattern: string; logGroup: string }
  | { kind: 'polling'; reason: string; everyMs: number }
  | { kind: 'lines'; events: LogEvent[] };

export interface ApprovalRequestInput {
  service: string;
  action: ChangeAction;
  params?: Record<string, unknown>;
  requester: Actor;
  reason: string;
}

/** Starting, cancelling and finishing changes: what a front end that changes services calls. */
export interface Changes {
  deploy(request: DeployRequest): Promise<ChangeResult>;
  /** Deploys the image `from` runs now (or the pinned one), judged by the promotion policy. */
  promoteFrom(request: PromoteRequest): Promise<ChangeResult>;
  rollback(request: RollbackRequest): Promise<ChangeResult>;
  stop(request: StopRequest): Promise<ChangeResult>;
  restart(request: RestartRequest): Promise<ChangeResult>;
  /** Stops waiting on a running change and rolls it back. False when nothing in this process runs under that id. */
  cancel(changeId: string, actor: Actor): Promise<boolean>;
  /** Where a change's Slack thread lives. */
  setChangeSlack(changeId: string, slack: { channel: string; ts: string }): Promise<void>;
  /**
   * Whether this process still holds the change's fencing token (read from the store): false once
   * another process took the change over, and then nothing more is posted for it. True for a
   * change this process never ran.
   */
  holdsChange(changeId: string): Promise<boolean>;
  /** Picks up changes whose owner's lease ran out: resumes watching them or marks them interrupted. */
  recover(onEvent?: EventListener): Promise<ChangeResult[]>;
  /** Refuses new changes; resolves when in-flight ones reach a safe point (or after `timeoutMs`). */
  drain(timeoutMs: number): Promise<void>;
}

/** Read-only answers. */
export interface Queries {
  readonly services: NamedService[];
  status(service: string): Promise<ServiceStatus>;
  version(service: string): Promise<VersionReport>;
  smoke(service: string, expectSha?: string): Promise<SmokeRun>;
  logs(request: LogsRequest): Promise<LogsReport>;
  /** The service's matching lines as they arrive, until `request.signal` aborts. */
  tailLogs(request: TailRequest): AsyncIterable<TailItem>;
  history(filter: { service?: string; limit?: number }): Promise<DeployRecord[]>;
  /** The four DORA delivery measures and their weekly series, from the store's history. */
  deliveryMetrics(query: MetricsQuery): Promise<DeliveryMetrics>;
  /** Past successful releases, newest first, for the rollback picker. */
  releases(service: string, limit?: number): Promise<Release[]>;
  getChange(changeId: string): Promise<DeployRecord | undefined>;
  /** What `from` (default the service's `promotesFrom`) runs now, and whether it is verified there; for a promotion asked for now and run later. */
  promotionCandidate(service: string, from?: string): Promise<PromotionCandidate>;
  /** The service's pipeline (its sources first), or null when it promotes from nothing. */
  pipeline(service: string): Promise<Pipeline | null>;
  /** The markdown report kept for a finished deploy or rollback. */
  report(changeId: string): Promise<string | undefined>;
}

export interface Approvals {
  /** Whether the service requires a second person for this action. */
  requiresApproval(service: string, action: ChangeAction): boolean;
  requestApproval(input: ApprovalRequestInput): Promise<ApprovalRequest>;
  /** Single use; the approver must differ from the requester; expired requests cannot be approved. */
  decideApproval(id: string, decision: 'approved' | 'denied', by: Actor): Promise<ApprovalDecision>;
  getApproval(id: string): Promise<ApprovalRequest | undefined>;
  setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void>;
}

export interface Locks {
  getLock(service: string): Promise<LockInfo | undefined>;
  /**
   * Removes a lock whose lease ran out. Refuses (CodedError `lock_held`) while the lease is fresh,
   * unless `force`; never breaks a lock of a change running in this process. A running record of
   * the change that held it is closed as interrupted.
   */
  breakLock(service: string, actor: Actor, options?: { force?: boolean }): Promise<LockInfo | undefined>;
}

export interface PauseAnswerRequest {
  service: string;
  actor: Actor;
  /** The change and hook the person saw (a button); without them, whatever of ours waits now. */
  changeId?: string;
  hookId?: string;
}

/** Blue/green, linear and canary deployments of ours paused at a PAUSE hook, answered by people. */
export interface Promotions {
  /** Shifts production traffic of our paused deployment to green (ContinueServiceDeployment CONTINUE). Refusals are values. */
  promote(request: PauseAnswerRequest): Promise<PromotionResult>;
  /** Rolls our paused deployment back (ContinueServiceDeployment ROLLBACK): production stays on blue. */
  rollbackPaused(request: PauseAnswerRequest): Promise<PromotionResult>;
  /** Our deploy of the service waiting at a hook, or null. */
  pausedDeployment(service: string): Promise<PausedDeployment | null>;
}

export type { PausedDeployment, PromotionResult };

/** Change freezes: config windows and ad-hoc freezes kept in the shared store. */
export interface Freezes {
  /** The freezes holding `service` now, the one lifting last first; empty when it is not frozen. */
  activeFreezes(service: string): Promise<ActiveFreeze[]>;
  /** Ad-hoc freezes in force, and every window's current or next occurrence. */
  listFreezes(): Promise<FreezeListing>;
  /** Sets (replaces) the ad-hoc freeze of a service or `all`, audited. */
  setFreeze(input: SetFreezeInput): Promise<AdHocFreeze>;
  /** Lifts the ad-hoc freeze of a service or `all`, audited; undefined when none was in force. */
  clearFreeze(scope: string, actor: Actor): Promise<AdHocFreeze | undefined>;
}

export type { ActiveFreeze, AdHocFreeze, FreezeListing, SetFreezeInput };

/** Everything the engine offers; front ends and fakes depend on the roles they use. */
export interface EngineApi extends Changes, Queries, Approvals, Locks, Promotions, Freezes {
  audit(entry: Omit<AuditEntry, 'at' | 'id'>): Promise<void>;
}

export type { ChangeResult, DeliveryMetrics, LogFindings };
export type { RollbackTarget };
export type { Pipeline, PinnedRelease, PromotionCandidate };
