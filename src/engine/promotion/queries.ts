/** The read-only side of promotion: a candidate release before a change, and a service's pipeline. */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import { changesBetween, runningSha } from '../changes';
import type { EngineContext } from '../context';
import { invalidInput } from '../change/results';
import { runningTaskDefinition } from '../watch/rollout';
import { digestOf } from '../validate';
import { factsText } from './guard';
import type { Pipeline, PipelineStage, PromotionCandidate } from './model';
import { readSource, sourceOf } from './source';
import { lastSighting, verificationOn } from './verification';

/**
 * What a promotion of `svc` from `from` (default its `promotesFrom`) would carry now.
 * @throws CodedError `invalid_input` when there is no source or its image is not pinned; AWS errors.
 */
export async function promotionCandidate(
  ctx: EngineContext,
  svc: NamedService,
  from?: string,
): Promise<PromotionCandidate> {
  const source = sourceOf(ctx, svc, from);
  if (!source) throw invalidInput(`${svc.name} has no promotesFrom; name the source service`);
  const release = await readSource(ctx, source, svc.container);
  const verified = await verificationOn(ctx, source.name, release);
  const lastSeen = verified ? null : await lastSighting(ctx, release);
  const message = factsText(ctx, { source, ...release, promoted: release, movedOn: null }, verified, lastSeen);
  return { service: svc.name, release, policy: svc.promotion.require, verified, lastSeen, message };
}

/** How many services a chain may hold (the config forbids cycles; this bounds a long one). */
const MAX_STAGES = 6;

/** The service's sources (furthest first) and itself; null when it promotes from nothing. Never throws for AWS or GitHub. */
export async function pipeline(ctx: EngineContext, svc: NamedService): Promise<Pipeline | null> {
  if (!svc.promotesFrom) return null;
  const chain: NamedService[] = [svc];
  for (let at: string | undefined = svc.promotesFrom; at && chain.length < MAX_STAGES; at = chain[0].promotesFrom)
    chain.unshift(getService(ctx.config, at));
  const stages = await Promise.all(chain.map((s) => stageOf(ctx, s)));
  const [before, last] = stages.slice(-2);
  return { stages, ...(await behind(ctx, svc, last, before)) };
}

async function stageOf(ctx: EngineContext, svc: NamedService): Promise<PipelineStage> {
  try {
    const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
    const td = await ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
    const digest = digestOf(td.containers.find((c) => c.name === svc.container)?.image ?? '');
    const sha = await runningSha(ctx, svc, td);
    return { service: svc.name, sha, digest, verified: await verificationOn(ctx, svc.name, { sha, digest }) };
  } catch (e) {
    ctx.logger.warn({ err: e, service: svc.name }, 'could not read a pipeline stage');
    return { service: svc.name, sha: null, digest: null, verified: null };
  }
}

/** Commits `last` lacks of `before`, from the compare; unknown when a SHA, the repository or GitHub is missing. */
async function behind(
  ctx: EngineContext,
  svc: NamedService,
  last: PipelineStage,
  before: PipelineStage,
): Promise<Pick<Pipeline, 'behindBy' | 'behindUnknown'>> {
  const unknown = (why: string) => ({ behindBy: null, behindUnknown: why });
  if (!last.sha || !before.sha) return unknown('a git SHA is unknown');
  if (last.sha === before.sha || (last.digest && last.digest === before.digest))
    return { behindBy: 0, behindUnknown: null };
  const c = await changesBetween(ctx, svc, last.sha, before.sha);
  if (!c) return unknown('no repository to compare in');
  if (c.status === 'unavailable') return unknown(c.unavailable ?? 'GitHub is unavailable');
  return { behindBy: c.status === 'behind' || c.status === 'identical' ? 0 : c.aheadBy, behindUnknown: null };
}
