/**
 * The rollout phase's door into the blue/green follower: a deployment of a service whose strategy
 * shifts traffic (BLUE_GREEN, LINEAR, CANARY, run by ECS) is followed stage by stage; anything
 * else (and a service-deployment API that does not answer) is left to the rolling watch.
 */
import type { NamedService } from '../../config/schema';
import type { ChangeRun } from '../change/change-run';
import type { EngineContext } from '../context';
import type { OurDeployment } from '../watch/our-deployment';
import { shiftsTraffic, type DeploymentStrategyInfo } from '../service-deployment';
import type { ServiceState } from '../types';
import type { ServiceDeploymentReader, WatchVerdict } from '../watch/watch-deployment';
import { followTrafficShift } from './follow';

export function followsTraffic(strategy: DeploymentStrategyInfo | undefined): strategy is DeploymentStrategyInfo {
  return strategy !== undefined && shiftsTraffic(strategy.kind) && strategy.controller === 'ECS';
}

export async function followIfTrafficShift(
  ctx: EngineContext,
  p: {
    svc: NamedService;
    run: Pick<ChangeRun, 'emit' | 'iso' | 'actor' | 'id'>;
    expectSha: string | null;
    seenEvents: Set<string>;
    signal?: AbortSignal;
    onProgress: (state: ServiceState) => void;
    /** Our service deployment: by ARN once known, else the newest one to our revision since the update. */
    serviceDeployments: ServiceDeploymentReader;
  },
  ours: OurDeployment,
  strategy: DeploymentStrategyInfo | undefined,
): Promise<WatchVerdict | null> {
  if (!followsTraffic(strategy)) return null;
  const { svc, serviceDeployments, ...plan } = p;
  const verdict = await followTrafficShift({
    ...plan,
    svc,
    ctx,
    ours,
    strategy,
    poll: () => ctx.poller.next(svc.region, svc.cluster, svc.service, svc.timeouts.poll),
    read: (arn) => serviceDeployments.read(ours.taskDefinition, ours.updatedAt, arn),
  });
  return verdict.status === 'fallback' ? null : verdict;
}
