/**
 * Watches the deployment our UpdateService started, and only that one, to ECS's verdict.
 * ECS's service-deployment record decides where the API answers; the deployments array is the
 * fallback. Stale reads keep the watch polling; transient errors are retried until the timeout;
 * a stuck rollout fails early once ECS says it cannot start our tasks.
 */
import { ReadFailures } from './transient';
import { judgeServiceDeployment } from './ecs-verdict';
import { isApiUnavailable, type ServiceDeployment } from '../service-deployment';
import { DeploymentsArrayJudge, findOurs, type OurDeployment } from './our-deployment';
import type { Clock } from '../ports';
import { abortReason, describeCounts, reportNewEvents } from './rollout';
import { findStuckSignal, NoProgressRule, type StoppedTaskFacts } from './stuck-rollout';
import type { ServiceEvent, ServiceState } from '../types';
import { shortTaskDefinition } from '../validate';

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
  /** How long after ECS says it cannot start tasks, without progress, before failing (default two polls). */
  noProgressMs?: number;
  signal?: AbortSignal;
  seenEvents: Set<string>;
  onEvent: (event: ServiceEvent) => void;
  onProgress: (state: ServiceState) => void;
}

export async function watchDeployment(o: WatchDeploymentOptions): Promise<WatchVerdict> {
  const started = o.clock.now();
  const judge = new DeploymentsArrayJudge(o.ours);
  const stuck = new NoProgressRule(o.noProgressMs ?? 2 * o.pollMs, o.ours.updatedAt);
  const unseenMs = o.unseenMs ?? 60_000;
  let sd = o.serviceDeployments;
  let arn = o.ours.serviceDeploymentArn;
  let last: ServiceState | null = null;
  let sdSeen = false;
  let sdSucceeded = false;
  const failures = new ReadFailures(o.clock, o.pollMs);
  const base = (): { state: ServiceState | null; source: VerdictSource; serviceDeploymentArn: string | null } => ({
    state: last,
    source: arn && sd ? 'service deployment' : 'deployments array',
    serviceDeploymentArn: arn,
  });
  const seen = () => judge.sawOurs || sdSeen;

  for (;;) {
    if (o.signal?.aborted) return { ...base(), status: 'cancelled', reason: abortReason(o.signal), inFlight: seen() };
    const elapsed = o.clock.now() - started;
    if (elapsed >= o.timeoutMs) {
      const reading = failures.describe('the service');
      // No read answered since the update: nothing is known of ECS, so claim nothing of it.
      if (!seen() && !last && reading)
        return {
          ...base(),
          status: 'unseen',
          reason: `${reading}; the rollout of ${ourName(o.ours)} could not be verified within ${secs(o.timeoutMs)}`,
        };
      const also = reading ? `; ${reading}` : '';
      if (!seen()) return { ...base(), status: 'unseen', reason: `${unseenReason(o.ours, last, elapsed)}${also}` };
      return {
        ...base(),
        status: 'timeout',
        inFlight: true,
        reason: `rollout of ${shortTaskDefinition(o.ours.taskDefinition)} did not finish within ${secs(o.timeoutMs)}${last ? ` (${describeCounts(last, o.ours.taskDefinition)})` : ''}${also}`,
      };
    }

    let state: ServiceState;
    try {
      state = await o.poll();
      failures.succeeded();
    } catch (error) {
      if (failures.failed(error))
        return { ...base(), status: 'error', inFlight: seen(), reason: failures.describe('the service')! };
      // The poller already waited one interval; back off further while the errors last, but never past the timeout.
      await failures.backOff(started + o.timeoutMs, o.signal);
      continue;
    }
    last = state;
    reportNewEvents(state, o.seenEvents, o.onEvent);
    o.onProgress(state);

    // ECS's own record first, where the API answers.
    let rollbackDone = !sd || !arn;
    if (sd && (arn || !o.ecsRollback)) {
      try {
        const record = await sd.read(o.ours.taskDefinition, o.ours.updatedAt, arn);
        if (record) {
          arn = record.arn;
          sdSeen = true;
          const v = judgeServiceDeployment(record);
          if (o.ecsRollback) {
            if (v.kind === 'rollback_failed') return { ...base(), status: 'ecs_rollback_failed', reason: v.reason };
            rollbackDone = v.kind === 'ecs_rolling_back' && v.done;
          } else {
            sdSucceeded = v.kind === 'succeeded';
            if (v.kind === 'ecs_rolling_back')
              return { ...base(), status: 'ecs_rolled_back', reason: `ECS rolled back: ${v.reason}`, to: null };
            if (v.kind === 'rollback_failed') return { ...base(), status: 'ecs_rollback_failed', reason: v.reason };
            if (v.kind === 'stopped') return { ...base(), status: 'failed', reason: v.reason, inFlight: false };
          }
        }
      } catch (error) {
        if (isApiUnavailable(error)) {
          sd = null;
          arn = null;
          rollbackDone = true;
        }
        // Any other error: the record is read again at the next poll; the deployments array judges meanwhile.
      }
    }

    const verdict = judge.observe(state, o.clock.now());
    if (o.ecsRollback) {
      if (rollbackDone && verdict.kind === 'completed') return { ...base(), status: 'completed', state };
      continue;
    }

    // Unseen is judged on reads that answered: time spent unable to read says nothing.
    if (!seen() && o.clock.now() - started >= unseenMs)
      return { ...base(), status: 'unseen', reason: unseenReason(o.ours, last, o.clock.now() - started) };
    const bySd = Boolean(sd && arn && sdSeen);
    // ECS's SUCCESSFUL, confirmed by a read that shows ours settled (reads may lag the record).
    if (bySd && sdSucceeded && verdict.kind === 'completed') return { ...base(), status: 'completed', state };
    if (!bySd) {
      if (verdict.kind === 'completed') return { ...base(), status: 'completed', state };
      if (verdict.kind === 'failed') return { ...base(), status: 'failed', reason: verdict.reason, inFlight: false };
      if (verdict.kind === 'ecs_rolled_back')
        return { ...base(), status: 'ecs_rolled_back', reason: verdict.reason, to: verdict.to };
    }

    // A stuck rollout: ECS said it cannot start our tasks and none started since.
    if (seen()) {
      const ours = findOurs(state, o.ours);
      const running = ours?.runningCount ?? 0;
      const stopped = o.stoppedTasks && ours && running < ours.desiredCount ? await readStopped(o.stoppedTasks) : [];
      const signal = findStuckSignal(state.events, stopped, o.ours.taskDefinition, stuck.signalsSince);
      const why = stuck.observe(o.clock.now(), signal, running);
      if (why) return { ...base(), status: 'stuck', reason: why, inFlight: true };
    }
  }
}

async function readStopped(read: () => Promise<StoppedTaskFacts[]>): Promise<StoppedTaskFacts[]> {
  try {
    return await read();
  } catch {
    return []; // the stopped tasks only sharpen the rule; events still drive it
  }
}

function unseenReason(ours: OurDeployment, last: ServiceState | null, elapsed: number): string {
  const runs = last
    ? `; the service runs ${shortTaskDefinition(last.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? last.taskDefinition)}`
    : '; the service could not be read';
  return `ECS did not show our deployment of ${ourName(ours)} within ${secs(elapsed)}${runs}`;
}

/** `demo-backend:2 (ecs-svc/123)`, or the revision alone when the deployment id is not known. */
function ourName(ours: OurDeployment): string {
  return `${shortTaskDefinition(ours.taskDefinition)}${ours.id ? ` (${ours.id})` : ''}`;
}

function secs(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}
