/** Reading ECS deployments the way a careful person would (fabfuel-style small predicates). */
import { ErrorCodes, isCodedError } from '../../errors';
import type { Deployment, ServiceEvent, ServiceState } from '../types';

/** The deployment ECS runs the service on now (the others drain or wait). */
export const isPrimary = (d: Pick<Deployment, 'status'>): boolean => d.status === 'PRIMARY';

export const primaryDeployment = (s: ServiceState): Deployment | undefined => s.deployments.find(isPrimary);

export const deploymentOf = (s: ServiceState, taskDefinition: string): Deployment | undefined =>
  s.deployments.find((d) => d.taskDefinition === taskDefinition);

/** What the service runs: the PRIMARY deployment's task definition. */
export const runningTaskDefinition = (s: ServiceState): string =>
  primaryDeployment(s)?.taskDefinition ?? s.taskDefinition;

/** Why a watch was cancelled: the reason the signal was aborted with. */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'cancelled';
}

/** Whether the signal was aborted by a person's cancel (not a lost lease or a shutdown). */
export function cancelRequested(signal: AbortSignal | undefined): boolean {
  const r: unknown = signal?.reason;
  return signal?.aborted === true && isCodedError(r) && r.code === ErrorCodes.cancelled;
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
