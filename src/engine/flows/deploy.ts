/**
 * Deploy: check the SHA → (dry run?) → lock and record → read the service → resolve the image to
 * its digest → the promotion policy (a service with `promotesFrom`) → approval → register a
 * revision pinned by digest → roll out and verify (or roll back).
 */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import type { DeployRequest } from '../api';
import { announceChanges, lookupChanges } from '../changes';
import type { ChangeResult } from '../model';
import { checkPromotion } from '../promotion/guard';
import { sourceOf } from '../promotion/source';
import { parseSha } from '../release-ref';
import { earlyResult, errorInfo, invalidInput } from '../change/results';
import { pinImage, shortDigest } from '../validate';
import { runChange, type Plan } from './change-pipeline';
import { dryRun } from './dry-run';
import { clipArg, containerOf, type FlowDeps } from './flow-deps';
import { registerPinned } from './register-pinned';

export async function deploy(deps: FlowDeps, req: DeployRequest): Promise<ChangeResult> {
  const { ctx } = deps;
  const at = new Date(ctx.clock.now()).toISOString();
  let svc: NamedService;
  let sha: string;
  let source: NamedService | null;
  try {
    svc = getService(ctx.config, req.service);
    const parsed = parseSha(req.sha);
    if (!parsed) throw invalidInput(`git SHA must be 7 to 40 hex characters (got ${JSON.stringify(clipArg(req.sha))})`);
    sha = parsed;
    source = sourceOf(ctx, svc);
  } catch (e) {
    return earlyResult(
      { kind: 'deploy', service: req.service, sha: req.sha, actor: req.actor, at },
      'invalid',
      errorInfo(e),
    );
  }
  if (req.dryRun) return dryRun(ctx, svc, sha, req.actor, at);

  return runChange(deps, { kind: 'deploy', svc, req, sha }, async (run, _state, current): Promise<Plan> => {
    // Read while the image resolves; it is awaited (within its ~2 s cap) before the approval, which shows it.
    const lookup = lookupChanges(ctx, svc, current, sha);
    run.start('resolve_image');
    const image = await ctx.ecr.resolveImage(svc.region, svc.ecrRepository, sha);
    // The container whose image is pinned is part of resolving it: a mismatch fails here, not in a later phase.
    const container = containerOf(current, svc);
    run.finish('resolve_image', 'ok', `${svc.ecrRepository}:${sha} → ${shortDigest(image.digest)}`);
    const changes = await announceChanges(run, lookup);
    const promotion = source
      ? await checkPromotion(ctx, run, svc, {
          source,
          sha,
          digest: image.digest,
          promoted: null,
          movedOn: null,
          force: Boolean(req.force),
          approvalId: req.approvalId,
          actor: req.actor,
        })
      : null;
    const pinned = pinImage(container.image, svc.ecrRepository, image.digest, image.imageUri);
    const target = { image: pinned, digest: image.digest, sha, changes, promotion, force: Boolean(req.force) };
    return registerPinned(deps, run, svc, current, target, req);
  });
}
