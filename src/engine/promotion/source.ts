/** What a promotion takes from its source: the image the source's running task definition pins. */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import { runningSha } from '../changes';
import type { EngineContext } from '../context';
import { invalidInput } from '../change/results';
import { parseSha } from '../release-ref';
import { runningTaskDefinition } from '../watch/rollout';
import { digestOf } from '../validate';
import type { PromotionSource } from './model';

/** A release fixed when a promotion was asked for (an approval keeps it), promoted as it was then. */
export interface PinnedRelease {
  image: string;
  sha: string | null;
}

/**
 * The service a deploy of `target` promotes from: `from` when given (it must agree with the
 * target's `promotesFrom`), else `promotesFrom`; null when neither names one.
 * @throws CodedError `invalid_input` when `from` is not the configured source, `unknown_service`.
 */
export function sourceOf(ctx: EngineContext, target: NamedService, from?: string): NamedService | null {
  const name = from ?? target.promotesFrom;
  if (name === undefined) return null;
  if (from !== undefined && target.promotesFrom !== undefined && from !== target.promotesFrom)
    throw invalidInput(`${target.name} promotes from ${target.promotesFrom}, not ${from.slice(0, 40)}`);
  if (name === target.name) throw invalidInput(`${target.name} cannot promote from itself`);
  return getService(ctx.config, name);
}

/**
 * What `source` runs now: its container's image as its task definition pins it (never looked up
 * again by tag), and the SHA its release record or image tags tell.
 * @throws CodedError `invalid_input` when the image is not pinned by digest; AWS errors as they come.
 */
export async function readSource(
  ctx: EngineContext,
  source: NamedService,
  container: string,
): Promise<PromotionSource> {
  const [state] = await ctx.ecs.describeServices(source.region, source.cluster, [source.service]);
  const td = await ctx.ecs.describeTaskDefinition(source.region, runningTaskDefinition(state));
  const image = td.containers.find((c) => c.name === container)?.image ?? '';
  const digest = digestOf(image);
  if (!digest)
    throw invalidInput(
      `${source.name} runs ${image ? `"${image.slice(0, 200)}"` : `no container "${container}"`}, not an image pinned by digest: deploy it with ecs-chatops first`,
    );
  return { service: source.name, image, digest, sha: await runningSha(ctx, source, td), taskDefinition: td.arn };
}

/** The release a promotion carries: the one pinned at request time, else what the source runs now. */
export async function promotedRelease(
  ctx: EngineContext,
  source: NamedService,
  container: string,
  pinned?: PinnedRelease,
): Promise<{ release: PromotionSource; movedOn: PromotionSource | null }> {
  const now = await readSource(ctx, source, container);
  const digest = pinned ? digestOf(pinned.image) : null;
  if (!pinned || !digest || digest === now.digest) return { release: now, movedOn: null };
  const release = { ...now, image: pinned.image, digest, sha: parseSha(pinned.sha), taskDefinition: '' };
  return { release, movedOn: now };
}
