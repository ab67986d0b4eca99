/**
 * What a watch knows between two polls, and the steps every poll takes whatever the watch waits
 * for: the timeout, reading the service, reading ECS's record of our deployment.
 */
import { secs } from '../clock';
import { shortTaskDefinition } from '../validate';
import type { ServiceState } from '../types';
import { isApiUnavailable } from '../service-deployment';
import { judgeServiceDeployment, type EcsVerdict } from './ecs-verdict';
import { DeploymentsArrayJudge, type OurDeployment } from './our-deployment';
import { describeCounts } from './rollout';
import { NoProgressRule } from './stuck-rollout';
import { ReadFailures } from './transient';
import type { ServiceDeploymentReader, VerdictSource, WatchDeploymentOptions, WatchVerdict } from './watch-types';

export interface WatchState {
  readonly o: WatchDeploymentOptions;
  readonly started: number;
  readonly judge: DeploymentsArrayJudge;
  readonly stuck: NoProgressRule;
  readonly failures: ReadFailures;
  /** Null once the service-deployment API turned out to be unavailable: the deployments array judges alone. */
  sd: ServiceDeploymentReader | null;
  arn: string | null;
  last: ServiceState | null;
  /** ECS's record of our deployment was read at least once. */
  sdSeen: boolean;
  /** The newest record says SUCCESSFUL. */
  sdSucceeded: boolean;
}

export function newWatch(o: WatchDeploymentOptions): WatchState {
  return {
    o,
    started: o.clock.now(),
    judge: new DeploymentsArrayJudge(o.ours),
    stuck: new NoProgressRule(o.noProgressMs ?? 2 * o.pollMs, o.ours.updatedAt),
    failures: new ReadFailures(o.clock, o.pollMs),
    sd: o.serviceDeployments,
    arn: o.ours.serviceDeploymentArn,
    last: null,
    sdSeen: false,
    sdSucceeded: false,
  };
}

interface VerdictBase {
  state: ServiceState | null;
  source: VerdictSource;
  serviceDeploymentArn: string | null;
}

/** What every verdict carries: the last read, and what judged it. */
export function base(w: WatchState): VerdictBase {
  return {
    state: w.last,
    source: w.arn && w.sd ? 'service deployment' : 'deployments array',
    serviceDeploymentArn: w.arn,
  };
}

/** Whether ECS showed our deployment, in either source. */
export const seen = (w: WatchState): boolean => w.judge.sawOurs || w.sdSeen;

/** The service-deployment API turned out to be unavailable during this watch (see `readRecord`). */
export const apiDropped = (w: WatchState): boolean => w.sd === null;

export const elapsed = (w: WatchState): number => w.o.clock.now() - w.started;

/** The verdict once the stabilize timeout has passed, else null. */
export function timedOut(w: WatchState): WatchVerdict | null {
  const { o } = w;
  if (elapsed(w) < o.timeoutMs) return null;
  const reading = w.failures.describe('the service');
  // No read answered since the update: nothing is known of ECS, so claim nothing of it.
  if (!seen(w) && !w.last && reading)
    return {
      ...base(w),
      status: 'unseen',
      reason: `${reading}; the rollout of ${ourName(o.ours)} could not be verified within ${secs(o.timeoutMs)}`,
    };
  const also = reading ? `; ${reading}` : '';
  if (!seen(w)) return { ...base(w), status: 'unseen', reason: `${unseenReason(w)}${also}` };
  const counts = w.last ? ` (${describeCounts(w.last, o.ours.taskDefinition)})` : '';
  return {
    ...base(w),
    status: 'timeout',
    inFlight: true,
    reason: `rollout of ${shortTaskDefinition(o.ours.taskDefinition)} did not finish within ${secs(o.timeoutMs)}${counts}${also}`,
  };
}

/**
 * The next read of the service; null when it failed and was waited out (poll again), or the
 * verdict when failing reads end the watch.
 */
export async function readService(w: WatchState): Promise<{ state: ServiceState } | { end: WatchVerdict } | null> {
  const { o, failures } = w;
  try {
    const state = await o.poll();
    failures.succeeded();
    w.last = state;
    return { state };
  } catch (error) {
    if (failures.failed(error)) {
      const reason = failures.describe('the service') ?? 'the service could not be read';
      return { end: { ...base(w), status: 'error', inFlight: seen(w), reason } };
    }
    // The poller already waited one interval; back off further while the errors last, but never past the timeout.
    await failures.backOff(w.started + o.timeoutMs, o.signal);
    return null;
  }
}

/**
 * ECS's verdict on our deployment from its record, or null while it shows none, or when the read
 * failed (read again at the next poll; the deployments array judges meanwhile). An unavailable API
 * is dropped for the rest of the watch.
 */
export async function readRecord(w: WatchState): Promise<EcsVerdict | null> {
  if (!w.sd) return null;
  try {
    const record = await w.sd.read(w.o.ours.taskDefinition, w.o.ours.updatedAt, w.arn);
    if (!record) return null;
    w.arn = record.arn;
    w.sdSeen = true;
    return judgeServiceDeployment(record);
  } catch (error) {
    if (isApiUnavailable(error)) {
      w.sd = null;
      w.arn = null;
    }
    // Any other error: the record is read again at the next poll; the deployments array judges meanwhile.
    return null;
  }
}

export function unseenReason(w: WatchState): string {
  const { last } = w;
  const runs = last
    ? `; the service runs ${shortTaskDefinition(last.deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition ?? last.taskDefinition)}`
    : '; the service could not be read';
  return `ECS did not show our deployment of ${ourName(w.o.ours)} within ${secs(elapsed(w))}${runs}`;
}

/** `demo-backend:2 (ecs-svc/123)`, or the revision alone when the deployment id is not known. */
function ourName(ours: OurDeployment): string {
  return `${shortTaskDefinition(ours.taskDefinition)}${ours.id ? ` (${ours.id})` : ''}`;
}
