/**
 * Reading ECS deployments the way a careful person would (fabfuel-style small predicates),
 * and watching a rollout to a verified end.
 */
import { describeError, isCodedError, ErrorCodes } from '../../errors';
import type { Clock } from '../ports';
import type { Deployment, ServiceEvent, ServiceState } from '../types';
import { shortTaskDefinition } from '../validate';

export const primaryDeployment = (s: ServiceState): Deployment | undefined => s.deployments.find((d) => d.status === 'PRIMARY');

export const deploymentOf = (s: ServiceState, taskDefinition: string): Deployment | undefined =>
  s.deployments.find((d) => d.taskDefinition === taskDefinition);

/** What the service runs: the PRIMARY deployment's task definition. */
export const runningTaskDefinition = (s: ServiceState): string => primaryDeployment(s)?.taskDefinition ?? s.taskDefinition;

/**
 * Success, and only success: the PRIMARY deployment runs OUR task definition, its rollout is
 * COMPLETED (or the service has no rollout state and a single deployment), running = desired,
 * and no other deployment still has tasks.
 */
export function isRolloutComplete(s: ServiceState, taskDefinition: string): boolean {
  const primary = primaryDeployment(s);
  if (!primary || primary.taskDefinition !== taskDefinition) return false;
  if (primary.runningCount !== primary.desiredCount || primary.pendingCount > 0) return false;
  if (primary.rolloutState) return primary.rolloutState === 'COMPLETED' && s.deployments.every((d) => d === primary || d.runningCount === 0);
  return s.deployments.length === 1;
}

export type RolloutVerdict =
  | { status: 'completed'; state: ServiceState }
  | { status: 'failed' | 'circuit_breaker' | 'timeout' | 'cancelled' | 'error'; state: ServiceState | null; reason: string };

export interface WatchOptions {
  taskDefinition: string;
  /** Reads the service (shared polling); called again after each round. */
  poll: () => Promise<ServiceState>;
  clock: Clock;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Event ids already seen (reported once). */
  seenEvents: Set<string>;
  onEvent: (event: ServiceEvent) => void;
  onProgress: (state: ServiceState) => void;
  /** Consecutive non-throttling poll errors tolerated before giving up. */
  maxErrors?: number;
}

/**
 * Polls until the rollout of `taskDefinition` is verified complete, fails, is rolled back by the
 * circuit breaker, times out or is cancelled. Throttling never ends the watch by itself.
 */
export async function watchRollout(o: WatchOptions): Promise<RolloutVerdict> {
  const started = o.clock.now();
  let last: ServiceState | null = null;
  let sawOurs = false;
  let errors = 0;
  for (;;) {
    if (o.signal?.aborted) return { status: 'cancelled', state: last, reason: abortReason(o.signal) };
    if (o.clock.now() - started >= o.timeoutMs) {
      return { status: 'timeout', state: last, reason: `rollout of ${shortTaskDefinition(o.taskDefinition)} did not finish within ${Math.round(o.timeoutMs / 1000)}s${last ? ` (${describeCounts(last, o.taskDefinition)})` : ''}` };
    }
    let state: ServiceState;
    try {
      state = await o.poll();
      errors = 0;
    } catch (error) {
      if (isCodedError(error) && error.code === ErrorCodes.throttled) continue;
      errors += 1;
      if (errors > (o.maxErrors ?? 3)) return { status: 'error', state: last, reason: `cannot read the service: ${describeError(error)}` };
      continue;
    }
    last = state;
    reportNewEvents(state, o.seenEvents, o.onEvent);
    o.onProgress(state);
    const ours = deploymentOf(state, o.taskDefinition);
    if (ours) sawOurs = true;
    if (isRolloutComplete(state, o.taskDefinition)) return { status: 'completed', state };
    if (ours?.rolloutState === 'FAILED') {
      return { status: 'failed', state, reason: `deployment failed: ${ours.rolloutStateReason ?? 'rolloutState FAILED'}` };
    }
    const primary = primaryDeployment(state);
    if (primary && primary.taskDefinition !== o.taskDefinition && (sawOurs || !ours)) {
      const why = ours?.rolloutStateReason ?? 'our deployment is no longer PRIMARY';
      return { status: 'circuit_breaker', state, reason: `ECS rolled back to ${shortTaskDefinition(primary.taskDefinition)} (${why})` };
    }
  }
}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'cancelled';
}

/** Reports events not seen before, oldest first (ECS lists them newest first). */
export function reportNewEvents(state: ServiceState, seen: Set<string>, onEvent: (e: ServiceEvent) => void): void {
  const fresh = state.events.filter((e) => !seen.has(e.id));
  for (const e of fresh.reverse()) {
    seen.add(e.id);
    onEvent(e);
  }
}

export function describeCounts(state: ServiceState, taskDefinition: string): string {
  const d = deploymentOf(state, taskDefinition) ?? primaryDeployment(state);
  if (!d) return `running ${state.runningCount}/${state.desiredCount}`;
  return `running ${d.runningCount}/${d.desiredCount}, pending ${d.pendingCount}, failed tasks ${d.failedTasks}, ${d.rolloutState ?? 'no rollout state'}`;
}
