/**
 * The rollout phase's door into the blue/green follower: a deployment of a service whose strategy
 * shifts traffic (BLUE_GREEN, LINEAR, CANARY, run by ECS) is followed stage by stage; anything
 * else (and a service-deployment API that does not answer) is left to the rolling watch.
 */
import type { NamedService } from '../../config/schema';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import { CREATED_AT_SKEW_MS, type OurDeployment } from '../watch/our-deployment';
import { shiftsTraffic, type DeploymentStrategyInfo, type ServiceDeployment } from '../service-deployment';
import type { ServiceState } from '../types';
import type { WatchVerdict } from '../watch/watch-deployment';
import { followTrafficShift } from './follow';

export function followsTraffic(strategy: DeploymentStrategyInfo | undefined): strategy is DeploymentStrategyInfo {
  return strategy !== undefined && shiftsTraffic(strategy.kind) && strategy.controller === 'ECS';
}

export async function followIfTrafficShift(
  ctx: EngineContext,
  p: { svc: NamedService; run: Pick<ChangeRun, 'emit' | 'iso' | 'actor' | 'id'>; expectSha: string | null; seenEvents: Set<string>; signal?: AbortSignal; onProgress: (state: ServiceState) => void },
  ours: OurDeployment,
  strategy: DeploymentStrategyInfo | undefined,
): Promise<WatchVerdict | null> {
  if (!followsTraffic(strategy)) return null;
  const { svc } = p;
  const verdict = await followTrafficShift({
    ...p,
    ctx,
    ours,
    strategy,
    poll: () => ctx.poller.next(svc.region, svc.cluster, svc.service, svc.timeouts.poll),
    read: (arn) => readOurs(ctx, svc, ours, arn),
  });
  return verdict.status === 'fallback' ? null : verdict;
}

/** Our service deployment: by ARN once known, else the newest one to our revision since the update. */
async function readOurs(ctx: EngineContext, svc: NamedService, ours: OurDeployment, arn: string | null): Promise<ServiceDeployment | null> {
  if (arn) return (await ctx.ecs.describeServiceDeployments(svc.region, [arn]))[0] ?? null;
  const listed = await ctx.ecs.listServiceDeployments(svc.region, svc.cluster, svc.service, { createdAfter: new Date(ours.updatedAt - CREATED_AT_SKEW_MS) });
  if (!listed.length) return null;
  const described = await ctx.ecs.describeServiceDeployments(svc.region, listed.slice(0, 10).map((d) => d.arn));
  return described.find((d) => d.targetTaskDefinition === ours.taskDefinition) ?? null;
}
