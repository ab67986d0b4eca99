/**
 * Which deployment is ours, and what the legacy `deployments[]` array says about it.
 * DescribeServices is eventually consistent: a read right after UpdateService may still show the
 * old PRIMARY. Only a deployment we have seen is judged; a read that does not show it is stale.
 */
import type { Deployment, ServiceEvent, ServiceState } from '../types';
import { shortTaskDefinition } from '../validate';
import { isPrimary, primaryDeployment } from './rollout';

/** How far before our UpdateService a deployment's createdAt may be and still be ours (clock skew). */
export const CREATED_AT_SKEW_MS = 5_000;

/** How long a FAILED PRIMARY of ours is given for ECS's own rollback when the circuit breaker's rollback is on. */
export const ECS_ROLLBACK_GRACE_MS = 30_000;

/** What we know of the deployment our UpdateService started. */
export interface OurDeployment {
  /** The PRIMARY deployment id UpdateService returned (null when it returned none). */
  id: string | null;
  /** The task-definition ARN we asked for. */
  taskDefinition: string;
  /** When we called UpdateService (epoch ms). */
  updatedAt: number;
  /** The service deployment ARN, once known (null where the API does not answer). */
  serviceDeploymentArn: string | null;
}

/** From UpdateService's answer: the new PRIMARY deployment, when it runs our task definition. */
export function ourDeploymentFrom(
  answer: ServiceState | null,
  taskDefinition: string,
  updatedAt: number,
): OurDeployment {
  const primary = answer?.deployments.find((d) => isPrimary(d) && d.taskDefinition === taskDefinition);
  return { id: primary?.id ?? null, taskDefinition, updatedAt, serviceDeploymentArn: null };
}

/** Our deployment in a read: by id, else by task definition created at or after our update. */
export function findOurs(state: ServiceState, ours: OurDeployment): Deployment | undefined {
  if (ours.id) return state.deployments.find((d) => d.id === ours.id);
  return state.deployments.find(
    (d) =>
      d.taskDefinition === ours.taskDefinition &&
      (!d.createdAt || d.createdAt.getTime() >= ours.updatedAt - CREATED_AT_SKEW_MS),
  );
}

/** Success, and only success: ours is PRIMARY, COMPLETED (or no rollout state and alone), all running, no other tasks left. */
export function isOursComplete(state: ServiceState, d: Deployment): boolean {
  if (!isPrimary(d)) return false;
  if (d.runningCount !== d.desiredCount || d.pendingCount > 0) return false;
  if (d.rolloutState)
    return d.rolloutState === 'COMPLETED' && state.deployments.every((x) => x === d || x.runningCount === 0);
  return state.deployments.length === 1;
}

export type ArrayVerdict =
  /** The read does not show our deployment yet: keep polling. */
  | { kind: 'stale' }
  | { kind: 'progress'; deployment: Deployment }
  | { kind: 'completed'; deployment: Deployment }
  /** Ours is PRIMARY and FAILED, read after read: nobody rolls it back. */
  | { kind: 'failed'; reason: string }
  /** Ours was seen, then two consecutive reads show it gone or replaced: ECS rolled back. */
  | { kind: 'ecs_rolled_back'; to: string; reason: string };

/**
 * Judges consecutive reads of the deployments array. An ECS-made rollback (or a FAILED rollout)
 * is believed only after ours was seen and two consecutive reads both show it gone, not PRIMARY
 * or FAILED: one odd read is not a verdict.
 */
export class DeploymentsArrayJudge {
  private seen = false;
  private badStreak = 0;
  private failedSince: number | null = null;

  constructor(private readonly ours: OurDeployment) {}

  get sawOurs(): boolean {
    return this.seen;
  }

  /** The service events that name our deployment (by its id), newest first. */
  private mentions(state: ServiceState): ServiceEvent[] {
    const id = this.ours.id;
    return id ? state.events.filter((e) => e.message.includes(`(deployment ${id})`)) : [];
  }

  /** `now` (epoch ms) times how long a FAILED PRIMARY has waited for ECS's own rollback. */
  observe(state: ServiceState, now = 0): ArrayVerdict {
    const d = findOurs(state, this.ours);
    // A service event naming our deployment proves the read is newer than it, even when ECS has
    // already dropped it from the array (a fast circuit-breaker rollback inside the read lag).
    const mentioned = this.mentions(state);
    if (d || mentioned.length > 0) this.seen = true;
    if (!this.seen) return { kind: 'stale' };
    if (d && isOursComplete(state, d)) {
      this.badStreak = 0;
      return { kind: 'completed', deployment: d };
    }
    const bad = !d || !isPrimary(d) || d.rolloutState === 'FAILED';
    this.badStreak = bad ? this.badStreak + 1 : 0;
    if (!bad) return { kind: 'progress', deployment: d };
    const failedPrimary = d !== undefined && isPrimary(d);
    const failedSince = failedPrimary ? (this.failedSince ?? now) : null;
    this.failedSince = failedSince;
    // With the circuit breaker's rollback on, ECS returns by itself: give it time before we act.
    const waitingForEcs =
      failedSince !== null && state.circuitBreaker?.rollback === true && now - failedSince < ECS_ROLLBACK_GRACE_MS;
    if (this.badStreak < 2 || waitingForEcs) return d ? { kind: 'progress', deployment: d } : { kind: 'stale' };
    const primary = primaryDeployment(state);
    if (d && isPrimary(d))
      return { kind: 'failed', reason: `deployment failed: ${d.rolloutStateReason ?? 'rolloutState FAILED'}` };
    const to = primary?.taskDefinition ?? state.taskDefinition;
    const failedEvent = mentioned.find((e) => /deployment failed/i.test(e.message));
    const why =
      d?.rolloutStateReason ??
      failedEvent?.message.replace(/^\(service [^)]*\)\s*\(deployment [^)]*\)\s*/, '') ??
      (d ? 'our deployment is no longer PRIMARY' : 'our deployment is gone');
    return { kind: 'ecs_rolled_back', to, reason: `ECS rolled back to ${shortTaskDefinition(to)} (${why})` };
  }
}
