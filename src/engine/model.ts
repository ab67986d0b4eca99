/**
 * What the engine produces and keeps: phases, the one change result, records, locks, approvals,
 * audit entries and events. AWS-shaped domain values live in types.ts; requests and the roles
 * front ends call live in api.ts.
 */
import type { ErrorInfo } from '../errors';
import type { ChangeAction } from '../config/schema';
import type { ActiveFreeze } from './freeze/model';
import type { ChangesSummary, DeployChanges } from './changes';
import type { PromotionCheck, PromotionFields } from './promotion/model';
import type { Actor, LogEvent, ServiceEvent, SmokeResult, TargetHealth } from './types';

export { PHASE_ORDER, type PhaseName } from './phases';
export type { PauseInfo, TrafficProgress } from './traffic-model';
import type { PauseInfo, TrafficProgress } from './traffic-model';
import type { HookAction } from './service-deployment';
import type { PhaseName } from './phases';

export type PhaseStatus = 'ok' | 'failed' | 'skipped';

export interface PhaseResult {
  name: PhaseName;
  status: PhaseStatus;
  startedAt: string;
  finishedAt: string;
  /** One line: what happened or why it failed/was skipped. */
  detail: string;
  /** The `approval` phase, when it passed: who approved the change. */
  approvedBy?: Actor;
}

/** Who approved a change, as its passed `approval` phase records; null when nobody had to. */
export function approverOf(phases: readonly PhaseResult[]): Actor | null {
  return phases.find((p) => p.name === 'approval' && p.status === 'ok')?.approvedBy ?? null;
}

/** Who approved a finished change: the result's own field, else its approval phase (results stored before the field). */
export function approverOfResult(result: Pick<ChangeResult, 'approvedBy' | 'phases'>): Actor | null {
  return result.approvedBy ?? approverOf(result.phases);
}

/**
 * `failed`: a stop or restart that did not reach its end state (no rollback applies).
 * `interrupted`: the process died before changing anything; nothing to resume.
 */
export type Outcome =
  'succeeded' | 'rolled_back' | 'rollback_failed' | 'failed' | 'refused' | 'invalid' | 'interrupted' | 'running';

/** Exit codes of DESIGN.md. */
/** `unrecorded`: the change finished and succeeded, but its outcome could not be written to the store. */
export const ExitCode = { ok: 0, rolledBack: 1, invalid: 2, rollbackFailed: 3, refused: 4, unrecorded: 5 } as const;

const OUTCOME_EXIT: Record<Outcome, number> = {
  succeeded: ExitCode.ok,
  rolled_back: ExitCode.rolledBack,
  invalid: ExitCode.invalid,
  refused: ExitCode.refused,
  rollback_failed: ExitCode.rollbackFailed,
  failed: ExitCode.rollbackFailed,
  interrupted: ExitCode.rollbackFailed,
  running: ExitCode.rollbackFailed,
};

export const exitCodeFor = (outcome: Outcome): number => OUTCOME_EXIT[outcome];

export type ChangeKind = 'deploy' | 'rollback' | 'stop' | 'restart';

export interface LogFindings {
  pattern: string;
  count: number;
  /** Up to 10 lines, each cut to 300 characters. */
  sample: { timestamp: string; message: string }[];
  truncated: boolean;
}

/**
 * The `--json` result of every change (deploy, rollback, stop, restart), and what reporters show
 * at the end. Fields that do not apply are null; stop and restart add their desired counts.
 */
export interface ChangeResult extends PromotionFields {
  ok: boolean;
  kind: ChangeKind;
  outcome: Outcome;
  exitCode: number;
  deployId: string | null;
  service: string;
  sha: string | null;
  digest: string | null;
  fromTaskDefinition: string | null;
  toTaskDefinition: string | null;
  /** What the service runs at the end (PRIMARY deployment's task definition). */
  finalTaskDefinition: string | null;
  phases: PhaseResult[];
  smoke: SmokeResult[];
  targets: TargetHealth[];
  logs: LogFindings | null;
  /** The phase that failed and why, when something failed. */
  failure: { phase: PhaseName; reason: string } | null;
  /** A one-line summary for people: "backend abc1234 deployed (rev 42) in 3m12s". */
  summary: string;
  actor: Actor | null;
  /** Who approved the change, where a second person had to (as its `approval` phase says). */
  approvedBy?: Actor | null;
  startedAt: string;
  finishedAt: string | null;
  error: ErrorInfo | null;
  /** Refused because the service is busy (`lock_held`): who holds it, for each surface to word its own advice. */
  lockHolder?: LockInfo | null;
  reportPath: string | null;
  dryRun?: DryRunPlan | null;
  /** A deploy: the commits between the release that ran and the one deployed; null when not looked up. */
  changes?: DeployChanges | null;
  /** True when the change ended but the store refused its outcome (a full disk): its record still says running. */
  unrecorded?: boolean;
  /** Stop and restart: the desired count before the change, and the one it set. */
  previousDesired?: number | null;
  desired?: number | null;
}

export interface DryRunPlan {
  image: string;
  digest: string;
  fromTaskDefinition: string;
  /** `family:(next)` as it would be registered. */
  toTaskDefinition: string;
  /** Lines such as `containerDefinitions[backend].image: old → new`. */
  diff: string[];
}

/** A row in the deploys table. */
export interface DeployRecord {
  id: string;
  kind: ChangeKind;
  service: string;
  sha: string | null;
  digest: string | null;
  image: string | null;
  fromTaskDefinition: string | null;
  toTaskDefinition: string | null;
  finalTaskDefinition: string | null;
  outcome: Outcome;
  actor: Actor;
  startedAt: string;
  finishedAt: string | null;
  phases: PhaseResult[];
  /** The whole result once finished. */
  result: ChangeResult | null;
  /** The process that runs it (its owner id, as in the lock). */
  owner: string;
  /** Where its Slack thread lives, if any. */
  slack: { channel: string; ts: string } | null;
  reportPath: string | null;
  /**
   * A Cancel asked for by a process other than the one running the change (another replica):
   * the runner reads it while it holds the change and stops the change as if Cancel was clicked there.
   */
  cancelRequest?: { by: Actor; at: string };
  /** The fencing token, raised at every takeover: writes for the change are conditional on it (absent: 0). */
  fence?: number;
  /** A deploy: what it shipped (commit count, oldest commit date), for delivery metrics; null when unknown. */
  changesSummary?: ChangesSummary | null;
}

export interface LockInfo {
  service: string;
  action: ChangeKind;
  /** The deploy/change id holding it. */
  changeId: string;
  actor: Actor;
  /** The holding process's identity (a random id per process, with its host for people to read). */
  owner: string;
  acquiredAt: string;
  /** The holder's lease: it renews this while it works; once past, any process may take the lock over. */
  leaseExpiresAt?: string;
  /** The fencing token of the change holding it (DeployRecord.fence) when it was taken. */
  fence?: number;
}

export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'used';

export interface ApprovalRequest {
  id: string;
  service: string;
  action: ChangeAction;
  /** Extra parameters of the action (e.g. `{ sha }`, `{ count }`). */
  params: Record<string, unknown>;
  requester: Actor;
  reason: string;
  /** e.g. "desired 2 → 0" */
  impact: string;
  createdAt: string;
  expiresAt: string;
  status: ApprovalStatus;
  decidedBy: Actor | null;
  decidedAt: string | null;
  /** Where the request was posted in Slack. */
  slack: { channel: string; ts: string } | null;
}

export interface AuditEntry {
  id?: number;
  at: string;
  actor: Actor;
  action: string;
  service: string | null;
  /** Free-form, JSON-serialisable details (never secrets). */
  details: Record<string, unknown>;
}

/** A release that can be rolled back to: a past successful deploy. */
export interface Release {
  deployId: string;
  sha: string | null;
  digest: string | null;
  taskDefinition: string;
  at: string;
  actor: Actor;
  current: boolean;
}

// ---------- Events ----------

interface EventBase {
  changeId: string;
  service: string;
  at: string;
}

export type EngineEvent =
  | (EventBase & {
      type: 'change_started';
      kind: ChangeKind;
      actor: Actor;
      sha: string | null;
      fromTaskDefinition: string | null;
      reason?: string;
    })
  | (EventBase & { type: 'phase_started'; phase: PhaseName })
  | (EventBase & { type: 'phase_finished'; phase: PhaseName; result: PhaseResult; ms: number })
  | (EventBase & {
      type: 'progress';
      phase: PhaseName;
      taskDefinition: string;
      running: number;
      desired: number;
      pending: number;
      rolloutState: string | null;
    })
  | (EventBase & {
      type: 'plan';
      digest: string;
      image: string;
      fromTaskDefinition: string;
      toTaskDefinition: string | null;
    })
  | (EventBase & { type: 'changes'; changes: DeployChanges })
  | (EventBase & { type: 'promotion'; check: PromotionCheck })
  | (EventBase & { type: 'service_event'; event: ServiceEvent })
  | (EventBase & { type: 'targets'; targets: TargetHealth[] })
  | (EventBase & { type: 'smoke'; results: SmokeResult[] })
  | (EventBase & { type: 'logs'; findings: LogFindings })
  | (EventBase & { type: 'rollback_started'; reason: string; toTaskDefinition: string })
  | (EventBase & { type: 'change_finished'; result: ChangeResult })
  | (EventBase & { type: 'traffic'; traffic: TrafficProgress })
  | (EventBase & {
      type: 'test_checks';
      passed: boolean;
      reason: string;
      smoke: SmokeResult[];
      targets: TargetHealth[];
    })
  | (EventBase & { type: 'paused'; pause: PauseInfo })
  | (EventBase & { type: 'hook_answered'; hookId: string; action: HookAction; by: string })
  /** Freezes held the service at the start: the change was refused, or overridden with `approvedBy`'s approval. */
  | (EventBase & { type: 'frozen'; freezes: ActiveFreeze[]; approvedBy: Actor | null });

export type EventListener = (event: EngineEvent) => void;

export type { LogEvent };
