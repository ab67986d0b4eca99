/**
 * The durable store, asynchronous: embedded SQLite for one process, DynamoDB for replicas and CI.
 * Every adapter passes the same contract suite (test/store/contract.test.ts).
 *
 * Ownership is a lease, never a hostname or PID: the holder of a service's lock renews
 * `leaseExpiresAt` while it works (every `LEASE_RENEW_MS`), and any process on any host may take
 * the lock over once the lease is past. Conditional writes make each takeover happen exactly once.
 */
import type { ApprovalRequest, ApprovalStatus, AuditEntry, DeployRecord, LockInfo, Outcome } from './model';
import type { HookAction } from './service-deployment';
import type { AdHocFreeze } from './freeze/model';
import type { Actor } from './types';

/** A lease lives this long unless renewed. */
export const LEASE_TTL_MS = 30_000;
/** The holder renews its lease this often. */
export const LEASE_RENEW_MS = 10_000;

/**
 * One click asking to answer a blue/green pause that needs two people, kept in the store so the
 * second click may reach any replica: single use, expiring with the hook. A request whose id is
 * `answer:<hookId>` is the one answer of the hook, claimed by one conditional write.
 */
export interface PromoteRequest {
  id: string;
  service: string;
  changeId: string;
  hookId: string;
  action: HookAction;
  requester: Actor;
  createdAt: string;
  expiresAt: string;
  /** `pending` until a second person completes it (`used`). */
  status: 'pending' | 'used';
  decidedBy: Actor | null;
  decidedAt: string | null;
  /** The pause message the first click came from, updated in place by the second. */
  slack: { channel: string; ts: string } | null;
}

/**
 * How far apart the clocks of two processes sharing a store may be (default). A process takes a
 * lease over only once it ran out this long ago by its own clock.
 */
export const CLOCK_SKEW_MS = 5_000;

/**
 * A write for a running change, made only while the change's fencing token is `fence` (and,
 * with `running`, while its outcome is still `running`). Otherwise the write is refused with
 * CodedError `stale_fence` and nothing changes.
 */
export interface FenceGuard {
  fence: number;
  running?: boolean;
}

export type PromoteDecision =
  | { ok: true; request: PromoteRequest }
  | {
      ok: false;
      reason: 'not_found' | 'self_approval' | 'expired' | 'already_decided';
      request: PromoteRequest | null;
    };

export type LockResult =
  | { ok: true; /** The expired holder that this acquisition replaced, if any. */ tookOverFrom?: LockInfo }
  | { ok: false; holder: LockInfo };

export type ApprovalDecision =
  | { ok: true; request: ApprovalRequest }
  | {
      ok: false;
      reason: 'not_found' | 'self_approval' | 'expired' | 'already_decided';
      request: ApprovalRequest | null;
    };

export interface DeployFilter {
  service?: string;
  /** Several services at once (read access per service); ignored when `service` is set. */
  services?: string[];
  kind?: DeployRecord['kind'];
  outcome?: Outcome;
  limit?: number;
}

/** What delivery metrics read of one change: no phases, results or Slack details. */
export type ChangeOutline = Pick<
  DeployRecord,
  'id' | 'kind' | 'service' | 'outcome' | 'startedAt' | 'finishedAt' | 'changesSummary'
>;

/** Changes that started in `[from, to)` (ISO times), of `services` (all services when left out). */
export interface ChangeWindow {
  services?: string[];
  from: string;
  to: string;
}

/** All methods may reject with CodedError `store_error` (a message a person can act on). */
export interface StorePort {
  /** `sqlite` or `dynamodb`, with where (file or table), for `/healthz` and messages. */
  readonly describe: string;

  // deploys and other changes
  insertDeploy(record: DeployRecord): Promise<void>;
  /** With `guard`, a fenced write: @throws CodedError `stale_fence` when the token moved on. */
  updateDeploy(id: string, patch: Partial<Omit<DeployRecord, 'id'>>, guard?: FenceGuard): Promise<void>;
  getDeploy(id: string): Promise<DeployRecord | undefined>;
  /** Newest first, by start time. */
  listDeploys(filter: DeployFilter): Promise<DeployRecord[]>;
  /**
   * The changes that started within the window, oldest first, in outline. Reads the time index
   * (SQLite's `started_at` indexes, DynamoDB's by-service and by-type GSIs): never the whole history.
   */
  changesBetween(window: ChangeWindow): Promise<ChangeOutline[]>;
  /** Records still marked `running`. */
  runningDeploys(): Promise<DeployRecord[]>;

  // locks: one change per service at a time, held under a lease
  /**
   * Takes the service's lock when it is free, when the same change and owner already hold it
   * (idempotent), or when the holder's lease expired before `now` (a takeover, reported in
   * `tookOverFrom`). Otherwise returns the holder. Atomic: of racing callers exactly one wins.
   */
  acquireLock(lock: LockInfo & { leaseExpiresAt: string }, now: Date): Promise<LockResult>;
  /** Extends the lease while `changeId` and `owner` still hold it; false when the lock was lost. */
  renewLease(service: string, changeId: string, owner: string, leaseExpiresAt: string): Promise<boolean>;
  /** Releases only when `changeId` still holds it (and, with `fence`, holds it under that token). */
  releaseLock(service: string, changeId: string, fence?: number): Promise<boolean>;
  getLock(service: string): Promise<LockInfo | undefined>;
  listLocks(): Promise<LockInfo[]>;
  /** Removes whatever lock the service has; returns what was removed. */
  breakLock(service: string): Promise<LockInfo | undefined>;

  // approvals
  insertApproval(request: ApprovalRequest): Promise<void>;
  getApproval(id: string): Promise<ApprovalRequest | undefined>;
  listApprovals(filter: { service?: string; status?: ApprovalStatus }): Promise<ApprovalRequest[]>;
  /**
   * Atomically decides a pending request: single use, approver ≠ requester, not after expiry.
   * `decision` `used` marks an approved request as consumed.
   */
  decideApproval(
    id: string,
    decision: 'approved' | 'denied' | 'used' | 'expired',
    by: Actor,
    now: Date,
  ): Promise<ApprovalDecision>;
  setApprovalSlack(id: string, slack: { channel: string; ts: string }): Promise<void>;

  // two-person answers to a blue/green pause (single use, like approvals)
  /** Records a request once per id; false (nothing written) when one with that id exists. */
  insertPromoteRequest(request: PromoteRequest): Promise<boolean>;
  getPromoteRequest(id: string): Promise<PromoteRequest | undefined>;
  /** Atomically completes a pending request: single use, by someone other than its requester, not after expiry. */
  completePromoteRequest(id: string, by: Actor, now: Date): Promise<PromoteDecision>;

  // desired counts kept by an emergency stop
  setKeptCount(service: string, count: number): Promise<void>;
  getKeptCount(service: string): Promise<number | undefined>;
  clearKeptCount(service: string): Promise<void>;

  // ad-hoc freezes: at most one per scope (a service or `all`), lifted ones included until cleared
  /** Sets the scope's freeze, replacing the one it had. */
  putFreeze(freeze: AdHocFreeze): Promise<void>;
  /** The freezes of these scopes, read strongly consistent: what the deploy guard asks on every deploy. */
  getFreezes(scopes: string[]): Promise<AdHocFreeze[]>;
  /** Every scope's freeze (for listings; on DynamoDB an index that may trail a write briefly). */
  listFreezes(): Promise<AdHocFreeze[]>;
  /** Removes the scope's freeze; returns what was removed. */
  deleteFreeze(scope: string): Promise<AdHocFreeze | undefined>;

  // audit log (append-only)
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(filter: { service?: string; limit?: number }): Promise<AuditEntry[]>;

  // reports
  /** With `fence`, only while the change's fencing token is still that: @throws CodedError `stale_fence`. */
  saveReport(deployId: string, markdown: string, fence?: number): Promise<void>;
  getReport(deployId: string): Promise<string | undefined>;

  /** Proves the store answers (for /healthz); rejects with the reason when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
