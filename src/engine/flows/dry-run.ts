/** Dry run of a deploy: resolve the image and read the service, then show the plan; nothing changes. */
import type { NamedService } from '../../config/schema';
import type { EngineContext } from '../context';
import type { ChangeResult } from '../model';
import { classifyErrorCode, earlyResult, errorInfo } from '../change/results';
import { runningTaskDefinition } from '../watch/rollout';
import type { Actor, TaskDefinition } from '../types';
import { pinImage, shortTaskDefinition } from '../validate';
import { containerOf } from './flow-deps';
import { lookupChanges } from '../changes';

async function readCurrent(ctx: EngineContext, svc: NamedService): Promise<TaskDefinition> {
  const [state] = await ctx.ecs.describeServices(svc.region, svc.cluster, [svc.service]);
  return ctx.ecs.describeTaskDefinition(svc.region, runningTaskDefinition(state));
}

export async function dryRun(
  ctx: EngineContext,
  svc: NamedService,
  sha: string,
  actor: Actor,
  at: string,
): Promise<ChangeResult> {
  const early = { kind: 'deploy' as const, service: svc.name, sha, actor, at };
  try {
    const reading = readCurrent(ctx, svc);
    // The commits are read while the image resolves; a failed read of the service fails below instead.
    const lookup = reading.then((td) => lookupChanges(ctx, svc, td, sha)).catch(() => null);
    const image = await ctx.ecr.resolveImage(svc.region, svc.ecrRepository, sha);
    const current = await reading;
    const container = containerOf(current, svc);
    const to = `${await nextRevision(ctx, svc, current)} (to be registered)`;
    const pinned = pinImage(container.image, svc.ecrRepository, image.digest, image.imageUri);
    const diff = [`containerDefinitions[${svc.container}].image: ${container.image} → ${pinned}`];
    const unchanged = current.containers.filter((c) => c.name !== svc.container).map((c) => c.name);
    if (unchanged.length) diff.push(`unchanged containers: ${unchanged.join(', ')}`);
    if (current.tags.length) diff.push(`tags kept: ${current.tags.map((t) => t.key).join(', ')}`);
    return {
      ...earlyResult(early, 'succeeded', null),
      ok: true,
      digest: image.digest,
      fromTaskDefinition: current.arn,
      toTaskDefinition: null,
      finalTaskDefinition: current.arn,
      summary: `dry run: ${svc.name} ${sha} would deploy ${pinned} as ${to}, replacing ${shortTaskDefinition(current.arn)}; nothing was changed`,
      dryRun: { image: pinned, digest: image.digest, fromTaskDefinition: current.arn, toTaskDefinition: to, diff },
      changes: await lookup,
    };
  } catch (e) {
    const info = errorInfo(e);
    return earlyResult(early, classifyErrorCode(info.code) === 'refused' ? 'refused' : 'invalid', info);
  }
}

/**
 * The revision RegisterTaskDefinition will make: ECS numbers it after the family's latest, which
 * need not be the one the service runs. `the next revision of FAMILY` when the latest cannot be read.
 */
async function nextRevision(ctx: EngineContext, svc: NamedService, current: TaskDefinition): Promise<string> {
  try {
    const latest = await ctx.ecs.describeTaskDefinition(svc.region, current.family);
    return `${current.family}:${Math.max(latest.revision, current.revision) + 1}`;
  } catch (err) {
    // Only the prediction is lost: the plan stands without the number.
    ctx.logger.debug({ err, family: current.family }, 'could not read the latest revision of the family');
    return `the next revision of ${current.family}`;
  }
}
