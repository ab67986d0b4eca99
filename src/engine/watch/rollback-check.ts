/**
 * How a rollback is started and what it is verified against: the old release's SHA (from history,
 * else from the ECR tags of the digest the rollback point runs), and never the failed one's.
 */
import type { NamedService } from '../../config/schema';
import type { EngineContext } from '../context';
import type { RolloutStart } from './rollout-phase';
import { SHA_PATTERN, shaMatches } from '../release-ref';
import { containerImage, digestOf } from '../validate';
import type { WatchVerdict } from './watch-deployment';

/**
 * The way back: verify only when ECS rolled back by itself; ask ECS to stop our in-flight
 * deployment with a rollback when its record is known; otherwise update back to the rollback point.
 */
export function rollbackStart(watch: WatchVerdict | null | undefined): RolloutStart {
  if (watch?.status === 'ecs_rolled_back') return { kind: 'ecs', arn: watch.serviceDeploymentArn };
  const inFlight = watch && 'inFlight' in watch && watch.inFlight;
  if (inFlight && watch.serviceDeploymentArn && watch.source === 'service deployment')
    return { kind: 'stop', arn: watch.serviceDeploymentArn };
  return { kind: 'update' };
}

/**
 * The git SHA of the release `taskDefinition` runs, from the ECR tags of its container's digest
 * (tags that look like git SHAs, other than `failedSha`). Null when none can be told.
 */
export async function shaFromImageTags(
  ctx: EngineContext,
  svc: NamedService,
  taskDefinition: string,
  failedSha: string | null,
): Promise<string | null> {
  try {
    const td = await ctx.ecs.describeTaskDefinition(svc.region, taskDefinition);
    const image = containerImage(td, svc.container);
    const digest = image ? digestOf(image) : null;
    if (!digest) return null;
    const tags = await ctx.ecr.tagsOfDigest(svc.region, svc.ecrRepository, digest);
    const shas = tags.filter((t) => SHA_PATTERN.test(t) && !shaMatches(t, failedSha));
    return shas.sort((a, b) => b.length - a.length)[0]?.toLowerCase() ?? null;
  } catch (error) {
    ctx.logger.warn({ err: error, service: svc.name }, 'could not read the rollback point’s image tags');
    return null;
  }
}

/**
 * After a rollback looked healthy: a version endpoint that still reports the failed release's SHA
 * means the rollback did not take. Returns the failure reason, or null.
 */
export async function stillRunsFailedSha(
  ctx: EngineContext,
  svc: NamedService,
  failedSha: string | null,
  expectSha: string | null,
): Promise<string | null> {
  if (!failedSha || !svc.baseUrl || shaMatches(failedSha, expectSha)) return null;
  const v = await ctx.http.fetchVersion(svc); // never throws: an unreadable endpoint was judged by smoke
  if (v.gitSha && shaMatches(v.gitSha, failedSha))
    return `the version endpoint still reports ${v.gitSha.slice(0, 12)}, the failed release`;
  return null;
}
