/** The state a traffic-shift follow keeps between rounds, and what its rounds share. */
import type { PauseInfo } from '../model';
import type { LifecycleHookState, ServiceDeployment } from '../service-deployment';
import type { ServiceState } from '../types';
import { DeploymentsArrayJudge } from '../watch/our-deployment';
import { ReadFailures } from '../watch/transient';
import type { WatchVerdict } from '../watch/watch-deployment';
import { splitTargetGroups, type CheckVerdict } from './checks';
import type { FollowPlan, FollowVerdict } from './follow';
import { Promotions } from './promotions';

/** What one follow keeps between rounds. */
export interface FollowState {
  readonly started: number;
  arn: string | null;
  /** The latest read of the service, and of our service deployment (null until ECS shows it). */
  last: ServiceState | null;
  record: ServiceDeployment | null;
  /** When the latest round read the record. */
  at: number;
  /** Time spent at pauses (not counted against the budget), and the start of the current one. */
  pausedMs: number;
  pausedSince: number | null;
  announced: LifecycleHookState | null;
  tested: CheckVerdict | null;
  productionSince: number | null;
  bakeSince: number | null;
  lastBake: number;
  lastKey: string;
}

/** A follow: its plan, what it works with, and its state. */
export interface Follow {
  p: FollowPlan;
  split: { blue: string | null; green: string | null };
  judge: DeploymentsArrayJudge;
  promotions: Promotions;
  pausesAfterTest: boolean;
  budgetMs: number;
  failures: ReadFailures;
  s: FollowState;
}

/** A round's answer: a verdict ends the follow, `again` starts the next round, undefined goes on in this one. */
export type Next = FollowVerdict | 'again' | undefined;

export async function startFollow(p: FollowPlan): Promise<Follow> {
  const { ctx, svc } = p;
  const now = ctx.clock.now();
  return {
    p,
    split: await splitTargetGroups(ctx, svc, p.strategy.loadBalancers[0]),
    judge: new DeploymentsArrayJudge(p.ours),
    promotions: new Promotions(ctx),
    pausesAfterTest: p.strategy.lifecycleHooks.some(
      (h) => h.targetType === 'PAUSE' && h.stages.includes('POST_TEST_TRAFFIC_SHIFT'),
    ),
    budgetMs: svc.timeouts.stabilize + (p.strategy.bakeTimeInMinutes ?? 0) * 60_000,
    failures: new ReadFailures(ctx.clock, svc.timeouts.poll),
    s: {
      started: now,
      arn: p.ours.serviceDeploymentArn,
      last: null,
      record: null,
      at: now,
      pausedMs: 0,
      pausedSince: null,
      announced: null,
      tested: null,
      productionSince: null,
      bakeSince: null,
      lastBake: Number.NEGATIVE_INFINITY,
      lastKey: '',
    },
  };
}

export const base = (f: Follow) => ({
  state: f.s.last,
  source: 'service deployment' as const,
  serviceDeploymentArn: f.s.arn,
});

/** ECS is taking (or took) the service back to blue. */
export function back(f: Follow, reason: string, requested: boolean): WatchVerdict {
  return {
    ...base(f),
    status: 'ecs_rolled_back',
    reason,
    to: null,
    requestedRollback: requested,
    targetGroupArn: f.split.blue,
  };
}

export function pauseInfo(f: Follow, record: ServiceDeployment, hook: LifecycleHookState): PauseInfo {
  return {
    serviceDeploymentArn: record.arn,
    hookId: hook.hookId,
    stage: record.lifecycleStage,
    expiresAt: hook.expiresAt?.toISOString() ?? null,
    timeoutAction: hook.timeoutAction,
    passed: f.s.tested?.passed ?? true,
    checks: f.s.tested?.reason ?? 'no checks at this stage',
    autoContinue: f.p.svc.blueGreen.autoContinue,
  };
}
