/**
 * Promote: deploy to a service exactly the image its source (`promotesFrom`) runs, by digest as
 * the source's task definition pins it, or the one pinned when the promotion was asked for. The
 * policy judges the release on the source; the changes are those between what the target runs
 * and the promoted SHA.
 */
import { getService } from '../../config/load';
import type { NamedService } from '../../config/schema';
import type { PromoteRequest } from '../api';
import { announceChanges, lookupChanges } from '../changes';
import { earlyResult, errorInfo, invalidInput } from '../change/results';
import type { ChangeResult } from '../model';
import { checkPromotion } from '../promotion/guard';
import type { PromotionSource } from '../promotion/model';
import { promotedRelease, sourceOf } from '../promotion/source';
import { releaseText } from '../promotion/verification';
import { runChange, type Plan } from './change-pipeline';
import { clipArg, type FlowDeps } from './flow-deps';
import { registerPinned } from './register-pinned';

export async function promoteRelease(deps: FlowDeps, req: PromoteRequest): Promise<ChangeResult> {
  const { ctx } = deps;
  const at = new Date(ctx.clock.now()).toISOString();
  let svc: NamedService;
  let source: NamedService;
  let release: PromotionSource;
  let movedOn: PromotionSource | null;
  try {
    svc = getService(ctx.config, req.service);
    const named = sourceOf(ctx, svc, req.from);
    if (!named) throw invalidInput(`promote: name the source service (got ${JSON.stringify(clipArg(req.from))})`);
    source = named;
    ({ release, movedOn } = await promotedRelease(ctx, source, svc.container, req.pinned));
  } catch (e) {
    return earlyResult(
      { kind: 'deploy', service: req.service, sha: null, actor: req.actor, at },
      'invalid',
      errorInfo(e),
    );
  }

  return runChange(
    deps,
    { kind: 'deploy', svc, req, sha: release.sha },
    async (run, _state, current): Promise<Plan> => {
      const lookup = release.sha ? lookupChanges(ctx, svc, current, release.sha) : Promise.resolve(null);
      run.start('resolve_image');
      run.finish('resolve_image', 'ok', `${releaseText(release)} as ${source.name} runs it: ${release.image}`);
      const changes = await announceChanges(run, lookup);
      const promotion = await checkPromotion(ctx, run, svc, {
        source,
        sha: release.sha,
        digest: release.digest,
        promoted: release,
        movedOn,
        force: Boolean(req.force),
        approvalId: req.approvalId,
        actor: req.actor,
      });
      const target = { ...release, changes, promotion, force: false };
      return registerPinned(deps, run, svc, current, target, req);
    },
  );
}
