/**
 * What a deploy checks before it changes anything: no deployment in progress, and whether the
 * digest already runs (then there is nothing to do, unless forced).
 */
import type { NamedService } from '../config/schema';
import { CodedError, ErrorCodes } from '../errors';
import type { EngineContext } from './context';
import { deploymentInProgress } from './watch/ecs-verdict';
import { isInFlight, isApiUnavailable, type ServiceDeployment } from './service-deployment';
import type { ServiceState, TaskDefinition } from './types';
import { containerImage, digestOf } from './validate';

/**
 * Refuses to deploy over a deployment in progress: a PRIMARY still IN_PROGRESS, or a service
 * deployment PENDING / IN_PROGRESS / ROLLBACK_* (where the API answers).
 * @throws CodedError `deployment_in_progress` naming the deployment.
 */
export async function refuseOverDeploymentInProgress(
  ctx: EngineContext,
  svc: NamedService,
  state: ServiceState,
): Promise<void> {
  let records: ServiceDeployment[] | null = null;
  try {
    const listed = await ctx.ecs.listServiceDeployments(svc.region, svc.cluster, svc.service);
    const moving = listed.filter(isInFlight).slice(0, 10);
    records = moving.length
      ? await ctx.ecs.describeServiceDeployments(
          svc.region,
          moving.map((d) => d.arn),
        )
      : [];
  } catch (error) {
    // Where the API is missing or denied the deployments array judges alone, as it always did: no line for that.
    if (!isApiUnavailable(error))
      ctx.logger.warn(
        { err: error, service: svc.name },
        'could not list service deployments; judging from the deployments array',
      );
  }
  const busy = deploymentInProgress(state, records);
  if (busy)
    throw new CodedError(
      ErrorCodes.deploymentInProgress,
      `${svc.name} already has a deployment in progress: ${busy}; wait for it or roll back`,
    );
}

/** True when the service's container already runs `digest`. */
export function alreadyRunsDigest(current: TaskDefinition, svc: NamedService, digest: string): boolean {
  const image = containerImage(current, svc.container);
  return Boolean(image && digestOf(image) === digest);
}
